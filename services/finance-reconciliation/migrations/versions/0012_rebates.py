"""the partner of each opportunity; rebate programmes, accruals and settlements

opportunity.created names the distributor whose registered deal the
opportunity is (partner_org_id, "" for none): a receipt of that opportunity
counts towards the distributor's rebate. Accruals are computed from the
receipts when read (no table); a settlement freezes a distributor's period
once, with the receipts it counted.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opportunities") as batch:
        batch.add_column(sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_opportunities_partner", "opportunities", ["tenant_id", "partner_org_id"])
    op.create_table(
        "rebate_programmes",
        sa.Column("programme_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("period_kind", sa.String(8), nullable=False),
        sa.Column("tiers", sa.JSON, nullable=False),
        sa.Column("basis", sa.String(8), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("distributor_ids", sa.JSON, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rebate_programmes_tenant", "rebate_programmes", ["tenant_id", "name"])
    op.create_table(
        "rebate_settlements",
        sa.Column("settlement_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("programme_id", sa.String(36), nullable=False),
        sa.Column("programme_name", sa.String(200), nullable=False),
        sa.Column("distributor_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("period_starts_on", sa.Date, nullable=False),
        sa.Column("period_ends_on", sa.Date, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("collected_minor", sa.BigInteger, nullable=False),
        sa.Column("tier", sa.Integer, nullable=False),
        sa.Column("rate_bp", sa.Integer, nullable=False),
        sa.Column("basis", sa.String(8), nullable=False),
        sa.Column("tiers", sa.JSON, nullable=False),
        sa.Column("rebate_minor", sa.BigInteger, nullable=False),
        sa.Column("receipt_count", sa.Integer, nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("settled_by", sa.String(64), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "tenant_id", "programme_id", "distributor_id", "period", name="uq_rebate_settlements_period"
        ),
    )
    op.create_index("ix_rebate_settlements_settled", "rebate_settlements", ["tenant_id", "settled_at", "settlement_id"])
    op.create_table(
        "rebate_settlement_receipts",
        sa.Column("settlement_id", sa.String(36), primary_key=True),
        sa.Column("receipt_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rebate_settlement_receipts")
    op.drop_index("ix_rebate_settlements_settled", table_name="rebate_settlements")
    op.drop_table("rebate_settlements")
    op.drop_index("ix_rebate_programmes_tenant", table_name="rebate_programmes")
    op.drop_table("rebate_programmes")
    op.drop_index("ix_opportunities_partner", table_name="opportunities")
    with op.batch_alter_table("opportunities") as batch:
        batch.drop_column("partner_org_id")
