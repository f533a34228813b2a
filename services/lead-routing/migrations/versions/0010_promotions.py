"""promotion programmes and distributors' applications

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotion_programmes",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("conditions", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("product_lines", sa.JSON, nullable=False),
        sa.Column("benefit", sa.String(20), nullable=False),
        sa.Column("discount_percent", sa.Integer, nullable=False),
        sa.Column("support_amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_promotion_programmes_status", "promotion_programmes", ["tenant_id", "status", "created_at"])
    op.create_table(
        "promotion_applications",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("application_id", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("programme_name", sa.String(200), nullable=False),
        sa.Column("distributor_id", sa.String(64), nullable=False),
        sa.Column("applicant_id", sa.String(64), nullable=False),
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("period_starts_on", sa.Date),
        sa.Column("period_ends_on", sa.Date),
        sa.Column("amount_asked_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("approval_id", sa.String(36), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("decision_comment", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_promotion_applications_distributor",
        "promotion_applications",
        ["tenant_id", "distributor_id", "created_at"],
    )
    op.create_index(
        "ix_promotion_applications_programme",
        "promotion_applications",
        ["tenant_id", "programme_id", "distributor_id"],
    )
    op.create_index("ix_promotion_applications_created", "promotion_applications", ["tenant_id", "created_at"])


def downgrade() -> None:
    op.drop_table("promotion_applications")
    op.drop_table("promotion_programmes")
