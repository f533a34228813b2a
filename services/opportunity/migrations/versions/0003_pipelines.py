"""pipelines, stages and gates, stage history, tasks and timers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPPORTUNITY_COLUMNS = [
    ("pipeline_id", lambda: sa.Column("pipeline_id", sa.String(36), nullable=True)),
    ("probability", lambda: sa.Column("probability", sa.Integer, nullable=True)),
    ("forecast_category", lambda: sa.Column("forecast_category", sa.String(20), nullable=False, server_default="")),
    ("status", lambda: sa.Column("status", sa.String(10), nullable=False, server_default="open")),
    ("expected_close_date", lambda: sa.Column("expected_close_date", sa.Date, nullable=True)),
    ("contract_end_date", lambda: sa.Column("contract_end_date", sa.Date, nullable=True)),
    ("product_line", lambda: sa.Column("product_line", sa.String(200), nullable=False, server_default="")),
    ("decision_maker", lambda: sa.Column("decision_maker", sa.String(200), nullable=False, server_default="")),
    ("flags", lambda: sa.Column("flags", sa.JSON, nullable=False, server_default="[]")),
    ("close_reason", lambda: sa.Column("close_reason", sa.Text, nullable=False, server_default="")),
    ("closed_at", lambda: sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True)),
    ("stage_entered_at", lambda: sa.Column("stage_entered_at", sa.DateTime(timezone=True), nullable=True)),
    ("first_touch_due_at", lambda: sa.Column("first_touch_due_at", sa.DateTime(timezone=True), nullable=True)),
]


def upgrade() -> None:
    with op.batch_alter_table("opportunities") as batch:
        for _, column in OPPORTUNITY_COLUMNS:
            batch.add_column(column())
    # The timers look for due deadlines; the board groups a pipeline's opportunities.
    op.create_index("ix_opportunities_first_touch_due", "opportunities", ["first_touch_due_at"])
    op.create_index("ix_opportunities_tenant_pipeline", "opportunities", ["tenant_id", "pipeline_id", "status"])
    op.create_index("ix_opportunities_contract_end", "opportunities", ["contract_end_date"])
    op.create_table(
        "pipelines",
        sa.Column("pipeline_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("product_line", sa.String(200), nullable=False, server_default=""),
        sa.Column("stages", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "name", name="uq_pipelines_tenant_name"),
    )
    op.create_table(
        "stage_stays",
        sa.Column("stay_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column(
            "opportunity_id", sa.String(36), sa.ForeignKey("opportunities.opportunity_id"), nullable=False
        ),
        sa.Column("pipeline_id", sa.String(36), nullable=False),
        sa.Column("stage", sa.String(50), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(64), nullable=False),
        sa.Column("entered_via", sa.String(20), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_via", sa.String(20), nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_stage_stays_opportunity", "stage_stays", ["opportunity_id", "entered_at"])
    op.create_table(
        "tasks",
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=True),
        sa.Column("opportunity_id", sa.String(36), nullable=True),
        sa.Column("rule", sa.String(50), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(64), nullable=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.UniqueConstraint("tenant_id", "key", name="uq_tasks_tenant_key"),
    )
    op.create_index("ix_tasks_tenant_owner_state", "tasks", ["tenant_id", "owner_id", "state", "due_at"])
    op.create_index("ix_tasks_customer", "tasks", ["tenant_id", "customer_id"])


def downgrade() -> None:
    op.drop_table("tasks")
    op.drop_table("stage_stays")
    op.drop_table("pipelines")
    op.drop_index("ix_opportunities_contract_end", "opportunities")
    op.drop_index("ix_opportunities_tenant_pipeline", "opportunities")
    op.drop_index("ix_opportunities_first_touch_due", "opportunities")
    with op.batch_alter_table("opportunities") as batch:
        for name, _ in reversed(OPPORTUNITY_COLUMNS):
            batch.drop_column(name)
