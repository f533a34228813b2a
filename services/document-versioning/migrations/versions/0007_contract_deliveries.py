"""contracts' delivery and acceptance (what an ECN tells delivered orders by)

The latest delivery and acceptance record of each contract, as the
opportunity announced them (opportunity.delivery_recorded); an ECN lists an
order whose contract's goods are delivered as a retrofit notice instead of
asking its owner to confirm. Filled from the events as they are consumed
(the durable consumer starts at the stream's first event).

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
        "contract_deliveries",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("contract_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("happened_on", sa.Date, nullable=False),
        sa.Column("delivery_id", sa.String(64), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("contract_deliveries")
