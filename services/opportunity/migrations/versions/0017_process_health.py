"""process health

process health (PHI) and KPI views: stage playbooks, call durations, field update times

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


TABLES = ("customer_field_updates", "call_durations", "collab_tasks", "phi_monthly", "rep_profiles")


def upgrade() -> None:
    op.create_table(
        "customer_field_updates",
        sa.Column("update_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index(
        "ix_customer_field_updates_tenant_customer_at",
        "customer_field_updates",
        ["tenant_id", "customer_id", "updated_at"],
    )
    op.create_table(
        "call_durations",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("activity_id", sa.String(36), primary_key=True),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Integer, nullable=False),
    )
    op.create_index("ix_call_durations_tenant_actor_at", "call_durations", ["tenant_id", "actor_id", "occurred_at"])
    op.create_table(
        "collab_tasks",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("opportunity_id", sa.String(36), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_collab_tasks_tenant_finished", "collab_tasks", ["tenant_id", "finished_at"])
    for name, data in (("phi_monthly", "indicators"), ("rep_profiles", "data")):
        op.create_table(
            name,
            sa.Column("tenant_id", sa.String(64), primary_key=True),
            sa.Column("rep_id", sa.String(64), primary_key=True),
            sa.Column("month", sa.String(7), primary_key=True),
            *([sa.Column("composite_bp", sa.Integer)] if name == "phi_monthly" else []),
            sa.Column(data, sa.JSON, nullable=False),
            sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        )
    op.create_table(
        "process_health_settings",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("process_health_settings")
    for name in reversed(TABLES):
        op.drop_table(name)
