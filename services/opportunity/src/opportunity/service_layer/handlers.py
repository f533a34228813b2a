"""Use cases of opportunity: open a unit of work, call the domain, publish, commit.
Event handlers get the consumer's unit of work and must not commit: the
consumer commits them together with its inbox record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crm.events.v1 import opportunity_pb2
from crm_shared.context import Caller
from crm_shared.convert import money
from crm_shared.domain.errors import NotFound
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.money import MAX_AMOUNT_MINOR
from crm_shared.paging import decode_token, encode_token, page_size
from opportunity.domain.model import (
    Opened,
    Opportunity,
    OpportunityView,
    credit_code_key,
    match_customer,
    open_opportunity,
    phone_key,
    record_decision,
)
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = get_logger("opportunity.handlers")


@dataclass(frozen=True)
class ConvertedLead:
    lead_id: str
    company_name: str
    credit_code: str
    phone: str
    province: str
    city: str
    district: str
    owner_id: str
    opportunity_name: str
    amount_minor: int | None
    currency: str


@dataclass(frozen=True)
class DecisionMade:
    approval_id: str
    opportunity_id: str
    decision: str
    decided_by: str
    decided_at: datetime


async def store_opened(uow: OpportunityUnitOfWork, opened: Opened) -> OpportunityView:
    """Write what open_opportunity decided and its opportunity.created event."""
    customer, opp = opened.customer, opened.opportunity
    if opened.customer_is_new:
        await uow.customers.add(customer)
    await uow.opportunities.add(opp)
    await uow.publish(
        "opportunity.created",
        opp.tenant_id,
        opp.opportunity_id,
        opportunity_pb2.OpportunityCreated(
            opportunity_id=opp.opportunity_id,
            customer_id=customer.customer_id,
            customer_name=customer.name,
            name=opp.name,
            owner_id=opp.owner_id,
            lead_id=opp.lead_id or "",
            amount=money(opp.amount_minor, opp.currency),
        ),
    )
    return OpportunityView(opp, customer)


async def views(uow: OpportunityUnitOfWork, tenant_id: str, opps: list[Opportunity]) -> list[OpportunityView]:
    """Opportunities with their customers and recorded approval decisions."""
    ids = {o.opportunity_id for o in opps}
    customers = await uow.customers.get_many(tenant_id, {o.customer_id for o in opps})
    approvals = await uow.approvals.for_opportunities(tenant_id, ids) if ids else {}
    return [
        OpportunityView(o, customers[o.customer_id], tuple(approvals.get(o.opportunity_id, ()))) for o in opps
    ]


async def readable(
    uow: OpportunityUnitOfWork, caller: Caller, opportunity_id: str, *, lock: bool = False
) -> Opportunity:
    """The opportunity if it is in the caller's scope; one out of scope reads as missing."""
    opp = await uow.pipeline_opportunities.get(caller.tenant_id, opportunity_id, lock=lock)
    if opp is None or not (await uow.scope(caller)).covers(opp.tenant_id, opp.owner_id):
        raise NotFound(f"opportunity {opportunity_id} not found")
    return opp


class OpportunityHandlers:
    """Reading opportunities and the events that open them or record on them;
    creating and changing them is PipelineHandlers'."""

    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def get(self, caller: Caller, opportunity_id: str) -> OpportunityView:
        async with self.uow() as uow:
            opp = await readable(uow, caller, opportunity_id)
            return (await views(uow, caller.tenant_id, [opp]))[0]

    async def list(self, caller: Caller, *, lead_id: str, size: int, token: str) -> tuple[list[OpportunityView], str]:
        limit = page_size(size)
        async with self.uow() as uow:
            found = await uow.opportunities.list(
                await uow.scope(caller), lead_id=lead_id, limit=limit + 1, after=decode_token(token)
            )
            page = await views(uow, caller.tenant_id, found[:limit])
        last = page[-1].opportunity if page else None
        return page, encode_token(last.created_at, last.opportunity_id) if last and len(found) > limit else ""

    async def lead_converted(self, uow: OpportunityUnitOfWork, tenant_id: str, lead: ConvertedLead) -> Opened | None:
        """The customer (new or attached) and opportunity made; None when the lead was converted before."""
        # The inbox stops a redelivered event; this stops a second event
        # about the same lead (the unique (tenant, lead) index backs it up).
        if await uow.opportunities.by_lead(tenant_id, lead.lead_id):
            log.info("lead already converted, ignored", lead_id=lead.lead_id)
            return None
        code = credit_code_key(lead.credit_code)
        by_phone = await uow.customers.by_phone(tenant_id, phone_key(lead.phone))
        by_code = await uow.customers.by_credit_code(tenant_id, code)
        existing = match_customer(by_code, by_phone, code)
        if existing and existing not in (by_code, by_phone):  # matched by phone and learnt its code
            await uow.customers.set_credit_code(existing, uow.clock.now())
        amount = lead.amount_minor
        if amount is not None and not 0 <= amount <= MAX_AMOUNT_MINOR:
            # An expectation out of bounds is no amount; the lead still becomes an opportunity.
            log.warning("expected amount of a converted lead out of bounds, dropped", lead_id=lead.lead_id)
            amount = None
        opened = open_opportunity(
            tenant_id=tenant_id,
            opportunity_id=new_id(),
            customer_id=new_id(),
            now=uow.clock.now(),
            existing=existing,
            customer_name=lead.company_name,
            credit_code=lead.credit_code,
            phone=lead.phone,
            province=lead.province,
            city=lead.city,
            district=lead.district,
            name=lead.opportunity_name or f"{lead.company_name} 商机",
            amount_minor=amount,
            currency=lead.currency if amount is not None else "CNY",
            owner_id=lead.owner_id,
            lead_id=lead.lead_id,
        )
        await store_opened(uow, opened)
        return opened

    async def approval_decided(self, uow: OpportunityUnitOfWork, tenant_id: str, made: DecisionMade) -> None:
        opp = await uow.pipeline_opportunities.get(tenant_id, made.opportunity_id)
        if opp is None:
            # Not ours (or not yet/ever created here): nothing to record, nothing to retry.
            log.warning("approval decided for an unknown opportunity, ignored", opportunity_id=made.opportunity_id)
            return
        if await uow.approvals.exists(tenant_id, made.approval_id):
            return
        decision = record_decision(
            opp,
            approval_id=made.approval_id,
            decision=made.decision,
            decided_by=made.decided_by,
            decided_at=made.decided_at,
        )
        await uow.approvals.add(decision)
        await uow.publish(
            "opportunity.approval_recorded",
            tenant_id,
            opp.opportunity_id,
            opportunity_pb2.OpportunityApprovalRecorded(
                opportunity_id=opp.opportunity_id, approval_id=decision.approval_id, decision=decision.decision
            ),
        )
