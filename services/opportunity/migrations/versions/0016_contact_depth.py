"""contact depth

customer contact depth (CDI) per customer with its factors and evidence, and the follow-up heat map's read

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_depth",
        sa.Column("customer_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cdi", sa.Float, nullable=False),
        sa.Column("coverage", sa.Float),
        sa.Column("needs", sa.Float),
        sa.Column("closure", sa.Float),
        sa.Column("red", sa.Boolean, nullable=False),
        sa.Column("plans_due", sa.Integer, nullable=False),
        sa.Column("plans_on_time", sa.Integer, nullable=False),
        sa.Column("last_contact_at", sa.DateTime(timezone=True)),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("settings_version", sa.Integer, nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True)),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_contact_depth_tenant_cdi", "contact_depth", ["tenant_id", "cdi"])
    op.create_index("ix_contact_depth_next_due", "contact_depth", ["next_due_at"])
    op.create_index("ix_contact_depth_computed", "contact_depth", ["computed_at"])
    # The CDI reads a chunk of customers' activities (since a window start, or their last contact): without
    # this both databases walk the whole tenant's activities per chunk (tenant/state or tenant/occurred_at).
    op.create_index("ix_activities_customer_occurred", "activities", ["tenant_id", "customer_id", "occurred_at"])
    op.create_table(
        "contact_depth_settings",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_index("ix_activities_customer_occurred", table_name="activities")
    op.drop_table("contact_depth_settings")
    op.drop_index("ix_contact_depth_computed", table_name="contact_depth")
    op.drop_index("ix_contact_depth_next_due", table_name="contact_depth")
    op.drop_index("ix_contact_depth_tenant_cdi", table_name="contact_depth")
    op.drop_table("contact_depth")
