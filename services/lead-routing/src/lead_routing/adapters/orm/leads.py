"""Leads and what comes in with them, written by lead_repository: leads,
lead_name_grams, lead_custom_fields and lead_imports.

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
  entered_for: the distributor whose partner user typed the lead in (伙伴报备),
  "" for anyone else's; its users list it (with partner_org_id's).
`lead_custom_fields` — a tenant's own lead fields: name, field_type
  ("number" | "text" | "tags").
`lead_imports` — one row per CSV/Excel import with its per-row report.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

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
    sa.Column("entered_for", sa.String(64), nullable=False, server_default=""),
    # A partner lists their distributor's leads.
    sa.Index("ix_leads_partner", "tenant_id", "partner_org_id"),
    sa.Index("ix_leads_entered_for", "tenant_id", "entered_for"),
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
