"""What other services' events keep here (the consumer's unit of work
commits): the reps projection the scope is made of, a customer's purchase
total (finance's payments) and its count of service requests."""

from __future__ import annotations

from crm_shared.logs import get_logger
from crm_shared.money import MAX_AMOUNT_MINOR

from opportunity.domain.rep import Rep
from opportunity.service_layer.uow import OpportunityUnitOfWork

log = get_logger("opportunity.projections")


async def rep_profile_changed(uow: OpportunityUnitOfWork, rep: Rep) -> None:
    await uow.reps.upsert(rep)


async def payment_recorded(
    uow: OpportunityUnitOfWork, tenant_id: str, opportunity_id: str, amount_minor: int, currency: str
) -> None:
    """A payment adds to its opportunity's customer's purchase total (CNY only)."""
    if currency not in ("", "CNY"):
        log.warning("payment in another currency not added to the purchase total", opportunity_id=opportunity_id)
        return
    if not 0 < amount_minor <= MAX_AMOUNT_MINOR:
        log.warning("payment amount out of bounds, not added to the purchase total", opportunity_id=opportunity_id)
        return
    opp = await uow.opportunities.get(tenant_id, opportunity_id)
    if opp is None:
        log.warning("payment for an unknown opportunity, ignored", opportunity_id=opportunity_id)
        return
    await uow.customers.add_purchase(tenant_id, opp.customer_id, amount_minor)


async def service_requested(uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str) -> None:
    if not await uow.customers.count_service_request(tenant_id, customer_id):
        log.warning("service request for an unknown customer, ignored", customer_id=customer_id)
