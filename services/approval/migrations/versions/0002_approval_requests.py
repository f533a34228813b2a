"""approval requests, tasks and their history (the request engine)

The one-decision `approvals` table is replaced: its decided requests are
kept as requests of kind "quote" run by a one-step manager policy; a request
still pending there cannot go on under the engine (it has no tasks) and is
kept as voided, saying why in its history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_LEGACY_PLAN = {
    "kind": "quote", "name": "legacy", "position": 0, "criteria": "", "is_default": True, "locked_fields": [],
    "skip_repeat_approvers": False, "allow_batch": True, "recall_while": "undecided", "fallback_user": "admin",
    "active": True, "notes": [],
    "stages": [{"stage_id": "legacy", "name": "审批", "steps": [{
        "step_id": "legacy", "name": "主管审批", "approvers": {"kind": "manager", "value": "", "level": 1},
        "mode": "all", "k": 0, "ratio_percent": 0, "veto": False, "on_reject": "reject",
        "send_back_to": "requester", "sla": []}]}],
}


def upgrade() -> None:
    op.create_table(
        "approval_requests",
        sa.Column("approval_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject_type", sa.String(50), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("impact_scope", sa.String(100), nullable=False, server_default=""),
        sa.Column("amount_minor", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("currency", sa.String(3), nullable=False, server_default="CNY"),
        sa.Column("document_id", sa.String(64), nullable=True),
        sa.Column("document_version_id", sa.String(64), nullable=True),
        sa.Column("document_sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stale", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("current_stage", sa.Integer, nullable=False, server_default="0"),
        sa.Column("round", sa.Integer, nullable=False, server_default="1"),
        sa.Column("locked_fields", sa.JSON, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("decision_comment", sa.Text, nullable=False, server_default=""),
        sa.Column("channel", sa.String(20), nullable=False, server_default=""),
        sa.Column("cc_users", sa.JSON, nullable=False),
        sa.Column("last_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    # At most one pending request per subject and kind, even when two submits race.
    pending = sa.text("status = 'pending'")
    op.create_index(
        "ux_approval_requests_one_pending", "approval_requests", ["tenant_id", "subject_type", "subject_id", "kind"],
        unique=True, sqlite_where=pending, postgresql_where=pending,
    )
    op.create_index("ix_approval_requests_subject", "approval_requests",
                    ["tenant_id", "subject_type", "subject_id", "requested_at"])
    op.create_index("ix_approval_requests_document", "approval_requests", ["tenant_id", "document_id"])
    op.create_index("ix_approval_requests_requester", "approval_requests", ["tenant_id", "requested_by", "status"])

    op.create_table(
        "approval_tasks",
        sa.Column("task_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("approval_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("stage_index", sa.Integer, nullable=False),
        sa.Column("stage_id", sa.String(64), nullable=False),
        sa.Column("step_id", sa.String(64), nullable=False),
        sa.Column("step_name", sa.String(200), nullable=False),
        sa.Column("department_id", sa.String(64), nullable=True),
        sa.Column("assignee", sa.String(64), nullable=False),
        sa.Column("original_assignee", sa.String(64), nullable=True),
        sa.Column("delegated_from", sa.String(64), nullable=True),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("group_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("slot_id", sa.String(36), nullable=False),
        sa.Column("placement", sa.String(20), nullable=False, server_default=""),
        sa.Column("added_by", sa.String(36), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("dwell_seconds", sa.BigInteger, nullable=True),
        sa.Column("dwell_working_seconds", sa.BigInteger, nullable=True),
        sa.Column("escalated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reminders", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_approval_tasks_request", "approval_tasks", ["tenant_id", "approval_id"])
    op.create_index("ix_approval_tasks_assignee", "approval_tasks", ["tenant_id", "assignee", "status"])

    op.create_table(
        "approval_history",
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("approval_id", sa.String(36), nullable=False),
        sa.Column("task_id", sa.String(36), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("channel", sa.String(20), nullable=False, server_default=""),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_approval_history_request", "approval_history", ["tenant_id", "approval_id", "at"])

    _carry_over_legacy()
    op.drop_index("ux_approvals_one_pending", table_name="approvals")
    op.drop_table("approvals")


def _carry_over_legacy() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT * FROM approvals")).mappings().all()
    json_columns = {"facts", "plan", "locked_fields", "cc_users", "details"}

    def table(name: str, *columns: str) -> sa.TableClause:
        return sa.table(name, *(sa.column(c, sa.JSON if c in json_columns else None) for c in columns))

    requests = table(
        "approval_requests", "approval_id", "tenant_id", "kind", "subject_type", "subject_id", "title", "facts",
        "document_version_id", "policy_id", "policy_version", "plan", "status", "locked_fields", "requested_by",
        "requested_at", "decided_at", "decided_by", "decision_comment", "cc_users",
    )
    history = table(
        "approval_history", "entry_id", "tenant_id", "approval_id", "at", "actor", "action", "comment", "channel",
        "details",
    )
    for r in rows:
        status = "voided" if r["status"] == "pending" else r["status"]
        bind.execute(sa.insert(requests).values(
            approval_id=r["approval_id"], tenant_id=r["tenant_id"], kind="quote", subject_type=r["subject_type"],
            subject_id=r["subject_id"], title=r["reason"] or "", facts={},
            document_version_id=r["document_version_id"], policy_id="legacy", policy_version=1, plan=_LEGACY_PLAN,
            status=status, locked_fields=[], requested_by=r["requested_by"], requested_at=r["requested_at"],
            decided_at=r["decided_at"], decided_by=r["decided_by"] or "", decision_comment=r["comment"] or "",
            cc_users=[],
        ))
        if r["status"] == "pending":
            bind.execute(sa.insert(history).values(
                entry_id=f"legacy-{r['approval_id']}"[:36], tenant_id=r["tenant_id"], approval_id=r["approval_id"],
                at=r["requested_at"], actor="system", action="voided", channel="system", details={},
                comment="pending under the one-decision approvals it replaced; submit it again",
            ))


def downgrade() -> None:
    op.drop_table("approval_history")
    op.drop_table("approval_tasks")
    op.drop_table("approval_requests")
    op.create_table(
        "approvals",
        sa.Column("approval_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(50), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("document_version_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    )
    pending = sa.text("status = 'pending'")
    op.create_index("ux_approvals_one_pending", "approvals", ["tenant_id", "subject_type", "subject_id"],
                    unique=True, sqlite_where=pending, postgresql_where=pending)
