"""All SQL of the rep profiles approval keeps from `rep.profile_changed`."""

from __future__ import annotations

import sqlalchemy as sa
from crm_shared.rep_profiles import ProfileStore, RepProfile

from approval.adapters.orm import approval_rep_profiles as t

MAX_CHAIN = 20  # profiles read walking up one manager chain


class ProfileRepository(ProfileStore):
    table = t

    async def chain(self, tenant_id: str, rep_id: str, levels: int) -> dict[str, RepProfile]:
        """The profiles of the rep and those above them, `levels` deep (and a
        few more, to step over inactive managers), by rep id."""
        out: dict[str, RepProfile] = {}
        current = rep_id
        for _ in range(min(levels + 5, MAX_CHAIN) + 1):
            if not current or current in out:
                break
            profile = await self.get(tenant_id, current)
            if profile is None:
                break
            out[current] = profile
            current = profile.manager_id
        return out

    async def managers(self, tenant_id: str) -> tuple[str, ...]:
        """Everyone an active profile names as manager."""
        rows = await self.session.execute(
            sa.select(t.c.manager_id)
            .where(t.c.tenant_id == tenant_id, t.c.active.is_(True), t.c.manager_id != "")
            .distinct()
            .order_by(t.c.manager_id)
        )
        return tuple(m for (m,) in rows)
