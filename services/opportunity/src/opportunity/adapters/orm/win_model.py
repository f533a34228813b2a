"""0019: the win model (win_model_repository): each trained model per tenant as data (its
parameters and its calibration report, never a pickle), each opportunity's model probability and
rating beside a manager's manual probability (kept apart: retraining never touches it), and the
tenant's rating thresholds and half-life (versioned settings row)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

win_models = sa.Table(
    "win_models",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
    sa.Column("trained_by", sa.String(64), nullable=False),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
)

# One row per opportunity scored or given a manual probability.
win_scores = sa.Table(
    "win_scores",
    metadata,
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("model_version", sa.Integer),
    sa.Column("model_probability", sa.Integer),
    sa.Column("manual_probability", sa.Integer),
    sa.Column("manual_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("manual_at", sa.DateTime(timezone=True)),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_win_scores_tenant", "tenant_id"),
)

win_model_settings = settings_table("win_model_settings", metadata)
