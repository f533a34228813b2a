"""Matching (F3): the tenant's ordered rules, and each match with its rule and evidence."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

match_rules = sa.Table(
    "match_rules",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rule_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # contract_ref | payer_amount | amount_window
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("pattern", sa.String(200), nullable=False),
    sa.Column("min_name_score", sa.Float, nullable=False),
    sa.Column("window_days", sa.Integer, nullable=False),
    sa.Column("tolerance", sa.JSON, nullable=False),  # under_minor, over_minor, under_bp, over_bp
    sa.Column("auto_score", sa.Float, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

matches = sa.Table(
    "matches",
    metadata,
    sa.Column("match_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("line_id", sa.String(36), nullable=False),
    sa.Column("allocations", sa.JSON, nullable=False),  # [{instalment_id, amount_minor}], oldest due first
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("rule_id", sa.String(36), nullable=False),
    sa.Column("rule_kind", sa.String(20), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),  # suggested | confirmed | rejected | reversed
    sa.Column("by", sa.String(64), nullable=False),  # who last moved it (suggested: who ran the matching)
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False, server_default=""),
    # A run confirms it itself (until the receipt lock refuses it: then it is a suggestion for finance).
    sa.Column("confident", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("receipt_ids", sa.JSON, nullable=False, server_default="[]"),  # one per allocation, once confirmed
    sa.Column("write_offs", sa.JSON, nullable=False, server_default="[]"),  # [{instalment_id, amount_minor}]
    sa.Column("auto", sa.Boolean, nullable=False, server_default=sa.false()),  # confirmed by a run
    sa.Column("confirmed_by", sa.String(64)),
    sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    sa.Index("ix_matches_tenant_status", "tenant_id", "status", "at"),
    sa.Index("ix_matches_tenant_line", "tenant_id", "line_id"),
)
