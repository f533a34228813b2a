"""contract triggers ordered by the record's own time and id

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
    with op.batch_alter_table("contract_triggers") as batch:
        batch.add_column(sa.Column("record_id", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("contract_triggers") as batch:
        batch.drop_column("record_id")
