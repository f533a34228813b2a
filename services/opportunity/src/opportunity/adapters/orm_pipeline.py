"""Tables of pipelines, stage history and tasks (same metadata as orm.py;
migration 0003 creates them)."""

import sqlalchemy as sa

from opportunity.adapters.orm import metadata

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

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36)),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("rule", sa.String(50), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("completed_by", sa.String(64)),
    # The occasion that made the task: a timer rerun finds it taken.
    sa.Column("key", sa.String(300), nullable=False),
    sa.UniqueConstraint("tenant_id", "key", name="uq_tasks_tenant_key"),
)
