"""Table definitions (the migrations create them; repositories query them)."""

import sqlalchemy as sa

metadata = sa.MetaData()

# ---- the request engine (A1; migration 0002)

approval_requests = sa.Table(
    "approval_requests",
    metadata,
    sa.Column("approval_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("subject_type", sa.String(50), nullable=False),
    sa.Column("subject_id", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("impact_scope", sa.String(100), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("document_id", sa.String(64)),
    sa.Column("document_version_id", sa.String(64)),
    sa.Column("document_sha256", sa.String(64), nullable=False),
    sa.Column("policy_id", sa.String(64), nullable=False),
    sa.Column("policy_version", sa.Integer, nullable=False),
    sa.Column("plan", sa.JSON, nullable=False),  # the policy as it was when the request started
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("stale", sa.Boolean, nullable=False),
    sa.Column("current_stage", sa.Integer, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("locked_fields", sa.JSON, nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decision_comment", sa.Text, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("cc_users", sa.JSON, nullable=False),
    sa.Column("last_reminded_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
)

approval_tasks = sa.Table(
    "approval_tasks",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("stage_index", sa.Integer, nullable=False),
    sa.Column("stage_id", sa.String(64), nullable=False),
    sa.Column("step_id", sa.String(64), nullable=False),
    sa.Column("step_name", sa.String(200), nullable=False),
    sa.Column("department_id", sa.String(64)),
    sa.Column("assignee", sa.String(64), nullable=False),
    sa.Column("original_assignee", sa.String(64)),
    sa.Column("delegated_from", sa.String(64)),
    sa.Column("mode", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("group_id", sa.String(36), nullable=False),
    sa.Column("slot_id", sa.String(36), nullable=False),
    sa.Column("placement", sa.String(20), nullable=False),
    sa.Column("added_by", sa.String(36)),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("dwell_seconds", sa.BigInteger),
    sa.Column("dwell_working_seconds", sa.BigInteger),
    sa.Column("escalated", sa.Boolean, nullable=False),
    sa.Column("reminders", sa.Integer, nullable=False),
    sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),  # decided overdue
)

approval_history = sa.Table(
    "approval_history",
    metadata,
    sa.Column("entry_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("approval_id", sa.String(36), nullable=False),
    sa.Column("task_id", sa.String(36)),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
)

# ---- policies, organisation and averages (A2; migration 0003)

# A policy's current version; every saved version is in approval_policy_versions.
approval_policies = sa.Table(
    "approval_policies",
    metadata,
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

approval_policy_versions = sa.Table(
    "approval_policy_versions",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("policy_id", sa.String(36), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(20), nullable=False),  # created | updated | deleted
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("comment", sa.String(500), nullable=False),
    sa.Column("changed_by", sa.String(64), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

approval_departments = sa.Table(
    "approval_departments",
    metadata,
    sa.Column("department_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("head_id", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

approval_department_members = sa.Table(
    "approval_department_members",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("department_id", sa.String(36), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
)

approval_rep_profiles = sa.Table(
    "approval_rep_profiles",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("rep_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("team", sa.String(200), nullable=False),
    sa.Column("manager_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

approval_delegations = sa.Table(
    "approval_delegations",
    metadata,
    sa.Column("delegation_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("deputy_id", sa.String(64), nullable=False),
    sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("cancelled_at", sa.DateTime(timezone=True)),
)

# One row per won opportunity (the latest won amount counts once, however often
# the event is delivered or the opportunity re-won), and running sums per
# (region, product line) that the rows add to.
approval_won_contracts = sa.Table(
    "approval_won_contracts",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("opportunity_id", sa.String(64), primary_key=True),
    sa.Column("region", sa.String(200), nullable=False),
    sa.Column("product_line", sa.String(200), nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
)

approval_contract_averages = sa.Table(
    "approval_contract_averages",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("region", sa.String(200), primary_key=True),
    sa.Column("product_line", sa.String(200), primary_key=True),
    sa.Column("total_minor", sa.BigInteger, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
)

# ---- SLA timers (A3; migration 0004): one row per task with a deadline

approval_timers = sa.Table(
    "approval_timers",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("approval_id", sa.String(36), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("fired", sa.Integer, nullable=False),  # reminders sent (+1 once the outcome is applied)
    sa.Column("status", sa.String(20), nullable=False),  # scheduled | done | cancelled
)
