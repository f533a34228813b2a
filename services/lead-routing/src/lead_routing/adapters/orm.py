"""Table definitions (the migrations create them; repositories query them). Each
table is written by one repository: leads, lead_custom_fields and lead_imports by
lead_repository; reps, rep_outcomes and rep_wins by rep_repository; rule_versions,
active_rules and rule_audit by rule_set_repository; assignments, cooldowns and
owner_changes by assignment_repository; lead_routes, pool_scores, pool_pushes and
rerank_requests by pool_repository.

`leads` — one row per lead, keyed by lead_id and always filtered by tenant_id.
  status: "open" | "converted" | "lost"; owner_id: the rep who owns it, NULL
  while it sits in the pool (公海). Address parts province/city/district are
  the resolved names ("浙江省", "绍兴市", "柯桥区"; blank when unknown), adcode
  the finest 行政区划 code known. Money columns are integer 分 (*_minor, CNY):
  budget_minor (预算), annual_revenue_minor (年营业额), purchases_6m_minor
  (近6月采购金额); orders_3m is 近3月订单数; latitude/longitude are WGS-84
  degrees or NULL; industry_tags is a JSON list of text; custom_fields a JSON
  object {tenant field name: number | text | list of text}, checked against
  `lead_custom_fields`. created_by is who entered it (a partner sees only
  these). closed_at/closed_by/lost_reason are set on conversion or loss.
  touches: JSON list of every intake, first first ({source, at (ISO), channel,
  campaign, created_by, contact_name, phone}); NULL on rows stored before
  touches were kept (their source and created_at are the one touch).
  coordinates_source: "typed", "district" or "city" (a division's centroid,
  approximate), "" without coordinates.
  partner_org_id/partner_name: the distributor whose approved registration
  (registration_id) protects the customer until protected_until, "" when none
  (cleared when the protection lapses; registration_id is kept as history).
`reps` — rep profiles, key (tenant_id, rep_id = the user id): team,
  manager_id, region (销售员所在地: a district or city name), native_place
  (籍贯), languages/industries (JSON lists), seniority
  ("junior" | "senior" | "key_account"), capacity (max open leads),
  daily_claim_limit, leave (JSON list of {"start": "YYYY-MM-DD", "end": ...},
  inclusive, Asia/Shanghai dates), active. A rep's open leads are not stored:
  count leads with owner_id = rep_id and status = "open"
  (LeadRepository.open_leads_by_rep).
`rep_outcomes` — converted/lost counts per rep and segment, written when a
  lead the rep owns converts or is lost: segment_kind "all" (segment ""),
  "source" (a source tag) or "industry" (an industry tag).
`lead_custom_fields` — a tenant's own lead fields: name, field_type
  ("number" | "text" | "tags").
`lead_imports` — one row per CSV/Excel import with its per-row report.
`rule_versions` — every saved route list (kind "routes", body a JSON list of
  routes) or scoring formula (kind "formula", body {"formula": text}); versions
  count from 1 per tenant and kind and are never changed.
`active_rules` — the version of each kind a tenant routes with now.
`rule_audit` — who saved or activated which version, when.
`lead_routes` — the route each open lead took at the last re-rank.
`pool_scores` — the best candidates per open lead at the last re-rank
  (position 0 = best), replaced per re-rank of that lead.
`pool_pushes` — (lead, rep) pairs already told about a high match: once only.
`assignments` — every assignment of a lead to a rep with its explanation
  (JSON) and first-touch deadline; ended_at/end_reason ("released",
  "reclaimed", "converted", "reassigned") once it is over. A lead has at most
  one assignment with ended_at NULL.
`cooldowns` — a rep may not claim or be given a lead again before `until`.
`rep_wins` — customers a rep won (from opportunity.closed), with location.
`owner_changes` — every change of a lead's owner: change ("claim", "manager",
  "auto", "reroute", "release", "reclaim", "intake", "convert"), who, the
  owners before and after (NULL = the pool), the assignment it made (if any),
  the reason (release, reclaim) and details {score, rank, candidates, summary}.
  The explanation of a lead is its latest row.
"""

