"""The optimal batch: the pool's unowned leads (or those of auto_assign
routes, on schedule) given to candidates for the best total score under each
rep's free capacity (min-cost flow, domain/batch_assignment.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.logs import get_logger

from lead_routing.domain.assignment import Assignment
from lead_routing.domain.batch_assignment import assign_optimal
from lead_routing.domain.pool import Pool
from lead_routing.domain.rep import RepState
from lead_routing.domain.rule_set import RuleSet
from lead_routing.service_layer.assignment import AssignmentHandlers, auto_route, count
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

log = get_logger("lead_routing.routing")

UowFactory = Callable[[], LeadRoutingUnitOfWork]


class BatchHandlers:
    def __init__(self, uow: UowFactory, assigning: AssignmentHandlers) -> None:
        self.uow = uow
        self.assigning = assigning

    async def assign_pool(self, caller: Caller) -> tuple[list[Assignment], int]:
        """Automatic batch: the pool's unowned leads to candidates, maximal
        total score under each rep's free capacity (min-cost flow)."""
        caller.require_role(*roles.POOL_RERANKERS)
        async with self.uow() as uow:
            done, left = await self._assign_batch(uow, caller.tenant_id, caller.user_id, auto_routes_only=False)
            await uow.commit()
        count(done)
        return done, left

    async def auto_assign_all(self) -> int:
        """The scheduled batch: in every tenant, the unowned leads of routes
        marked auto_assign, optimally as `assign_pool`. Returns assignments."""
        async with self.uow() as uow:
            tenants = await uow.leads.tenants_with_open_leads()
        total = 0
        for tenant in tenants:
            try:
                async with self.uow() as uow:
                    rules = await self.assigning.ranking.book.rules(uow, tenant)
                    if not any(cr.route.auto_assign for cr in rules.routes):
                        continue
                    done, _ = await self._assign_batch(uow, tenant, "system", auto_routes_only=True, rules=rules)
                    await uow.commit()
            except Exception as exc:  # noqa: BLE001 - one tenant's broken rules must not stop the others
                log.warning("auto-assign failed", tenant=tenant, error=repr(exc))
                continue
            count(done)
            total += len(done)
        return total

    async def _assign_batch(
        self,
        uow: LeadRoutingUnitOfWork,
        tenant_id: str,
        actor: str,
        *,
        auto_routes_only: bool,
        rules: RuleSet | None = None,
    ) -> tuple[list[Assignment], int]:
        """Re-rank the tenant, then give its unowned leads (only those of
        auto_assign routes, if so asked) to candidates with `assign_optimal`,
        solving on the re-rank's own pools (ranked once). Returns the
        assignments and how many of those leads stay unowned."""
        rules = rules or await self.assigning.ranking.book.rules(uow, tenant_id)
        await uow.pool.lock(tenant_id)  # the re-rank takes it too; first, as everywhere
        await uow.reps.lock_all(tenant_id)  # free capacities hold until commit, from the re-rank's read on
        outcome: tuple[list[Assignment], int] = ([], 0)

        async def assign(pools: list[Pool]) -> None:
            nonlocal outcome
            outcome = await self._assign_pools(uow, pools, actor, auto_routes_only)

        # assigned before the ranking is stored: the leads given away are stored as owned, not pushed
        await self.assigning.ranking.rerank_tenant(uow, tenant_id, rules, before_store=assign)
        return outcome

    async def _assign_pools(
        self, uow: LeadRoutingUnitOfWork, pools: list[Pool], actor: str, auto_routes_only: bool
    ) -> tuple[list[Assignment], int]:
        """The optimal assignment over the re-rank's pools, written; the
        assignments and how many of the wanted leads stay unowned."""
        if not pools or not pools[0].reps:
            return [], int(sum(int(_wanted(p, auto_routes_only).sum()) for p in pools))
        wanted, chosen = batch_picks(pools, [_wanted(p, auto_routes_only) for p in pools])
        done: list[Assignment] = []
        given: dict[str, int] = {}  # leads given to each rep by earlier chunks: their load goes on
        for pool, picks in zip(pools, chosen, strict=True):
            if not picks:
                continue
            reps = {rep.rep_id: replace(rep, open_leads=rep.open_leads + given.get(rep.rep_id, 0)) for _, rep in picks}
            got = await self.assigning.assign_many(
                uow, pool, [(i, reps[rep.rep_id]) for i, rep in picks], mode="auto", actor=actor, expected_owner=None
            )  # skips taken
            for a in got:
                given[a.rep_id] = given.get(a.rep_id, 0) + 1
            done += got
        return done, wanted - len(done)


def _wanted(pool: Pool, auto_routes_only: bool) -> np.ndarray:
    """Which of the pool's leads the batch may give: unowned ones (of auto_assign routes only, if so asked)."""
    return np.array(
        [
            lead.owner_id is None and (not auto_routes_only or auto_route(pool.route(i)))
            for i, lead in enumerate(pool.leads)
        ],
        dtype=bool,
    )


def batch_picks(pools: Sequence[Pool], wanted: Sequence[np.ndarray]) -> tuple[int, list[list[tuple[int, RepState]]]]:
    """The optimal assignment over the wanted leads of every pool (chunks of
    one re-rank: the same reps in the same order), under each rep's free
    capacity: how many leads were wanted, and each pool's (lead index, rep)."""
    reps = pools[0].reps
    free = np.array([max(r.capacity - r.open_leads, 0) if r.available else 0 for r in reps], dtype=np.int64)
    offsets = np.cumsum([0] + [len(p.leads) for p in pools])
    parts = []
    for pool, mask, offset in zip(pools, wanted, offsets.tolist(), strict=False):
        if mask.all() and offset == 0:  # every lead of the only or first chunk: its pairs as they are, no copies
            parts.append((pool.lead_idx, pool.rep_idx, pool.score))
            continue
        m = mask[pool.lead_idx] if len(pool.lead_idx) else np.zeros(0, dtype=bool)
        parts.append((pool.lead_idx[m].astype(np.int64) + offset, pool.rep_idx[m], pool.score[m]))
    if len(parts) == 1:
        lead_idx, rep_idx, score = parts[0]
    else:
        lead_idx, rep_idx, score = (np.concatenate([p[k] for p in parts]) for k in range(3))
    chosen_leads, chosen_reps = assign_optimal(lead_idx, rep_idx, score, free)
    which = np.searchsorted(offsets, chosen_leads, side="right") - 1
    picks: list[list[tuple[int, RepState]]] = [[] for _ in pools]
    for k, li, ri in zip(which.tolist(), chosen_leads.tolist(), chosen_reps.tolist(), strict=True):
        picks[k].append((li - int(offsets[k]), reps[ri]))
    return int(sum(int(w.sum()) for w in wanted)), picks
