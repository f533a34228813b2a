"""Opportunities, the approvals decided on them and their stays in each stage
(opportunity_repository); the pipelines they move through (pipeline_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("opportunity_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36), sa.ForeignKey("customers.customer_id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(50), nullable=False),
    sa.Column("amount_minor", sa.BigInteger),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("lead_id", sa.String(36)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # 0003: pipeline placement, gate fields, close, timers.
    sa.Column("pipeline_id", sa.String(36)),
    sa.Column("probability", sa.Integer),
    sa.Column("forecast_category", sa.String(20), nullable=False, server_default=""),
    sa.Column("status", sa.String(10), nullable=False, server_default="open"),
    sa.Column("expected_close_date", sa.Date),
    sa.Column("contract_end_date", sa.Date),
    sa.Column("product_line", sa.String(200), nullable=False, server_default=""),
    sa.Column("decision_maker", sa.String(200), nullable=False, server_default=""),
    sa.Column("flags", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("close_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("stage_entered_at", sa.DateTime(timezone=True)),
    sa.Column("first_touch_due_at", sa.DateTime(timezone=True)),
    # 0008: the distributor whose approved registration brought the deal ("" = none).
    sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("registration_id", sa.String(36), nullable=False, server_default=""),
    sa.Column("partner_name", sa.String(200), nullable=False, server_default=""),
    sa.UniqueConstraint("tenant_id", "lead_id", name="uq_opportunities_tenant_lead"),
)

approval_decisions = sa.Table(
    "approval_decisions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("approval_id", sa.String(36), primary_key=True),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    # 0005: the approval's kind (quote, contract ...); decisions recorded before were quotes.
    sa.Column("kind", sa.String(40), nullable=False, server_default=""),
)

# 0003: pipelines and stage history.
pipelines = sa.Table(
    "pipelines",
    metadata,
    sa.Column("pipeline_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("product_line", sa.String(200), nullable=False),
    # Ordered stages with probability, forecast category and gate, as data.
    sa.Column("stages", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant_id", "name", name="uq_pipelines_tenant_name"),
)

stage_stays = sa.Table(
    "stage_stays",
    metadata,
    sa.Column("stay_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False),
    sa.Column("pipeline_id", sa.String(36), nullable=False),
    sa.Column("stage", sa.String(50), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("entered_by", sa.String(64), nullable=False),
    sa.Column("entered_via", sa.String(20), nullable=False),
    sa.Column("left_at", sa.DateTime(timezone=True)),
    sa.Column("left_via", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)
