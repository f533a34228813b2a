"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("document_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("doc_type", sa.String(100), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Content stored once per tenant and sha256, however many versions share it.
# The bytes are in the blob store (adapters/blob_store.py, `store` names it);
# `content` is NULL since migration 0003 moved it out, kept only for its downgrade.
blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=True),
    sa.Column("store", sa.String(20), nullable=False, server_default="filesystem"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
)

document_versions = sa.Table(
    "document_versions",
    metadata,
    sa.Column("version_id", sa.String(36), primary_key=True),
    sa.Column("document_id", sa.String(36), sa.ForeignKey("documents.document_id"), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("version_number", sa.Integer, nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("content_type", sa.String(255), nullable=False),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("document_id", "version_number", name="uq_document_versions_number"),
    sa.ForeignKeyConstraint(["tenant_id", "sha256"], ["blobs.tenant_id", "blobs.sha256"]),
)
