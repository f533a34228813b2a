"""SQL of the rep profiles finance keeps from `rep.profile_changed` (who manages whom)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from crm_shared.rep_profiles import ProfileStore

from finance_reconciliation.adapters.orm.projections import finance_rep_profiles as t


class RepProfileRepository(ProfileStore):
    table = t

    async def reports_of(self, tenant_id: str, manager_id: str) -> set[str]:
        """The reps whose profile names `manager_id` as their manager (left
        ones too: what they still have owing is the team's)."""
        rows = await self.session.execute(
            sa.select(t.c.rep_id).where(t.c.tenant_id == tenant_id, t.c.manager_id == manager_id)
        )
        return {r for (r,) in rows}

    async def managers_of(self, tenant_id: str, rep_ids: Collection[str]) -> dict[str, str]:
        """rep -> their manager, for the reps that have one."""
        if not rep_ids:
            return {}
        rows = await self.session.execute(
            sa.select(t.c.rep_id, t.c.manager_id).where(
                t.c.tenant_id == tenant_id, t.c.rep_id.in_(list(rep_ids)), t.c.manager_id != ""
            )
        )
        return {rep: manager for rep, manager in rows}
