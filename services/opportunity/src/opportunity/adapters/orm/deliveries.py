"""Deliveries and acceptances (delivery_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

# 0007: deliveries and acceptances sales recorded (domain/delivery.py).
deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("delivery_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("happened_on", sa.Date, nullable=False),
    sa.Column("note", sa.String(500), nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_deliveries_tenant_opportunity", "tenant_id", "opportunity_id"),
)
