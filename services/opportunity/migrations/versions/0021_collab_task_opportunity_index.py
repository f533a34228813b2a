"""collaboration tasks by opportunity

an index on collab_tasks (tenant_id, opportunity_id, finished_at) for PHI's read of a rep's opportunities'
approvals finished in a month

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Per event PHI recomputes the owner's month; with only (tenant_id, finished_at) it read every task of the
    # tenant finished in the month and joined each to its opportunity (40 ms a rep at 40,000 tasks).
    op.create_index("ix_collab_tasks_opportunity", "collab_tasks", ["tenant_id", "opportunity_id", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_collab_tasks_opportunity", table_name="collab_tasks")
