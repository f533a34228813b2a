"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18)),
    sa.Column("phone", sa.String(32)),
    sa.Column("province", sa.String(50), nullable=False),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "credit_code", name="uq_customers_tenant_credit_code"),
)

opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(50), nullable=False),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "lead_id", name="uq_opportunities_tenant_lead"),
)

approval_decisions = sa.Table(
    "approval_decisions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("approval_id", sa.String(36), primary_key=True),
    sa.Column(
        "opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False
    ),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)
