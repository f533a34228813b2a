"""extracted text and the knowledge base

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_texts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("extractor_version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("scanned", sa.Boolean, nullable=False),
        sa.Column("truncated", sa.Boolean, nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "knowledge_entries",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("doc_type", sa.String(100), nullable=False),
        sa.Column("version_id", sa.String(36), nullable=False),
        sa.Column("version_number", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("tagged_by", sa.String(64), nullable=False),
        sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scanned", sa.Boolean, nullable=False),
        sa.Column("length", sa.Integer, nullable=False),
    )
    op.create_table(
        "knowledge_tags",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("value", sa.String(50), primary_key=True),
    )
    # A recommendation looks entries up by tag.
    op.create_index("ix_knowledge_tags_value", "knowledge_tags", ["tenant_id", "kind", "value"])
    op.create_table(
        "knowledge_terms",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(36), primary_key=True),
        sa.Column("term", sa.String(30), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    # The inverted index: a query's words -> the entries holding them.
    op.create_index("ix_knowledge_terms_term", "knowledge_terms", ["tenant_id", "term"])


def downgrade() -> None:
    op.drop_table("knowledge_terms")
    op.drop_table("knowledge_tags")
    op.drop_table("knowledge_entries")
    op.drop_table("document_texts")
