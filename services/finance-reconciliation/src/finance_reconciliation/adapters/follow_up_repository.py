"""SQL of follow_up_actions: one row per action key, inserted at most once;
listed by scope, paged by (created_at, key); marked done once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.follow_up import follow_up_actions
from finance_reconciliation.adapters.orm.plans import instalments
from finance_reconciliation.domain.follow_up import DONE, OPEN, SKIPPED, Action, FollowUp

f = follow_up_actions


def _follow_up(row: sa.Row) -> FollowUp:
    return FollowUp(
        follow_up_id=row.action_key, kind=row.kind, instalment_id=row.instalment_id, customer_id=row.customer_id,
        owner_id=row.owner_id, assignee=row.assignee, days=row.days, outstanding_minor=row.outstanding_minor,
        currency=row.currency, status=row.status, created_at=as_utc(row.created_at), done_by=row.done_by,
        done_at=as_utc(row.done_at) if row.done_at else None, note=row.note,
    )


class FollowUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, tenant_id: str, action: Action, customer_id: str, owner_id: str, at: datetime) -> bool:
        """False when another run already wrote this key (then it does nothing)."""
        stmt = upsert_insert(self.session, f).values(
            tenant_id=tenant_id, action_key=action.key, kind=action.kind, instalment_id=action.instalment_id,
            customer_id=customer_id, owner_id=owner_id, assignee=action.assignee, days=action.days,
            outstanding_minor=action.outstanding_minor, currency=action.currency,
            status=SKIPPED if action.kind == SKIPPED else OPEN, created_at=at,
        ).on_conflict_do_nothing(index_elements=["tenant_id", "action_key"])
        return (await self.session.execute(stmt)).rowcount == 1

    async def keys(self, tenant_id: str) -> set[str]:
        """Every key acted on (open, done or skipped)."""
        rows = await self.session.execute(sa.select(f.c.action_key).where(f.c.tenant_id == tenant_id))
        return {k for (k,) in rows}

    async def get(self, tenant_id: str, follow_up_id: str) -> FollowUp | None:
        row = (
            await self.session.execute(sa.select(f).where(f.c.tenant_id == tenant_id, f.c.action_key == follow_up_id))
        ).first()
        return _follow_up(row) if row else None

    async def page(
        self,
        tenant_id: str,
        assignees: Collection[str] | None,
        status: str,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[FollowUp]:
        """Oldest first. assignees None: the tenant's, the legal queue
        included; else what is assigned to one of them (domain visible())."""
        q = sa.select(f).where(f.c.tenant_id == tenant_id, f.c.status != SKIPPED)
        if assignees is not None:
            q = q.where(f.c.assignee.in_(sorted(assignees)))
        if status:
            q = q.where(f.c.status == status)
        if after is not None:
            at, key = after
            q = q.where(sa.or_(f.c.created_at > at, sa.and_(f.c.created_at == at, f.c.action_key > key)))
        rows = await self.session.execute(q.order_by(f.c.created_at, f.c.action_key).limit(limit))
        return [_follow_up(r) for r in rows]

    async def mark_done(self, tenant_id: str, follow_up_id: str, by: str, at: datetime, note: str) -> bool:
        """False when it is not open (any more): a second completion changes nothing."""
        updated = await self.session.execute(
            sa.update(f)
            .where(f.c.tenant_id == tenant_id, f.c.action_key == follow_up_id, f.c.status == OPEN)
            .values(status=DONE, done_by=by, done_at=at, note=note)
        )
        return updated.rowcount == 1

    async def tenants_with_instalments(self) -> list[str]:
        rows = await self.session.execute(sa.select(instalments.c.tenant_id).distinct())
        return sorted(t for (t,) in rows)
