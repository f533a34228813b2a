"""Rebates (partner portal): programmes, and each distributor's period settled once."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

rebate_programmes = sa.Table(
    "rebate_programmes",
    metadata,
    sa.Column("programme_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("period_kind", sa.String(8), nullable=False),  # month | quarter | year
    sa.Column("tiers", sa.JSON, nullable=False),  # [{threshold_minor, rate_bp}] ascending
    sa.Column("basis", sa.String(8), nullable=False),  # whole | marginal
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("distributor_ids", sa.JSON, nullable=False),  # [] = every distributor
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_rebate_programmes_tenant", "tenant_id", "name"),
)

# Only inserted: the unique key refuses a second settlement of a distributor's period.
rebate_settlements = sa.Table(
    "rebate_settlements",
    metadata,
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
    sa.UniqueConstraint("tenant_id", "programme_id", "distributor_id", "period", name="uq_rebate_settlements_period"),
    sa.Index("ix_rebate_settlements_settled", "tenant_id", "settled_at", "settlement_id"),
)

# The receipts a settlement counted, with the amount each counted for.
rebate_settlement_receipts = sa.Table(
    "rebate_settlement_receipts",
    metadata,
    sa.Column("settlement_id", sa.String(36), primary_key=True),
    sa.Column("receipt_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
)
