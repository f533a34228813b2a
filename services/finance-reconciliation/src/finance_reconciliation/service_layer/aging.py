"""Per-customer payment figures published as payment.customer_stats, inside
the caller's unit of work (so the event commits with the change that moved
them). F1's record/reverse of a receipt is the change; it calls
`publish_customer_stats(uow, tenant, customer)` before committing."""

from __future__ import annotations

from crm.events.v1.finance_pb2 import CustomerPaymentStats
from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.convert import money

from finance_reconciliation.adapters.aging_repository import AgingRepository
from finance_reconciliation.domain.payment_stats import DSO_PERIOD_DAYS, customer_stats

CUSTOMER_STATS = "payment.customer_stats"


async def publish_customer_stats(uow, tenant_id: str, customer_id: str, period_days: int = DSO_PERIOD_DAYS) -> int:
    """One event per currency the customer has anything due in; returns how many."""
    today = uow.clock.now().astimezone(BUSINESS_TZ).date()
    repo = AgingRepository(uow.session)
    insts = await repo.instalments(tenant_id, customer_id=customer_id)
    pays = await repo.payments(tenant_id, [i.instalment_id for i in insts])
    rows = customer_stats(insts, pays, today, period_days)
    for s in rows:
        event = CustomerPaymentStats(
            customer_id=s.customer_id, currency=s.currency, as_of=today.isoformat(), due_count=s.due_count,
            on_time_count=s.on_time_count, receivable=money(s.receivable_minor, s.currency),
            dso_period_days=period_days,
        )
        if s.on_time_rate_bp is not None:
            event.on_time_rate_bp = s.on_time_rate_bp
        if s.dso_days is not None:
            event.dso_tenths = int(s.dso_days * 10)
        await uow.publish(CUSTOMER_STATS, tenant_id, customer_id, event)
    return len(rows)
