"""Who may record and see payments. The role decides what someone may do
with payments at all; which opportunities' payments is opportunity's rule
(read access to the opportunity, asked at every call: finance and admins the
tenant, a manager their team's, a rep their own). This service's projection
of opportunities (from opportunity.created) holds amount facts only: its
owner never changes after creation, so it must not decide who sees what."""

# Finance records what the bank shows; admins may correct.
RECORDERS = ("finance", "admin")
# Partners (distributors) and reviewers see no payments.
READERS = ("finance", "admin", "manager", "rep")
