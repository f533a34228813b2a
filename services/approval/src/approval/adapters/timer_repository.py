"""All SQL of SLA timers (table approval_timers): one row per task with a
deadline. `fired` counts the firings already done (reminders, then the
outcome); a firing moves the row with a compare-and-set on it, in the same
transaction as its reminder or outcome, so a job run twice, or a replica
dying mid-way, neither doubles nor loses one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_timers as t

SCHEDULED = "scheduled"
DONE = "done"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Timer:
    tenant_id: str
    task_id: str
    approval_id: str
    due_at: datetime
    fired: int
    status: str


def _timer(row: sa.Row) -> Timer:
    m = row._mapping
    return Timer(m["tenant_id"], m["task_id"], m["approval_id"], as_utc(m["due_at"]), m["fired"], m["status"])


class TimerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def schedule(self, tenant_id: str, approval_id: str, task_id: str, due_at: datetime) -> None:
        """(Re)arm the task's timer: due at `due_at`, nothing fired yet."""
        await self.session.execute(sa.delete(t).where(t.c.tenant_id == tenant_id, t.c.task_id == task_id))
        await self.session.execute(
            sa.insert(t).values(
                tenant_id=tenant_id, task_id=task_id, approval_id=approval_id, due_at=due_at, fired=0, status=SCHEDULED
            )
        )

    async def cancel_for_task(self, tenant_id: str, task_id: str) -> None:
        """The task was decided (or cancelled): its timer never fires again."""
        await self.session.execute(
            sa.update(t)
            .where(t.c.tenant_id == tenant_id, t.c.task_id == task_id, t.c.status == SCHEDULED)
            .values(status=CANCELLED)
        )

    async def get(self, tenant_id: str, task_id: str) -> Timer | None:
        row = (await self.session.execute(sa.select(t).where(t.c.tenant_id == tenant_id, t.c.task_id == task_id))).first()
        return _timer(row) if row else None

    async def due(self, now: datetime, limit: int) -> list[Timer]:
        """Scheduled timers due at or before `now`, oldest first."""
        rows = await self.session.execute(
            sa.select(t).where(t.c.status == SCHEDULED, t.c.due_at <= now).order_by(t.c.due_at).limit(limit)
        )
        return [_timer(r) for r in rows]

    async def advance(self, timer: Timer, *, due_at: datetime | None, status: str = SCHEDULED) -> bool:
        """Record one firing of `timer` as it was read: True when this caller
        won it (the row was still at `timer.fired`), False when another did."""
        values: dict[str, object] = {"fired": timer.fired + 1, "status": status}
        if due_at is not None:
            values["due_at"] = due_at
        result = await self.session.execute(
            sa.update(t)
            .where(
                t.c.tenant_id == timer.tenant_id,
                t.c.task_id == timer.task_id,
                t.c.status == SCHEDULED,
                t.c.fired == timer.fired,
            )
            .values(**values)
        )
        return result.rowcount == 1

    async def close_after_outcome(self, timer: Timer) -> bool:
        """The outcome of `timer` was applied (the engine has cancelled the
        timer of the task it handed on): record it as done, once."""
        result = await self.session.execute(
            sa.update(t)
            .where(
                t.c.tenant_id == timer.tenant_id,
                t.c.task_id == timer.task_id,
                t.c.status.in_((SCHEDULED, CANCELLED)),
                t.c.fired == timer.fired,
            )
            .values(fired=timer.fired + 1, status=DONE)
        )
        return result.rowcount == 1
