"""counted receipts

The purchase total is kept from finance's receipts (payment.receipt_recorded /
payment.receipt_reversed) instead of payment.recorded; one row per receipt
says whether it was counted and whether it was reversed, so a release that
announces a receipt again, a redelivery or a reversal counts exactly once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counted_receipts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("receipt_id", sa.String(64), primary_key=True),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36)),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("counted", sa.Boolean, nullable=False),
        sa.Column("reversed", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("counted_receipts")
