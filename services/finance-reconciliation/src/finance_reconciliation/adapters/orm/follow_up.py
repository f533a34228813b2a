"""Overdue follow-up and reminders (F4)."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

# Overdue follow-up and reminders (F4): the key makes each action once.
follow_up_actions = sa.Table(
    "follow_up_actions",
    metadata,
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
    # The instalment's owner (the account manager): whose follow-ups a rep or manager sees.
    sa.Column("owner_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("done_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("done_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.String(1000), nullable=False, server_default=""),
    sa.Index("ix_follow_up_assignee", "tenant_id", "assignee", "status"),
    sa.Index("ix_follow_up_owner", "tenant_id", "owner_id", "status"),
)
