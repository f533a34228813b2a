"""lead fields (address, coordinates, tags, revenue, purchases, custom fields), imports, rep profiles and outcomes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

def _lead_columns() -> list[sa.Column]:
    return [
        sa.Column("address", sa.String(500), nullable=False, server_default=""),
        sa.Column("adcode", sa.String(12), nullable=False, server_default=""),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("industry_tags", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("annual_revenue_minor", sa.BigInteger, nullable=True),
        sa.Column("purchases_6m_minor", sa.BigInteger, nullable=True),
        sa.Column("orders_3m", sa.Integer, nullable=True),
        sa.Column("budget_attribution", sa.String(100), nullable=False, server_default=""),
        sa.Column("content_preference", sa.String(100), nullable=False, server_default=""),
        sa.Column("custom_fields", sa.JSON, nullable=False, server_default="{}"),
        sa.Column("lost_reason", sa.String(500), nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        for column in _lead_columns():
            batch.add_column(column)
    op.create_index("ix_leads_tenant_owner_status", "leads", ["tenant_id", "owner_id", "status"])
    op.create_index("ix_leads_tenant_city", "leads", ["tenant_id", "city"])

    op.create_table(
        "lead_custom_fields",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(30), primary_key=True),
        sa.Column("field_type", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "lead_imports",
        sa.Column("import_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("merged", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
    )
    op.create_index("ix_lead_imports_tenant", "lead_imports", ["tenant_id", "created_at"])
    op.create_table(
        "reps",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("team", sa.String(100), nullable=False, server_default=""),
        sa.Column("manager_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("region", sa.String(50), nullable=False, server_default=""),
        sa.Column("native_place", sa.String(50), nullable=False, server_default=""),
        sa.Column("languages", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("industries", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("seniority", sa.String(20), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("daily_claim_limit", sa.Integer, nullable=False),
        sa.Column("leave", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reps_tenant_manager", "reps", ["tenant_id", "manager_id"])
    op.create_table(
        "rep_outcomes",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("segment_kind", sa.String(10), primary_key=True),
        sa.Column("segment", sa.String(100), primary_key=True),
        sa.Column("converted", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lost", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("rep_outcomes")
    op.drop_table("reps")
    op.drop_table("lead_imports")
    op.drop_table("lead_custom_fields")
    op.drop_index("ix_leads_tenant_city", "leads")
    op.drop_index("ix_leads_tenant_owner_status", "leads")
    with op.batch_alter_table("leads") as batch:
        for column in reversed(_lead_columns()):
            batch.drop_column(column.name)
