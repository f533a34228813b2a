"""engineering change confirmation tasks

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

COLUMNS = (
    ("ecn_id", sa.String(36)),
    ("contract_id", sa.String(36)),
    ("answer", sa.String(20)),
    ("answer_note", sa.String(500)),
    ("escalated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    # The ECN's progress reads its tasks; the overdue job finds the open ones past due.
    op.create_index("ix_tasks_tenant_ecn", "tasks", ["tenant_id", "ecn_id"])
    op.create_index("ix_tasks_rule_state_due", "tasks", ["rule", "state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_tasks_rule_state_due", "tasks")
    op.drop_index("ix_tasks_tenant_ecn", "tasks")
    with op.batch_alter_table("tasks") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
