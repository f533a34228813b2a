"""the distributor protecting a lead (partner, registration, protected until)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("partner_org_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("partner_name", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("registration_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("protected_until", sa.DateTime(timezone=True)))
    op.create_index("ix_leads_partner", "leads", ["tenant_id", "partner_org_id"])


def downgrade() -> None:
    op.drop_index("ix_leads_partner", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        for name in ("protected_until", "registration_id", "partner_name", "partner_org_id"):
            batch.drop_column(name)
