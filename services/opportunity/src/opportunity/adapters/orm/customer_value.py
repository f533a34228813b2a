"""0018: customer value tiers and customer health (customer_value_repository,
health_repository): a customer's computed tier with its facts, the tier history,
referrals, the tier settings row; health figures per customer and month and the
health alerts."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata
from opportunity.adapters.settings_rows import settings_table

# The tier as last computed (customers.value_tier holds the same tier, where every department reads it);
# `monthly_period` is the month (YYYY-MM, Asia/Shanghai) of its last monthly run.
customer_value = sa.Table(
    "customer_value",
    metadata,
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("tier", sa.String(10), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("error", sa.String(16), nullable=False),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("settings_version", sa.Integer, nullable=False),
    sa.Column("monthly_period", sa.String(7), nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_customer_value_tenant_tier", "tenant_id", "tier"),
    sa.Index("ix_customer_value_monthly", "monthly_period"),
)

customer_value_history = sa.Table(
    "customer_value_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), nullable=False),
    sa.Column("tier", sa.String(10), nullable=False),
    sa.Column("previous_tier", sa.String(10), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("settings_version", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(16), nullable=False),  # monthly | change | settings
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_customer_value_history_customer", "tenant_id", "customer_id", "at"),
)

# A referral: the new customer (one referrer each) and the existing customer who referred it.
customer_referrals = sa.Table(
    "customer_referrals",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("referred_by", sa.String(36), nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_customer_referrals_by", "tenant_id", "referred_by"),
)

customer_value_settings = settings_table("customer_value_settings", metadata)

# Finance's last figures of the month and the month's service requests.
customer_health = sa.Table(
    "customer_health",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("on_time_rate_bp", sa.Integer),
    sa.Column("dso_tenths", sa.Integer),
    sa.Column("as_of", sa.String(10), nullable=False),
    sa.Column("consultations", sa.Integer, nullable=False),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
)

# One alert per customer and period; notified_at: the rep told (with the material) by the sweep.
customer_health_alerts = sa.Table(
    "customer_health_alerts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(36), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("rates_bp", sa.JSON, nullable=False),
    sa.Column("consultations", sa.JSON, nullable=False),
    sa.Column("materials", sa.JSON, nullable=False),
    sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("notified_at", sa.DateTime(timezone=True)),
    sa.Index("ix_customer_health_alerts_unnotified", "notified_at", "raised_at"),
)
