"""win model

win probability models per tenant, model probabilities on opportunities and the forecast

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "win_models",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("trained_by", sa.String(64), nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "win_scores",
        sa.Column("opportunity_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("model_version", sa.Integer),
        sa.Column("model_probability", sa.Integer),
        sa.Column("manual_probability", sa.Integer),
        sa.Column("manual_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("manual_at", sa.DateTime(timezone=True)),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_win_scores_tenant", "win_scores", ["tenant_id"])
    op.create_table(
        "win_model_settings",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("win_model_settings")
    op.drop_index("ix_win_scores_tenant", table_name="win_scores")
    op.drop_table("win_scores")
    op.drop_table("win_models")
