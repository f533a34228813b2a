"""distributor organisations of the partner portal

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "distributors",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("distributor_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False, server_default=""),
        sa.Column("territory", sa.JSON, nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("contract_starts", sa.Date),
        sa.Column("contract_ends", sa.Date),
        sa.Column("channel_manager_id", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "distributor_users",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("distributor_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_distributor_users_distributor", "distributor_users", ["tenant_id", "distributor_id"])


def downgrade() -> None:
    op.drop_index("ix_distributor_users_distributor", "distributor_users")
    op.drop_table("distributor_users")
    op.drop_table("distributors")
