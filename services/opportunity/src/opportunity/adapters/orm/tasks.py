"""Tasks the timers and rules make for reps and managers (task_repository)."""

import sqlalchemy as sa

from opportunity.adapters.orm.base import metadata

tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("task_id", sa.String(36), primary_key=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("owner_id", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(36)),
    sa.Column("opportunity_id", sa.String(36)),
    sa.Column("rule", sa.String(50), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("completed_by", sa.String(64)),
    # The occasion that made the task: a timer rerun finds it taken.
    sa.Column("key", sa.String(300), nullable=False),
    # 0004: an ECN's confirmation task (the notice, the order's contract, the customer's answer, the escalation).
    sa.Column("ecn_id", sa.String(36)),
    sa.Column("contract_id", sa.String(36)),
    sa.Column("answer", sa.String(20)),
    sa.Column("answer_note", sa.String(500)),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("tenant_id", "key", name="uq_tasks_tenant_key"),
)
