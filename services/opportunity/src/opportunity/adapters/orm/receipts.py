"""Finance's receipts as counted here (receipt_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

# 0006: finance's receipts as counted towards a customer's purchase total
# (domain/receipt.py), one row per receipt.
counted_receipts = sa.Table(
    "counted_receipts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("receipt_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36)),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("counted", sa.Boolean, nullable=False),
    sa.Column("reversed", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # 0018: the receipt's day (finance's paid_on), the customer value tier's purchase date
    sa.Column("paid_on", sa.Date),
    sa.Index("ix_counted_receipts_customer", "tenant_id", "customer_id"),
)
