"""a decided task records whether it was decided overdue

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The report's covering index reads `late` (decided overdue) where it read `due_at`.
KEYS = ["tenant_id", "decided_at", "status", "approval_id", "stage_id", "step_id", "step_name", "department_id",
        "assignee", "dwell_working_seconds", "dwell_seconds"]


def upgrade() -> None:
    op.add_column("approval_tasks", sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()))
    # Tasks decided before this revision, by the engine's rule (domain.sla.overdue): deadline at or before the decision.
    tasks = sa.table("approval_tasks", sa.column("late", sa.Boolean), sa.column("due_at"), sa.column("decided_at"))
    op.execute(
        tasks.update()
        .where(tasks.c.due_at.is_not(None), tasks.c.decided_at.is_not(None), tasks.c.due_at <= tasks.c.decided_at)
        .values(late=True)
    )
    op.drop_index("ix_approval_tasks_decided", table_name="approval_tasks")
    op.create_index("ix_approval_tasks_decided", "approval_tasks", [*KEYS, "escalated", "late"])


def downgrade() -> None:
    op.drop_index("ix_approval_tasks_decided", table_name="approval_tasks")
    with op.batch_alter_table("approval_tasks") as batch:
        batch.drop_column("late")
    op.create_index("ix_approval_tasks_decided", "approval_tasks", [*KEYS, "due_at", "escalated"])
