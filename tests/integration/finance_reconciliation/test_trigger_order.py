"""Which delivery or acceptance record dates a contract's instalments, on a
real database: the one recorded last by its own time (sales' time on the
opportunity, finance's own when finance records it), then the larger record
id, whatever order the records reach finance in — a failed
opportunity.delivery_recorded retried after a newer correction was handled
brings the older date back nowhere."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from crm.events.v1.opportunity_pb2 import OpportunityDeliveryRecorded
from crm_shared.db import Database
from crm_shared.events import make_envelope
from finance_reconciliation.domain.contract import FinanceContract
from finance_reconciliation.domain.plan import Triggers
from finance_reconciliation.entrypoints.consumers import on_delivery_recorded
from finance_reconciliation.service_layer.plans import record_trigger_in
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

TENANT = "tenant-a"
CONTRACT = "contract-1"
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
async def db(finance_db: Database) -> AsyncIterator[Database]:
    yield finance_db


async def sales_record(
    db: Database, delivery_id: str, kind: str, on: date, recorded_at: datetime, opportunity_id: str = "opp-1"
) -> None:
    """opportunity.delivery_recorded as opportunity published it at `recorded_at`, handled now."""
    event = OpportunityDeliveryRecorded(
        delivery_id=delivery_id,
        opportunity_id=opportunity_id,
        contract_id=CONTRACT,
        kind=kind,
        on=on.isoformat(),
        recorded_by="rep-1",
    )
    envelope = make_envelope(
        "opportunity.delivery_recorded", TENANT, opportunity_id, event, source="opportunity", occurred_at=recorded_at
    )
    async with FinanceUnitOfWork(db) as uow:
        await on_delivery_recorded(envelope, uow)
        await uow.commit()


async def finance_record(db: Database, kind: str, on: date, recorded_at: datetime, record_id: str) -> None:
    async with FinanceUnitOfWork(db) as uow:
        await record_trigger_in(uow, TENANT, CONTRACT, kind, on, "fin-1", recorded_at=recorded_at, record_id=record_id)
        await uow.commit()


async def in_force(db: Database) -> Triggers:
    async with FinanceUnitOfWork(db) as uow:
        return await uow.contracts.triggers(TENANT, CONTRACT)


async def test_an_older_record_retried_after_its_correction_changes_nothing(db: Database) -> None:
    first, corrected = date(2026, 11, 10), date(2026, 11, 12)
    # The correction (recorded an hour later) is handled first; the first record's retry arrives after it.
    await sales_record(db, "d-2", "delivery", corrected, T0 + timedelta(hours=1))
    await sales_record(db, "d-1", "delivery", first, T0)
    assert (await in_force(db)).delivered_on == corrected
    # Acceptance is kept apart from delivery.
    await sales_record(db, "d-3", "acceptance", date(2026, 11, 15), T0)
    assert await in_force(db) == Triggers(delivered_on=corrected, accepted_on=date(2026, 11, 15))


async def test_finances_record_and_sales_records_are_ordered_by_when_each_was_made(db: Database) -> None:
    await sales_record(db, "d-1", "delivery", date(2026, 11, 10), T0)
    # Finance corrects it later: its record is in force ...
    await finance_record(db, "delivery", date(2026, 11, 11), T0 + timedelta(hours=2), "f-1")
    assert (await in_force(db)).delivered_on == date(2026, 11, 11)
    # ... over a sales record made before it that reaches finance only now ...
    await sales_record(db, "d-2", "delivery", date(2026, 11, 9), T0 + timedelta(hours=1))
    assert (await in_force(db)).delivered_on == date(2026, 11, 11)
    # ... and a sales record made after it corrects it again.
    await sales_record(db, "d-3", "delivery", date(2026, 11, 13), T0 + timedelta(hours=3))
    assert (await in_force(db)).delivered_on == date(2026, 11, 13)
    # Finance's older record replayed (a retried request) brings nothing back.
    await finance_record(db, "delivery", date(2026, 11, 11), T0 + timedelta(hours=2), "f-1")
    assert (await in_force(db)).delivered_on == date(2026, 11, 13)


async def test_records_of_the_same_instant_are_ordered_by_id_whatever_arrives_first(db: Database) -> None:
    await sales_record(db, "d-b", "delivery", date(2026, 11, 12), T0)
    await sales_record(db, "d-a", "delivery", date(2026, 11, 10), T0)
    assert (await in_force(db)).delivered_on == date(2026, 11, 12)
    await sales_record(db, "d-c", "delivery", date(2026, 11, 14), T0)
    assert (await in_force(db)).delivered_on == date(2026, 11, 14)


async def test_a_record_made_on_another_opportunity_than_the_signed_contracts_dates_nothing(db: Database) -> None:
    async with FinanceUnitOfWork(db) as uow:
        await uow.contracts.upsert(FinanceContract(
            tenant_id=TENANT, contract_id=CONTRACT, version_id="v-1", signed_version_id="s-1", label="V1",
            opportunity_id="opp-2", customer_id="cust-1", total_minor=100_000, currency="CNY", equipment=(),
            terms=(), signed_on=date(2026, 11, 1), warranty_months=None,
        ))
        await uow.commit()
    await sales_record(db, "d-1", "delivery", date(2026, 11, 10), T0)  # made on opp-1: not this contract's
    assert await in_force(db) == Triggers()
    await sales_record(db, "d-2", "delivery", date(2026, 11, 11), T0, opportunity_id="opp-2")
    assert (await in_force(db)).delivered_on == date(2026, 11, 11)
