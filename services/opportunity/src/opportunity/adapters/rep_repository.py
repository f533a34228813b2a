"""SQL of the local projection of rep profiles (from rep.profile_changed).
Every query is scoped by tenant."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm import reps
from opportunity.adapters.rows import load
from opportunity.domain.rep import Rep


class RepRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, rep: Rep) -> None:
        values = asdict(rep)
        where = (reps.c.tenant_id == rep.tenant_id, reps.c.rep_id == rep.rep_id)
        done = await self.session.execute(sa.update(reps).where(*where).values(**values))
        if not done.rowcount:  # type: ignore[attr-defined]
            await self.session.execute(sa.insert(reps).values(**values))

    async def reps_managed_by(self, tenant_id: str, manager_id: str) -> list[str]:
        """The reps whose manager is `manager_id` (active or not: a leaving
        rep's customers stay visible to the manager until reassigned)."""
        query = (
            sa.select(reps.c.rep_id)
            .where(reps.c.tenant_id == tenant_id, reps.c.manager_id == manager_id)
            .order_by(reps.c.rep_id)
        )
        return list((await self.session.scalars(query)).all())

    async def get(self, tenant_id: str, rep_id: str) -> Rep | None:
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        row = (await self.session.execute(query)).first()
        return load(Rep, row) if row else None

    async def manager_of(self, tenant_id: str, rep_id: str) -> str | None:
        query = sa.select(reps.c.manager_id).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        return await self.session.scalar(query) or None
