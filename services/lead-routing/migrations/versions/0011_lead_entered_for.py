"""the distributor a partner typed a lead in for (leads.entered_for)

Leads partner users typed in before are given their user's distributor now.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("entered_for", sa.String(64), nullable=False, server_default=""))
    op.create_index("ix_leads_entered_for", "leads", ["tenant_id", "entered_for"])
    op.execute(
        "UPDATE leads SET entered_for = (SELECT u.distributor_id FROM distributor_users u"
        " WHERE u.tenant_id = leads.tenant_id AND u.user_id = leads.created_by)"
        " WHERE registration_id = '' AND EXISTS (SELECT 1 FROM distributor_users u"
        " WHERE u.tenant_id = leads.tenant_id AND u.user_id = leads.created_by)"
    )


def downgrade() -> None:
    op.drop_index("ix_leads_entered_for", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("entered_for")
