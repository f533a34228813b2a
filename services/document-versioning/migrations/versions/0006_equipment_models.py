"""equipment models by version (what an ECN is matched against)

Which versions' equipment lists name a model (domain/ecn.py model_key), with
the opportunity the version's document is filed under, so publishing an ECN
finds its candidate opportunities by the affected models instead of reading
every equipment list of the tenant. Existing versions are indexed here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from document_versioning.domain.ecn import model_key
from document_versioning.domain.fields import fields_from_json

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    table = op.create_table(
        "equipment_models",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("model_key", sa.Text, primary_key=True),
        sa.Column("version_id", sa.String(36), primary_key=True),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_equipment_models_model", "equipment_models", ["tenant_id", "model_key", "opportunity_id"])
    versions = sa.table(
        "document_versions",
        sa.column("version_id", sa.String),
        sa.column("document_id", sa.String),
        sa.column("tenant_id", sa.String),
        sa.column("fields", sa.Text),
    )
    documents = sa.table("documents", sa.column("document_id", sa.String), sa.column("opportunity_id", sa.String))
    rows = op.get_bind().execute(
        sa.select(versions.c.version_id, versions.c.tenant_id, versions.c.fields, documents.c.opportunity_id)
        .join(documents, documents.c.document_id == versions.c.document_id)
        .where(versions.c.fields.is_not(None), documents.c.opportunity_id != "")
    )
    batch: list[dict] = []
    for row in rows:
        fields = fields_from_json(row.fields)
        for key in sorted({model_key(e.model) for e in (fields.equipment if fields else ())}):
            batch.append(
                {
                    "tenant_id": row.tenant_id,
                    "model_key": key,
                    "version_id": row.version_id,
                    "opportunity_id": row.opportunity_id,
                }
            )
        if len(batch) >= BATCH:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)


def downgrade() -> None:
    op.drop_index("ix_equipment_models_model", "equipment_models")
    op.drop_table("equipment_models")