import sqlalchemy as sa

metadata = sa.MetaData()

leads = sa.Table(
    "leads",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("company_name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18)),
    sa.Column("contact_name", sa.String(100), nullable=False),
    sa.Column("phone", sa.String(32)),
    sa.Column("source", sa.String(50), nullable=False),
    sa.Column("province", sa.String(50), nullable=False),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("budget_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("owner_id", sa.String(64)),
    sa.Column("opportunity_name", sa.String(200)),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("address", sa.String(500), nullable=False, server_default=""),
    sa.Column("adcode", sa.String(12), nullable=False, server_default=""),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("industry_tags", sa.JSON, nullable=False),
    sa.Column("annual_revenue_minor", sa.BigInteger),
    sa.Column("purchases_6m_minor", sa.BigInteger),
    sa.Column("orders_3m", sa.Integer),
    sa.Column("budget_attribution", sa.String(100), nullable=False, server_default=""),
    sa.Column("content_preference", sa.String(100), nullable=False, server_default=""),
    sa.Column("custom_fields", sa.JSON, nullable=False),
    sa.Column("lost_reason", sa.String(500)),
    sa.Column("closed_by", sa.String(64)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("touches", sa.JSON),
    sa.Column("coordinates_source", sa.String(10), nullable=False, server_default=""),
    sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("partner_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("registration_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("protected_until", sa.DateTime(timezone=True)),
    # A partner lists their distributor's leads.
    sa.Index("ix_leads_partner", "tenant_id", "partner_org_id"),
)

# A tenant's protection terms (domain.protection.ProtectionTerms), written by
# protection_repository: days an approved registration protects its customer,
# the most days one extension may ask; no row = the defaults (90, 30).
protection_terms = sa.Table(
    "protection_terms",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("protection_days", sa.Integer, nullable=False),
    sa.Column("max_extension_days", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# A partner's requests to extend a registration's protection
# (domain.protection.Extension), written by protection_repository: status
# submitting (approval not asked yet) | pending | approved | rejected.
registration_extensions = sa.Table(
    "registration_extensions",
    metadata,
    sa.Column("extension_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("registration_id", sa.String(36), nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("decision_comment", sa.String(2000), nullable=False, server_default=""),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Index("ix_registration_extensions_registration", "tenant_id", "registration_id"),
    sa.Index("ix_registration_extensions_approval", "tenant_id", "approval_id"),
    sa.Index("ix_registration_extensions_status", "status", "requested_at"),
)

# Which leads of a city hold each character bigram of their normalised name
# (domain.duplicates.indexed_grams), so the similar-name test reads only the
# leads sharing enough of a new name's bigrams, not the whole city. The key
# order serves that lookup and holds the answer (no table read).
lead_name_grams = sa.Table(
    "lead_name_grams",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("city", sa.String(50), primary_key=True),
    sa.Column("kind", sa.String(1), primary_key=True),
    sa.Column("gram", sa.String(2), primary_key=True),
    sa.Column("lead_id", sa.String(36), primary_key=True),
)

lead_custom_fields = sa.Table(
    "lead_custom_fields",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(30), primary_key=True),
    sa.Column("field_type", sa.String(10), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

lead_imports = sa.Table(
    "lead_imports",
    metadata,
    sa.Column("import_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("merged", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
)

reps = sa.Table(
    "reps",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("team", sa.String(100), nullable=False, server_default=""),
    sa.Column("manager_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("region", sa.String(50), nullable=False, server_default=""),
    sa.Column("native_place", sa.String(50), nullable=False, server_default=""),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("industries", sa.JSON, nullable=False),
    sa.Column("seniority", sa.String(20), nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("daily_claim_limit", sa.Integer, nullable=False),
    sa.Column("leave", sa.JSON, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

rep_outcomes = sa.Table(
    "rep_outcomes",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("segment_kind", sa.String(10), primary_key=True),
    sa.Column("segment", sa.String(100), primary_key=True),
    sa.Column("converted", sa.Integer, nullable=False, server_default="0"),
    sa.Column("lost", sa.Integer, nullable=False, server_default="0"),
)


rule_versions = sa.Table(
    "rule_versions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("comment", sa.String(500), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

active_rules = sa.Table(
    "active_rules",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("activated_by", sa.String(64), nullable=False),
    sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
)

rule_audit = sa.Table(
    "rule_audit",
    metadata,
    sa.Column("audit_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

lead_routes = sa.Table(
    "lead_routes",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("route_id", sa.String(64), nullable=False),
    sa.Column("route_name", sa.String(100), nullable=False),
    sa.Column("to_pool", sa.Boolean, nullable=False),
    sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
)

pool_scores = sa.Table(
    "pool_scores",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
)

pool_pushes = sa.Table(
    "pool_pushes",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("assignment_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36), nullable=False),
    sa.Column("rep_id", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(10), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("route_id", sa.String(64), nullable=False),
    sa.Column("route_name", sa.String(100), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("explanation", sa.JSON, nullable=False),
    sa.Column("cooldown_hours", sa.Float, nullable=False),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("first_touch_due", sa.DateTime(timezone=True), nullable=False),
    sa.Column("first_touched_at", sa.DateTime(timezone=True)),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    sa.Column("end_reason", sa.String(20)),
)

cooldowns = sa.Table(
    "cooldowns",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("until", sa.DateTime(timezone=True), nullable=False),
)

rep_wins = sa.Table(
    "rep_wins",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("rep_id", sa.String(64), nullable=False),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("won_at", sa.DateTime(timezone=True), nullable=False),
)

# A whole-tenant re-rank asked for (a rule activated, a rep profile changed) and
# not yet done; the request id changes with every new ask, so a re-rank that
# started before it does not clear it.
rerank_requests = sa.Table(
    "rerank_requests",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("request_id", sa.String(36), nullable=False),
    sa.Column("reason", sa.String(50), nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
)

owner_changes = sa.Table(
    "owner_changes",
    metadata,
    sa.Column("change_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("change", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("previous_owner_id", sa.String(64)),
    sa.Column("owner_id", sa.String(64)),
    sa.Column("assignment_id", sa.String(36)),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Index("ix_owner_changes_lead", "tenant_id", "lead_id", "at"),
)

# Deal registrations (报备) of distributors, written by registration_repository:
# the end customer and the expected deal (expected_amount integer 分), status
# (domain.registration.STATUSES) and the outcome the partner was told, the
# conflicts found on submit (JSON list of {kind, matched_by, object_id,
# detail}; the manufacturer's view only), the approval, the public decision
# comment, and the protection window once approved. version: optimistic lock.
registrations = sa.Table(
    "registrations",
    metadata,
    sa.Column("registration_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Column("registered_by", sa.String(64), nullable=False),
    sa.Column("company_name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False),
    sa.Column("phone", sa.String(32), nullable=False),
    sa.Column("province", sa.String(50), nullable=False),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("industry", sa.String(100), nullable=False),
    sa.Column("contact_name", sa.String(100), nullable=False),
    sa.Column("contact_phone", sa.String(32), nullable=False),
    sa.Column("product_line", sa.String(100), nullable=False),
    sa.Column("models", sa.JSON, nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("expected_amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("expected_close_date", sa.Date),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("conflicts", sa.JSON, nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("decision", sa.String(20), nullable=False, server_default=""),
    sa.Column("decision_comment", sa.String(1000), nullable=False, server_default=""),
    sa.Column("lead_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("protected_from", sa.DateTime(timezone=True)),
    sa.Column("protected_until", sa.DateTime(timezone=True)),
    sa.Column("extension_approval_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("extensions", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reminders_sent", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # The conflict check reads a tenant's registrations by credit code, phone and city.
    sa.Index("ix_registrations_code", "tenant_id", "credit_code"),
    sa.Index("ix_registrations_phone", "tenant_id", "phone"),
    sa.Index("ix_registrations_city", "tenant_id", "city"),
    sa.Index("ix_registrations_distributor", "tenant_id", "distributor_id", "created_at"),
    sa.Index("ix_registrations_status", "tenant_id", "status"),
)

# 撞单: two distributors' registrations of one customer inside the check window,
# for the channel manager (domain.registration.Clash); status open | decided.
registration_clashes = sa.Table(
    "registration_clashes",
    metadata,
    sa.Column("clash_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("first_registration_id", sa.String(36), nullable=False),
    sa.Column("second_registration_id", sa.String(36), nullable=False),
    sa.Column("first_distributor_id", sa.String(64), nullable=False),
    sa.Column("second_distributor_id", sa.String(64), nullable=False),
    sa.Column("matched_by", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("winner_registration_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("decided_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("comment", sa.String(1000), nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_registration_clashes_status", "tenant_id", "status", "created_at"),
)

# A tenant's terms of registration (domain.registration.RegistrationTerms): the
# check window in days; no row: the default.
registration_terms = sa.Table(
    "registration_terms",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("check_window_days", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Distributor organisations of the partner portal (distributor_repository):
# territory is a JSON object {provinces, cities, industries, accounts} of lists
# of text; contract_starts/contract_ends Asia/Shanghai dates (NULL: open);
# version counts saves (an update names the one it read). `distributor_users`
# holds each partner user of a distributor, one row per user and tenant: a user
# belongs to one distributor, the key says so even under concurrent saves.
distributors = sa.Table(
    "distributors",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("distributor_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False, server_default=""),
    sa.Column("territory", sa.JSON, nullable=False),
    sa.Column("tier", sa.String(20), nullable=False),
    sa.Column("contract_starts", sa.Date),
    sa.Column("contract_ends", sa.Date),
    sa.Column("channel_manager_id", sa.String(64), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

distributor_users = sa.Table(
    "distributor_users",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Index("ix_distributor_users_distributor", "tenant_id", "distributor_id"),
)

# Promotion programmes (promotion_repository): terms as columns (dates are
# Asia/Shanghai, inclusive; product_lines a JSON list of text; benefit
# "discount" with discount_percent or "support" with support_amount_minor 分),
# status draft | published | closed; version counts saves.
promotion_programmes = sa.Table(
    "promotion_programmes",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("conditions", sa.Text, nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("product_lines", sa.JSON, nullable=False),
    sa.Column("benefit", sa.String(20), nullable=False),
    sa.Column("discount_percent", sa.Integer, nullable=False),
    sa.Column("support_amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_promotion_programmes_status", "tenant_id", "status", "created_at"),
)

# A distributor's application for a programme (promotion_repository): for a
# registration (registration_id) or a period (period_starts_on/_ends_on, NULL
# for a registration's); amount asked in 分; status submitted | approved |
# rejected; approval_id the approval request deciding it ("" until submitted
# there); decision and decision_comment (the public comment only).
promotion_applications = sa.Table(
    "promotion_applications",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("application_id", sa.String(36), primary_key=True),
    sa.Column("programme_id", sa.String(36), nullable=False),
    sa.Column("programme_name", sa.String(200), nullable=False),
    sa.Column("distributor_id", sa.String(64), nullable=False),
    sa.Column("applicant_id", sa.String(64), nullable=False),
    sa.Column("registration_id", sa.String(36), nullable=False),
    sa.Column("period_starts_on", sa.Date),
    sa.Column("period_ends_on", sa.Date),
    sa.Column("amount_asked_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("decision_comment", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_promotion_applications_distributor", "tenant_id", "distributor_id", "created_at"),
    sa.Index("ix_promotion_applications_programme", "tenant_id", "programme_id", "distributor_id"),
    sa.Index("ix_promotion_applications_created", "tenant_id", "created_at"),
)
