"""Receipts, the ledger's postings and write-offs (F1's repositories write them; F3 and F4 read them)."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

receipts = sa.Table(
    "receipts",
    metadata,
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
    sa.Column("source", sa.String(16), nullable=False),  # manual | statement
    sa.Column("statement_line_id", sa.String(64)),
    sa.Column("status", sa.String(16), nullable=False),  # recorded | held | rejected | reversed
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reversed_by", sa.String(64)),
    sa.Column("reversal_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("reversed_at", sa.DateTime(timezone=True)),
    # A held receipt's review: released (→ recorded) or rejected, by whom and why.
    sa.Column("reviewed_by", sa.String(64)),
    sa.Column("review_note", sa.String(500), nullable=False, server_default=""),
    sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    sa.Index("ix_receipts_contract", "tenant_id", "contract_id", "paid_on"),
    sa.Index("ix_receipts_opportunity", "tenant_id", "opportunity_id", "paid_on"),
    sa.Index("ix_receipts_instalment", "tenant_id", "instalment_id"),
    sa.Index("ix_receipts_statement_line", "tenant_id", "statement_line_id"),
    sa.Index("ix_receipts_status", "tenant_id", "status", "recorded_at"),
)

# Immutable: rows are only ever inserted (a correction is a new entry).
ledger_postings = sa.Table(
    "ledger_postings",
    metadata,
    sa.Column("posting_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("entry_id", sa.String(36), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # receipt | allocation | reversal | write_off
    sa.Column("receipt_id", sa.String(36)),
    sa.Column("instalment_id", sa.String(36)),  # NULL: the cash side
    sa.Column("amount_minor", sa.BigInteger, nullable=False),  # signed
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("posted_by", sa.String(64), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ledger_entry", "tenant_id", "entry_id"),
    sa.Index("ix_ledger_receipt", "tenant_id", "receipt_id"),
    sa.Index("ix_ledger_instalment", "tenant_id", "instalment_id"),
)

# A write-off: the part of an instalment finance gave up on, settling it without cash (ledger kind write_off).
write_offs = sa.Table(
    "write_offs",
    metadata,
    sa.Column("write_off_id", sa.String(36), primary_key=True),  # also the ledger entry id of its postings
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("instalment_id", sa.String(36), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("receipt_id", sa.String(36)),  # the receipt whose shortfall it wrote off, if any
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # active | reversed
    sa.Column("written_by", sa.String(64), nullable=False),
    sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reversed_by", sa.String(64)),
    sa.Column("reversal_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("reversed_at", sa.DateTime(timezone=True)),
    sa.Index("ix_write_offs_instalment", "tenant_id", "instalment_id"),
    sa.Index("ix_write_offs_receipt", "tenant_id", "receipt_id"),
)
