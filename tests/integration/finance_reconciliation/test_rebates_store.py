"""Rebates against the real database (SQLite, and PostgreSQL when
TEST_DATABASE_URL names one): the partner of an opportunity from
opportunity.created (consumer with a real envelope), only recorded receipts
of that partner's opportunities in the period counting (held, rejected and
reversed ones, another partner's, another tenant's and other days' do not),
the marginal basis, two settlements of one period at once (one wins, the
other is refused and nothing of it is stored), a settlement keeping the
tiers it was made with, a stale programme edit refused, tenants apart and
who may call what: a partner is answered once the real lead-routing (over
gRPC) says the distributor their token names lists them."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from crm.events.v1 import finance_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import partner_pb2, partner_pb2_grpc
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import Database, outbox_table
from crm_shared.domain.errors import AlreadyExists, Conflict, FailedPrecondition, NotFound, PermissionDenied
from crm_shared.events import make_envelope, unpack
from crm_shared.partner_check import PartnerCheck
from finance_reconciliation.adapters.orm.rebates import rebate_settlement_receipts, rebate_settlements
from finance_reconciliation.adapters.orm.receipts import receipts
from finance_reconciliation.domain.rebate import MARGINAL, ProgrammeInput, Tier
from finance_reconciliation.entrypoints.consumers import on_opportunity_created
from finance_reconciliation.service_layer.rebates import RebateHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork
from google.protobuf import json_format

from scripts.localstack import DEMO_DISTRIBUTORS
from tests.integration.gateway.conftest import other_backend
from tests.support.infra import migrate

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 2026-12-02 in Asia/Shanghai: November has ended
WAN = 1_000_000  # 1万元 in 分
FINANCE = Caller("tenant-a", "liufang", "finance")
ADMIN = Caller("tenant-a", "admin", "admin")
HZ = Caller("tenant-a", "zhaolei", "partner", organisation="dist-hz")
NB = Caller("tenant-a", "sunli", "partner", organisation="dist-nb")
OTHER_FINANCE = Caller("tenant-b", "fin-b", "finance")
TIERS = [Tier(100 * WAN, 200), Tier(300 * WAN, 300)]


def programme(name: str = "月度返利", **kw: object) -> ProgrammeInput:
    given = {"name": name, "period_kind": "month", "tiers": TIERS, "basis": "", "currency": "",
             "distributor_ids": [], "starts_on": "2026-01-01", "ends_on": "", "active": True} | kw
    return ProgrammeInput(**given)  # type: ignore[arg-type]


async def deliver_created(db: Database, tenant: str, opportunity_id: str, partner: str) -> None:
    created = opportunity_pb2.OpportunityCreated(opportunity_id=opportunity_id, customer_id="c", customer_name="客户",
                                                 owner_id="zhangwei", partner_org_id=partner)
    envelope = make_envelope("opportunity.created", tenant, opportunity_id, created, source="test", occurred_at=NOW)
    async with FinanceUnitOfWork(db) as uow:
        await on_opportunity_created(envelope, uow)
        await uow.commit()


def receipt_row(n: int, opportunity_id: str, amount: int, paid_on: date, status: str = "recorded",
                tenant: str = "tenant-a") -> dict:
    return {"receipt_id": f"r{n}", "tenant_id": tenant, "contract_id": "k", "contract_version_id": "v",
            "instalment_id": f"i{n}", "opportunity_id": opportunity_id, "customer_id": "c", "amount_minor": amount,
            "currency": "CNY", "paid_on": paid_on, "payer_name": "客户", "lead_source": "伙伴报备",
            "source": "manual", "status": status, "recorded_by": "liufang", "recorded_at": NOW}


@pytest.fixture
async def db(database_url: str):
    await migrate("finance-reconciliation", database_url)
    database = Database(database_url, "finance-test", FixedClock(NOW))
    for tenant, opportunity_id, partner in [("tenant-a", "o-hz", "dist-hz"), ("tenant-a", "o-nb", "dist-nb"),
                                            ("tenant-a", "o-own", ""), ("tenant-b", "o-hz", "dist-hz")]:
        await deliver_created(database, tenant, opportunity_id, partner)
    nov = date(2026, 11, 10)
    async with database.engine.begin() as conn:
        await conn.execute(sa.insert(receipts), [
            receipt_row(1, "o-hz", 150 * WAN, nov),
            receipt_row(2, "o-hz", 100 * WAN, nov),
            receipt_row(3, "o-hz", 90 * WAN, nov, status="reversed"),  # no longer counts
            receipt_row(4, "o-hz", 80 * WAN, nov, status="held"),  # not yet: finance has not released it
            receipt_row(5, "o-hz", 70 * WAN, nov, status="rejected"),
            receipt_row(6, "o-hz", 60 * WAN, date(2026, 10, 31)),  # October's
            receipt_row(7, "o-nb", 40 * WAN, nov),  # dist-nb's
            receipt_row(8, "o-own", 500 * WAN, nov),  # the manufacturer's own deal
            receipt_row(9, "o-hz", 900 * WAN, nov, tenant="tenant-b"),  # another tenant's dist-hz
            receipt_row(10, "o-hz", 20 * WAN, date(2026, 12, 1)),  # December's
        ])
    yield database
    await database.dispose()


@pytest.fixture
async def lead_routing(nats_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """The owner of distributors: dist-hz lists zhaolei, dist-nb sunli (tenant-a), contracts running at NOW."""
    async with other_backend("lead_routing", nats_url, tmp_path, clock=FixedClock(NOW)) as svc:
        stub = partner_pb2_grpc.DistributorServiceStub(svc.channel)
        for given in DEMO_DISTRIBUTORS:
            details = json_format.ParseDict({k: v for k, v in given.items() if k != "distributor_id"},
                                            partner_pb2.DistributorDetails())
            request = partner_pb2.CreateDistributorRequest(distributor_id=given["distributor_id"], details=details)
            await stub.CreateDistributor(request, metadata=ADMIN.metadata())
        yield svc


@pytest.fixture
async def handlers(db: Database, lead_routing):  # type: ignore[no-untyped-def]
    partners = PartnerCheck(lead_routing.address, "finance-reconciliation")
    yield RebateHandlers(lambda: FinanceUnitOfWork(db), partners)
    await partners.close()


async def events(db: Database, event_type: str, message) -> list:  # type: ignore[no-untyped-def]
    async with db.engine.connect() as conn:
        found = await conn.execute(sa.select(outbox_table.c.envelope).where(outbox_table.c.subject == f"crm.{event_type}"))
        return [unpack(Envelope.FromString(r[0]), message) for r in found]


async def test_only_recorded_receipts_of_the_partners_opportunities_in_the_period_count(handlers, db) -> None:
    made = await handlers.create_programme(ADMIN, programme())
    [(_, mine)] = await handlers.partner_rebates(HZ, "2026-11-15")
    p = mine.progress
    assert (p.period.label, p.collected_minor, p.receipt_count, p.tier, p.rate_bp) == ("2026-11", 250 * WAN, 2, 1, 200)
    assert (p.needed_minor, p.accrued_minor) == (50 * WAN, 5 * WAN)  # 2 % of 250万 on the whole amount
    [(_, theirs)] = await handlers.partner_rebates(NB, "2026-11-15")
    assert (theirs.progress.distributor_id, theirs.progress.collected_minor) == ("dist-nb", 40 * WAN)
    # December so far; today's period when no date is given.
    [(_, december)] = await handlers.partner_rebates(HZ)
    assert (december.progress.period.label, december.progress.collected_minor) == ("2026-12", 20 * WAN)

    _, rows = await handlers.accruals(FINANCE, made.programme_id, "2026-11")
    assert {r.progress.distributor_id: r.progress.collected_minor for r in rows} == {"dist-hz": 250 * WAN,
                                                                                     "dist-nb": 40 * WAN}
    saved = await events(db, "rebate.programme_saved", finance_pb2.RebateProgrammeSaved)
    assert [(e.programme_id, list(e.rates_bp)) for e in saved] == [(made.programme_id, [200, 300])]


async def test_the_marginal_basis_rates_each_part_and_a_listed_programme_is_only_its_distributors(handlers) -> None:
    made = await handlers.create_programme(ADMIN, programme("超额累进", basis=MARGINAL, distributor_ids=["dist-hz"]))
    [(shown, mine)] = await handlers.partner_rebates(HZ, "2026-11-01")
    assert shown.programme_id == made.programme_id
    assert mine.progress.accrued_minor == 150 * WAN * 200 // 10_000  # 2 % of what lies above 100万
    assert await handlers.partner_rebates(NB, "2026-11-01") == []
    _, rows = await handlers.accruals(FINANCE, made.programme_id, "2026-11")
    assert [r.progress.distributor_id for r in rows] == ["dist-hz"]


async def test_a_period_is_settled_once_even_by_two_at_once_and_keeps_its_tiers(handlers, db) -> None:
    made = await handlers.create_programme(ADMIN, programme())
    results = await asyncio.gather(
        handlers.settle(FINANCE, made.programme_id, "dist-hz", "2026-11", "11月"),
        handlers.settle(ADMIN, made.programme_id, "dist-hz", "2026-11"),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    assert len(won) == 1 and [type(r) for r in results if isinstance(r, BaseException)] == [AlreadyExists]
    settled = won[0]
    assert (settled.collected_minor, settled.tier, settled.rebate_minor) == (250 * WAN, 1, 5 * WAN)
    assert set(settled.receipt_ids) == {"r1", "r2"}
    async with db.engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(rebate_settlements))).scalar_one() == 1
        assert (await conn.execute(sa.select(sa.func.count()).select_from(rebate_settlement_receipts))).scalar_one() == 2
    [event] = await events(db, "rebate.settled", finance_pb2.RebateSettled)
    assert (event.distributor_id, event.period, event.rebate.amount_minor, event.receipt_count) == (
        "dist-hz", "2026-11", 5 * WAN, 2)

    # The programme changes later (and a stale edit is refused); the settlement keeps what it was made with.
    with pytest.raises(Conflict):
        await handlers.update_programme(ADMIN, made.programme_id, programme(), expected_version=7)
    await handlers.update_programme(ADMIN, made.programme_id, programme(tiers=[Tier(1, 1000)]), expected_version=1)
    again = await handlers.settlement(FINANCE, settled.settlement_id)
    assert (again.tiers, again.rebate_minor, set(again.receipt_ids)) == (tuple(TIERS), 5 * WAN, {"r1", "r2"})
    [(_, now)] = await handlers.partner_rebates(HZ, "2026-11-20")
    assert now.settlement and now.settlement.settlement_id == settled.settlement_id
    assert now.progress.accrued_minor == 250 * WAN // 10  # the live figure follows the new tiers

    # December is still running; another tenant finds none of it.
    with pytest.raises(FailedPrecondition):
        await handlers.settle(FINANCE, made.programme_id, "dist-hz", "2026-12")
    with pytest.raises(NotFound):
        await handlers.settlement(OTHER_FINANCE, settled.settlement_id)
    with pytest.raises(NotFound):
        await handlers.accruals(OTHER_FINANCE, made.programme_id, "2026-11")
    assert (await handlers.settlements(OTHER_FINANCE))[0] == []
    page, _ = await handlers.settlements(FINANCE, distributor_id="dist-hz")
    assert [s.settlement_id for s in page] == [settled.settlement_id]


async def test_who_may_call_what(handlers) -> None:
    made = await handlers.create_programme(ADMIN, programme())
    for caller in (FINANCE, HZ):
        with pytest.raises(PermissionDenied):
            await handlers.create_programme(caller, programme())
    for caller in (HZ, NB):
        with pytest.raises(PermissionDenied):
            await handlers.accruals(caller, made.programme_id, "2026-11")
        with pytest.raises(PermissionDenied):
            await handlers.settle(caller, made.programme_id, caller.organisation, "2026-11")
    with pytest.raises(PermissionDenied):
        await handlers.partner_rebates(FINANCE)
    with pytest.raises(PermissionDenied):  # a partner token without an organisation sees nothing
        await handlers.partner_rebates(Caller("tenant-a", "x", "partner"))
    # A token naming dist-hz for a user dist-hz does not list: lead-routing refuses them, so finance does.
    with pytest.raises(PermissionDenied, match="not a user of an active distributor"):
        await handlers.partner_rebates(Caller("tenant-a", "liming", "partner", organisation="dist-hz"))
