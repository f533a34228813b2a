"""Payment plans, their instalments, and the tenant's plan templates by region."""

import sqlalchemy as sa

from finance_reconciliation.adapters.orm.base import metadata

payment_plans = sa.Table(
    "payment_plans",
    metadata,
    sa.Column("plan_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("contract_id", sa.String(64), nullable=False),
    sa.Column("contract_version_id", sa.String(64), nullable=False),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("opportunity_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # open | closed
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("replaced_by_plan_id", sa.String(36), nullable=False, server_default=""),
    # One plan per signed version: a redelivered contract.signed finds it there.
    sa.UniqueConstraint("tenant_id", "contract_version_id", name="uq_payment_plans_version"),
    sa.Index("ix_payment_plans_contract", "tenant_id", "contract_id"),
    sa.Index("ix_payment_plans_opportunity", "tenant_id", "opportunity_id"),
)

instalments = sa.Table(
    "instalments",
    metadata,
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
    sa.Column("due_on", sa.Date),  # NULL until its trigger happened
    sa.Column("paid_minor", sa.BigInteger, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    # What write-offs settled (never cash): paid_minor + written_off_minor against amount_minor decides paid.
    sa.Column("written_off_minor", sa.BigInteger, nullable=False, server_default="0"),
    # Who waived it and why (state waived).
    sa.Column("waived_by", sa.String(64)),
    sa.Column("waive_reason", sa.String(500), nullable=False, server_default=""),
    sa.Column("waived_at", sa.DateTime(timezone=True)),
    sa.Index("ix_instalments_plan", "tenant_id", "plan_id", "seq"),
    sa.Index("ix_instalments_contract", "tenant_id", "contract_id"),
    sa.Index("ix_instalments_due", "tenant_id", "state", "due_on"),
)

# The tenant's payment habits by region (domain/plan_template.py): a contract signed without terms is planned
# by its opportunity's province's, else its 大区's, else the default ("") template.
plan_templates = sa.Table(
    "plan_templates",
    metadata,
    sa.Column("template_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(20), nullable=False),  # a province, a 大区, or "" (the default)
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("terms", sa.JSON, nullable=False),  # [{name, trigger, days, percent_bp}]
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "region", name="uq_plan_templates_region"),
)
