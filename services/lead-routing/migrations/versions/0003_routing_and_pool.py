"""routes and scoring formulas with versions and audit, pool scores, assignments with explanations, claims, first-touch deadlines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_versions",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("comment", sa.String(500), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "active_rules",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("activated_by", sa.String(64), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rule_audit",
        sa.Column("audit_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rule_audit_tenant_at", "rule_audit", ["tenant_id", "at"])
    op.create_table(
        "lead_routes",
        sa.Column("lead_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("route_id", sa.String(64), nullable=False),
        sa.Column("route_name", sa.String(100), nullable=False),
        sa.Column("to_pool", sa.Boolean, nullable=False),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_lead_routes_tenant", "lead_routes", ["tenant_id"])
    op.create_table(
        "pool_scores",
        sa.Column("lead_id", sa.String(36), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_pool_scores_tenant_rep", "pool_scores", ["tenant_id", "rep_id", "score"])
    op.create_table(
        "pool_pushes",
        sa.Column("lead_id", sa.String(36), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("assignment_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("lead_id", sa.String(36), nullable=False),
        sa.Column("rep_id", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("route_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("route_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("score", sa.Float, nullable=False, server_default="0"),
        sa.Column("explanation", sa.JSON, nullable=False),
        sa.Column("cooldown_hours", sa.Float, nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_touch_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_touched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_assignments_tenant_lead", "assignments", ["tenant_id", "lead_id", "assigned_at"])
    op.create_index("ix_assignments_tenant_rep", "assignments", ["tenant_id", "rep_id", "mode", "assigned_at"])
    # The SLA sweep: current, untouched assignments by deadline.
    op.create_index("ix_assignments_due", "assignments", ["ended_at", "first_touched_at", "first_touch_due"])
    op.create_table(
        "cooldowns",
        sa.Column("lead_id", sa.String(36), primary_key=True),
        sa.Column("rep_id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rep_wins",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("opportunity_id", sa.String(36), primary_key=True),
        sa.Column("rep_id", sa.String(64), nullable=False),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("city", sa.String(50), nullable=False, server_default=""),
        sa.Column("district", sa.String(50), nullable=False, server_default=""),
        sa.Column("won_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rep_wins_tenant_rep", "rep_wins", ["tenant_id", "rep_id", "won_at"])


def downgrade() -> None:
    for table in (
        "rep_wins",
        "cooldowns",
        "assignments",
        "pool_pushes",
        "pool_scores",
        "lead_routes",
        "rule_audit",
        "active_rules",
        "rule_versions",
    ):
        op.drop_table(table)
