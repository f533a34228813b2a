"""0017: process health (PHI), the KPI views' call durations and the rep
profile (process_health_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# When a customer master field (domain/indexes/phi.MASTER_FIELDS) was written, and by whom: one row
# per write (信息新鲜度 for a past month reads the writes up to that month's end). Beside the customer,
# never on the activity chain.
customer_field_updates = sa.Table(
    "customer_field_updates",
    metadata,
    sa.Column("update_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("field", sa.String(30), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Index("ix_customer_field_updates_tenant_customer_at", "tenant_id", "customer_id", "updated_at"),
)

# A call's duration, beside the hash chain (keyed by the call activity).
call_durations = sa.Table(
    "call_durations",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("duration_seconds", sa.Integer, nullable=False),
    sa.Index("ix_call_durations_tenant_actor_at", "tenant_id", "actor_id", "occurred_at"),
)

# Cross-department tasks on an opportunity: an approval (approval.requested → approval.decided); the
# ECN confirmation tasks are read from tasks. finished_at NULL: still pending.
collab_tasks = sa.Table(
    "collab_tasks",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("opportunity_id", sa.String(36), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Index("ix_collab_tasks_tenant_finished", "tenant_id", "finished_at"),
    # A rep's opportunities' tasks finished in a month (PHI's 协同响应比 per event; migration 0021).
    sa.Index("ix_collab_tasks_opportunity", "tenant_id", "opportunity_id", "finished_at"),
)

# A rep's PHI of a month (the current one recomputed on events and by the sweep), for trends.
phi_monthly = sa.Table(
    "phi_monthly",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("composite_bp", sa.Integer),
    sa.Column("indicators", sa.JSON, nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
)

# A rep's 销售能力画像 of a month (domain/indexes/rep_profile.py), as data.
rep_profiles = sa.Table(
    "rep_profiles",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
)

# Thresholds, weights, the baseline hours, the visit target and the effective call length.
process_health_settings = settings_table("process_health_settings", metadata)
