"""intent tool pack sweep

a high-intent episode's tool-pack notification is sent by a sweep after the
episode's commit: notified_at marks it sent (NULL: still to send)

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("high_intents") as batch:
        batch.add_column(sa.Column("notified_at", sa.DateTime(timezone=True)))
    # Episodes entered before the sweep existed were notified as they entered.
    op.execute("UPDATE high_intents SET notified_at = entered_at")
    op.create_index(
        "ix_high_intents_unnotified",
        "high_intents",
        ["entered_at"],
        postgresql_where=sa.text("notified_at IS NULL"),
        sqlite_where=sa.text("notified_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_high_intents_unnotified", "high_intents")
    with op.batch_alter_table("high_intents") as batch:
        batch.drop_column("notified_at")
