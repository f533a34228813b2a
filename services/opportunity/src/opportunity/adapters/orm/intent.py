"""0011: intent signals, high-intent episodes and their settings
(intent_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# A signal an activity gave (domain/intent.py); one row per activity and signal, so a redelivered
# activity.tagged adds nothing.
intent_hits = sa.Table(
    "intent_hits",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("signal", sa.String(50), primary_key=True),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(36), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_intent_hits_tenant_customer_at", "tenant_id", "customer_id", "occurred_at"),
)

# A high-intent episode of a customer and its open opportunity ("" when none), with the tool pack
# sent and the proposal countdown (state running|met|overdue); one per customer and opportunity.
high_intents = sa.Table(
    "high_intents",
    metadata,
    sa.Column("intent_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(36), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("signals", sa.JSON, nullable=False),
    sa.Column("tool_pack", sa.JSON, nullable=False),
    sa.Column("proposal_due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("proposal_state", sa.String(10), nullable=False),
    sa.Column("proposal_at", sa.DateTime(timezone=True)),
    sa.Column("reminded_at", sa.DateTime(timezone=True)),
    # 0014: when the rep was sent the tool pack; NULL: the tool-pack sweep's to send.
    sa.Column("notified_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("tenant_id", "customer_id", "opportunity_id", name="uq_high_intents_customer_opportunity"),
    sa.Index("ix_high_intents_state_due", "proposal_state", "proposal_due_at"),
    sa.Index(
        "ix_high_intents_unnotified",
        "entered_at",
        postgresql_where=sa.text("notified_at IS NULL"),
        sqlite_where=sa.text("notified_at IS NULL"),
    ),
)

# The tenant's signals, high-intent rule and countdown, one versioned row per tenant.
intent_settings = settings_table("intent_settings", metadata)
