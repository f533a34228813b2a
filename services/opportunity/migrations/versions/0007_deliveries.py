"""deliveries

Delivery and acceptance of a contract's goods as sales records them on the
opportunity (domain/delivery.py), announced as opportunity.delivery_recorded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("delivery_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("happened_on", sa.Date, nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_deliveries_tenant_opportunity", "deliveries", ["tenant_id", "opportunity_id"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_tenant_opportunity", "deliveries")
    op.drop_table("deliveries")
