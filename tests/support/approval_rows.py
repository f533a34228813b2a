"""Approval requests and tasks written straight into approval's tables, for
tests and benchmarks that need a history (thousands of decided tasks, an
inbox of open ones) without walking each request through the engine."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import sqlalchemy as sa
from approval.adapters.approval_repository import _request_row
from approval.adapters.orm import approval_requests, approval_tasks
from approval.domain.approval import ApprovalRequest, ApprovalTask
from approval.domain.policy import ApproverRule, Policy, SlaRule, Stage, Step
from approval.domain.sla import overdue
from crm_shared.db import Database
from crm_shared.ids import new_id

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Shanghai


def plan(tenant_id: str, *steps: Step, policy_id: str = "p-contract") -> Policy:
    return Policy(
        policy_id=policy_id, tenant_id=tenant_id, kind="contract", name="合同审批", version=1, position=0,
        criteria="", is_default=True, stages=(Stage("review", "评审", steps),),
    )


def sla_step(step_id: str, user: str, *rules: SlaRule) -> Step:
    return Step(step_id, step_id, ApproverRule("user", user), sla=rules)


def request(tenant_id: str, policy: Policy, *, requested_by: str = "zhangwei", kind: str = "contract",
            impact_scope: str = "", status: str = "pending", at: datetime = NOW, amount_minor: int = 100_000_00,
            title: str = "合同评审") -> ApprovalRequest:
    return ApprovalRequest(
        approval_id=new_id(), tenant_id=tenant_id, kind=kind, subject_type="opportunity", subject_id=new_id(),
        title=title, facts={}, impact_scope=impact_scope, amount_minor=amount_minor, currency="CNY",
        document_version_id=None, document_sha256="", policy=policy, status=status, stale=False, current_stage=0,
        round=1, locked_fields=(), requested_by=requested_by, requested_at=at, decided_at=None, decided_by="",
        decision_comment="", channel="web",
    )


def task(r: ApprovalRequest, step_id: str, assignee: str, *, started_at: datetime | None = None,
         due_at: datetime | None = None, status: str = "pending", department_id: str | None = None,
         decided_at: datetime | None = None, dwell: int | None = None, dwell_working: int | None = None,
         escalated: bool = False) -> ApprovalTask:
    slot = new_id()
    return ApprovalTask(
        task_id=new_id(), tenant_id=r.tenant_id, approval_id=r.approval_id, round=1, stage_index=0, stage_id="review",
        step_id=step_id, step_name=step_id, assignee=assignee, mode="all", status=status, position=0, group_id="",
        slot_id=slot, started_at=started_at or r.requested_at, department_id=department_id, due_at=due_at,
        decided_at=decided_at, dwell_seconds=dwell, dwell_working_seconds=dwell_working, escalated=escalated,
        # As the engine records a decision: late when its deadline had come by then.
        late=decided_at is not None and overdue(due_at, decided_at),
    )


async def insert(db: Database, requests: list[ApprovalRequest], tasks: list[ApprovalTask], chunk: int = 2000) -> None:
    """Bulk insert (executemany), in chunks."""
    async with db.sessions() as session, session.begin():
        rows = [_request_row(r) for r in requests]
        for i in range(0, len(rows), chunk):
            await session.execute(sa.insert(approval_requests), rows[i : i + chunk])
        task_rows = [asdict(t) for t in tasks]
        for i in range(0, len(task_rows), chunk):
            await session.execute(sa.insert(approval_tasks), task_rows[i : i + chunk])
