"""held receipts' review, waived instalments, write-offs; the retired payments table goes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("instalments", sa.Column("written_off_minor", sa.BigInteger, nullable=False, server_default="0"))
    op.add_column("instalments", sa.Column("waived_by", sa.String(64)))
    op.add_column("instalments", sa.Column("waive_reason", sa.String(500), nullable=False, server_default=""))
    op.add_column("instalments", sa.Column("waived_at", sa.DateTime(timezone=True)))
    op.add_column("receipts", sa.Column("reviewed_by", sa.String(64)))
    op.add_column("receipts", sa.Column("review_note", sa.String(500), nullable=False, server_default=""))
    op.add_column("receipts", sa.Column("reviewed_at", sa.DateTime(timezone=True)))
    op.create_index("ix_receipts_status", "receipts", ["tenant_id", "status", "recorded_at"])
    op.create_table(
        "write_offs",
        sa.Column("write_off_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("instalment_id", sa.String(36), nullable=False),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("receipt_id", sa.String(36)),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("written_by", sa.String(64), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reversed_by", sa.String(64)),
        sa.Column("reversal_reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("reversed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_write_offs_instalment", "write_offs", ["tenant_id", "instalment_id"])
    op.create_index("ix_write_offs_receipt", "write_offs", ["tenant_id", "receipt_id"])
    # Payments against an opportunity were replaced by receipts; nothing reads them any more.
    op.drop_index("ix_payments_tenant_opportunity", table_name="payments")
    op.drop_table("payments")


def downgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.String(36), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("payer_name", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "reference", name="uq_payments_tenant_reference"),
    )
    op.create_index("ix_payments_tenant_opportunity", "payments", ["tenant_id", "opportunity_id", "paid_at"])
    op.drop_index("ix_write_offs_receipt", table_name="write_offs")
    op.drop_index("ix_write_offs_instalment", table_name="write_offs")
    op.drop_table("write_offs")
    op.drop_index("ix_receipts_status", table_name="receipts")
    with op.batch_alter_table("receipts") as batch:
        for column in ("reviewed_at", "review_note", "reviewed_by"):
            batch.drop_column(column)
    with op.batch_alter_table("instalments") as batch:
        for column in ("waived_at", "waive_reason", "waived_by", "written_off_minor"):
            batch.drop_column(column)
