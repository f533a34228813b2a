"""Taking leads: a rep's claim, a manager's assignment, a release back to the
pool, and automatic assignment of new leads on auto_assign routes (the
optimal batch over the pool: batch.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from crm.events.v1 import lead_pb2
from crm_shared import roles
from crm_shared.business_calendar import business_day_bounds
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.logs import get_logger

from lead_routing.adapters.metrics import ASSIGNMENTS
from lead_routing.domain.assignment import (
    Assignment,
    check_claim,
    check_claimable,
    check_manager_assignment,
    check_release,
    explain_many,
    require_open,
    require_profile,
)
from lead_routing.domain.lead import Lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.pool import Pool, assignment_pushes, first_free_candidates, routes_taken
from lead_routing.domain.rep import RepState
from lead_routing.domain.rule_set import CompiledRoute, in_candidate_set
from lead_routing.service_layer.messages import assigned, notification
from lead_routing.service_layer.ranking import Ranking
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import may_see, visible_lead

log = get_logger("lead_routing.routing")

UowFactory = Callable[[], LeadRoutingUnitOfWork]


class AssignmentHandlers:
    def __init__(self, uow: UowFactory, ranking: Ranking) -> None:
        self.uow = uow
        self.ranking = ranking

    async def claim(self, caller: Caller, lead_id: str) -> Assignment:
        """A rep takes an unowned lead from the pool: within their daily claim
        limit (Asia/Shanghai day), capacity and any reclaim cool-down. Of two
        concurrent claims exactly one wins; the other gets Conflict. The lead
        and the reps are read once, and the rules come compiled from the book."""
        caller.require_role(*roles.LEAD_CLAIMERS)
        async with self.uow() as uow:
            lead = await uow.leads.get(caller.tenant_id, lead_id)
            if lead is None:
                raise NotFound(f"lead {lead_id} not found")
            check_claimable(lead, caller.user_id)
            pool, rep = await self._single(uow, caller, lead, caller.user_id)
            now = uow.clock.now()
            start, end = business_day_bounds(now)
            check_claim(
                rep,
                now,
                claims_today=await uow.assignments.claims_between(caller.tenant_id, rep.rep_id, start, end),
                cooldown=pool.cooldowns.get((lead_id, rep.rep_id)),
                in_candidate_set=in_candidate_set(pool.route(0), pool.lead_vals[0], rep),
            )
            assignment = await self._assign(uow, pool, 0, rep, mode="claim", actor=caller.user_id, expected_owner=None)
            await uow.commit()
        ASSIGNMENTS.labels(caller.tenant_id, rep.rep_id, "claim").inc()
        return assignment

    async def assign(self, caller: Caller, lead_id: str, rep_id: str) -> Assignment:
        """A manager gives a lead (unowned or someone else's) to one of their
        reps; capacity and cool-downs hold, the route's candidate set does not."""
        caller.require_role(*roles.ROUTING_MANAGERS)
        if not rep_id.strip():
            raise InvalidArgument.field("rep_id", "is required")
        async with self.uow() as uow:
            lead = await uow.leads.get(caller.tenant_id, lead_id)
            if lead is None:
                raise NotFound(f"lead {lead_id} not found")
            pool, rep = await self._single(uow, caller, lead, rep_id)
            check_manager_assignment(caller, lead, rep, uow.clock.now(), pool.cooldowns.get((lead_id, rep_id)))
            assignment = await self._assign(
                uow, pool, 0, rep, mode="manager", actor=caller.user_id, expected_owner=lead.owner_id
            )
            await uow.commit()
        ASSIGNMENTS.labels(caller.tenant_id, rep.rep_id, "manager").inc()
        return assignment

    async def _single(
        self, uow: LeadRoutingUnitOfWork, caller: Caller, lead: Lead, rep_id: str
    ) -> tuple[Pool, RepState]:
        """The pool of one visible, open lead, and the taking rep as it ranks
        them. Their row is locked first (PostgreSQL), so two takes by one rep at
        once are counted one after the other."""
        if not await may_see(uow, caller, lead):
            raise NotFound(f"lead {lead.lead_id} not found")
        require_open(lead)
        await uow.reps.lock(caller.tenant_id, rep_id)
        reps = await uow.reps.states(caller.tenant_id, uow.clock.now())
        pool = await self.ranking.pool(uow, caller.tenant_id, leads=[lead], reps=reps)
        rep = next((r for r in reps if r.rep_id == rep_id), None)
        return pool, require_profile(rep, rep_id)

    async def release(self, caller: Caller, lead_id: str, reason: str) -> None:
        """The owner (or a manager) gives a lead back to the pool."""
        caller.require_role(*roles.POOL_USERS)
        async with self.uow() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            owner = check_release(caller, lead)
            await uow.pool.lock_leads(caller.tenant_id, [lead_id])
            now = uow.clock.now()
            if lead_id not in await uow.leads.change_owners(caller.tenant_id, [(lead_id, None)], owner, now):
                raise Conflict(f"lead {lead_id} changed hands a moment ago")
            await uow.assignments.end_current(caller.tenant_id, [lead_id], "released", now)
            change = OwnerChange("release", lead_id, caller.user_id, now, owner, None, reason=reason.strip()[:500])
            await uow.assignments.add_owner_changes(caller.tenant_id, [change])
            await uow.publish(
                "lead.released",
                caller.tenant_id,
                lead_id,
                lead_pb2.LeadReleased(lead_id=lead_id, rep_id=owner, actor_id=caller.user_id, reason=reason[:500]),
            )
            await self.ranking.rescore(uow, caller.tenant_id, [lead_id])
            await uow.commit()

    # --- automatic ------------------------------------------------------------------

    async def rescore_and_assign(self, uow: LeadRoutingUnitOfWork, tenant_id: str, lead_ids: Sequence[str]) -> None:
        """Re-score these leads (one ranking however many); each unowned one
        whose route is marked auto_assign first goes to its best free
        candidate, in order, so nobody is pushed about a lead already given
        away; then store and push. With an auto_assign route in the rules the
        rep rows are locked (PostgreSQL) before the ranking reads them, so the
        free capacities it assigns by hold until commit (claims wait), and
        the leads are given in one write. The rep rows are locked only when
        one of these leads is unowned and takes an auto_assign route: other
        batches (a pool route's imports) lock only their leads, so replicas
        rank them side by side."""
        await uow.pool.lock_leads(tenant_id, lead_ids)  # before any rep row, as every taker
        rules = await self.ranking.book.rules(uow, tenant_id)
        leads = None
        if any(auto_route(cr) for cr in rules.routes):
            leads = await uow.leads.open_leads(tenant_id, lead_ids)
            taken = routes_taken(rules, [lead for lead in leads if not lead.owner_id])
            if any(auto_route(cr) for cr in taken):
                await uow.reps.lock_all(tenant_id)
        pool = await self.ranking.rank_leads(uow, tenant_id, lead_ids, rules=rules, leads=leads)
        arrivals = [i for i, lead in enumerate(pool.leads) if not lead.owner_id and auto_route(pool.route(i))]
        picks = first_free_candidates(pool, arrivals)
        done = await self.assign_many(uow, pool, picks, mode="auto", actor="system", expected_owner=None) if picks else []
        count(done)
        await self.ranking.store(uow, tenant_id, pool, lead_ids)

    async def assign_best(
        self, uow: LeadRoutingUnitOfWork, pool: Pool, i: int, *, mode: str, actor: str
    ) -> Assignment | None:
        """Give lead i to its best candidate that still takes leads (the pool
        leaves out reps at capacity, on leave or in a cool-down); None when
        there is none. Raises Conflict when the lead was taken meanwhile."""
        for r, _score in pool.candidates(i):
            if not pool.reps[r].available:
                continue
            # Read the rep again under its row lock: a claim or another assignment may
            # have taken their last free slot since the pool was ranked.
            fresh = await uow.reps.state(pool.leads[i].tenant_id, pool.reps[r].rep_id, uow.clock.now())
            if fresh and fresh.available:
                return await self._assign(uow, pool, i, fresh, mode=mode, actor=actor, expected_owner=None)
        return None

    # --- every mode -----------------------------------------------------------------

    async def _assign(
        self,
        uow: LeadRoutingUnitOfWork,
        pool: Pool,
        i: int,
        rep: RepState,
        *,
        mode: str,
        actor: str,
        expected_owner: str | None,
    ) -> Assignment:
        """Give lead i of the pool to a rep if its owner is still `expected_owner`
        (see `_assign_many`); Conflict if it changed hands meanwhile."""
        done = await self.assign_many(uow, pool, [(i, rep)], mode=mode, actor=actor, expected_owner=expected_owner)
        if not done:
            raise Conflict(f"lead {pool.leads[i].lead_id} was taken by someone else a moment ago")
        return done[0]

    async def assign_many(
        self,
        uow: LeadRoutingUnitOfWork,
        pool: Pool,
        picks: Sequence[tuple[int, RepState]],
        *,
        mode: str,
        actor: str,
        expected_owner: str | None,
    ) -> list[Assignment]:
        """Give each (lead i of the pool, rep) whose lead is still owned by
        `expected_owner`; leads taken meanwhile are skipped. Store each
        assignment's explanation and first-touch deadline, publish, and push
        the reps unless they took the lead themself. Every assignment mode
        comes through here; a batch of thousands is a handful of statements."""
        now = uow.clock.now()
        tenant_id = pool.leads[picks[0][0]].tenant_id if picks else ""
        taken = await uow.leads.change_owners(
            tenant_id, [(pool.leads[i].lead_id, rep.rep_id) for i, rep in picks], expected_owner, now
        )
        picks = [(i, rep) for i, rep in picks if pool.leads[i].lead_id in taken]
        await uow.assignments.end_current(tenant_id, [pool.leads[i].lead_id for i, _ in picks], "reassigned", now)
        load: dict[str, int] = {}  # each rep's open leads as this batch goes
        loaded = []
        for i, rep in picks:
            held = load.setdefault(rep.rep_id, rep.open_leads)
            loaded.append((i, rep, held))
            load[rep.rep_id] = held + 1
        done = explain_many(pool, loaded, now, mode=mode, actor=actor)
        events, given, changes = [], [], []
        for (i, rep), a in zip(picks, done, strict=True):
            lead = pool.leads[i]
            pool.leads[i] = replace(lead, owner_id=rep.rep_id)  # the pool's view too: no pushes about it
            changes.append(
                OwnerChange(
                    change=mode,
                    lead_id=lead.lead_id,
                    actor_id=actor,
                    at=now,
                    previous_owner_id=expected_owner,
                    owner_id=rep.rep_id,
                    score=a.score,
                    rank=a.explanation.rank,
                    candidates=a.explanation.candidates,
                    assignment_id=a.assignment_id,
                )
            )
            events.append(assigned(a, lead))
            if actor != rep.rep_id:  # given to them (auto, manager, reroute): tell them; a claimer knows
                given.append((rep.rep_id, lead, a.first_touch_due))
        await uow.assignments.add(done)
        await uow.assignments.add_owner_changes(tenant_id, changes)
        pushes = [notification(tenant_id, p, group=False) for p in assignment_pushes(given)]
        await uow.publish_many(events + pushes)
        return done


def auto_route(cr: CompiledRoute | None) -> bool:
    return cr is not None and cr.route.auto_assign


def count(done: Sequence[Assignment]) -> None:
    for a in done:
        ASSIGNMENTS.labels(a.tenant_id, a.rep_id, a.mode).inc()
