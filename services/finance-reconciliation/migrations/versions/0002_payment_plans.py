"""payment plans, instalments, receipts and the ledger; the contract projection, contract triggers and lead sources; the opportunity projection's lead, province and product line

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
    with op.batch_alter_table("opportunities") as batch:
        batch.add_column(sa.Column("lead_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("province", sa.String(50), nullable=False, server_default=""))
        batch.add_column(sa.Column("product_line", sa.String(100), nullable=False, server_default=""))
    op.create_table(
        "lead_sources",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("lead_id", sa.String(36), primary_key=True),
        sa.Column("source", sa.String(100), nullable=False),
    )
    op.create_table(
        "finance_contracts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version_id", sa.String(64), primary_key=True),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("signed_version_id", sa.String(64), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("total_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("equipment", sa.JSON, nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("signed_on", sa.Date, nullable=False),
        sa.Column("warranty_months", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("superseded_by_version_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("supersedes_version_id", sa.String(64), nullable=False, server_default=""),
        sa.Index("ix_finance_contracts_contract", "tenant_id", "contract_id"),
        sa.Index("ix_finance_contracts_opportunity", "tenant_id", "opportunity_id"),
    )
    op.create_table(
        "contract_triggers",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("contract_id", sa.String(64), primary_key=True),
        sa.Column("trigger", sa.String(16), primary_key=True),
        sa.Column("happened_on", sa.Date, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "payment_plans",
        sa.Column("plan_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("contract_version_id", sa.String(64), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("replaced_by_plan_id", sa.String(36), nullable=False, server_default=""),
        sa.UniqueConstraint("tenant_id", "contract_version_id", name="uq_payment_plans_version"),
        sa.Index("ix_payment_plans_contract", "tenant_id", "contract_id"),
        sa.Index("ix_payment_plans_opportunity", "tenant_id", "opportunity_id"),
    )
    op.create_table(
        "instalments",
        sa.Column("instalment_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("plan_id", sa.String(36), nullable=False),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("contract_version_id", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("due_on", sa.Date),
        sa.Column("paid_minor", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Index("ix_instalments_plan", "tenant_id", "plan_id", "seq"),
        sa.Index("ix_instalments_contract", "tenant_id", "contract_id"),
        sa.Index("ix_instalments_due", "tenant_id", "state", "due_on"),
    )
    op.create_table(
        "receipts",
        sa.Column("receipt_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("contract_version_id", sa.String(64), nullable=False),
        sa.Column("instalment_id", sa.String(36), nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("payer_name", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(100)),
        sa.Column("lead_source", sa.String(100), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("statement_line_id", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reversed_by", sa.String(64)),
        sa.Column("reversal_reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("reversed_at", sa.DateTime(timezone=True)),
        sa.Index("ix_receipts_contract", "tenant_id", "contract_id", "paid_on"),
        sa.Index("ix_receipts_opportunity", "tenant_id", "opportunity_id", "paid_on"),
        sa.Index("ix_receipts_instalment", "tenant_id", "instalment_id"),
        sa.Index("ix_receipts_statement_line", "tenant_id", "statement_line_id"),
    )
    op.create_table(
        "ledger_postings",
        sa.Column("posting_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("receipt_id", sa.String(36)),
        sa.Column("instalment_id", sa.String(36)),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("posted_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_ledger_entry", "tenant_id", "entry_id"),
        sa.Index("ix_ledger_receipt", "tenant_id", "receipt_id"),
        sa.Index("ix_ledger_instalment", "tenant_id", "instalment_id"),
    )


def downgrade() -> None:
    op.drop_table("ledger_postings")
    op.drop_table("receipts")
    op.drop_table("instalments")
    op.drop_table("payment_plans")
    op.drop_table("contract_triggers")
    op.drop_table("finance_contracts")
    op.drop_table("lead_sources")
    with op.batch_alter_table("opportunities") as batch:
        batch.drop_column("product_line")
        batch.drop_column("province")
        batch.drop_column("lead_id")
