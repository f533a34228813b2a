"""All SQL of delegation windows."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_delegations as t
from approval.domain.organisation import Delegation


def _delegation(row: sa.Row) -> Delegation:
    data = dict(row._mapping)
    for key in ("starts_at", "ends_at", "created_at"):
        data[key] = as_utc(data[key])
    data["cancelled_at"] = data["cancelled_at"] and as_utc(data["cancelled_at"])
    return Delegation(**data)


class DelegationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, delegation: Delegation) -> None:
        await self.session.execute(sa.insert(t).values(**asdict(delegation)))

    async def get(self, tenant_id: str, delegation_id: str) -> Delegation | None:
        row = (
            await self.session.execute(
                sa.select(t).where(t.c.tenant_id == tenant_id, t.c.delegation_id == delegation_id)
            )
        ).first()
        return _delegation(row) if row else None

    async def cancel(self, tenant_id: str, delegation_id: str, at: datetime) -> bool:
        result = await self.session.execute(
            sa.update(t)
            .where(t.c.tenant_id == tenant_id, t.c.delegation_id == delegation_id, t.c.cancelled_at.is_(None))
            .values(cancelled_at=at)
        )
        return result.rowcount == 1

    async def of_user(self, tenant_id: str, user_id: str, *, after: datetime | None = None) -> list[Delegation]:
        """The user's windows not cancelled (ending after `after`), by start."""
        query = sa.select(t).where(t.c.tenant_id == tenant_id, t.c.user_id == user_id, t.c.cancelled_at.is_(None))
        if after is not None:
            query = query.where(t.c.ends_at > after)
        return [_delegation(r) for r in await self.session.execute(query.order_by(t.c.starts_at))]

    async def covering(self, tenant_id: str, user_ids: list[str], now: datetime) -> dict[str, Delegation]:
        """Each of the users' window covering `now`, by user."""
        if not user_ids:
            return {}
        rows = await self.session.execute(
            sa.select(t).where(
                t.c.tenant_id == tenant_id,
                t.c.user_id.in_(user_ids),
                t.c.cancelled_at.is_(None),
                t.c.starts_at <= now,
                t.c.ends_at > now,
            )
        )
        return {d.user_id: d for d in map(_delegation, rows)}

    async def list(self, tenant_id: str, user_id: str = "", *, include_past: bool, now: datetime) -> list[Delegation]:
        """Windows of the tenant (of `user_id`, as approver or deputy, when given), by start."""
        query = sa.select(t).where(t.c.tenant_id == tenant_id)
        if user_id:
            query = query.where(sa.or_(t.c.user_id == user_id, t.c.deputy_id == user_id))
        if not include_past:
            query = query.where(t.c.ends_at > now, t.c.cancelled_at.is_(None))
        return [_delegation(r) for r in await self.session.execute(query.order_by(t.c.starts_at).limit(500))]
