"""stage_hints

stage hints from tags and their settings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_hints",
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
    )
    op.create_index("ix_stage_hints_tenant_opportunity", "stage_hints", ["tenant_id", "opportunity_id"])
    op.create_index("ix_stage_hints_auto_pending", "stage_hints", ["auto_pending", "created_at"])
    op.create_table(
        "stage_hint_settings",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stage_hint_settings")
    op.drop_index("ix_stage_hints_auto_pending", "stage_hints")
    op.drop_index("ix_stage_hints_tenant_opportunity", "stage_hints")
    op.drop_table("stage_hints")
