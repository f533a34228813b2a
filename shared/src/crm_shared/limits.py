"""How much a caller may send: the limits a service enforces on a request
and the gateway declares in its request schemas (so a client learns them
from the API description and hears 422 before a call). One definition for
both; paging, money and formulas keep theirs in crm_shared.paging,
crm_shared.money and crm_shared.formula."""

from __future__ import annotations

MIB = 1024 * 1024

# Every service: a name, title, team or other short text, and an id, in characters.
MAX_NAME = 200
MAX_ID = 64

# lead-routing
MAX_LEAD_REASON = 500  # why a lead was lost or given back to the pool
MAX_ATTRIBUTION = 100  # a touch's channel or campaign
MAX_CUSTOM_FIELDS = 50  # a tenant's own lead fields (so also the values one lead sets)
MAX_LEAVE_PERIODS = 100  # of one rep profile: every re-rank reads each rep's leave
MAX_IMPORT_BYTES = 10 * MIB  # a lead file (CSV or .xlsx)
MAX_ROUTES = 100  # in one version of the route list
MAX_TARGET_REPS = 500  # a route's rep_ids
MAX_RULE_COMMENT = 500  # a saved version's comment
MAX_CANDIDATES_PER_LEAD = 20  # of a dry run
MAX_AUDIT_ENTRIES = 500  # of the routing audit trail, one call

# opportunity
MAX_NOTE = 10_000  # a private note
MAX_ACTIVITY_TEXT = 5_000  # an activity's summary, needs or competitors
MAX_CUSTOMER_TAGS = 20
MAX_STAGES = 20  # of a pipeline
MAX_CLOSE_REASON = 1_000  # why an opportunity was won or lost

# approval
MAX_APPROVAL_TEXT = 2_000  # a request's reason or a decision's comment
