"""departments, rep profiles, delegation windows, policies and averages

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approval_policies",
        sa.Column("policy_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_approval_policies_kind", "approval_policies", ["tenant_id", "kind", "position"])
    # One active default policy per kind, even when two admins save at once.
    default = sa.text("is_default AND active")
    op.create_index(
        "ux_approval_policies_default",
        "approval_policies",
        ["tenant_id", "kind"],
        unique=True,
        sqlite_where=default,
        postgresql_where=default,
    )
    op.create_table(
        "approval_policy_versions",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("policy_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("comment", sa.String(500), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "approval_departments",
        sa.Column("department_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("head_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "name", name="ux_approval_departments_name"),
    )
    op.create_table(
        "approval_department_members",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("department_id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_approval_department_members_user", "approval_department_members", ["tenant_id", "user_id"])
    op.create_table(
        "approval_rep_profiles",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("manager_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "approval_delegations",
        sa.Column("delegation_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("deputy_id", sa.String(64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_approval_delegations_user", "approval_delegations", ["tenant_id", "user_id", "ends_at"])
    op.create_table(
        "approval_won_contracts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("opportunity_id", sa.String(64), primary_key=True),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("product_line", sa.String(200), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "approval_contract_averages",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("region", sa.String(200), primary_key=True),
        sa.Column("product_line", sa.String(200), primary_key=True),
        sa.Column("total_minor", sa.BigInteger, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "approval_contract_averages",
        "approval_won_contracts",
        "approval_delegations",
        "approval_rep_profiles",
        "approval_department_members",
        "approval_departments",
        "approval_policy_versions",
        "approval_policies",
    ):
        op.drop_table(table)
