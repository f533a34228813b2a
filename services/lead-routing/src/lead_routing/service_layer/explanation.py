"""Why a lead's owner is who it is, and why a rep scores what they score on a
pool lead before anyone takes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound, PermissionDenied

from lead_routing.domain.assignment import Assignment, explain
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.rule_set import in_candidate_set, passes_rep_filter
from lead_routing.service_layer.ranking import Ranking
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import visible_lead

UowFactory = Callable[[], LeadRoutingUnitOfWork]


@dataclass(frozen=True)
class PoolExplanation:
    """A rep's score on a pool lead as a claim would record it, with the route's
    rep filter and candidate set for them; `assignment` is never stored."""

    assignment: Assignment
    rep_filter: str
    rep_filter_passed: bool
    in_candidate_set: bool


class ExplanationHandlers:
    def __init__(self, uow: UowFactory, ranking: Ranking) -> None:
        self.uow = uow
        self.ranking = ranking

    async def explanation(self, caller: Caller, lead_id: str) -> tuple[OwnerChange | None, Assignment | None]:
        """The latest owner change (a claim, a manager's assignment, an
        automatic or re-route assignment, a release, a reclaim, an intake by a
        rep, a conversion from the pool) and, when it made an assignment, that
        assignment with its scoring explanation. Reps see their own leads'
        only; managers and admins those they see."""
        caller.require_role(*roles.POOL_USERS)
        async with self.uow() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            if not lead.works_on(caller.user_id, caller.role):
                raise NotFound(f"lead {lead_id} not found")
            change = await uow.assignments.latest_owner_change(caller.tenant_id, lead_id)
            if change is not None:
                assignment = (
                    await uow.assignments.get(caller.tenant_id, change.assignment_id) if change.assignment_id else None
                )
            else:  # owner changes from before they were recorded: the latest assignment
                assignment = await uow.assignments.latest(caller.tenant_id, lead_id)
        if change is None and assignment is None:
            raise NotFound(f"lead {lead_id} has never had an owner")
        return change, assignment

    async def pool_explanation(self, caller: Caller, lead_id: str, rep_id: str) -> PoolExplanation:
        """Why a rep scores what they score on a lead in the pool: the lead
        ranked now and explained as a claim would be (`explain`, the code every
        assignment records with), nothing assigned or written. A rep asks for
        themself, about a pool lead they are a candidate for or may claim; a
        manager for one of their reps; an admin for anyone."""
        caller.require_role(*roles.POOL_USERS)
        if caller.role == roles.REP:
            rep_id = caller.user_id
        async with self.uow().reading() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            if lead.owner_id or lead.status != "open":
                raise NotFound(f"lead {lead_id} is not in the pool")
            if not rep_id.strip():
                raise InvalidArgument.field("rep_id", "is required")
            now = uow.clock.now()
            reps = await uow.reps.states(caller.tenant_id, now)
            rep = next((r for r in reps if r.rep_id == rep_id), None)
            if rep is None:
                raise NotFound(f"rep {rep_id} not found")
            if caller.role == roles.MANAGER and rep_id != caller.user_id and rep.rep.manager_id != caller.user_id:
                raise PermissionDenied(f"{rep_id} is not one of your reps")
            pool = await self.ranking.pool(uow, caller.tenant_id, leads=[lead], reps=reps)
        cr, lead_vals = pool.route(0), pool.lead_vals[0]
        candidate = in_candidate_set(cr, lead_vals, rep)
        ranked = any(pool.reps[r].rep_id == rep_id for r, _ in pool.candidates(0))
        if caller.role == roles.REP and not (candidate or ranked):
            raise NotFound(f"lead {lead_id} not found")  # not theirs to see in the pool
        return PoolExplanation(
            assignment=explain(pool, 0, rep, rep.open_leads, now, mode="claim", actor=caller.user_id),
            rep_filter=cr.route.rep_filter if cr else "",
            rep_filter_passed=passes_rep_filter(cr, lead_vals, rep),
            in_candidate_set=candidate,
        )
