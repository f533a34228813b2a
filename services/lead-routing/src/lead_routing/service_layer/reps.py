"""Rep profiles: writing them, and reading them with their load and conversion rates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm.events.v1 import rep_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, NotFound

from lead_routing.domain.rep import (
    Rep,
    RepInput,
    SegmentRate,
    as_written_by,
    check_may_write,
    conversion_rates,
    may_read,
    rep_list_scope,
    rep_profile,
)
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]


@dataclass(frozen=True)
class RepView:
    rep: Rep
    open_leads: int
    available_today: bool
    overall: SegmentRate
    segments: list[SegmentRate]


class RepHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def put_rep(self, caller: Caller, cmd: RepInput) -> tuple[RepView, bool]:
        """Create or replace a rep profile; `rep.profile_changed` when anything changed."""
        cmd = as_written_by(caller, cmd)
        async with self.uow() as uow:
            now = uow.clock.now()
            existing = await uow.reps.get(caller.tenant_id, cmd.rep_id.strip())
            check_may_write(caller, existing, cmd.manager_id.strip())
            rep = rep_profile(cmd, tenant_id=caller.tenant_id, actor_id=caller.user_id, now=now, existing=existing)
            if existing is not None and existing.same_profile(rep):
                return await self._view(uow, existing), False
            if existing is None:
                if not await uow.reps.add(rep):
                    raise Conflict(f"rep {rep.rep_id} was created at the same moment; retry")
            else:
                await uow.reps.update(rep)
            await uow.publish(
                "rep.profile_changed",
                rep.tenant_id,
                rep.rep_id,
                rep_pb2.RepProfileChanged(
                    rep_id=rep.rep_id,
                    name=rep.name,
                    team=rep.team,
                    manager_id=rep.manager_id,
                    region=rep.region,
                    seniority=rep.seniority,
                    active=rep.active,
                ),
            )
            view = await self._view(uow, rep)
            await uow.commit()
        return view, existing is None

    async def get_rep(self, caller: Caller, rep_id: str) -> RepView:
        async with self.uow() as uow:
            rep = await uow.reps.get(caller.tenant_id, rep_id)
            if rep is None or not may_read(caller, rep):
                raise NotFound(f"rep profile {rep_id} not found")
            return await self._view(uow, rep)

    async def list_reps(self, caller: Caller, team: str) -> list[RepView]:
        """Admins list the tenant's reps, a manager theirs (and their own
        profile), a rep only their own."""
        caller.require_role(*roles.REP_READERS)
        async with self.uow() as uow:
            scope = rep_list_scope(caller)
            if scope.rep_id is not None:
                own = await uow.reps.get(caller.tenant_id, scope.rep_id)
                found = [own] if own and (not team or own.team == team) else []
            else:
                found = await uow.reps.list(caller.tenant_id, manager_id=scope.manager_id, team=team)
            return await self._views(uow, found)

    async def _view(self, uow: LeadRoutingUnitOfWork, rep: Rep) -> RepView:
        return (await self._views(uow, [rep]))[0]

    async def _views(self, uow: LeadRoutingUnitOfWork, found: list[Rep]) -> list[RepView]:
        if not found:
            return []
        tenant = found[0].tenant_id
        ids = [r.rep_id for r in found]
        open_leads = await uow.leads.open_leads_by_rep(tenant, ids)
        outcomes = await uow.reps.outcomes(tenant, ids)
        now = uow.clock.now()
        views = []
        for rep in found:
            overall, segments = conversion_rates(outcomes.get(rep.rep_id, []))
            views.append(RepView(rep, open_leads.get(rep.rep_id, 0), rep.available(now), overall, segments))
        return views
