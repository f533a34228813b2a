"""bank statements, their lines and the tenant's bank export layouts

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_statements",
        sa.Column("statement_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("opening_minor", sa.BigInteger),
        sa.Column("closing_minor", sa.BigInteger),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("period_from", sa.Date),
        sa.Column("period_to", sa.Date),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("held_reason", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_bank_statements_tenant", "bank_statements", ["tenant_id", "imported_at"])
    op.create_table(
        "statement_lines",
        sa.Column("line_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("statement_id", sa.String(36), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("bank_ref", sa.String(100), nullable=False),
        sa.Column("booked_on", sa.Date, nullable=False),
        sa.Column("value_on", sa.Date),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("direction", sa.String(6), nullable=False),
        sa.Column("counterparty_name", sa.String(200), nullable=False),
        sa.Column("counterparty_account", sa.String(64), nullable=False),
        sa.Column("remark", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.UniqueConstraint("tenant_id", "account", "bank_ref", name="uq_statement_lines_ref"),
    )
    op.create_index("ix_statement_lines_statement", "statement_lines", ["tenant_id", "statement_id"])
    op.create_index("ix_statement_lines_status", "statement_lines", ["tenant_id", "status", "booked_on"])
    op.create_table(
        "bank_layouts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("columns", sa.JSON, nullable=False),
        sa.Column("credit_marks", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bank_layouts")
    op.drop_table("statement_lines")
    op.drop_table("bank_statements")
