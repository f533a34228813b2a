"""What several use cases of this service share: the caller's scope, loading
an aggregate within it (one out of scope reads as missing), an opportunity
with its customer and decisions, the events of opening and moving one, and
the gate facts other services hold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from crm.events.v1 import opportunity_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.convert import money
from crm_shared.domain.errors import NotFound
from crm_shared.notifications import publish_notification

from opportunity.domain import access
from opportunity.domain.access import Scope, scope_for
from opportunity.domain.customer import Customer
from opportunity.domain.opportunity import Opened, Opportunity, OpportunityView
from opportunity.domain.pipeline import GateFacts, Pipeline, Stage, gate_needs
from opportunity.domain.timers import NotificationDraft
from opportunity.service_layer.uow import OpportunityUnitOfWork


class GateFactsSource(Protocol):
    async def facts(
        self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str], approval_kinds: frozenset[str]
    ) -> GateFacts: ...


async def team_of(uow: OpportunityUnitOfWork, caller: Caller) -> list[str]:
    """The reps a manager manages (from the reps projection); nobody for other roles."""
    return await uow.reps.reps_managed_by(caller.tenant_id, caller.user_id) if caller.role == roles.MANAGER else []


async def scope_of(uow: OpportunityUnitOfWork, caller: Caller) -> Scope:
    """What the caller may read: the one rule for customers, opportunities and tasks."""
    return scope_for(caller, await team_of(uow, caller))


async def visible_customer(
    uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, *, for_update: bool = False
) -> Customer:
    """The customer if the caller may see it; NotFound otherwise (an
    out-of-scope customer is not confirmed to exist)."""
    scope = await scope_of(uow, caller)
    customer = await uow.customers.get(caller.tenant_id, customer_id, for_update=for_update)
    if customer is None or not customer.visible_in(scope):
        raise NotFound(f"customer {customer_id} not found")
    return customer


async def writable_customer(
    uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, *, for_update: bool = False
) -> Customer:
    customer = await visible_customer(uow, caller, customer_id, for_update=for_update)
    access.require_writer(caller)
    return customer


async def readable_opportunity(
    uow: OpportunityUnitOfWork, caller: Caller, opportunity_id: str, *, lock: bool = False
) -> Opportunity:
    """The opportunity if it is in the caller's scope; one out of scope reads as missing."""
    opp = await uow.opportunities.get(caller.tenant_id, opportunity_id, lock=lock)
    if opp is None or not opp.visible_in(await scope_of(uow, caller)):
        raise NotFound(f"opportunity {opportunity_id} not found")
    return opp


async def find_pipeline(uow: OpportunityUnitOfWork, tenant_id: str, pipeline_id: str) -> Pipeline:
    pipeline = await uow.pipelines.get(tenant_id, pipeline_id) if pipeline_id.strip() else None
    if pipeline is None:
        raise NotFound(f"pipeline {pipeline_id} not found")
    return pipeline


async def views(uow: OpportunityUnitOfWork, tenant_id: str, opps: Sequence[Opportunity]) -> list[OpportunityView]:
    """Opportunities with their customers and recorded approval decisions."""
    customers = await uow.customers.get_many(tenant_id, {o.customer_id for o in opps})
    approvals = await uow.opportunities.decisions(tenant_id, {o.opportunity_id for o in opps})
    return [OpportunityView(o, customers[o.customer_id], tuple(approvals.get(o.opportunity_id, ()))) for o in opps]


async def view(uow: OpportunityUnitOfWork, opp: Opportunity) -> OpportunityView:
    return (await views(uow, opp.tenant_id, [opp]))[0]


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
            partner_org_id=opp.partner_org_id,
            registration_id=opp.registration_id,
        ),
    )
    return OpportunityView(opp, customer)


async def publish_stage_changed(
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


async def gate_facts(gates: GateFactsSource, tenant_id: str, opportunity_id: str, gated: Sequence[Stage]) -> GateFacts:
    """What other services say about the gates of `gated` (asked only when one needs them)."""
    doc_types, approval_kinds = gate_needs(gated)
    if not (doc_types or approval_kinds):
        return GateFacts()
    return await gates.facts(tenant_id, opportunity_id, doc_types, approval_kinds)


async def notify(uow: OpportunityUnitOfWork, tenant_id: str, n: NotificationDraft) -> None:
    """Publish a notification a rule drafted (timers, intent, anomaly flags), from the outbox."""
    await publish_notification(
        uow,
        tenant_id,
        n.recipient_id,
        n.kind,
        n.title,
        n.body,
        subject_type=n.subject_type,
        subject_id=n.subject_id,
        aggregate_id=n.recipient_id,
    )
