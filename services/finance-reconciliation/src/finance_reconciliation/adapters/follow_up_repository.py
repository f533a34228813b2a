"""SQL of follow_up_actions: one row per action key, inserted at most once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm import follow_up_actions, instalments
from finance_reconciliation.domain.follow_up import SKIPPED, Action


class FollowUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, tenant_id: str, action: Action, customer_id: str, at: datetime) -> bool:
        """False when another run already wrote this key (then it does nothing)."""
        stmt = upsert_insert(self.session, follow_up_actions).values(
            tenant_id=tenant_id, action_key=action.key, kind=action.kind, instalment_id=action.instalment_id,
            customer_id=customer_id, assignee=action.assignee, days=action.days,
            outstanding_minor=action.outstanding_minor, currency=action.currency,
            status="skipped" if action.kind == SKIPPED else "open", created_at=at,
        ).on_conflict_do_nothing(index_elements=["tenant_id", "action_key"])
        return (await self.session.execute(stmt)).rowcount == 1

    async def list(self, tenant_id: str, assignee: str | None = None, limit: int = 200) -> list[dict]:
        f = follow_up_actions
        q = sa.select(f).where(f.c.tenant_id == tenant_id, f.c.status != "skipped")
        if assignee is not None:
            q = q.where(f.c.assignee == assignee)
        rows = await self.session.execute(q.order_by(f.c.created_at, f.c.action_key).limit(limit))
        return [dict(r._mapping) for r in rows]

    async def tenants_with_instalments(self) -> list[str]:
        rows = await self.session.execute(sa.select(instalments.c.tenant_id).distinct())
        return sorted(t for (t,) in rows)
