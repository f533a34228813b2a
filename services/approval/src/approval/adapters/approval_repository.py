"""All SQL of approval requests, their tasks and their history. A request
and its tasks change together, guarded by the request's row version: of two
actions on the same request at the same moment, exactly one is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_history, approval_requests, approval_tasks
from approval.adapters.policy_repository import policy_body, policy_from
from approval.domain.approval import ApprovalRequest, ApprovalTask, HistoryEntry

_TASK_TIMES = ("started_at", "due_at", "decided_at")


def _request_row(r: ApprovalRequest) -> dict:
    data = {f.name: getattr(r, f.name) for f in fields(ApprovalRequest) if f.name != "policy"}
    data.update(
        policy_id=r.policy.policy_id,
        policy_version=r.policy.version,
        plan=policy_body(r.policy),
        locked_fields=list(r.locked_fields),
        cc_users=list(r.cc_users),
        facts=dict(r.facts),
    )
    return data


def _to_request(row: sa.Row) -> ApprovalRequest:
    m = dict(row._mapping)
    policy = policy_from(m.pop("plan"), policy_id=m.pop("policy_id"), tenant_id=m["tenant_id"],
                         version=m.pop("policy_version"))
    for key in ("requested_at", "decided_at", "last_reminded_at"):
        m[key] = m[key] and as_utc(m[key])
    m.update(policy=policy, locked_fields=tuple(m["locked_fields"]), cc_users=tuple(m["cc_users"]),
             facts=dict(m["facts"]), stale=bool(m["stale"]))
    return ApprovalRequest(**m)


def _to_task(row: sa.Row) -> ApprovalTask:
    m = dict(row._mapping)
    for key in _TASK_TIMES:
        m[key] = m[key] and as_utc(m[key])
    m["escalated"] = bool(m["escalated"])
    return ApprovalTask(**m)


def _to_entry(row: sa.Row) -> HistoryEntry:
    m = dict(row._mapping)
    m["at"] = as_utc(m["at"])
    m["details"] = dict(m["details"] or {})
    return HistoryEntry(**m)


class ApprovalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, request: ApprovalRequest) -> bool:
        """False when a concurrent submit for the same subject and kind got its
        pending request in first (the partial unique index); the transaction stays usable."""
        return await insert_unless_taken(self.session, sa.insert(approval_requests).values(**_request_row(request)))

    async def get(self, tenant_id: str, approval_id: str) -> ApprovalRequest | None:
        t = approval_requests
        row = (await self.session.execute(
            sa.select(t).where(t.c.tenant_id == tenant_id, t.c.approval_id == approval_id)
        )).first()
        return _to_request(row) if row else None

    async def pending_for(self, tenant_id: str, subject_type: str, subject_id: str, kind: str) -> ApprovalRequest | None:
        t = approval_requests
        row = (await self.session.execute(
            sa.select(t).where(t.c.tenant_id == tenant_id, t.c.subject_type == subject_type,
                               t.c.subject_id == subject_id, t.c.kind == kind, t.c.status == "pending")
        )).first()
        return _to_request(row) if row else None

    async def latest_for(self, tenant_id: str, subject_type: str, subject_id: str, kind: str = "") -> ApprovalRequest | None:
        t = approval_requests
        query = sa.select(t).where(t.c.tenant_id == tenant_id, t.c.subject_type == subject_type,
                                   t.c.subject_id == subject_id)
        if kind:
            query = query.where(t.c.kind == kind)
        row = (await self.session.execute(
            query.order_by(t.c.requested_at.desc(), t.c.approval_id.desc()).limit(1)
        )).first()
        return _to_request(row) if row else None

    async def about_document(self, tenant_id: str, document_id: str) -> list[ApprovalRequest]:
        """Requests about a document that a newer version may void or stale."""
        t = approval_requests
        rows = (await self.session.execute(
            sa.select(t).where(
                t.c.tenant_id == tenant_id, t.c.document_id == document_id,
                sa.or_(t.c.status.in_(("pending", "returned")), sa.and_(t.c.status == "approved", t.c.stale.is_(False))),
            )
        )).all()
        return [_to_request(r) for r in rows]

    async def tasks_of(self, tenant_id: str, approval_id: str) -> list[ApprovalTask]:
        t = approval_tasks
        rows = (await self.session.execute(
            sa.select(t).where(t.c.tenant_id == tenant_id, t.c.approval_id == approval_id)
            .order_by(t.c.round, t.c.stage_index, t.c.started_at, t.c.task_id)
        )).all()
        return [_to_task(r) for r in rows]

    async def task(self, tenant_id: str, task_id: str) -> ApprovalTask | None:
        t = approval_tasks
        row = (await self.session.execute(
            sa.select(t).where(t.c.tenant_id == tenant_id, t.c.task_id == task_id)
        )).first()
        return _to_task(row) if row else None

    async def holds_place(self, tenant_id: str, approval_id: str, user_id: str) -> bool:
        """Whether the user was ever asked on the request (their task, in any state)."""
        t = approval_tasks
        row = (await self.session.execute(
            sa.select(t.c.task_id).where(t.c.tenant_id == tenant_id, t.c.approval_id == approval_id,
                                         t.c.assignee == user_id).limit(1)
        )).first()
        return row is not None

    async def history_of(self, tenant_id: str, approval_id: str) -> list[HistoryEntry]:
        h = approval_history
        rows = (await self.session.execute(
            sa.select(h).where(h.c.tenant_id == tenant_id, h.c.approval_id == approval_id)
            .order_by(h.c.at, h.c.entry_id)
        )).all()
        return [_to_entry(r) for r in rows]

    async def save(
        self, request: ApprovalRequest, before: int, tasks: Iterable[ApprovalTask], new_task_ids: set[str],
        history: Iterable[HistoryEntry],
    ) -> bool:
        """Writes the request only if its row version is still `before` (it
        becomes request.version), then its changed tasks and new history;
        False when another action on the request committed first."""
        t = approval_requests
        row = _request_row(request)
        for key in ("approval_id", "tenant_id", "requested_at", "requested_by"):
            row.pop(key)
        try:
            # A savepoint: a resubmitted request meeting another pending one of its kind (the partial
            # unique index) reads as a lost race, and the transaction stays usable.
            async with self.session.begin_nested():
                result = await self.session.execute(
                    sa.update(t).where(t.c.tenant_id == request.tenant_id, t.c.approval_id == request.approval_id,
                                       t.c.version == before).values(**row)
                )
        except IntegrityError:
            return False
        if result.rowcount != 1:
            return False
        for task in tasks:
            data = asdict(task)
            if task.task_id in new_task_ids:
                await self.session.execute(sa.insert(approval_tasks).values(**data))
            else:
                await self.session.execute(
                    sa.update(approval_tasks)
                    .where(approval_tasks.c.tenant_id == task.tenant_id, approval_tasks.c.task_id == task.task_id)
                    .values(**{k: v for k, v in data.items() if k not in ("task_id", "tenant_id")})
                )
        for entry in history:
            await self.add_history(entry)
        return True

    async def add_tasks(self, tasks: Iterable[ApprovalTask]) -> None:
        for task in tasks:
            await self.session.execute(sa.insert(approval_tasks).values(**asdict(task)))

    async def add_history(self, entry: HistoryEntry) -> None:
        await self.session.execute(sa.insert(approval_history).values(**asdict(entry)))

