"""aging reports projections: the opportunity's 大区, rep profiles, follow-up done with a note

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The province's 大区, from opportunity.closed (aging, reports and plan templates group by it).
    with op.batch_alter_table("opportunities") as batch:
        batch.add_column(sa.Column("region", sa.String(8), nullable=False, server_default=""))
    # Who manages whom, as lead-routing last announced it (rep.profile_changed): a manager's team scope.
    op.create_table(
        "finance_rep_profiles",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("manager_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_finance_rep_profiles_manager", "finance_rep_profiles", ["tenant_id", "manager_id"])
    # A follow-up marked done: by whom, when, with a note; the owner it was written for (scoping).
    with op.batch_alter_table("follow_up_actions") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("done_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("done_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("note", sa.String(1000), nullable=False, server_default=""))
    op.execute(
        "UPDATE follow_up_actions SET owner_id = COALESCE((SELECT i.owner_id FROM instalments i"
        " WHERE i.tenant_id = follow_up_actions.tenant_id AND i.instalment_id = follow_up_actions.instalment_id), '')"
    )
    op.create_index("ix_follow_up_owner", "follow_up_actions", ["tenant_id", "owner_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_follow_up_owner", table_name="follow_up_actions")
    with op.batch_alter_table("follow_up_actions") as batch:
        batch.drop_column("note")
        batch.drop_column("done_at")
        batch.drop_column("done_by")
        batch.drop_column("owner_id")
    op.drop_index("ix_finance_rep_profiles_manager", table_name="finance_rep_profiles")
    op.drop_table("finance_rep_profiles")
    with op.batch_alter_table("opportunities") as batch:
        batch.drop_column("region")
