"""Signed contract versions (projected from document-versioning) and their delivery and acceptance."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

# Projection of each signed contract version (contract.signed / contract.superseded).
finance_contracts = sa.Table(
    "finance_contracts",
    metadata,
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
    sa.Column("status", sa.String(16), nullable=False),  # in_force | superseded
    sa.Column("superseded_by_version_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("supersedes_version_id", sa.String(64), nullable=False, server_default=""),
    # 0011: 合同编号 from contract.signed ("" when none): what the contract_ref matching rule looks for.
    sa.Column("contract_number", sa.String(40), nullable=False, server_default=""),
    sa.Index("ix_finance_contracts_contract", "tenant_id", "contract_id"),
    sa.Index("ix_finance_contracts_opportunity", "tenant_id", "opportunity_id"),
)

# Delivery and acceptance of a contract as finance recorded them (all its versions share them).
contract_triggers = sa.Table(
    "contract_triggers",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("contract_id", sa.String(64), primary_key=True),
    sa.Column("trigger", sa.String(16), primary_key=True),  # delivery | acceptance
    sa.Column("happened_on", sa.Date, nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    # The record's own id (sales' delivery_id, or finance's), ordering records of the same instant.
    sa.Column("record_id", sa.String(64), nullable=False, server_default=""),
)
