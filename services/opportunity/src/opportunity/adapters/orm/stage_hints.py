"""0010: stage hints and their settings (stage_hint_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# A stage a tagged activity suggests for its opportunity (domain/stage_hint.py);
# one per activity and stage, so a redelivered activity.tagged adds nothing.
stage_hints = sa.Table(
    "stage_hints",
    metadata,
    sa.Column("hint_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("activity_id", sa.String(36), nullable=False),
    sa.Column("tag", sa.String(50), nullable=False),
    sa.Column("suggested_stage", sa.String(50), nullable=False),
    sa.Column("words", sa.JSON, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("unmet", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decided_by", sa.String(64), nullable=False),
    # Made under auto_move: the system's gated move is still to be tried.
    sa.Column("auto_pending", sa.Boolean, nullable=False),
    sa.UniqueConstraint("tenant_id", "activity_id", "suggested_stage", name="uq_stage_hints_activity_stage"),
    sa.Index("ix_stage_hints_tenant_opportunity", "tenant_id", "opportunity_id"),
    sa.Index("ix_stage_hints_auto_pending", "auto_pending", "created_at"),
)

# The tenant's tag → stage rules and auto_move, one versioned row per tenant.
stage_hint_settings = settings_table("stage_hint_settings", metadata)
