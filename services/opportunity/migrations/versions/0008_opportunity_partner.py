"""the distributor an opportunity came through

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opportunities") as batch:
        batch.add_column(sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("registration_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("partner_name", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("opportunities") as batch:
        batch.drop_column("partner_name")
        batch.drop_column("registration_id")
        batch.drop_column("partner_org_id")
