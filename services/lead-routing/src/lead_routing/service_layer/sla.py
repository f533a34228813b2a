"""First touch and the first-touch SLA: a touch by the owner or an activity
logged on the lead stops the clock; a lead untouched past its deadline is
reclaimed to the pool, its owner barred for the route's cool-down, and
re-routed to the best other candidate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from crm.events.v1 import lead_pb2
from crm_shared import roles
from crm_shared.clock import iso_z
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, NotFound, Violation
from crm_shared.logs import get_logger

from lead_routing.adapters.metrics import ASSIGNMENTS, FIRST_TOUCH_SECONDS, IDLE_LEADS, RECLAIMS
from lead_routing.domain.assignment import Assignment
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.sla import IDLE_AFTER, RECLAIM, cooldown_until, reclaim_decision, reclaim_reason, touch_time
from lead_routing.service_layer.assignment import AssignmentHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import visible_lead

log = get_logger("lead_routing.routing")

UowFactory = Callable[[], LeadRoutingUnitOfWork]


class SlaHandlers:
    def __init__(self, uow: UowFactory, assigning: AssignmentHandlers) -> None:
        self.uow = uow
        self.assigning = assigning

    async def touch(self, caller: Caller, lead_id: str, kind: str) -> Assignment:
        """The owner (or a manager) records the first touch of their lead."""
        caller.require_role(*roles.POOL_USERS)
        async with self.uow() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            if not lead.works_on(caller.user_id, caller.role):
                raise NotFound(f"lead {lead_id} not found")
            current = await uow.assignments.current(caller.tenant_id, lead_id)
            if current is None:
                raise FailedPrecondition(
                    f"lead {lead_id} has no current assignment", [Violation("lead", lead_id, "is not assigned")]
                )
            touched = await self._touch(uow, current, uow.clock.now())
            await uow.commit()
        return touched or current

    async def activity_logged(self, uow: LeadRoutingUnitOfWork, tenant_id: str, lead_id: str, at: datetime) -> None:
        """An activity on a lead's opportunity or customer: the first touch."""
        if not lead_id:
            return
        current = await uow.assignments.current(tenant_id, lead_id)
        if current:
            await self._touch(uow, current, at)

    async def _touch(self, uow: LeadRoutingUnitOfWork, current: Assignment, at: datetime) -> Assignment | None:
        """The assignment touched at `at` (never before it was made); None when it was touched before."""
        if current.first_touched_at is not None:
            return None
        at = touch_time(current.assigned_at, at)
        if not await uow.assignments.mark_touched(current.assignment_id, at):
            return None
        FIRST_TOUCH_SECONDS.labels(current.tenant_id).observe((at - current.assigned_at).total_seconds())
        return replace(current, first_touched_at=at)

    async def sweep_sla(self, batch: int = 200) -> int:
        """Reclaim leads whose first-touch deadline passed untouched; re-route
        them; bar the previous owner for the route's cool-down. Returns reclaims."""
        async with self.uow() as uow:
            overdue = await uow.assignments.overdue(uow.clock.now(), batch)
        reclaimed = 0
        for a in overdue:
            try:
                reclaimed += await self._reclaim(a)
            except Exception as exc:  # noqa: BLE001 - one lead's failed reclaim must not stop the sweep
                log.warning("reclaim failed", lead_id=a.lead_id, error=repr(exc))
        async with self.uow() as uow:
            IDLE_LEADS.set(await uow.leads.idle(uow.clock.now() - IDLE_AFTER))
        return reclaimed

    async def _reclaim(self, a: Assignment) -> int:
        tenant_id, lead_id, rep_id = a.tenant_id, a.lead_id, a.rep_id
        async with self.uow() as uow:
            await uow.pool.lock(tenant_id)
            now = uow.clock.now()
            current = await uow.assignments.current(tenant_id, lead_id)
            decision = reclaim_decision(a, current, await uow.leads.get(tenant_id, lead_id), now)
            if decision is None:
                return 0
            if decision != RECLAIM:  # closed or moved on without it: the deadline no longer applies
                await uow.assignments.end(a.assignment_id, decision, now)
                await uow.commit()
                return 0
            if lead_id not in await uow.leads.change_owners(tenant_id, [(lead_id, None)], rep_id, now):
                return 0
            await uow.assignments.end(a.assignment_id, RECLAIM, now)
            until = cooldown_until(now, a.cooldown_hours)
            await uow.assignments.set_cooldown(tenant_id, lead_id, rep_id, until)
            change = OwnerChange(
                "reclaim",
                lead_id,
                "system",
                now,
                rep_id,
                None,
                reason=reclaim_reason(a.first_touch_due, a.route_name, rep_id, until),
            )
            await uow.assignments.add_owner_changes(tenant_id, [change])
            await uow.publish(
                "lead.reclaimed",
                tenant_id,
                lead_id,
                lead_pb2.LeadReclaimed(
                    lead_id=lead_id,
                    rep_id=rep_id,
                    route_id=a.route_id,
                    deadline=iso_z(a.first_touch_due),
                    cooldown_until=iso_z(until),
                ),
            )
            # Re-route: the best available candidate other than the barred owner, else the pool.
            pool = await self.assigning.ranking.rescore(uow, tenant_id, [lead_id])
            rerouted = (
                await self.assigning.assign_best(uow, pool, 0, mode="reroute", actor="system") if pool.leads else None
            )
            await uow.commit()
        RECLAIMS.labels(tenant_id).inc()
        if rerouted:
            ASSIGNMENTS.labels(tenant_id, rerouted.rep_id, "reroute").inc()
        return 1
