"""Use cases of pipelines, gated stage moves, won/lost/reopen, the board,
tasks and the follow-up timers. Gate facts from other services are asked
before the unit of work opens (no lock is held over a remote call); the move
then re-reads the opportunity and refuses if it changed meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from crm.events.v1 import notification_pb2, opportunity_pb2
from crm_shared.context import Caller
from crm_shared.convert import money
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, Violation
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from opportunity.domain import pipeline as rules
from opportunity.domain import timers
from opportunity.domain.model import CREATE_ROLES, Opportunity, OpportunityView, credit_code_key, open_opportunity, resolve_owner
from opportunity.domain.pipeline import Details, GateFacts, Pipeline, Stage, Stay
from opportunity.service_layer.handlers import readable, store_opened, views
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = get_logger("opportunity.pipelines")

PIPELINE_READERS = ("rep", "manager", "admin", "finance", "reviewer", "system")
SCAN_LIMIT = 500


class GateFactsSource(Protocol):
    async def facts(
        self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str], need_approval: bool
    ) -> GateFacts: ...


@dataclass(frozen=True)
class NewOpportunity:
    customer_name: str
    customer_credit_code: str
    name: str
    amount_minor: int | None
    currency: str = "CNY"
    owner_id: str = ""
    pipeline_id: str = ""
    details: Details = Details()


@dataclass(frozen=True)
class History:
    stays: list[Stay]
    time_per_stage: list[tuple[str, int]]
    now: datetime


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    forecast_category: str
    count: int
    amount_minor: int
    weighted_minor: int


@dataclass(frozen=True)
class Board:
    pipeline_id: str
    columns: list[BoardColumn]
    won_count: int
    won_amount_minor: int
    lost_count: int


def _stay(opp: Opportunity, caller_id: str, via: str, now: datetime) -> Stay:
    return Stay(
        stay_id=new_id(),
        tenant_id=opp.tenant_id,
        opportunity_id=opp.opportunity_id,
        pipeline_id=opp.pipeline_id or "",
        stage=opp.stage,
        entered_at=now,
        entered_by=caller_id,
        entered_via=via,
    )


async def _view(uow: OpportunityUnitOfWork, opp: Opportunity) -> OpportunityView:
    return (await views(uow, opp.tenant_id, [opp]))[0]


async def _stage_changed(
    uow: OpportunityUnitOfWork, before: Opportunity, after: Opportunity, actor_id: str
) -> None:
    """Every stage move (placing, moving, reopening) is announced the same way."""
    await uow.publish(
        "opportunity.stage_changed",
        after.tenant_id,
        after.opportunity_id,
        opportunity_pb2.OpportunityStageChanged(
            opportunity_id=after.opportunity_id,
            pipeline_id=after.pipeline_id or "",
            from_stage=before.stage if before.pipeline_id else "",
            to_stage=after.stage,
            actor_id=actor_id,
        ),
    )


async def _notify(uow: OpportunityUnitOfWork, tenant_id: str, n: timers.NotificationDraft) -> None:
    await uow.publish(
        "notification.requested",
        tenant_id,
        n.recipient_id,
        notification_pb2.NotificationRequested(
            recipient_id=n.recipient_id,
            kind=n.kind,
            title=n.title,
            body=n.body,
            subject_type=n.subject_type,
            subject_id=n.subject_id,
        ),
    )


class PipelineHandlers:
    def __init__(self, uow: UowFactory, gates: GateFactsSource) -> None:
        self.uow = uow
        self.gates = gates

    # -- pipelines --

    async def create_pipeline(self, caller: Caller, name: str, product_line: str, stages: Sequence[Stage]) -> Pipeline:
        caller.require_role(*rules.PIPELINE_EDITORS)
        async with self.uow() as uow:
            pipeline = rules.define_pipeline(
                pipeline_id=new_id(),
                tenant_id=caller.tenant_id,
                name=name,
                product_line=product_line,
                stages=stages,
                now=uow.clock.now(),
            )
            await uow.pipelines.add(pipeline)
            await uow.commit()
        return pipeline

    async def update_pipeline(
        self, caller: Caller, pipeline_id: str, name: str, product_line: str, stages: Sequence[Stage]
    ) -> Pipeline:
        caller.require_role(*rules.PIPELINE_EDITORS)
        async with self.uow() as uow:
            current = await self._pipeline(uow, caller.tenant_id, pipeline_id)
            updated = rules.define_pipeline(
                pipeline_id=current.pipeline_id,
                tenant_id=current.tenant_id,
                name=name,
                product_line=product_line,
                stages=stages,
                now=uow.clock.now(),
                created_at=current.created_at,
            )
            rules.check_stages_kept(updated, await uow.pipelines.occupied_stages(caller.tenant_id, pipeline_id))
            await uow.pipelines.update(updated)
            await uow.commit()
        return updated

    async def get_pipeline(self, caller: Caller, pipeline_id: str) -> Pipeline:
        caller.require_role(*PIPELINE_READERS)
        async with self.uow() as uow:
            return await self._pipeline(uow, caller.tenant_id, pipeline_id)

    async def list_pipelines(self, caller: Caller) -> list[Pipeline]:
        caller.require_role(*PIPELINE_READERS)
        async with self.uow() as uow:
            return await uow.pipelines.list(caller.tenant_id)

    @staticmethod
    async def _pipeline(uow: OpportunityUnitOfWork, tenant_id: str, pipeline_id: str) -> Pipeline:
        pipeline = await uow.pipelines.get(tenant_id, pipeline_id) if pipeline_id.strip() else None
        if pipeline is None:
            raise NotFound(f"pipeline {pipeline_id} not found")
        return pipeline

    # -- opportunities --

    async def create_opportunity(self, caller: Caller, cmd: NewOpportunity) -> OpportunityView:
        """CreateOpportunity with the gate fields and, optionally, straight
        into a pipeline's first stage (its gate applies), in one transaction."""
        caller.require_role(*CREATE_ROLES)
        owner = resolve_owner(cmd.owner_id, caller.user_id, caller.role)
        pipeline_gate: tuple[Stage, ...] = ()
        facts = GateFacts()
        async with self.uow() as uow:
            pipeline = await self._pipeline(uow, caller.tenant_id, cmd.pipeline_id) if cmd.pipeline_id else None
        opportunity_id = new_id()
        if pipeline is not None:
            first = pipeline.stages[0]
            pipeline_gate = (first,)
            if first.gate.required_documents or first.gate.requires_approval:
                facts = await self.gates.facts(
                    caller.tenant_id, opportunity_id, frozenset(first.gate.required_documents),
                    first.gate.requires_approval,
                )
        async with self.uow() as uow:
            now = uow.clock.now()
            existing = await uow.customers.by_credit_code(caller.tenant_id, credit_code_key(cmd.customer_credit_code))
            opened = open_opportunity(
                tenant_id=caller.tenant_id,
                opportunity_id=opportunity_id,
                customer_id=new_id(),
                now=now,
                existing=existing,
                customer_name=cmd.customer_name,
                credit_code=cmd.customer_credit_code,
                name=cmd.name,
                amount_minor=cmd.amount_minor,
                currency=cmd.currency,
                owner_id=owner,
            )
            opp = rules.apply_details(opened.opportunity, cmd.details, now)
            if pipeline is not None:
                rules.refuse_if_unmet(opp, pipeline.stages[0].name, rules.unmet(opp, pipeline_gate, facts))
                opp = rules.enter(opp, pipeline, pipeline.stages[0].name, now)
            view = await store_opened(uow, replace(opened, opportunity=opp))
            if pipeline is not None:
                await uow.pipeline_opportunities.add_stay(_stay(opp, caller.user_id, "placed", now))
                await _stage_changed(uow, opened.opportunity, opp, caller.user_id)
            await uow.commit()
        return view

    async def _writable(self, uow: OpportunityUnitOfWork, caller: Caller, opportunity_id: str) -> Opportunity:
        """The opportunity, locked, if the caller may change it; out of scope reads as missing."""
        caller.require_role(*rules.MOVERS)
        return await readable(uow, caller, opportunity_id, lock=True)

    async def update_opportunity(self, caller: Caller, opportunity_id: str, details: Details) -> OpportunityView:
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, opportunity_id)
            # A closed deal keeps what its close was checked on (the won gates): reopen it to change it.
            rules.require_open(opp)
            updated = rules.apply_details(opp, details, uow.clock.now())
            await uow.pipeline_opportunities.save(updated, before=opp)
            view = await _view(uow, updated)
            await uow.commit()
        return view

    async def place(self, caller: Caller, opportunity_id: str, pipeline_id: str) -> OpportunityView:
        """Into the pipeline's first stage; the first stage's gate applies."""
        async with self.uow() as uow:
            opp = await readable(uow, caller, opportunity_id)
            pipeline = await self._pipeline(uow, caller.tenant_id, pipeline_id)
        if opp.pipeline_id:
            raise FailedPrecondition(
                f"opportunity {opportunity_id} is already in a pipeline",
                [Violation("pipeline", opp.pipeline_id, "the opportunity is already placed")],
            )
        return await self._enter(caller, opp, pipeline, pipeline.stages[0].name, (pipeline.stages[0],), "placed")

    async def move(self, caller: Caller, opportunity_id: str, stage: str) -> OpportunityView:
        if not stage.strip():
            raise InvalidArgument.field("stage", "is required")
        async with self.uow() as uow:
            opp = await readable(uow, caller, opportunity_id)
            rules.require_placed(opp)
            rules.require_open(opp)
            pipeline = await self._pipeline(uow, caller.tenant_id, opp.pipeline_id or "")
        entered = rules.stages_entered(pipeline, opp.stage, stage.strip())
        return await self._enter(caller, opp, pipeline, stage.strip(), entered, "moved")

    async def _enter(
        self, caller: Caller, seen: Opportunity, pipeline: Pipeline, target: str, gated: Sequence[Stage], via: str
    ) -> OpportunityView:
        caller.require_role(*rules.MOVERS)
        facts = await self._facts(seen, gated)
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, seen.opportunity_id)
            if (opp.pipeline_id, opp.stage, opp.status) != (seen.pipeline_id, seen.stage, seen.status):
                raise Conflict(f"opportunity {opp.opportunity_id} changed while its gate was checked; try again")
            rules.refuse_if_unmet(opp, target, rules.unmet(opp, gated, facts))
            now = uow.clock.now()
            moved = rules.enter(opp, pipeline, target, now)
            current = await uow.pipeline_opportunities.current_stay(opp.tenant_id, opp.opportunity_id)
            if current is not None:
                await uow.pipeline_opportunities.end_stay(rules.end_stay(current, now, "moved"))
            await uow.pipeline_opportunities.add_stay(_stay(moved, caller.user_id, via, now))
            await uow.pipeline_opportunities.save(moved, before=opp)
            await _stage_changed(uow, opp, moved, caller.user_id)
            view = await _view(uow, moved)
            await uow.commit()
        return view

    async def _facts(self, seen: Opportunity, gated: Sequence[Stage]) -> GateFacts:
        """What other services say about the gates of `gated` (asked only when one needs them)."""
        doc_types = frozenset(d for s in gated for d in s.gate.required_documents)
        need_approval = any(s.gate.requires_approval for s in gated)
        if not (doc_types or need_approval):
            return GateFacts()
        return await self.gates.facts(seen.tenant_id, seen.opportunity_id, doc_types, need_approval)

    async def close(self, caller: Caller, opportunity_id: str, outcome: str, reason: str) -> OpportunityView:
        """Won or lost. A win passes the gates of every stage from the current
        one to the last (rules.stages_to_win), asked before the unit of work
        like a move's, and is refused if the opportunity changed meanwhile."""
        caller.require_role(*rules.MOVERS)
        pipeline: Pipeline | None = None
        facts = GateFacts()
        async with self.uow() as uow:
            seen = await readable(uow, caller, opportunity_id)
            rules.require_placed(seen)
            rules.require_open(seen)
            if outcome == "won":
                pipeline = await self._pipeline(uow, caller.tenant_id, seen.pipeline_id or "")
        if pipeline is not None:
            facts = await self._facts(seen, rules.stages_to_win(pipeline, seen.stage))
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, opportunity_id)
            if (opp.pipeline_id, opp.stage, opp.status) != (seen.pipeline_id, seen.stage, seen.status):
                raise Conflict(f"opportunity {opp.opportunity_id} changed while its gate was checked; try again")
            now = uow.clock.now()
            closed = rules.close(opp, outcome, reason, now, pipeline=pipeline, facts=facts)
            current = await uow.pipeline_opportunities.current_stay(opp.tenant_id, opp.opportunity_id)
            if current is not None:
                await uow.pipeline_opportunities.end_stay(rules.end_stay(current, now, outcome, closed.close_reason))
            await uow.pipeline_opportunities.save(closed, before=opp)
            customer = await uow.pipeline_opportunities.customer_row(opp.tenant_id, opp.customer_id)
            event = opportunity_pb2.OpportunityClosed(
                opportunity_id=closed.opportunity_id,
                customer_id=closed.customer_id,
                lead_id=closed.lead_id or "",
                owner_id=closed.owner_id,
                outcome=outcome,
                reason=closed.close_reason,
                amount=money(closed.amount_minor, closed.currency),
                province=customer.get("province") or "",
                city=customer.get("city") or "",
                district=customer.get("district") or "",
            )
            if customer.get("latitude") is not None and customer.get("longitude") is not None:
                event.latitude, event.longitude = customer["latitude"], customer["longitude"]
            event.closed_at.FromDatetime(now)
            await uow.publish("opportunity.closed", closed.tenant_id, closed.opportunity_id, event)
            view = await _view(uow, closed)
            await uow.commit()
        return view

    async def reopen(self, caller: Caller, opportunity_id: str) -> OpportunityView:
        async with self.uow() as uow:
            opp = await self._writable(uow, caller, opportunity_id)
            rules.require_placed(opp)
            pipeline = await self._pipeline(uow, caller.tenant_id, opp.pipeline_id or "")
            now = uow.clock.now()
            reopened = rules.reopen(opp, pipeline, now)
            await uow.pipeline_opportunities.add_stay(_stay(reopened, caller.user_id, "reopened", now))
            await uow.pipeline_opportunities.save(reopened, before=opp)
            await _stage_changed(uow, opp, reopened, caller.user_id)
            view = await _view(uow, reopened)
            await uow.commit()
        return view

    async def history(self, caller: Caller, opportunity_id: str) -> History:
        async with self.uow() as uow:
            opp = await readable(uow, caller, opportunity_id)
            stays = await uow.pipeline_opportunities.stays(opp.tenant_id, opp.opportunity_id)
            now = uow.clock.now()
        return History(stays, rules.time_per_stage(stays, now), now)

    # -- board --

    async def board(
        self, caller: Caller, pipeline_id: str, *, owner_id: str, team: str, region: str, product_line: str
    ) -> Board:
        caller.require_role(*PIPELINE_READERS)
        async with self.uow() as uow:
            pipeline = await self._pipeline(uow, caller.tenant_id, pipeline_id)
            scope = await uow.scope(caller)
            rows = await uow.pipeline_opportunities.board(
                caller.tenant_id,
                pipeline.pipeline_id,
                owner_ids=scope.owner_ids,
                owner_id=owner_id.strip(),
                team=team.strip(),
                region=region.strip(),
                product_line=product_line.strip(),
            )
        totals = rules.board_totals(pipeline, rows)
        return Board(
            pipeline_id=pipeline.pipeline_id,
            columns=[
                BoardColumn(
                    stage=stage.name,
                    forecast_category=stage.forecast_category,
                    count=count,
                    amount_minor=amount,
                    weighted_minor=weighted,
                )
                for stage, count, amount, weighted in totals.columns
            ],
            won_count=totals.won_count,
            won_amount_minor=totals.won_amount_minor,
            lost_count=totals.lost_count,
        )

    # -- tasks --

    async def list_tasks(
        self, caller: Caller, *, state: str, owner_id: str, opportunity_id: str, customer_id: str
    ) -> list[dict[str, Any]]:
        if state and state not in timers.TASK_STATES:
            raise InvalidArgument.field("state", f"must be one of {', '.join(timers.TASK_STATES)}")
        async with self.uow() as uow:
            scope = await uow.scope(caller)
            if scope.is_empty:
                return []
            return await uow.tasks.list(
                caller.tenant_id,
                owner_ids=scope.owner_ids,
                state=state,
                owner_id=owner_id.strip(),
                opportunity_id=opportunity_id.strip(),
                customer_id=customer_id.strip(),
            )

    async def complete_task(self, caller: Caller, task_id: str) -> dict[str, Any]:
        caller.require_role(*rules.MOVERS)
        async with self.uow() as uow:
            task = await uow.tasks.get(caller.tenant_id, task_id)
            if task is None or not (await uow.scope(caller)).covers(caller.tenant_id, task["owner_id"]):
                raise NotFound(f"task {task_id} not found")
            if task["state"] != "open":
                raise FailedPrecondition(
                    f"task {task_id} is {task['state']}", [Violation("task", task_id, f"is {task['state']}, not open")]
                )
            if not await uow.tasks.complete(caller.tenant_id, task_id, caller.user_id, uow.clock.now()):
                raise Conflict(f"task {task_id} was changed concurrently; try again")
            done = await uow.tasks.get(caller.tenant_id, task_id)
            await uow.commit()
        assert done is not None
        return done

    # -- activity.logged (consumer; the consumer's unit of work commits) --

    async def activity_logged(
        self, uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str, opportunity_id: str
    ) -> None:
        """An activity is the first touch: it clears the 24 h deadline and the
        red flags of the opportunity it is about (or, when it names none, of
        the customer's open opportunities)."""
        if opportunity_id:
            found = await uow.pipeline_opportunities.get(tenant_id, opportunity_id)
            opps = [found] if found else []
        else:
            opps = await uow.pipeline_opportunities.open_for_customer(tenant_id, customer_id)
        now = uow.clock.now()
        for opp in opps:
            flags = timers.without_flags(opp.flags, timers.NO_ACTIVITY, timers.FOLLOW_UP_LATE)
            if opp.first_touch_due_at is None and tuple(flags) == tuple(opp.flags):
                continue
            await uow.pipeline_opportunities.save(
                replace(opp, flags=flags, first_touch_due_at=None, updated_at=now), before=opp
            )

    # -- timers (one PeriodicJob under a lease runs these) --

    async def run_timers(self) -> dict[str, int]:
        return {
            timers.NO_ACTIVITY: await self._no_activity(),
            timers.DORMANT: await self._dormant(),
            timers.FOLLOW_UP_LATE: await self._follow_ups(),
            timers.RENEWAL: await self._renewals(),
        }

    async def _task(self, uow: OpportunityUnitOfWork, tenant_id: str, draft: timers.TaskDraft) -> str | None:
        task_id = new_id()
        added = await uow.tasks.add_unless_exists(tenant_id, task_id, draft, uow.clock.now())
        if added:
            await _notify(uow, tenant_id, timers.task_notice(draft.owner_id, draft, task_id))
        return task_id if added else None

    async def _no_activity(self) -> int:
        async with self.uow() as uow:
            now = uow.clock.now()
            due = await uow.pipeline_opportunities.first_touch_overdue(now, SCAN_LIMIT)
            for opp in due:
                customer = await uow.pipeline_opportunities.customer_row(opp.tenant_id, opp.customer_id)
                await uow.pipeline_opportunities.save(
                    replace(
                        opp,
                        flags=timers.with_flag(opp.flags, timers.NO_ACTIVITY),
                        first_touch_due_at=None,
                        updated_at=now,
                    ),
                    before=opp,
                )
                draft = timers.no_activity_task(
                    opportunity_id=opp.opportunity_id,
                    customer_id=opp.customer_id,
                    name=opp.name,
                    customer_name=customer.get("name", ""),
                    owner_id=opp.owner_id,
                    now=now,
                )
                if await self._task(uow, opp.tenant_id, draft):
                    manager = await uow.pipeline_opportunities.manager_of(opp.tenant_id, opp.owner_id)
                    if manager and manager != opp.owner_id:
                        await _notify(uow, opp.tenant_id, timers.no_activity_notice(manager, draft, opp.owner_id))
            await uow.commit()
        return len(due)

    async def _dormant(self) -> int:
        made = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            for c in await uow.pipeline_opportunities.dormant_customers(now - timers.DORMANT_AFTER):
                draft = timers.wake_up_task(
                    customer_id=c["customer_id"],
                    customer_name=c["name"],
                    owner_id=c["owner_id"],
                    last_interaction_at=c.get("last_interaction_at"),
                    created_at=c["created_at"],
                    now=now,
                )
                task_id = await self._task(uow, c["tenant_id"], draft)
                if task_id:
                    made += 1
                    manager = await uow.pipeline_opportunities.manager_of(c["tenant_id"], c["owner_id"])
                    if manager and manager != c["owner_id"]:
                        await _notify(uow, c["tenant_id"], timers.task_notice(manager, draft, task_id, copied=True))
            await uow.commit()
        return made

    async def _follow_ups(self) -> int:
        changed = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            for opp, planned in await uow.pipeline_opportunities.open_opportunities_of_customers_with_follow_up():
                late = timers.follow_up_late(planned, now)
                flagged = timers.FOLLOW_UP_LATE in opp.flags
                if late == flagged:
                    continue
                flags = (
                    timers.with_flag(opp.flags, timers.FOLLOW_UP_LATE)
                    if late
                    else timers.without_flags(opp.flags, timers.FOLLOW_UP_LATE)
                )
                await uow.pipeline_opportunities.save(replace(opp, flags=flags, updated_at=now), before=opp)
                changed += 1
            await uow.commit()
        return changed

    async def _renewals(self) -> int:
        made = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            today = timers.business_day(now)
            for opp in await uow.pipeline_opportunities.contracts_ending(today, today + timers.RENEWAL_WITHIN):
                if not timers.renewal_due(opp.status, opp.contract_end_date, now):
                    continue
                customer = await uow.pipeline_opportunities.customer_row(opp.tenant_id, opp.customer_id)
                draft = timers.renewal_task(
                    opportunity_id=opp.opportunity_id,
                    customer_id=opp.customer_id,
                    customer_name=customer.get("name", ""),
                    # The account manager: whoever owns the customer now.
                    owner_id=customer.get("owner_id") or opp.owner_id,
                    contract_end=opp.contract_end_date,  # type: ignore[arg-type]
                )
                if await self._task(uow, opp.tenant_id, draft):
                    made += 1
            await uow.commit()
        return made

