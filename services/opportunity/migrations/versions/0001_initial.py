"""customers, opportunities, approval decisions, plus the platform tables (outbox, inbox, leases)

Revision ID: 0001
Revises:
Create Date: 2026-11-23
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
        "customers",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("province", sa.String(50), nullable=False, server_default=""),
        sa.Column("city", sa.String(50), nullable=False, server_default=""),
        sa.Column("district", sa.String(50), nullable=False, server_default=""),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        # NULL codes (customer not yet identified) do not collide.
        sa.UniqueConstraint("tenant_id", "credit_code", name="uq_customers_tenant_credit_code"),
    )
    op.create_index("ix_customers_tenant_phone", "customers", ["tenant_id", "phone"])
    op.create_table(
        "opportunities",
        sa.Column("opportunity_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(50), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False, server_default="CNY"),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("lead_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        # One opportunity per converted lead, whatever the consumers race.
        sa.UniqueConstraint("tenant_id", "lead_id", name="uq_opportunities_tenant_lead"),
    )
    op.create_index("ix_opportunities_tenant_created", "opportunities", ["tenant_id", "created_at", "opportunity_id"])
    op.create_index("ix_opportunities_tenant_owner", "opportunities", ["tenant_id", "owner_id", "created_at"])
    op.create_index("ix_opportunities_customer", "opportunities", ["customer_id"])
    op.create_table(
        "approval_decisions",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("approval_id", sa.String(36), primary_key=True),
        sa.Column(
            "opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False
        ),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_approval_decisions_opportunity", "approval_decisions", ["opportunity_id", "decided_at"])


def downgrade() -> None:
    op.drop_table("approval_decisions")
    op.drop_table("opportunities")
    op.drop_table("customers")
    drop_platform_tables(op.get_bind())
