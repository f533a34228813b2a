"""documents on any subject, tenant document types, version fields, snapshots

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every document so far was on an opportunity.
    op.add_column("documents", sa.Column("subject_type", sa.String(20), nullable=False, server_default="opportunity"))
    op.add_column("documents", sa.Column("subject_id", sa.String(64), nullable=False, server_default=""))
    op.execute("UPDATE documents SET subject_id = opportunity_id")
    op.create_index("ix_documents_tenant_subject", "documents", ["tenant_id", "subject_type", "subject_id", "doc_type"])
    op.add_column("document_versions", sa.Column("change_summary", sa.Text, nullable=False, server_default=""))
    op.add_column("document_versions", sa.Column("parent_version_id", sa.String(36), nullable=False, server_default=""))
    # domain.fields.fields_json: the version's structured fields, NULL for none.
    op.add_column("document_versions", sa.Column("fields", sa.Text, nullable=True))
    op.create_table(
        "document_types",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("carries_fields", sa.Boolean, nullable=False),
        sa.Column("seeded", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "document_snapshots",
        sa.Column("snapshot_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("version_id", sa.String(36), sa.ForeignKey("document_versions.version_id"), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("version_number", sa.Integer, nullable=False),
        sa.Column("doc_type", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # Freezing the same version again for the same opportunity and purpose answers the first.
        sa.UniqueConstraint("tenant_id", "version_id", "opportunity_id", "purpose", name="uq_document_snapshots_once"),
    )
    op.create_index(
        "ix_document_snapshots_opportunity", "document_snapshots", ["tenant_id", "opportunity_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_document_snapshots_opportunity", table_name="document_snapshots")
    op.drop_table("document_snapshots")
    op.drop_table("document_types")
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_column("fields")
        batch.drop_column("parent_version_id")
        batch.drop_column("change_summary")
    op.drop_index("ix_documents_tenant_subject", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("subject_id")
        batch.drop_column("subject_type")
