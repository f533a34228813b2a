"""approval timers (SLA) and report indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approval_timers",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("approval_id", sa.String(36), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    # The leased job's scan: scheduled timers by due time, across tenants.
    op.create_index("ix_approval_timers_due", "approval_timers", ["status", "due_at"])
    # An approver's inbox, most urgent first, keyset-paged by (due_at, task_id).
    op.create_index("ix_approval_tasks_inbox", "approval_tasks", ["tenant_id", "assignee", "status", "due_at", "task_id"])
    # The bottleneck report over a period of decisions: covering indexes, so the
    # aggregate reads no table row of either table (a request row carries its plan).
    op.create_index("ix_approval_tasks_decided", "approval_tasks", [
        "tenant_id", "decided_at", "status", "approval_id", "stage_id", "step_id", "step_name", "department_id",
        "assignee", "dwell_working_seconds", "dwell_seconds", "due_at", "escalated",
    ])
    op.create_index("ix_approval_requests_report", "approval_requests",
                    ["approval_id", "tenant_id", "policy_id", "kind", "requested_by"])
    # The metrics' scans across tenants: open tasks, and tasks decided since the last refresh.
    op.create_index("ix_approval_tasks_status", "approval_tasks", ["status", "decided_at"])
    # Outbox and team view, newest first.
    op.create_index("ix_approval_requests_outbox", "approval_requests", ["tenant_id", "requested_by", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_approval_requests_outbox", table_name="approval_requests")
    op.drop_index("ix_approval_tasks_status", table_name="approval_tasks")
    op.drop_index("ix_approval_requests_report", table_name="approval_requests")
    op.drop_index("ix_approval_tasks_decided", table_name="approval_tasks")
    op.drop_index("ix_approval_tasks_inbox", table_name="approval_tasks")
    op.drop_index("ix_approval_timers_due", table_name="approval_timers")
    op.drop_table("approval_timers")
