"""Read-only SQL for the inbox, outbox, team view, bottleneck report and
metrics, over A1's approval_requests / approval_tasks and A2's rep profiles
(plus the SLA timers' reminder counts). Works on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_rep_profiles as profiles
from approval.adapters.orm import approval_requests as r
from approval.adapters.orm import approval_tasks as t
from approval.adapters.orm import approval_timers as timers
from approval.domain.report import COUNTED, Cell


def _at(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


@dataclass(frozen=True)
class InboxRow:
    task_id: str
    approval_id: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    stage_id: str
    step_id: str
    step_name: str
    amount_minor: int
    currency: str
    impact_scope: str
    requested_by: str
    started_at: datetime
    due_at: datetime | None
    reminders: int
    escalated: bool
    original_assignee: str


@dataclass(frozen=True)
class RequestRow:
    approval_id: str
    kind: str
    subject_type: str
    subject_id: str
    title: str
    status: str
    stale: bool
    amount_minor: int
    currency: str
    impact_scope: str
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None
    waiting_on: tuple[str, ...] = ()
    next_due_at: datetime | None = None
    overdue: bool = False  # by domain.sla.overdue on next_due_at (the handler sets it, on its clock)


@dataclass(frozen=True)
class InboxAfter:
    """The keyset of the inbox order: tasks with a deadline first by it, then those without; task id breaks ties."""

    no_due: bool
    due_at: datetime | None
    task_id: str


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------ inbox
    async def inbox(
        self, tenant_id: str, assignee: str, *, kind: str, impact_scope: str, dated_only: bool,
        after: InboxAfter | None, limit: int,
    ) -> list[InboxRow]:
        """The assignee's pending tasks of pending requests, by deadline (none
        last), after the keyset; `dated_only`: only those with a deadline."""
        fired = (
            sa.select(timers.c.fired)
            .where(timers.c.tenant_id == t.c.tenant_id, timers.c.task_id == t.c.task_id)
            .scalar_subquery()
        )
        query = (
            sa.select(
                t.c.task_id, t.c.approval_id, r.c.kind, r.c.subject_type, r.c.subject_id, r.c.title, t.c.stage_id,
                t.c.step_id, t.c.step_name, r.c.amount_minor, r.c.currency, r.c.impact_scope, r.c.requested_by,
                t.c.started_at, t.c.due_at, sa.func.coalesce(fired, 0), t.c.escalated, t.c.original_assignee,
            )
            .select_from(t.join(r, r.c.approval_id == t.c.approval_id))
            .where(t.c.tenant_id == tenant_id, t.c.assignee == assignee, t.c.status == "pending",
                   r.c.tenant_id == tenant_id, r.c.status == "pending")
        )
        if kind:
            query = query.where(r.c.kind == kind)
        if impact_scope:
            query = query.where(r.c.impact_scope == impact_scope)
        # Two index-ordered reads (tasks with a deadline by it, then those
        # without by id) instead of one sort of the approver's every task.
        rows: list = []
        if after is None or not after.no_due:
            dated = query.where(t.c.due_at.is_not(None))
            if after is not None:
                dated = dated.where(sa.tuple_(t.c.due_at, t.c.task_id) > sa.tuple_(after.due_at, after.task_id))
            rows += (await self.session.execute(dated.order_by(t.c.due_at, t.c.task_id).limit(limit))).all()
        if len(rows) < limit and not dated_only:
            undated = query.where(t.c.due_at.is_(None))
            if after is not None and after.no_due:
                undated = undated.where(t.c.task_id > after.task_id)
            rows += (await self.session.execute(undated.order_by(t.c.task_id).limit(limit - len(rows)))).all()
        return [
            InboxRow(*row[:13], as_utc(row[13]), _at(row[14]), int(row[15]), bool(row[16]), row[17] or "")
            for row in rows
        ]

    # ------------------------------------------------------------ outbox and team view
    async def requests_of(
        self, tenant_id: str, requesters: Sequence[str] | None, *, kind: str, status: str,
        after: tuple[datetime, str] | None, limit: int,
    ) -> list[RequestRow]:
        """Requests made by `requesters` (None: anyone in the tenant), newest first."""
        query = sa.select(
            r.c.approval_id, r.c.kind, r.c.subject_type, r.c.subject_id, r.c.title, r.c.status, r.c.stale,
            r.c.amount_minor, r.c.currency, r.c.impact_scope, r.c.requested_by, r.c.requested_at, r.c.decided_at,
        ).where(r.c.tenant_id == tenant_id)
        if requesters is not None:
            if not requesters:
                return []
            query = query.where(r.c.requested_by.in_(list(requesters)))
        if kind:
            query = query.where(r.c.kind == kind)
        if status:
            query = query.where(r.c.status == status)
        if after is not None:
            at, approval_id = after
            query = query.where(
                sa.or_(r.c.requested_at < at, sa.and_(r.c.requested_at == at, r.c.approval_id < approval_id))
            )
        query = query.order_by(r.c.requested_at.desc(), r.c.approval_id.desc()).limit(limit)
        found = [
            RequestRow(*row[:6], bool(row[6]), *row[7:11], as_utc(row[11]), _at(row[12]))
            for row in (await self.session.execute(query)).all()
        ]
        return await self._with_waiting(tenant_id, found)

    async def _with_waiting(self, tenant_id: str, found: list[RequestRow]) -> list[RequestRow]:
        if not found:
            return []
        rows = await self.session.execute(
            sa.select(t.c.approval_id, t.c.assignee, t.c.due_at)
            .where(t.c.tenant_id == tenant_id, t.c.approval_id.in_([x.approval_id for x in found]),
                   t.c.status == "pending")
            .order_by(t.c.started_at, t.c.task_id)
        )
        waiting: dict[str, list[str]] = {}
        due: dict[str, datetime] = {}
        for approval_id, assignee, due_at in rows:
            waiting.setdefault(approval_id, []).append(assignee)
            if due_at is not None:
                due_at = as_utc(due_at)
                due[approval_id] = min(due.get(approval_id, due_at), due_at)
        out = []
        for x in found:
            people = tuple(dict.fromkeys(waiting.get(x.approval_id, ()))) if x.status == "pending" else ()
            out.append(replace(x, waiting_on=people, next_due_at=due.get(x.approval_id) if people else None))
        return out

    async def team_of(self, tenant_id: str, manager_id: str) -> list[str]:
        """The reps whose manager is `manager_id` in the rep profiles."""
        rows = await self.session.execute(
            sa.select(profiles.c.rep_id).where(profiles.c.tenant_id == tenant_id, profiles.c.manager_id == manager_id)
        )
        return [row[0] for row in rows]

    # ------------------------------------------------------------ bottleneck report
    async def decided_cells(
        self, tenant_id: str, start: datetime, end: datetime, kind: str, requesters: Sequence[str] | None = None
    ) -> list[Cell]:
        """Tasks decided in [start, end) with a status the report counts (of
        requests made by `requesters`; None: anyone's), grouped by policy,
        stage, step, department, approver, status and escalated flag, with how
        many were decided late as the engine recorded it: the facts, for
        domain/report.py to judge. Each group's dwell values come back as one
        text list (group_concat / string_agg): a few rows instead of one per task."""
        working = sa.func.coalesce(t.c.dwell_working_seconds, 0)
        wall = sa.func.coalesce(t.c.dwell_seconds, 0)
        department = sa.func.coalesce(t.c.department_id, "")
        keys = (r.c.policy_id, t.c.stage_id, t.c.step_id, department, t.c.assignee, t.c.status, t.c.escalated)
        query = (
            sa.select(
                *keys, sa.func.max(t.c.step_name), _listed(self._dialect, working), _listed(self._dialect, wall),
                sa.func.sum(sa.cast(t.c.late, sa.Integer)),
            )
            .select_from(t.join(r, r.c.approval_id == t.c.approval_id))
            .where(t.c.tenant_id == tenant_id, t.c.decided_at >= start, t.c.decided_at < end,
                   t.c.status.in_(COUNTED), r.c.tenant_id == tenant_id)
            .group_by(*keys)
        )
        if kind:
            query = query.where(r.c.kind == kind)
        if requesters is not None:
            query = query.where(r.c.requested_by.in_(list(requesters)))
        cells = []
        for policy_id, stage_id, step_id, dept, who, status, up, name, works, walls, late in await self.session.execute(
            query
        ):
            cells.append(Cell(policy_id, stage_id, step_id, name, dept, who, _ints(works), _ints(walls),
                              late=int(late or 0), status=status, escalated=bool(up)))
        return cells

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    # ------------------------------------------------------------ metrics
    async def open_and_overdue(self, now: datetime) -> dict[str, tuple[int, int]]:
        """Open tasks per tenant, and of them overdue now: counted here, across
        tenants, as domain.sla.overdue says (a deadline at or before now)."""
        rows = await self.session.execute(
            sa.select(
                t.c.tenant_id,
                sa.func.count(),
                sa.func.sum(sa.case((sa.and_(t.c.due_at.is_not(None), t.c.due_at <= now), 1), else_=0)),
            )
            .where(t.c.status == "pending")
            .group_by(t.c.tenant_id)
        )
        return {tenant: (int(n), int(late or 0)) for tenant, n, late in rows}

    async def decided_between(self, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
        """(kind, dwell, working dwell) of tasks decided in (start, end]."""
        rows = await self.session.execute(
            sa.select(r.c.kind, sa.func.coalesce(t.c.dwell_seconds, 0), sa.func.coalesce(t.c.dwell_working_seconds, 0))
            .select_from(t.join(r, r.c.approval_id == t.c.approval_id))
            .where(t.c.decided_at > start, t.c.decided_at <= end, t.c.status.in_(COUNTED))
        )
        return [(kind, int(a), int(b)) for kind, a, b in rows]


def _listed(dialect: str, column: sa.ColumnElement) -> sa.ColumnElement:
    """The group's values as one comma-separated text."""
    if dialect == "postgresql":
        return sa.func.string_agg(sa.cast(column, sa.Text), ",")
    return sa.func.group_concat(column, ",")


def _ints(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)
