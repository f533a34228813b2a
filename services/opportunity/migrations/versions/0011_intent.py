"""intent

intent signals, high intent, proposal countdown and their settings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intent_hits",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("activity_id", sa.String(36), primary_key=True),
        sa.Column("signal", sa.String(50), primary_key=True),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("opportunity_id", sa.String(36), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intent_hits_tenant_customer_at", "intent_hits", ["tenant_id", "customer_id", "occurred_at"])
    op.create_table(
        "high_intents",
        sa.Column("intent_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("opportunity_id", sa.String(36), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signals", sa.JSON, nullable=False),
        sa.Column("tool_pack", sa.JSON, nullable=False),
        sa.Column("proposal_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposal_state", sa.String(10), nullable=False),
        sa.Column("proposal_at", sa.DateTime(timezone=True)),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("tenant_id", "customer_id", "opportunity_id", name="uq_high_intents_customer_opportunity"),
    )
    op.create_index("ix_high_intents_state_due", "high_intents", ["proposal_state", "proposal_due_at"])
    op.create_table(
        "intent_settings",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("intent_settings")
    op.drop_index("ix_high_intents_state_due", "high_intents")
    op.drop_table("high_intents")
    op.drop_index("ix_intent_hits_tenant_customer_at", "intent_hits")
    op.drop_table("intent_hits")
