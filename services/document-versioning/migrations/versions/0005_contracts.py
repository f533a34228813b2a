"""contracts, signatures and engineering change notices

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
    op.create_table(
        "contracts",
        sa.Column("contract_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_contracts_tenant_opportunity", "contracts", ["tenant_id", "opportunity_id"])
    op.create_table(
        "contract_versions",
        sa.Column("version_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("contract_id", sa.String(36), sa.ForeignKey("contracts.contract_id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("approval_id", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("signed_version_id", sa.String(36), nullable=False),
        sa.Column("signed_sha256", sa.String(64), nullable=False),
        sa.Column("signed_on", sa.Date),
        sa.Column("parties", sa.JSON, nullable=False),
        sa.Column("signed_via", sa.String(60), nullable=False),
        sa.Column("signed_by", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True)),
        sa.Column("superseded_by_version_id", sa.String(36), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True)),
        sa.Column("fields", sa.JSON),
        sa.Column("esign_provider", sa.String(40), nullable=False),
        sa.Column("esign_document_id", sa.String(200), nullable=False),
    )
    op.create_index("ix_contract_versions_contract", "contract_versions", ["tenant_id", "contract_id"])
    op.create_index("ix_contract_versions_approval", "contract_versions", ["tenant_id", "approval_id"])
    op.create_index(
        "ix_contract_versions_esign", "contract_versions", ["tenant_id", "esign_provider", "esign_document_id"]
    )
    op.create_index(
        "uq_contract_versions_in_force",
        "contract_versions",
        ["tenant_id", "contract_id"],
        unique=True,
        sqlite_where=sa.text("state = 'signed'"),
        postgresql_where=sa.text("state = 'signed'"),
    )
    op.create_table(
        "ecns",
        sa.Column("ecn_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("number", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("affected_models", sa.JSON, nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("version_id", sa.String(36), nullable=False),
        sa.Column("published_by", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("orders", sa.JSON, nullable=False),
        sa.UniqueConstraint("tenant_id", "number", name="uq_ecns_tenant_number"),
    )


def downgrade() -> None:
    op.drop_table("ecns")
    op.drop_index("uq_contract_versions_in_force", "contract_versions")
    op.drop_table("contract_versions")
    op.drop_index("ix_contracts_tenant_opportunity", "contracts")
    op.drop_table("contracts")
