"""Recording and listing payments on fakes: a payment on an opportunity the
caller may see is stored and announced; the list adds them up."""

from datetime import UTC, datetime

import pytest
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, NotFound, PermissionDenied
from crm_shared.testing import FakeRepository, FakeSubjectAccess, FakeUnitOfWork
from finance_reconciliation.domain.opportunity import Opportunity
from finance_reconciliation.domain.payment import Payment
from finance_reconciliation.service_layer.handlers import PaymentHandlers, RecordPayment, project_opportunity

FINANCE = Caller("t-1", "fin-1", "finance")
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class FakePayments(FakeRepository[Payment]):
    id_field = "payment_id"

    async def add(self, payment: Payment) -> None:
        if payment.reference and self.items(payment.tenant_id, reference=payment.reference):
            raise AlreadyExists(f"a payment with reference {payment.reference!r} is already recorded")
        self.put(payment)

    async def for_opportunity(self, tenant_id: str, opportunity_id: str) -> list[Payment]:
        return sorted(self.items(tenant_id, opportunity_id=opportunity_id), key=lambda p: (p.paid_at, p.payment_id))


class FakeOpportunities(FakeRepository[Opportunity]):
    id_field = "opportunity_id"

    async def upsert(self, opportunity: Opportunity) -> None:
        self.put(opportunity)


@pytest.fixture
def world() -> tuple[PaymentHandlers, FakeUnitOfWork]:
    uow = FakeUnitOfWork(FixedClock(NOW), payments=FakePayments(), opportunities=FakeOpportunities())
    access = FakeSubjectAccess()
    access.allow(FINANCE, "opp-1", write=False)  # finance records on opportunities it may read
    return PaymentHandlers(lambda: uow, access), uow


async def test_a_payment_is_stored_announced_and_added_up(world) -> None:
    handlers, uow = world
    first = await handlers.record(FINANCE, RecordPayment("opp-1", 50_000_00, "CNY", "华东机电", "BANK-001"))
    await handlers.record(FINANCE, RecordPayment("opp-1", 25_000_00, "CNY", "华东机电", "BANK-002"))
    assert (first.paid_at, first.recorded_by) == (NOW, "fin-1")
    payments, total = await handlers.list(FINANCE, "opp-1")
    assert [p.reference for p in payments] == ["BANK-001", "BANK-002"] and total == 75_000_00
    recorded = uow.events("payment.recorded")
    assert [(e.opportunity_id, e.amount.amount_minor, e.reference) for e in recorded] == [
        ("opp-1", 50_000_00, "BANK-001"),
        ("opp-1", 25_000_00, "BANK-002"),
    ]
    with pytest.raises(AlreadyExists):
        await handlers.record(FINANCE, RecordPayment("opp-1", 1, "CNY", "华东机电", "BANK-001"))
    assert len(uow.events("payment.recorded")) == 2


async def test_who_may_not_see_the_opportunity_records_nothing(world) -> None:
    handlers, uow = world
    with pytest.raises(NotFound):
        await handlers.record(FINANCE, RecordPayment("opp-2", 100, "CNY", "某公司"))
    with pytest.raises(PermissionDenied):
        await handlers.record(Caller("t-1", "rep-1", "rep"), RecordPayment("opp-1", 100, "CNY", "某公司"))
    assert not uow.published and not uow.committed


async def test_opportunity_created_is_projected_idempotently(world) -> None:
    _, uow = world
    opportunity = Opportunity("opp-1", "t-1", "华东机电", "rep-1", 100_000_00, "CNY")
    await project_opportunity(uow, opportunity)
    await project_opportunity(uow, opportunity)
    assert uow.opportunities.items("t-1") == [opportunity]
