"""0009: tags (activity_analyses by analysis_repository, tagging_settings by
tagging_settings_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# One analysis per activity (tags with their words, summary, keywords), written by the analysis repository only.
activity_analyses = sa.Table(
    "activity_analyses",
    metadata,
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("keywords", sa.JSON, nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_activity_analyses_customer", "tenant_id", "customer_id", "occurred_at"),
    sa.Index("ix_activity_analyses_opportunity", "tenant_id", "opportunity_id", "occurred_at"),
)

# The tenant's keyword groups, dictionary and required tags, one versioned row per tenant.
tagging_settings = settings_table("tagging_settings", metadata)
