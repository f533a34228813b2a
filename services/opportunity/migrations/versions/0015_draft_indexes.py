"""draft indexes

a rep's drafts across customers (ListActivityDrafts) are read newest first
from the drafts alone, and whether a later entry completed one by its
refers_to, instead of scanning the tenant's whole log

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not partial: the query's state is a bound parameter, which neither database matches to a partial index.
    op.create_index("ix_activities_drafts", "activities", ["tenant_id", "state", "recorded_at", "activity_id"])
    referring = sa.text("refers_to IS NOT NULL")
    op.create_index(
        "ix_activities_refers_to",
        "activities",
        ["refers_to"],
        postgresql_where=referring,
        sqlite_where=referring,
    )


def downgrade() -> None:
    op.drop_index("ix_activities_refers_to", table_name="activities")
    op.drop_index("ix_activities_drafts", table_name="activities")
