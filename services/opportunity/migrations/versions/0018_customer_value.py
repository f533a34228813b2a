"""customer value

customer value tiers (RFM formula), tier history and customer health snapshots

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _settings(name: str) -> None:
    op.create_table(
        name,
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def upgrade() -> None:
    # A purchase's date for the tier's facts (earlier rows: their updated_at's day).
    with op.batch_alter_table("counted_receipts") as batch:
        batch.add_column(sa.Column("paid_on", sa.Date))
    op.create_index("ix_counted_receipts_customer", "counted_receipts", ["tenant_id", "customer_id"])
    op.create_table(
        "customer_value",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(10), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("error", sa.String(16), nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("settings_version", sa.Integer, nullable=False),
        sa.Column("monthly_period", sa.String(7), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customer_value_tenant_tier", "customer_value", ["tenant_id", "tier"])
    op.create_index("ix_customer_value_monthly", "customer_value", ["monthly_period"])
    op.create_table(
        "customer_value_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("tier", sa.String(10), nullable=False),
        sa.Column("previous_tier", sa.String(10), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("settings_version", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_customer_value_history_customer", "customer_value_history", ["tenant_id", "customer_id", "at"]
    )
    op.create_table(
        "customer_referrals",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("referred_by", sa.String(36), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customer_referrals_by", "customer_referrals", ["tenant_id", "referred_by"])
    _settings("customer_value_settings")
    op.create_table(
        "customer_health",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("on_time_rate_bp", sa.Integer),
        sa.Column("dso_tenths", sa.Integer),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("consultations", sa.Integer, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "customer_health_alerts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("rates_bp", sa.JSON, nullable=False),
        sa.Column("consultations", sa.JSON, nullable=False),
        sa.Column("materials", sa.JSON, nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_customer_health_alerts_unnotified", "customer_health_alerts", ["notified_at", "raised_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_customer_health_alerts_unnotified", table_name="customer_health_alerts")
    op.drop_table("customer_health_alerts")
    op.drop_table("customer_health")
    op.drop_table("customer_value_settings")
    op.drop_index("ix_customer_referrals_by", table_name="customer_referrals")
    op.drop_table("customer_referrals")
    op.drop_index("ix_customer_value_history_customer", table_name="customer_value_history")
    op.drop_table("customer_value_history")
    op.drop_index("ix_customer_value_monthly", table_name="customer_value")
    op.drop_index("ix_customer_value_tenant_tier", table_name="customer_value")
    op.drop_table("customer_value")
    op.drop_index("ix_counted_receipts_customer", table_name="counted_receipts")
    with op.batch_alter_table("counted_receipts") as batch:
        batch.drop_column("paid_on")
