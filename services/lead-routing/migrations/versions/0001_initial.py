"""leads, plus the platform tables (outbox, inbox, leases)

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
        "leads",
        sa.Column("lead_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("company_name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("contact_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("province", sa.String(50), nullable=False, server_default=""),
        sa.Column("city", sa.String(50), nullable=False, server_default=""),
        sa.Column("district", sa.String(50), nullable=False, server_default=""),
        sa.Column("budget_minor", sa.BigInteger, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False, server_default="CNY"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("opportunity_name", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_leads_tenant_status", "leads", ["tenant_id", "status", "created_at"])
    op.create_index("ix_leads_tenant_credit_code", "leads", ["tenant_id", "credit_code"])
    op.create_index("ix_leads_tenant_phone", "leads", ["tenant_id", "phone"])


def downgrade() -> None:
    op.drop_table("leads")
    drop_platform_tables(op.get_bind())
