"""0009: imported conversations (conversation_repository): where each came
from, a call's whole text, a contact's 企业微信 id."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

# Where an imported activity came from: (tenant, source, source id) names one message or call, so the same
# export imported twice adds nothing (adapters/conversation_repository.py).
conversation_sources = sa.Table(
    "conversation_sources",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("source", sa.String(20), primary_key=True),
    sa.Column("source_id", sa.String(200), primary_key=True),
    sa.Column("activity_id", sa.String(36), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
)

# A call transcript's whole text (the activity's summary holds its extractive summary and the sha256).
conversation_texts = sa.Table(
    "conversation_texts",
    metadata,
    sa.Column("activity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
)

# A contact's 企业微信 external id (not a Contact field: its versions are data).
contact_channels = sa.Table(
    "contact_channels",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("external_id", sa.String(200), primary_key=True),
    sa.Column("contact_id", sa.String(36), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_contact_channels_contact", "tenant_id", "contact_id"),
)
