"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

# Projection of the tenant's opportunities, from opportunity.created.
opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("customer_name", sa.String(200), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
)

payments = sa.Table(
    "payments",
    metadata,
    sa.Column("payment_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("payer_name", sa.String(200), nullable=False),
    # NULL when absent: both SQLite and PostgreSQL let NULLs repeat in a unique key.
    sa.Column("reference", sa.String(100)),
    sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "reference", name="uq_payments_tenant_reference"),
    sa.Index("ix_payments_tenant_opportunity", "tenant_id", "opportunity_id", "paid_at"),
)
