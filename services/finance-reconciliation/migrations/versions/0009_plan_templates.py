"""plan templates by region; statement lines paged by booking day

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_templates",
        sa.Column("template_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "region", name="uq_plan_templates_region"),
    )
    op.create_index("ix_statement_lines_booked", "statement_lines", ["tenant_id", "booked_on", "line_id"])


def downgrade() -> None:
    op.drop_index("ix_statement_lines_booked", table_name="statement_lines")
    op.drop_table("plan_templates")
