"""The optimal batch: the pool's unowned leads (or those of auto_assign
routes, on schedule) given to candidates for the best total score under each
rep's free capacity (min-cost flow, domain/batch_assignment.py)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.logs import get_logger

from lead_routing.domain.assignment import Assignment
from lead_routing.domain.batch_assignment import assign_optimal
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
        auto_assign routes, if so asked) to candidates with `assign_optimal`.
        Returns the assignments and how many of those leads stay unowned."""
        rules = rules or await self.assigning.ranking.book.rules(uow, tenant_id)
        await self.assigning.ranking.rerank_tenant(uow, tenant_id, rules)
        await uow.reps.lock_all(tenant_id)  # free capacities hold until commit
        unowned = await uow.leads.open_lead_ids(tenant_id, unowned=True)
        pool = await self.assigning.ranking.pool(uow, tenant_id, unowned, rules=rules)
        wanted = np.array([not auto_routes_only or auto_route(pool.route(i)) for i in range(len(pool.leads))], bool)
        free = np.array([max(r.capacity - r.open_leads, 0) if r.available else 0 for r in pool.reps], dtype=np.int64)
        m = wanted[pool.lead_idx] if len(pool.lead_idx) else np.zeros(0, dtype=bool)
        chosen_leads, chosen_reps = assign_optimal(pool.lead_idx[m], pool.rep_idx[m], pool.score[m], free)
        picks = [(li, pool.reps[ri]) for li, ri in zip(chosen_leads.tolist(), chosen_reps.tolist(), strict=True)]
        done = await self.assigning.assign_many(
            uow, pool, picks, mode="auto", actor=actor, expected_owner=None
        )  # skips taken
        return done, int(wanted.sum()) - len(done)
