"""matching rules, matches and suggestions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_rules",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("rule_id", sa.String(36), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("pattern", sa.String(200), nullable=False),
        sa.Column("min_name_score", sa.Float, nullable=False),
        sa.Column("window_days", sa.Integer, nullable=False),
        sa.Column("tolerance", sa.JSON, nullable=False),
        sa.Column("auto_score", sa.Float, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "matches",
        sa.Column("match_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("line_id", sa.String(36), nullable=False),
        sa.Column("allocations", sa.JSON, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("rule_id", sa.String(36), nullable=False),
        sa.Column("rule_kind", sa.String(20), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("receipt_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_matches_tenant_status", "matches", ["tenant_id", "status", "at"])
    op.create_index("ix_matches_tenant_line", "matches", ["tenant_id", "line_id"])


def downgrade() -> None:
    op.drop_table("matches")
    op.drop_table("match_rules")
