"""match confirm: a match's receipts and write-offs, confident and confirmed-by-a-run flags, who confirmed

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
    with op.batch_alter_table("matches") as batch:
        batch.drop_column("receipt_id")  # never written: a match has one receipt per allocation (receipt_ids)
        batch.add_column(sa.Column("confident", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("receipt_ids", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("write_offs", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("auto", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("confirmed_by", sa.String(64)))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("matches") as batch:
        for column in ("confirmed_at", "confirmed_by", "auto", "write_offs", "receipt_ids", "confident"):
            batch.drop_column(column)
        batch.add_column(sa.Column("receipt_id", sa.String(36), nullable=False, server_default=""))
