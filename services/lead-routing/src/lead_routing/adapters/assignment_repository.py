"""All SQL of assignments, reclaim cool-downs and the history of owner changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks
from crm_shared.ids import new_id
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.assignments import assignments, cooldowns, owner_changes
from lead_routing.domain.assignment import Assignment, Explanation
from lead_routing.domain.ownership import OwnerChange


def _when(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _to_assignment(row: sa.Row) -> Assignment:
    data = dict(row._mapping)
    for name in ("assigned_at", "first_touch_due", "first_touched_at", "ended_at"):
        data[name] = _when(data[name])
    data["explanation"] = Explanation.from_json(data["explanation"])
    return Assignment(**data)


def _assignment_row(a: Assignment) -> dict[str, Any]:
    # not dataclasses.asdict: its deep copy of every explanation slows a batch of thousands
    return {
        "assignment_id": a.assignment_id,
        "tenant_id": a.tenant_id,
        "lead_id": a.lead_id,
        "rep_id": a.rep_id,
        "mode": a.mode,
        "actor_id": a.actor_id,
        "route_id": a.route_id,
        "route_name": a.route_name,
        "score": a.score,
        "explanation": a.explanation.to_json(),
        "cooldown_hours": a.cooldown_hours,
        "assigned_at": a.assigned_at,
        "first_touch_due": a.first_touch_due,
        "first_touched_at": a.first_touched_at,
        "ended_at": a.ended_at,
        "end_reason": a.end_reason,
    }


def _owner_change_row(tenant_id: str, c: OwnerChange) -> dict[str, Any]:
    return {
        "change_id": new_id(),
        "tenant_id": tenant_id,
        "lead_id": c.lead_id,
        "at": c.at,
        "change": c.change,
        "actor_id": c.actor_id,
        "previous_owner_id": c.previous_owner_id,
        "owner_id": c.owner_id,
        "assignment_id": c.assignment_id,
        "reason": c.reason[:500],
        "details": c.details(),
    }


def _to_owner_change(row: sa.Row) -> OwnerChange:
    details = row.details or {}
    return OwnerChange(
        change=row.change,
        lead_id=row.lead_id,
        actor_id=row.actor_id,
        at=as_utc(row.at),
        previous_owner_id=row.previous_owner_id,
        owner_id=row.owner_id,
        reason=row.reason or "",
        score=details.get("score"),
        rank=int(details.get("rank") or 0),
        candidates=int(details.get("candidates") or 0),
        assignment_id=row.assignment_id,
    )


class AssignmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, done: Sequence[Assignment]) -> None:
        for chunk in in_chunks([_assignment_row(a) for a in done]):
            await self.session.execute(sa.insert(assignments), list(chunk))

    async def get(self, tenant_id: str, assignment_id: str) -> Assignment | None:
        query = sa.select(assignments).where(
            assignments.c.tenant_id == tenant_id, assignments.c.assignment_id == assignment_id
        )
        row = (await self.session.execute(query)).first()
        return _to_assignment(row) if row else None

    async def current(self, tenant_id: str, lead_id: str) -> Assignment | None:
        query = sa.select(assignments).where(
            assignments.c.tenant_id == tenant_id, assignments.c.lead_id == lead_id, assignments.c.ended_at.is_(None)
        )
        row = (await self.session.execute(query)).first()
        return _to_assignment(row) if row else None

    async def latest(self, tenant_id: str, lead_id: str) -> Assignment | None:
        query = (
            sa.select(assignments)
            .where(assignments.c.tenant_id == tenant_id, assignments.c.lead_id == lead_id)
            .order_by(assignments.c.assigned_at.desc(), assignments.c.assignment_id.desc())
            .limit(1)
        )
        row = (await self.session.execute(query)).first()
        return _to_assignment(row) if row else None

    async def end_current(self, tenant_id: str, lead_ids: Sequence[str], reason: str, at: datetime) -> None:
        """End the open assignments of these leads (they change hands)."""
        for chunk in in_chunks(list(lead_ids)):
            await self.session.execute(
                sa.update(assignments)
                .where(
                    assignments.c.tenant_id == tenant_id,
                    assignments.c.lead_id.in_(chunk),
                    assignments.c.ended_at.is_(None),
                )
                .values(ended_at=at, end_reason=reason)
            )

    async def end(self, assignment_id: str, reason: str, at: datetime) -> bool:
        result = await self.session.execute(
            sa.update(assignments)
            .where(assignments.c.assignment_id == assignment_id, assignments.c.ended_at.is_(None))
            .values(ended_at=at, end_reason=reason)
        )
        return result.rowcount == 1

    async def mark_touched(self, assignment_id: str, at: datetime) -> bool:
        result = await self.session.execute(
            sa.update(assignments)
            .where(assignments.c.assignment_id == assignment_id, assignments.c.first_touched_at.is_(None))
            .values(first_touched_at=at)
        )
        return result.rowcount == 1

    async def claims_between(self, tenant_id: str, rep_id: str, start: datetime, end: datetime) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(assignments)
            .where(
                assignments.c.tenant_id == tenant_id,
                assignments.c.rep_id == rep_id,
                assignments.c.mode == "claim",
                assignments.c.assigned_at >= start,
                assignments.c.assigned_at < end,
            )
        )
        return int(await self.session.scalar(query) or 0)

    async def overdue(self, now: datetime, limit: int) -> list[Assignment]:
        """Current assignments whose first-touch deadline passed untouched, every tenant."""
        rows = await self.session.execute(
            sa.select(assignments)
            .where(
                assignments.c.ended_at.is_(None),
                assignments.c.first_touched_at.is_(None),
                assignments.c.first_touch_due <= now,
            )
            .order_by(assignments.c.first_touch_due)
            .limit(limit)
        )
        return [_to_assignment(r) for r in rows.all()]

    # --- cool-downs --------------------------------------------------------------

    async def cooldowns(self, tenant_id: str, lead_ids: Sequence[str]) -> dict[tuple[str, str], datetime]:
        """(lead, rep) -> until, of these leads; past ones included (the caller compares)."""
        out: dict[tuple[str, str], datetime] = {}
        for chunk in in_chunks(list(lead_ids)):
            rows = await self.session.execute(
                sa.select(cooldowns.c.lead_id, cooldowns.c.rep_id, cooldowns.c.until).where(
                    cooldowns.c.tenant_id == tenant_id, cooldowns.c.lead_id.in_(chunk)
                )
            )
            out |= {(a, b): as_utc(until) for a, b, until in rows.all()}
        return out

    async def set_cooldown(self, tenant_id: str, lead_id: str, rep_id: str, until: datetime) -> None:
        await self.session.execute(
            sa.delete(cooldowns).where(cooldowns.c.lead_id == lead_id, cooldowns.c.rep_id == rep_id)
        )
        await self.session.execute(
            sa.insert(cooldowns).values(tenant_id=tenant_id, lead_id=lead_id, rep_id=rep_id, until=until)
        )

    # --- owner changes -------------------------------------------------------------

    async def add_owner_changes(self, tenant_id: str, changes: Sequence[OwnerChange]) -> None:
        for chunk in in_chunks([_owner_change_row(tenant_id, c) for c in changes]):
            await self.session.execute(sa.insert(owner_changes), list(chunk))

    async def latest_owner_change(self, tenant_id: str, lead_id: str) -> OwnerChange | None:
        query = (
            sa.select(owner_changes)
            .where(owner_changes.c.tenant_id == tenant_id, owner_changes.c.lead_id == lead_id)
            .order_by(owner_changes.c.at.desc(), owner_changes.c.change_id.desc())
            .limit(1)
        )
        row = (await self.session.execute(query)).first()
        return _to_owner_change(row) if row else None
