"""Table definitions (the migrations create them; repositories query them).

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
