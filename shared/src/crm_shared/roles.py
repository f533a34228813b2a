"""Role names and, per service, the roles that may call each operation: the
one definition the services check (`caller.require_role(*APPROVAL_REQUESTERS)`)
and the gateway declares per route (403 before a body is read), so the two
cannot drift apart. Which rows a role may touch (whose lead, which team's
opportunity) stays each service's rule; these lists only say who may call at
all.

The order of a tuple is the order a refusal names its roles in ("needs one
of rep, manager, admin"), so it is kept as each service has always said it.
`system` (a backend acting for itself) is never a signed-in user: the
gateway drops it with `for_users`."""

from __future__ import annotations

from collections.abc import Iterable

REP = "rep"
MANAGER = "manager"
FINANCE = "finance"
REVIEWER = "reviewer"
ADMIN = "admin"
# A distributor's user on the partner portal.
PARTNER = "partner"
# A backend service calling on its own behalf (timers, consumers); only a service token carries it.
SYSTEM = "system"

ROLES = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, PARTNER, SYSTEM)
USER_ROLES = tuple(role for role in ROLES if role != SYSTEM)


def for_users(roles: Iterable[str]) -> frozenset[str]:
    """The roles of a list that a signed-in user can have (the gateway's view)."""
    return frozenset(roles) - {SYSTEM}


# lead-routing
LEAD_INTAKE = (REP, MANAGER, ADMIN, PARTNER, SYSTEM)  # a lead one at a time
LEAD_IMPORTERS = (REP, MANAGER, ADMIN)  # a file of leads
LEAD_CLOSERS = (REP, MANAGER, ADMIN)  # convert or lose a lead
LEAD_FIELD_DEFINERS = (ADMIN,)  # a tenant's own lead fields
ROUTING_MANAGERS = (MANAGER, ADMIN)  # routes, formulas, dry runs, assigning a lead, writing rep profiles
REP_READERS = (MANAGER, ADMIN, SYSTEM, REP)  # rep profiles
LEAD_CLAIMERS = (REP,)
POOL_USERS = (REP, MANAGER, ADMIN)  # the pool, release, first touch, explanations
POOL_RERANKERS = (MANAGER, ADMIN, SYSTEM)  # a whole-pool re-rank or batch assignment
DISTRIBUTOR_EDITORS = (ADMIN,)  # distributor organisations of the partner portal
# Managers (channel managers among them) read the tenant's distributors; a partner reads only their own.
DISTRIBUTOR_READERS = (MANAGER, ADMIN, SYSTEM)
PARTNER_ORGANISATION_READERS = (PARTNER,)
# Promotion programmes (partner portal): admins and channel managers (managers named on a distributor) write and
# publish them and read distributors' applications (a channel manager only their distributors'); partners read
# published programmes and apply for their own organisation.
PROMOTION_PUBLISHERS = (MANAGER, ADMIN)
PROMOTION_APPLICATION_READERS = (MANAGER, ADMIN, SYSTEM)
PROMOTION_APPLICANTS = (PARTNER,)
# Deal registrations (报备): a partner registers for their own organisation and reads its registrations (never
# their conflicts); admins and managers read the tenant's with the conflicts (managers must see partner
# protection); clashes (撞单) are read and decided by the channel manager of both distributors, or an admin.
REGISTRANTS = (PARTNER,)
REGISTRATION_READERS = (MANAGER, ADMIN, SYSTEM)
CLASH_DECIDERS = (MANAGER, ADMIN)
# The tenant's registration terms (the check window of clashes): admins write, managers read.
REGISTRATION_TERMS_EDITORS = (ADMIN,)
REGISTRATION_TERMS_READERS = (MANAGER, ADMIN)
# The protection window of approved registrations: a partner asks to extend their own (REGISTRANTS) and reads
# the tenant's terms (how many days it may ask); admins set the terms, managers read them.
PROTECTION_TERMS_EDITORS = (ADMIN,)
PROTECTION_TERMS_READERS = (MANAGER, ADMIN, PARTNER, SYSTEM)

