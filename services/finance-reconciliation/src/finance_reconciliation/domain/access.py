"""Who may record and see receipts, plans and the ledger. The role decides what someone may do
with them at all; which opportunities' receipts and plans is opportunity's rule
(read access to the opportunity, asked at every call: finance and admins the
tenant, a manager their team's, a rep their own). This service's projection
of opportunities (from opportunity.created) holds amount facts only: its
owner never changes after creation, so it must not decide who sees what.
The lists are crm_shared.roles', which the gateway declares too."""

from crm_shared.roles import PAYMENT_READERS, PAYMENT_RECORDERS

# Finance records what the bank shows; admins may correct.
RECORDERS = PAYMENT_RECORDERS
# Partners (distributors) and reviewers see no receipts or plans.
READERS = PAYMENT_READERS
