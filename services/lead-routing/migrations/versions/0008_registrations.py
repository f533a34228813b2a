"""deal registrations (报备) of distributors, their conflicts and clashes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("registration_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("distributor_id", sa.String(64), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("company_name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("province", sa.String(50), nullable=False),
        sa.Column("city", sa.String(50), nullable=False),
        sa.Column("district", sa.String(50), nullable=False),
        sa.Column("industry", sa.String(100), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=False),
        sa.Column("product_line", sa.String(100), nullable=False),
        sa.Column("models", sa.JSON, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("expected_amount", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("expected_close_date", sa.Date),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("conflicts", sa.JSON, nullable=False),
        sa.Column("approval_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("decision", sa.String(20), nullable=False, server_default=""),
        sa.Column("decision_comment", sa.String(1000), nullable=False, server_default=""),
        sa.Column("lead_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("protected_from", sa.DateTime(timezone=True)),
        sa.Column("protected_until", sa.DateTime(timezone=True)),
        sa.Column("extension_approval_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("extensions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reminders_sent", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_registrations_code", "registrations", ["tenant_id", "credit_code"])
    op.create_index("ix_registrations_phone", "registrations", ["tenant_id", "phone"])
    op.create_index("ix_registrations_city", "registrations", ["tenant_id", "city"])
    op.create_index("ix_registrations_distributor", "registrations", ["tenant_id", "distributor_id", "created_at"])
    op.create_index("ix_registrations_status", "registrations", ["tenant_id", "status"])
    op.create_table(
        "registration_clashes",
        sa.Column("clash_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("first_registration_id", sa.String(36), nullable=False),
        sa.Column("second_registration_id", sa.String(36), nullable=False),
        sa.Column("first_distributor_id", sa.String(64), nullable=False),
        sa.Column("second_distributor_id", sa.String(64), nullable=False),
        sa.Column("matched_by", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("winner_registration_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("decided_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("comment", sa.String(1000), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_registration_clashes_status", "registration_clashes", ["tenant_id", "status", "created_at"])
    op.create_table(
        "registration_terms",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("check_window_days", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("registration_terms")
    op.drop_table("registration_clashes")
    op.drop_table("registrations")