# opportunity
OPPORTUNITY_CREATORS = (REP, MANAGER, ADMIN)
OPPORTUNITY_MOVERS = (REP, MANAGER, ADMIN)  # update, place, move stage, close, reopen, complete tasks
PIPELINE_EDITORS = (MANAGER, ADMIN)
PIPELINE_READERS = (REP, MANAGER, ADMIN, FINANCE, REVIEWER, SYSTEM)
CUSTOMER_WRITERS = (REP, MANAGER, ADMIN, SYSTEM)
# Private notes: read and written by these roles, on their own customers only.
NOTE_READERS = (REP, MANAGER, ADMIN)
CUSTOMER_REASSIGNERS = (MANAGER, ADMIN, SYSTEM)
# Signals (tagging, stage hints, intent, anomalies): one versioned settings row per tenant per area,
# written by sales managers and admins, read by every internal role; partners see none.
SIGNAL_CONFIGURERS = (MANAGER, ADMIN)
SIGNAL_SETTINGS_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# Chat exports, call transcripts and app messages become a customer's activities: the account team.
CONVERSATION_IMPORTERS = (REP, MANAGER, ADMIN)
# High intent: a customer's intent and the high-intent list (scope decides whose) for every internal
# role; explicit intent actions by the account team; the high intent → won report for managers and admins.
INTENT_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN)
INTENT_ACTORS = (REP, MANAGER, ADMIN)
INTENT_REPORT_READERS = (MANAGER, ADMIN)
# Anomaly flags: the flagged rep's manager (their team) and admins read, dismiss and scan; the rep sees none.
ANOMALY_REVIEWERS = (MANAGER, ADMIN)
# Contact depth (CDI) and the follow-up heat map: a rep their own customers, a manager their team's, an admin all;
# finance and reviewers do not read a rep's process measures. Managers and admins set its weights and windows.
CDI_READERS = (REP, MANAGER, ADMIN)
CDI_CONFIGURERS = (MANAGER, ADMIN)
# Win probability and the forecast: a rep their own opportunities, a manager their team's, an admin all (finance
# and reviewers: not a rep's pipeline). Managers and admins train the model, set a manual probability and the
# rating thresholds.
FORECAST_READERS = (REP, MANAGER, ADMIN)
WIN_MODEL_MANAGERS = (MANAGER, ADMIN)

# document-versioning
DOCUMENT_UPLOADERS = (REP, MANAGER, ADMIN)
# Partners (distributors) see no documents: the partner portal gives them none.
DOCUMENT_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# A version frozen for an opportunity (submitted for approval, shown to the customer): its writers.
DOCUMENT_SNAPSHOTTERS = (REP, MANAGER, ADMIN, SYSTEM)
# A tenant's document types: every internal role reads them, admins define them.
DOCUMENT_TYPE_READERS = DOCUMENT_READERS
DOCUMENT_TYPE_EDITORS = (ADMIN,)
# Contracts: the account team opens one on its opportunity; 法务 (there is no
# legal role: reviewers, who check documents, and admins) records the signing
# after the seal and sends a version to an e-signature provider.
CONTRACT_CREATORS = (REP, MANAGER, ADMIN)
CONTRACT_SIGNERS = (REVIEWER, ADMIN)
# Engineering change notices: 工程部 (no role of its own: reviewers and admins)
# publishes; every internal role reads them (tenant-wide material).
ECN_PUBLISHERS = (REVIEWER, ADMIN)
ECN_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# The account manager (the task's owner, their manager, admin) records the customer's answer.
ECN_ANSWERERS = (REP, MANAGER, ADMIN)
# The sales knowledge base: managers and admins curate (tag) entries; every
# internal role searches it and is recommended entries; partners see none.
KNOWLEDGE_TAGGERS = (MANAGER, ADMIN, SYSTEM)
KNOWLEDGE_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# A streamed upload of a version's content (any subject): every role that may add some document's version;
# which subjects each may write to is document-versioning's rule.
DOCUMENT_CONTENT_UPLOADERS = tuple(
    dict.fromkeys(DOCUMENT_UPLOADERS + CONTRACT_SIGNERS + ECN_PUBLISHERS + KNOWLEDGE_TAGGERS)
)

# approval
APPROVAL_REQUESTERS = (REP, MANAGER, ADMIN)
# Whoever holds an approval task acts on it, whatever their role (a 技术部 rep
# reviewing a proposal): the service checks the task's assignee. Partners hold none.
APPROVAL_ACTORS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# Approvals are internal to the manufacturer: partners never see them.
APPROVAL_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# Approval policies: written by admins; read, checked and dry-run by managers and admins.
APPROVAL_POLICY_EDITORS = (ADMIN,)
APPROVAL_POLICY_READERS = (MANAGER, ADMIN, SYSTEM)
# Departments: written by admins, read by every internal role (approvers are picked from them).
DEPARTMENT_EDITORS = (ADMIN,)
DEPARTMENT_READERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN, SYSTEM)
# Delegation windows: anyone who may be an approver names their own deputy; admins anyone's.
DELEGATION_USERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN)
# An approver's inbox: whoever may hold a task (the service shows the caller's own tasks only).
APPROVAL_INBOX_USERS = (REP, MANAGER, FINANCE, REVIEWER, ADMIN)
# A manager's team view and the bottleneck report: a manager sees their own team's requests, an admin the tenant's.
APPROVAL_TEAM_VIEWERS = (MANAGER, ADMIN)
APPROVAL_REPORT_READERS = (MANAGER, ADMIN)

# finance-reconciliation
PAYMENT_RECORDERS = (FINANCE, ADMIN)  # finance records what the bank shows; admins may correct
PAYMENT_READERS = (FINANCE, ADMIN, MANAGER, REP)  # partners and reviewers see no payments
# Rebates (partner portal): admins write the programmes; finance and admins read every partner's accruals and
# settle a period; a partner reads their own organisation's progress only (Caller.organisation).
REBATE_PROGRAMME_EDITORS = (ADMIN,)
REBATE_READERS = (FINANCE, ADMIN)
REBATE_SETTLERS = (FINANCE, ADMIN)
PARTNER_REBATE_READERS = (PARTNER,)
