"""the distributor protecting a lead (partner, registration, protected until); a tenant's
protection terms; extensions of a registration's protection

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("partner_name", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("registration_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("protected_until", sa.DateTime(timezone=True)))
    op.create_index("ix_leads_partner", "leads", ["tenant_id", "partner_org_id"])
    op.create_table(
        "protection_terms",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("protection_days", sa.Integer, nullable=False),
        sa.Column("max_extension_days", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "registration_extensions",
        sa.Column("extension_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("approval_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("decision_comment", sa.String(2000), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_registration_extensions_registration", "registration_extensions", ["tenant_id", "registration_id"])
    op.create_index("ix_registration_extensions_approval", "registration_extensions", ["tenant_id", "approval_id"])
    op.create_index("ix_registration_extensions_status", "registration_extensions", ["status", "requested_at"])


def downgrade() -> None:
    op.drop_table("registration_extensions")
    op.drop_table("protection_terms")
    op.drop_index("ix_leads_partner", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        for name in ("protected_until", "registration_id", "partner_name", "partner_org_id"):
            batch.drop_column(name)
