"""What other services' events keep here (the consumer's unit of work
commits): the reps projection the scope is made of, a customer's purchase
total (finance's receipts, domain/receipt.py) and its count of service requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm_shared.business_calendar import business_day
from crm_shared.limits import MAX_ID
from crm_shared.logs import get_logger

from opportunity.domain.receipt import COUNTED_STATUS, CountedReceipt, left_out, on_recorded, on_reversed
from opportunity.domain.rep import Rep
from opportunity.service_layer import customer_value
from opportunity.service_layer.uow import OpportunityUnitOfWork

log = get_logger("opportunity.projections")


async def rep_profile_changed(uow: OpportunityUnitOfWork, rep: Rep) -> None:
    await uow.reps.put(rep)


@dataclass(frozen=True)
class ReceiptSeen:
    """What payment.receipt_recorded / payment.receipt_reversed say of a receipt."""

    receipt_id: str
    opportunity_id: str
    amount_minor: int
    currency: str
    status: str = COUNTED_STATUS
    paid_on: str = ""  # YYYY-MM-DD (finance's day of the receipt); "" or invalid: the day it is counted


async def receipt_recorded(uow: OpportunityUnitOfWork, tenant_id: str, seen: ReceiptSeen) -> None:
    """A recorded receipt adds to its opportunity's customer's purchase total
    once (CNY only); a held one counts when finance releases it. The customer's
    value tier is recomputed in the same unit of work."""
    if seen.status != COUNTED_STATUS or not _countable(seen):
        return
    opp = await uow.opportunities.get(tenant_id, seen.opportunity_id)
    if opp is None:
        log.warning("receipt for an unknown opportunity, ignored", opportunity_id=seen.opportunity_id)
        return
    found = await uow.receipts.get(tenant_id, seen.receipt_id)
    row, gained = on_recorded(found, _row(tenant_id, seen, opp.customer_id, _day(seen.paid_on, uow)))
    if row is None:
        return
    await uow.receipts.save(row, new=True, now=uow.clock.now())
    await uow.customers.add_purchase(tenant_id, opp.customer_id, gained)
    await customer_value.purchases_changed(uow, tenant_id, opp.customer_id)


async def receipt_reversed(uow: OpportunityUnitOfWork, tenant_id: str, seen: ReceiptSeen) -> None:
    """A reversed receipt takes back what it added, if it was counted (and the tier is recomputed)."""
    if not _countable(seen):
        return
    found = await uow.receipts.get(tenant_id, seen.receipt_id)
    row, lost = on_reversed(found, _row(tenant_id, seen, None, None))
    if row is None:
        return
    await uow.receipts.save(row, new=found is None, now=uow.clock.now())
    if lost and row.customer_id:
        await uow.customers.take_back_purchase(tenant_id, row.customer_id, lost)
        await customer_value.purchases_changed(uow, tenant_id, row.customer_id)


def _day(paid_on: str, uow: OpportunityUnitOfWork) -> date:
    try:
        return date.fromisoformat(paid_on)
    except ValueError:
        return business_day(uow.clock.now())


def _countable(seen: ReceiptSeen) -> bool:
    why = left_out(seen.receipt_id, seen.amount_minor, seen.currency)
    if why:
        log.warning(why, receipt_id=seen.receipt_id[:MAX_ID])
    return not why


def _row(tenant_id: str, seen: ReceiptSeen, customer_id: str | None, paid_on: date | None) -> CountedReceipt:
    return CountedReceipt(
        tenant_id=tenant_id,
        receipt_id=seen.receipt_id,
        opportunity_id=seen.opportunity_id[:MAX_ID],
        customer_id=customer_id,
        amount_minor=seen.amount_minor,
        counted=False,
        reversed=False,
        paid_on=paid_on,
    )


async def service_requested(uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str) -> None:
    if not await uow.customers.count_service_request(tenant_id, customer_id):
        log.warning("service request for an unknown customer, ignored", customer_id=customer_id)
