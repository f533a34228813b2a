"""Bank statements, their lines and the tenant's bank export layouts (F2; F3 sets a line's status
through StatementRepository)."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

bank_statements = sa.Table(
    "bank_statements",
    metadata,
    sa.Column("statement_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("format", sa.String(16), nullable=False),  # camt053 | mt940 | cn_bank
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("opening_minor", sa.BigInteger),
    sa.Column("closing_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("period_from", sa.Date),
    sa.Column("period_to", sa.Date),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # imported | held
    sa.Column("held_reason", sa.String(500), nullable=False, server_default=""),
    sa.Index("ix_bank_statements_tenant", "tenant_id", "imported_at"),
)

statement_lines = sa.Table(
    "statement_lines",
    metadata,
    sa.Column("line_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("statement_id", sa.String(36), nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("bank_ref", sa.String(100), nullable=False),  # 流水号 / AcctSvcrRef, or "h:" + a hash of the fields
    sa.Column("booked_on", sa.Date, nullable=False),
    sa.Column("value_on", sa.Date),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),  # positive; direction says which way
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("direction", sa.String(6), nullable=False),  # credit | debit
    sa.Column("counterparty_name", sa.String(200), nullable=False),
    sa.Column("counterparty_account", sa.String(64), nullable=False),
    sa.Column("remark", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # unmatched | suggested | matched | ignored
    sa.UniqueConstraint("tenant_id", "account", "bank_ref", name="uq_statement_lines_ref"),
    sa.Index("ix_statement_lines_statement", "tenant_id", "statement_id"),
    sa.Index("ix_statement_lines_status", "tenant_id", "status", "booked_on"),
    sa.Index("ix_statement_lines_booked", "tenant_id", "booked_on", "line_id"),  # the lines list's order
)

# The tenant's bank export layouts (domain/bank_layout.py); none stored = the defaults.
bank_layouts = sa.Table(
    "bank_layouts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("columns", sa.JSON, nullable=False),
    sa.Column("credit_marks", sa.JSON, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
