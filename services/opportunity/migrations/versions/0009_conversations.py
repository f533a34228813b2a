"""conversations

conversations and tags: chat/transcript sources, per-activity tags and summaries, tagging settings (issue: signals; filled by the conversations work)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_sources",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(20), primary_key=True),
        sa.Column("source_id", sa.String(200), primary_key=True),
        sa.Column("activity_id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "conversation_texts",
        sa.Column("activity_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "contact_channels",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("external_id", sa.String(200), primary_key=True),
        sa.Column("contact_id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_contact_channels_contact", "contact_channels", ["tenant_id", "contact_id"])
    op.create_table(
        "activity_analyses",
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
    )
    op.create_index("ix_activity_analyses_customer", "activity_analyses", ["tenant_id", "customer_id", "occurred_at"])
    op.create_index(
        "ix_activity_analyses_opportunity", "activity_analyses", ["tenant_id", "opportunity_id", "occurred_at"]
    )
    op.create_table(
        "tagging_settings",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tagging_settings")
    op.drop_index("ix_activity_analyses_opportunity", "activity_analyses")
    op.drop_index("ix_activity_analyses_customer", "activity_analyses")
    op.drop_table("activity_analyses")
    op.drop_index("ix_contact_channels_contact", "contact_channels")
    op.drop_table("contact_channels")
    op.drop_table("conversation_texts")
    op.drop_table("conversation_sources")
