"""What routing does when other things happen: leads created or merged are
scored (and auto-assigned) at once, those arriving together in one ranking;
a rep profile change asks for a whole-pool re-rank, a won opportunity counts
for its rep's 近3月成交客户位置, and an activity on a lead is its first touch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from lead_routing.domain.rep import Win
from lead_routing.service_layer.assignment import AssignmentHandlers
from lead_routing.service_layer.sla import SlaHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


class Reactions:
    def __init__(self, assigning: AssignmentHandlers, sla: SlaHandlers) -> None:
        self.assigning = assigning
        self.sla = sla

    async def leads_changed(self, uow: LeadRoutingUnitOfWork, tenant_id: str, lead_ids: Sequence[str]) -> None:
        """Score new or merged leads now rather than at the next hour, in one
        ranking, and assign each at once if its route says so."""
        await self.assigning.rescore_and_assign(uow, tenant_id, lead_ids)

    async def rep_changed(self, uow: LeadRoutingUnitOfWork, tenant_id: str) -> None:
        """A profile change may move every lead's ranking: the prompt job re-ranks
        the pool (one re-rank for a run of changes, e.g. a team imported)."""
        await uow.pool.request_rerank(tenant_id, "rep profile", uow.clock.now())

    async def opportunity_won(self, uow: LeadRoutingUnitOfWork, tenant_id: str, win: Win) -> None:
        if win.rep_id:
            await uow.reps.record_win(tenant_id, win)

    async def activity_logged(self, uow: LeadRoutingUnitOfWork, tenant_id: str, lead_id: str, at: datetime) -> None:
        await self.sla.activity_logged(uow, tenant_id, lead_id, at)
