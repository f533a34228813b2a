"""Use cases of moving an opportunity through its pipeline: place it, move it
(every stage entered must pass its gate), win or lose it, reopen it, and its
stage history. Gate facts from other services are asked before the unit of
work opens (no lock is held over a remote call); the move then re-reads the
opportunity and refuses if it changed meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from crm.events.v1 import opportunity_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.convert import money
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Violation
from crm_shared.ids import new_id

from opportunity.domain import pipeline as rules
from opportunity.domain.customer import Customer
from opportunity.domain.opportunity import Opportunity, OpportunityView
from opportunity.domain.pipeline import GateFacts, Pipeline, Stage
from opportunity.domain.stage_history import Stay, end_stay, new_stay, time_per_stage
from opportunity.service_layer.common import (
    GateFactsSource,
    find_pipeline,
    gate_facts,
    publish_stage_changed,
    readable_opportunity,
    view,
)
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
# A stage move is a mover's, or the system's for a stage hint with auto_move
# (service_layer/stage_hints.py): the same gates, the same stay and event.
STAGE_MOVERS = (*rules.MOVERS, roles.SYSTEM)


@dataclass(frozen=True)
class History:
    stays: list[Stay]
    time_per_stage: list[tuple[str, int]]
    now: datetime


def closed_event(closed: Opportunity, customer: Customer | None, now: datetime) -> opportunity_pb2.OpportunityClosed:
    """opportunity.closed carries where the customer is (for the partner and analytics consumers)."""
    event = opportunity_pb2.OpportunityClosed(
        opportunity_id=closed.opportunity_id,
        customer_id=closed.customer_id,
        lead_id=closed.lead_id or "",
        owner_id=closed.owner_id,
        outcome=closed.status,
        reason=closed.close_reason,
        amount=money(closed.amount_minor, closed.currency),
        province=customer.province if customer else "",
        city=customer.city if customer else "",
        district=customer.district if customer else "",
        product_line=closed.product_line,
    )
    if customer is not None and customer.latitude is not None and customer.longitude is not None:
        event.latitude, event.longitude = customer.latitude, customer.longitude
    event.closed_at.FromDatetime(now)
    return event


class StageMoveHandlers:
    def __init__(self, uow: UowFactory, gates: GateFactsSource) -> None:
        self.uow = uow
        self.gates = gates

    async def _writable(
        self, uow: OpportunityUnitOfWork, caller: Caller, opportunity_id: str, movers: tuple[str, ...] = rules.MOVERS
    ) -> Opportunity:
        """The opportunity, locked, if the caller may change it; out of scope reads as missing."""
        caller.require_role(*movers)
        return await readable_opportunity(uow, caller, opportunity_id, lock=True)

    async def place(self, caller: Caller, opportunity_id: str, pipeline_id: str) -> OpportunityView:
        """Into the pipeline's first stage; the first stage's gate applies."""
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            pipeline = await find_pipeline(uow, caller.tenant_id, pipeline_id)
        rules.require_unplaced(opp)
        return await self._enter(caller, opp, pipeline, pipeline.stages[0].name, pipeline.stages[:1], "placed")

    async def move(
        self, caller: Caller, opportunity_id: str, stage: str, *, forward_only: bool = False
    ) -> OpportunityView:
        """`forward_only` (a stage hint's move): refused when the stage is behind
        the current one; the move is refused too if the opportunity moved
        between this read and the locked write (rules.unchanged_since)."""
        if not stage.strip():
            raise InvalidArgument.field("stage", "is required")
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            rules.require_placed(opp)
            rules.require_open(opp)
            pipeline = await find_pipeline(uow, caller.tenant_id, opp.pipeline_id or "")
        entered = rules.stages_entered(pipeline, opp.stage, stage.strip())
        if forward_only and not entered:
            raise FailedPrecondition(
                f"{stage.strip()} is behind the opportunity's stage {opp.stage}",
                [Violation("stage", stage.strip(), "is behind the current stage")],
            )
        return await self._enter(caller, opp, pipeline, stage.strip(), entered, "moved")

    async def _enter(
        self, caller: Caller, seen: Opportunity, pipeline: Pipeline, target: str, gated: Sequence[Stage], via: str
    ) -> OpportunityView:
        caller.require_role(*STAGE_MOVERS)
        facts = await gate_facts(self.gates, seen.tenant_id, seen.opportunity_id, gated)
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, seen.opportunity_id, STAGE_MOVERS)
            rules.unchanged_since(seen, opp)
            rules.refuse_if_unmet(opp, target, rules.unmet(opp, gated, facts))
            now = uow.clock.now()
            moved = rules.enter(opp, pipeline, target, now)
            current = await uow.opportunities.current_stay(opp.tenant_id, opp.opportunity_id)
            if current is not None:
                await uow.opportunities.end_stay(end_stay(current, now, "moved"))
            await uow.opportunities.add_stay(new_stay(moved, stay_id=new_id(), by=caller.user_id, via=via, now=now))
            await uow.opportunities.save(moved, before=opp)
            await publish_stage_changed(uow, opp, moved, caller.user_id)
            answer = await view(uow, moved)
            await uow.commit()
        return answer

    async def close(self, caller: Caller, opportunity_id: str, outcome: str, reason: str) -> OpportunityView:
        """Won or lost. A win passes the gates of every stage from the current
        one to the last (rules.stages_to_win), asked before the unit of work
        like a move's, and is refused if the opportunity changed meanwhile."""
        caller.require_role(*rules.MOVERS)
        pipeline: Pipeline | None = None
        facts = GateFacts()
        async with self.uow() as uow:
            seen = await readable_opportunity(uow, caller, opportunity_id)
            rules.require_placed(seen)
            rules.require_open(seen)
            if outcome == "won":
                pipeline = await find_pipeline(uow, caller.tenant_id, seen.pipeline_id or "")
        if pipeline is not None:
            facts = await gate_facts(
                self.gates, seen.tenant_id, seen.opportunity_id, rules.stages_to_win(pipeline, seen.stage)
            )
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, opportunity_id)
            rules.unchanged_since(seen, opp)
            now = uow.clock.now()
            closed = rules.close(opp, outcome, reason, now, pipeline=pipeline, facts=facts)
            current = await uow.opportunities.current_stay(opp.tenant_id, opp.opportunity_id)
            if current is not None:
                await uow.opportunities.end_stay(end_stay(current, now, outcome, closed.close_reason))
            await uow.opportunities.save(closed, before=opp)
            customer = await uow.customers.get(opp.tenant_id, opp.customer_id)
            await uow.publish(
                "opportunity.closed", closed.tenant_id, closed.opportunity_id, closed_event(closed, customer, now)
            )
            answer = await view(uow, closed)
            await uow.commit()
        return answer

    async def reopen(self, caller: Caller, opportunity_id: str) -> OpportunityView:
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, opportunity_id)
            rules.require_placed(opp)
            pipeline = await find_pipeline(uow, caller.tenant_id, opp.pipeline_id or "")
            now = uow.clock.now()
            reopened = rules.reopen(opp, pipeline, now)
            await uow.opportunities.add_stay(
                new_stay(reopened, stay_id=new_id(), by=caller.user_id, via="reopened", now=now)
            )
            await uow.opportunities.save(reopened, before=opp)
            await publish_stage_changed(uow, opp, reopened, caller.user_id)
            answer = await view(uow, reopened)
            await uow.commit()
        return answer

    async def history(self, caller: Caller, opportunity_id: str) -> History:
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            stays = await uow.opportunities.stays(opp.tenant_id, opp.opportunity_id)
            now = uow.clock.now()
        return History(stays, time_per_stage(stays, now), now)
