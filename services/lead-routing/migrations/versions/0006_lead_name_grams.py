"""the character bigrams of each lead's normalised name, per city, for the duplicate test

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_name_grams",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("city", sa.String(50), primary_key=True),
        sa.Column("kind", sa.String(1), primary_key=True),
        sa.Column("gram", sa.String(8), primary_key=True),
        sa.Column("lead_id", sa.String(36), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("lead_name_grams")
