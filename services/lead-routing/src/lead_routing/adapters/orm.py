"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

leads = sa.Table(
    "leads",
    metadata,
    sa.Column("lead_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("company_name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18)),
    sa.Column("contact_name", sa.String(100), nullable=False),
    sa.Column("phone", sa.String(32)),
    sa.Column("source", sa.String(50), nullable=False),
    sa.Column("province", sa.String(50), nullable=False),
    sa.Column("city", sa.String(50), nullable=False),
    sa.Column("district", sa.String(50), nullable=False),
    sa.Column("budget_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("owner_id", sa.String(64)),
    sa.Column("opportunity_name", sa.String(200)),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
