"""overdue follow-up, reminders and per-customer payment figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per follow-up action (legal task, account manager task, manager
    # notice, reminder per lead); the primary key is the action's stable key,
    # so the job inserting it twice is a no-op.
    op.create_table(
        "follow_up_actions",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("action_key", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("instalment_id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("assignee", sa.String(64), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("outstanding_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),  # open | done | skipped
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_follow_up_assignee", "follow_up_actions", ["tenant_id", "assignee", "status"])


def downgrade() -> None:
    op.drop_index("ix_follow_up_assignee", table_name="follow_up_actions")
    op.drop_table("follow_up_actions")
