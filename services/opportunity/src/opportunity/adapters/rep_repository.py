"""SQL of the local projection of rep profiles (from rep.profile_changed).
Every query is scoped by tenant."""

from __future__ import annotations

import sqlalchemy as sa
from crm_shared.rep_profiles import ProfileStore

from opportunity.adapters.orm.reps import reps


class RepRepository(ProfileStore):
    """put (an older announcement redelivered late writes nothing) and get come from crm_shared."""

    table = reps

    async def reps_managed_by(self, tenant_id: str, manager_id: str) -> list[str]:
        """The reps whose manager is `manager_id` (active or not: a leaving
        rep's customers stay visible to the manager until reassigned)."""
        query = (
            sa.select(reps.c.rep_id)
            .where(reps.c.tenant_id == tenant_id, reps.c.manager_id == manager_id)
            .order_by(reps.c.rep_id)
        )
        return list((await self.session.scalars(query)).all())

    async def manager_of(self, tenant_id: str, rep_id: str) -> str | None:
        query = sa.select(reps.c.manager_id).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        return await self.session.scalar(query) or None
