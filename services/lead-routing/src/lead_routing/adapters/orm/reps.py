"""Rep profiles and their record, written by rep_repository: reps,
rep_outcomes and rep_wins.

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
`rep_wins` — customers a rep won (from opportunity.closed), with location.
"""

import sqlalchemy as sa

from lead_routing.adapters.orm.base import metadata

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
