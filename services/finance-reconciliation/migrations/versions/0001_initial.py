"""opportunity projection and payments, plus the platform tables (outbox, inbox, leases)

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

from crm_shared.db import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op.get_bind())
    op.create_table(
        "opportunities",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("opportunity_id", sa.String(36), primary_key=True),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False, server_default="CNY"),
    )
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.String(36), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("payer_name", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "reference", name="uq_payments_tenant_reference"),
    )
    op.create_index("ix_payments_tenant_opportunity", "payments", ["tenant_id", "opportunity_id", "paid_at"])


def downgrade() -> None:
    op.drop_table("payments")
    op.drop_table("opportunities")
    drop_platform_tables(op.get_bind())
