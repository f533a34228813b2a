"""What receivables read from other services, against the real database
(SQLite here, PostgreSQL when TEST_DATABASE_URL is set): the opportunity's
province, 大区 and product line from opportunity.closed whichever of created
and closed arrives first, and rep profiles kept by event time so a late,
older rep.profile_changed brings no old manager back (consumers called with
real envelopes in the inbox's transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import opportunity_pb2, rep_pb2
from crm_shared.clock import FixedClock
from crm_shared.db import Database
from crm_shared.events import make_envelope
from finance_reconciliation.entrypoints.consumers import (
    on_opportunity_closed,
    on_opportunity_created,
    on_rep_profile_changed,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.support.infra import migrate

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str):
    await migrate("finance-reconciliation", database_url)
    database = Database(database_url, "finance-test", FixedClock(NOW))
    yield database
    await database.dispose()


async def deliver(db: Database, handler, type_: str, key: str, payload, at: datetime = NOW, tenant: str = "t-1"):
    envelope = make_envelope(type_, tenant, key, payload, source="test", occurred_at=at)
    async with FinanceUnitOfWork(db) as uow:
        await handler(envelope, uow)
        await uow.commit()


CLOSED = opportunity_pb2.OpportunityClosed(opportunity_id="o-1", customer_id="c-1", owner_id="zhangwei",
                                           outcome="won", province="浙江省", product_line="注塑机",
                                           amount=Money(amount_minor=5_000_000, currency="CNY"))
CREATED = opportunity_pb2.OpportunityCreated(opportunity_id="o-1", customer_id="c-1", customer_name="宁波华晨",
                                             owner_id="zhangwei", lead_id="l-1",
                                             amount=Money(amount_minor=4_000_000, currency="CNY"))


async def test_the_close_places_the_opportunity_whichever_event_comes_first(db: Database) -> None:
    await deliver(db, on_opportunity_closed, "opportunity.closed", "o-1", CLOSED)
    async with FinanceUnitOfWork(db) as uow:
        early = await uow.opportunities.get("t-1", "o-1")
    assert early is not None and (early.province, early.region, early.product_line) == ("浙江省", "华东", "注塑机")
    # The creation, arriving later, fills in its own facts and keeps the placement.
    await deliver(db, on_opportunity_created, "opportunity.created", "o-1", CREATED)
    await deliver(db, on_opportunity_created, "opportunity.created", "o-1", CREATED)  # redelivered: the same
    async with FinanceUnitOfWork(db) as uow:
        both = await uow.opportunities.get("t-1", "o-1")
        other = await uow.opportunities.get("t-2", "o-1")
    assert both is not None and other is None
    assert (both.customer_name, both.lead_id, both.amount_minor) == ("宁波华晨", "l-1", 4_000_000)
    assert (both.province, both.region, both.product_line) == ("浙江省", "华东", "注塑机")
    # Reopened and won elsewhere: the latest close says where.
    moved = opportunity_pb2.OpportunityClosed(opportunity_id="o-1", owner_id="zhangwei", outcome="won",
                                              province="广东省", product_line="模具")
    await deliver(db, on_opportunity_closed, "opportunity.closed", "o-1", moved)
    async with FinanceUnitOfWork(db) as uow:
        last = await uow.opportunities.get("t-1", "o-1")
    assert last is not None and (last.region, last.product_line, last.customer_name) == ("华南", "模具", "宁波华晨")
    # An unknown province has no 大区; it is still kept.
    far = opportunity_pb2.OpportunityClosed(opportunity_id="o-2", owner_id="lina", outcome="won", province="火星")
    await deliver(db, on_opportunity_closed, "opportunity.closed", "o-2", far)
    async with FinanceUnitOfWork(db) as uow:
        mars = await uow.opportunities.get("t-1", "o-2")
    assert mars is not None and (mars.province, mars.region) == ("火星", "")


async def test_a_closed_event_without_ids_is_refused_not_dropped(db: Database) -> None:
    with pytest.raises(ValueError, match="opportunity id"):
        await deliver(db, on_opportunity_closed, "opportunity.closed", "x", opportunity_pb2.OpportunityClosed())


def profile(manager: str) -> rep_pb2.RepProfileChanged:
    return rep_pb2.RepProfileChanged(rep_id="zhangwei", name="张伟", team="华东一组", manager_id=manager, active=True)


async def test_rep_profiles_keep_the_latest_change(db: Database) -> None:
    await deliver(db, on_rep_profile_changed, "rep.profile_changed", "zhangwei", profile("wangqiang"))
    await deliver(db, on_rep_profile_changed, "rep.profile_changed", "zhangwei", profile("zhoumin"),
                  at=NOW + timedelta(hours=1))
    # The first change, delivered again after the second: changes nothing.
    await deliver(db, on_rep_profile_changed, "rep.profile_changed", "zhangwei", profile("wangqiang"))
    await deliver(db, on_rep_profile_changed, "rep.profile_changed", "lina",
                  rep_pb2.RepProfileChanged(rep_id="lina", name="李娜", manager_id="zhoumin", active=True))
    async with FinanceUnitOfWork(db) as uow:
        assert await uow.rep_profiles.managers_of("t-1", ["zhangwei", "lina", "nobody"]) == {
            "zhangwei": "zhoumin", "lina": "zhoumin"}
        assert await uow.rep_profiles.reports_of("t-1", "zhoumin") == {"zhangwei", "lina"}
        assert await uow.rep_profiles.reports_of("t-1", "wangqiang") == set()
        assert await uow.rep_profiles.reports_of("t-2", "zhoumin") == set()
