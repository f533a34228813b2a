"""Use cases of opportunities: open one (optionally straight into a
pipeline's first stage, whose gate applies), read, list and change its
details, and record an approval decided on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from crm.events.v1 import opportunity_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.natural_keys import credit_code_key
from crm_shared.paging import decode_token, encode_token, page_size
from crm_shared.partner_check import PartnerCheck

from opportunity.domain import pipeline as rules
from opportunity.domain.access import resolve_owner
from opportunity.domain.approval_lock import SubjectLock, changed_fields, refuse_locked
from opportunity.domain.opportunity import (
    CREATE_ROLES,
    Details,
    ListFilter,
    OpportunityView,
    apply_details,
    open_opportunity,
    record_decision,
)
from opportunity.domain.pipeline import GateFacts
from opportunity.domain.stage_history import new_stay
from opportunity.service_layer.common import (
    GateFactsSource,
    find_pipeline,
    gate_facts,
    publish_stage_changed,
    readable_opportunity,
    scope_of,
    store_opened,
    view,
    views,
)
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = get_logger("opportunity.opportunities")


@dataclass(frozen=True)
class NewOpportunity:
    customer_name: str
    customer_credit_code: str
    name: str
    amount_minor: int | None
    currency: str = "CNY"
    owner_id: str = ""
    pipeline_id: str = ""
    details: Details = field(default_factory=Details)


@dataclass(frozen=True)
class DecisionMade:
    approval_id: str
    opportunity_id: str
    decision: str
    decided_by: str
    decided_at: datetime
    kind: str = ""


class SubjectLocksSource(Protocol):
    async def locks(self, tenant_id: str, opportunity_id: str) -> list[SubjectLock]: ...


class OpportunityHandlers:
    def __init__(
        self, uow: UowFactory, gates: GateFactsSource, locks: SubjectLocksSource, partners: PartnerCheck | None = None
    ) -> None:
        self.uow = uow
        self.gates = gates
        self.locks = locks
        # A partner's list is none of the manufacturer's rows, but only for a partner lead-routing still admits.
        self.partners = partners or PartnerCheck()

    async def create(self, caller: Caller, cmd: NewOpportunity) -> OpportunityView:
        """A known credit code attaches to that customer, else a new one; with
        `pipeline_id` into its first stage (that gate's facts are asked before
        the transaction opens), all in one transaction."""
        caller.require_role(*CREATE_ROLES)
        owner = resolve_owner(caller, cmd.owner_id)
        async with self.uow() as uow:
            pipeline = await find_pipeline(uow, caller.tenant_id, cmd.pipeline_id) if cmd.pipeline_id else None
        opportunity_id = new_id()
        facts = GateFacts()
        if pipeline is not None:
            facts = await gate_facts(self.gates, caller.tenant_id, opportunity_id, pipeline.stages[:1])
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
            opp = apply_details(opened.opportunity, cmd.details, now)
            if pipeline is not None:
                first = pipeline.stages[0]
                rules.refuse_if_unmet(opp, first.name, rules.unmet(opp, (first,), facts))
                opp = rules.enter(opp, pipeline, first.name, now)
            created = await store_opened(uow, replace(opened, opportunity=opp))
            if pipeline is not None:
                await uow.opportunities.add_stay(
                    new_stay(opp, stay_id=new_id(), by=caller.user_id, via="placed", now=now)
                )
                await publish_stage_changed(uow, opened.opportunity, opp, caller.user_id)
            await uow.commit()
        return created

    async def get(self, caller: Caller, opportunity_id: str) -> OpportunityView:
        async with self.uow() as uow:
            return await view(uow, await readable_opportunity(uow, caller, opportunity_id))

    async def list(
        self, caller: Caller, *, lead_id: str, size: int, token: str, where: ListFilter | None = None
    ) -> tuple[list[OpportunityView], str]:
        limit = page_size(size)
        await self.partners.require(caller)
        async with self.uow() as uow:
            found = await uow.opportunities.list(
                await scope_of(uow, caller), lead_id=lead_id, limit=limit + 1, after=decode_token(token), where=where
            )
            page = await views(uow, caller.tenant_id, found[:limit])
        last = page[-1].opportunity if page else None
        return page, encode_token(last.created_at, last.opportunity_id) if last and len(found) > limit else ""

    async def update(self, caller: Caller, opportunity_id: str, details: Details) -> OpportunityView:
        """Fields a pending approval locks are refused (409 naming it). Approval is
        asked before the transaction opens, and only when the change really alters
        a lockable field (bad input, a closed deal or an unknown id answer first)."""
        caller.require_role(*rules.MOVERS)
        async with self.uow() as uow:
            seen = await readable_opportunity(uow, caller, opportunity_id)
            # A closed deal keeps what its close was checked on (the won gates): reopen it to change it.
            rules.require_open(seen)
            asked = bool(changed_fields(seen, apply_details(seen, details, uow.clock.now())))
        held = await self.locks.locks(caller.tenant_id, opportunity_id) if asked else []
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id, lock=True)
            rules.require_open(opp)
            updated = apply_details(opp, details, uow.clock.now())
            if not asked and changed_fields(opp, updated):
                raise Conflict(f"opportunity {opportunity_id} changed while its locks were checked; try again")
            refuse_locked(opp, updated, held)
            await uow.opportunities.save(updated, before=opp)
            changed = await view(uow, updated)
            await uow.commit()
        return changed

    async def approval_decided(self, uow: OpportunityUnitOfWork, tenant_id: str, made: DecisionMade) -> None:
        """crm.approval.decided on an opportunity, recorded once per approval
        (the consumer's unit of work commits)."""
        opp = await uow.opportunities.get(tenant_id, made.opportunity_id)
        if opp is None:
            # Not ours (or not yet/ever created here): nothing to record, nothing to retry.
            log.warning("approval decided for an unknown opportunity, ignored", opportunity_id=made.opportunity_id)
            return
        if await uow.opportunities.decision_recorded(tenant_id, made.approval_id):
            return
        decision = record_decision(
            opp,
            approval_id=made.approval_id,
            decision=made.decision,
            decided_by=made.decided_by,
            decided_at=made.decided_at,
            kind=made.kind,
        )
        await uow.opportunities.add_decision(decision)
        await uow.publish(
            "opportunity.approval_recorded",
            tenant_id,
            opp.opportunity_id,
            opportunity_pb2.OpportunityApprovalRecorded(
                opportunity_id=opp.opportunity_id,
                approval_id=decision.approval_id,
                decision=decision.decision,
                kind=decision.kind,
            ),
        )
