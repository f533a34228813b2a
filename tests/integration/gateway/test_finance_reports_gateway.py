"""Receivables through the gateway against finance-reconciliation and
opportunity for real (gRPC, migrated databases, NATS), finance on a clock the
test moves: plans from contract.signed, receipts through the lock, the
opportunity's province from opportunity.closed and who manages whom from
rep.profile_changed, all on their real streams. Aging as of today, a past
date and after the clock moved; the 30-day follow-ups (legal, the account
manager, the manager's notice) once over reruns, listed per scope and marked
done with a note; a customer's on-time rate and DSO; the collection report
expected against actual; every figure worked out by hand below, and each
role and another tenant seeing only what is theirs.

The world (finance's today is 2026-11-20):
  张伟's customer A (浙江省 → 华东, 注塑机), contract signed 2026-08-12,
  six instalments of 1 000 元 each, due (days from today):
    a1 -100  a2 -70  a3 -50 (paid in full on -55, before it was due)
    a4 -45   a5 -10 (400 元 paid on -5)   a6 +20
  李娜's customer B (广东省 → 华南, 模具), signed 2026-10-16: b1 2 000 元 due -35.
  Both reps' manager is 王强; 周敏 manages another team."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import grpc
import httpx
import nats
import pytest
import sqlalchemy as sa
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import contract_pb2, finance_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm.finance_reconciliation.v1 import aging_pb2, aging_pb2_grpc
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import outbox_table
from crm_shared.events import make_envelope, subject_for, unpack
from crm_shared.ids import new_id
from finance_reconciliation.entrypoints.consumers import (
    CONTRACT_SIGNED_DURABLE,
    OPPORTUNITY_CLOSED_DURABLE,
    OPPORTUNITY_CREATED_DURABLE,
    REP_PROFILE_CHANGED_DURABLE,
)
from finance_reconciliation.service_layer.follow_up import FollowUpJob
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

from tests.integration.gateway.conftest import other_backend
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service, reserve

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2026, 11, 20)
K = 100_000  # 1 000 元 in 分
A_TERMS = [("a1", 0), ("a2", 30), ("a3", 50), ("a4", 55), ("a5", 90), ("a6", 120)]  # days after 2026-08-12


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@dataclass
class World:
    client: httpx.AsyncClient
    js: object
    clock: FixedClock
    fin: object
    customers: dict[str, str] = field(default_factory=dict)  # "A"/"B" -> customer id
    contracts: dict[str, str] = field(default_factory=dict)
    instalments: dict[str, str] = field(default_factory=dict)  # a1.. -> instalment id
    auth: dict[str, dict] = field(default_factory=dict)

    async def call(self, method: str, url: str, user: str = "liufang", **kw) -> httpx.Response:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return await self.client.request(method, url, headers=self.auth[user], **kw)

    async def ok(self, method: str, url: str, user: str = "liufang", **kw) -> dict:
        reply = await self.call(method, url, user, **kw)
        assert reply.status_code in (200, 201), reply.text
        return reply.json()

    async def aging(self, user: str = "liufang", **params) -> dict:
        return await self.ok("GET", "/v1/finance/aging", user, params=params)

    def job(self) -> FollowUpJob:
        return FollowUpJob(lambda: FinanceUnitOfWork(self.fin.runtime.db), reminder_days=(7, 1))

    async def events(self, type_: str) -> list[Envelope]:
        async with self.fin.runtime.db.sessions() as s:
            rows = await s.execute(sa.select(outbox_table.c.envelope).where(outbox_table.c.subject == subject_for(type_)))
            return [Envelope.FromString(e) for (e,) in rows]


async def _drained(js, stream: str, durable: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def _publish(js, type_: str, key: str, payload, tenant: str = "demo") -> None:
    env = make_envelope(type_, tenant, key, payload, source="test", occurred_at=datetime.now(UTC))
    await js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})


async def _sign(w: World, name: str, opportunity: dict, signed_on: date, terms: list[tuple[str, int, int]]) -> None:
    contract_id = w.contracts[name] = new_id()
    total = sum(a for _, a, _ in terms)
    event = contract_pb2.ContractSigned(
        contract_id=contract_id, version_id=new_id(), signed_version_id=new_id(), label=f"HT-{name}",
        customer_id=opportunity["customer_id"], opportunity_id=opportunity["opportunity_id"],
        total=Money(amount_minor=total, currency="CNY"),
        instalments=[contract_pb2.SignedInstalment(name=n, trigger="advance", days=d, amount_minor=a)
                     for n, a, d in terms],
        equipment=[contract_pb2.SignedEquipmentRow(model="HX-450", description="注塑机", quantity=1,
                                                    unit_price_minor=total)],
        signed_on=signed_on.isoformat(), warranty_months=12,
    )
    await _publish(w.js, "contract.signed", contract_id, event)


async def _receipt(w: World, name: str, instalment: str, amount: int, paid_on: str) -> dict:
    [plan] = (await w.ok("GET", f"/v1/contracts/{w.contracts[name]}/payment-plans"))["plans"]
    return await w.ok("POST", "/v1/receipts", json={
        "contract_id": w.contracts[name], "contract_version_id": plan["contract_version_id"],
        "instalment_id": w.instalments[instalment], "amount": {"amount_minor": amount, "currency": "CNY"},
        "paid_on": paid_on, "payer_name": "客户", "equipment": [{"model": "HX-450", "quantity": 1}]})


@pytest.fixture
async def w(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[World]:
    opportunity = reserve()
    clock = FixedClock(NOW)
    nc = await nats.connect(nats_url)
    async with (
        other_backend("finance_reconciliation", nats_url, tmp_path, clock=clock, opportunity_addr=opportunity.address,
                      follow_up_interval_s=0, matching_interval_s=0) as fin,
        opportunity_service(nats_url, database_url, tmp_path, opportunity) as opps,
        make_gateway(opportunity_addr=opps.address, finance_reconciliation_addr=fin.address) as client,
    ):
        world = World(client, nc.jetstream(), clock, fin)
        await opps.announce_reps("demo", {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"})
        created = {}
        for name, owner, company in (("A", "zhangwei", "宁波华晨塑料制品有限公司"), ("B", "lina", "东莞长安模具有限公司")):
            created[name] = (await world.ok("POST", "/v1/opportunities", owner,
                                            json={"customer_name": company, "name": "注塑机采购"}))["opportunity"]
            world.customers[name] = created[name]["customer_id"]
        for name, province, line in (("A", "浙江省", "注塑机"), ("B", "广东省", "模具")):
            o = created[name]
            await _publish(world.js, "opportunity.closed", o["opportunity_id"], opportunity_pb2.OpportunityClosed(
                opportunity_id=o["opportunity_id"], customer_id=o["customer_id"], owner_id=o["owner_id"],
                outcome="won", province=province, product_line=line))
        await _sign(world, "A", created["A"], TODAY - timedelta(days=100), [(n, K, d) for n, d in A_TERMS])
        await _sign(world, "B", created["B"], TODAY - timedelta(days=35), [("b1", 2 * K, 0)])
        for stream, durable in (("OPPORTUNITY", OPPORTUNITY_CREATED_DURABLE), ("OPPORTUNITY", OPPORTUNITY_CLOSED_DURABLE),
                                ("LEAD_ROUTING", REP_PROFILE_CHANGED_DURABLE),
                                ("DOCUMENT_VERSIONING", CONTRACT_SIGNED_DURABLE)):
            assert await eventually(lambda s=stream, d=durable: _drained(world.js, s, d))
        for name in ("A", "B"):
            [plan] = (await world.ok("GET", f"/v1/contracts/{world.contracts[name]}/payment-plans"))["plans"]
            world.instalments |= {i["name"]: i["instalment_id"] for i in plan["instalments"]}
        await _receipt(world, "A", "a3", K, day(-55))
        await _receipt(world, "A", "a5", 40_000, day(-5))
        yield world
    await nc.close()


def fields(problem: dict) -> set[str]:
    return {e["field"] for e in problem.get("errors", [])}


def minor(money: dict | None) -> int:
    return int((money or {}).get("amount_minor", 0))


def buckets(row: dict) -> tuple[int, ...]:
    b = row.get("buckets", {})
    return tuple(minor(b.get(k)) for k in ("not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90"))


async def test_aging_as_of_today_a_past_date_and_after_the_clock_moved(w: World) -> None:
    a, b = w.customers["A"], w.customers["B"]
    today = await w.aging(group_by="customer")
    assert today["as_of"] == "2026-11-20"
    rows = {r["key"]: r for r in today["rows"]}
    # A: a1 100 days late, a2 70, a4 45, a5 600 元 left 10 days late, a6 not due; a3 paid.
    assert buckets(rows[a]) == (K, 60_000, K, K, K)
    assert (minor(rows[a]["total"]), minor(rows[a]["overdue"])) == (460_000, 360_000)
    assert rows[a]["red"] and rows[a]["red_instalments"] == 3 and minor(rows[a]["red_amount"]) == 300_000
    assert buckets(rows[b]) == (0, 0, 2 * K, 0, 0) and rows[b]["red_instalments"] == 1
    [total] = today["totals"]
    assert (total["currency"], minor(total["total"]), minor(total["red_amount"])) == ("CNY", 660_000, 500_000)

    # 30 days ago: the 400 元 (paid on -5) not yet in; a3's early payment already was.
    past = {r["key"]: r for r in (await w.aging(as_of=day(-30)))["rows"]}
    assert buckets(past[a]) == (2 * K, K, K, K, 0) and past[a]["red_instalments"] == 2
    # 60 days ago: a3 not yet due and not yet paid.
    assert buckets({r["key"]: r for r in (await w.aging(as_of=day(-60)))["rows"]}[a]) == (4 * K, K, K, 0, 0)

    # By 大区 (from the opportunity's province), by rep, by contract; one contract alone.
    assert [(r["key"], minor(r["total"])) for r in (await w.aging(group_by="region"))["rows"]] == [
        ("华东", 460_000), ("华南", 200_000)]
    assert {r["key"]: minor(r["total"]) for r in (await w.aging(group_by="rep"))["rows"]} == {
        "zhangwei": 460_000, "lina": 200_000}
    # A page at a time; the totals are the whole scope's on every page.
    first = await w.aging(group_by="rep", page_size=1)
    second = await w.aging(group_by="rep", page_size=1, page_token=first["next_page_token"])
    assert [r["key"] for r in first["rows"] + second["rows"]] == ["lina", "zhangwei"]
    assert not second.get("next_page_token") and first["totals"] == second["totals"] == today["totals"]
    is_problem(await w.call("GET", "/v1/finance/aging", params={"page_token": "made-up"}), 400)
    [only] = (await w.aging(group_by="contract", contract_id=w.contracts["B"]))["rows"]
    assert (only["key"], minor(only["total"])) == (w.contracts["B"], 200_000)

    # Three weeks on (finance's clock): as_of follows it; a2 91 days late, a4 66, a5 31 (red now), a6 1.
    w.clock.advance(timedelta(days=21))
    later = await w.aging(customer_id=a)
    assert later["as_of"] == "2026-12-11"
    assert buckets(later["rows"][0]) == (0, K, 60_000, K, 2 * K) and later["rows"][0]["red_instalments"] == 4


async def test_scoping_by_role_and_tenant(w: World) -> None:
    a, b = w.customers["A"], w.customers["B"]

    async def keys(user: str, **params) -> set[str]:
        return {r["key"] for r in (await w.aging(user, **params))["rows"]}

    assert await keys("liufang") == await keys("admin") == {a, b}
    assert await keys("wangqiang") == {a, b}  # both reps are his
    assert await keys("zhangwei") == {a} and await keys("lina") == {b}
    assert await keys("zhoumin") == set() and await keys("other-rep") == set()
    # One customer: another rep's, another team's manager's or another tenant's is not found.
    assert await keys("zhangwei", customer_id=a) == {a}
    for user in ("lina", "zhoumin", "other-rep"):
        is_problem(await w.call("GET", "/v1/finance/aging", user, params={"customer_id": a}), 404)
        is_problem(await w.call("GET", f"/v1/customers/{a}/payment-stats", user), 404)
    is_problem(await w.call("GET", "/v1/finance/aging", "zhangwei", params={"contract_id": w.contracts["B"]}), 404)
    # Partners and reviewers see no receivables at all.
    for user in ("zhaolei", "chenjing"):
        for url in ("/v1/finance/aging", "/v1/finance/follow-ups", f"/v1/customers/{a}/payment-stats"):
            is_problem(await w.call("GET", url, user), 403)
    # Bad input names the field and is a 4xx.
    assert fields(is_problem(await w.call("GET", "/v1/finance/aging", params={"as_of": "2026-02-30"}), 400)) == {
        "as_of"}
    is_problem(await w.call("GET", "/v1/finance/aging", params={"group_by": "colour"}), 422)
    is_problem(await w.call("GET", "/v1/finance/aging", params={"customer_id": "x" * 65}), 422)
    # The service names the field itself too, for a caller that is not the gateway.
    stub = aging_pb2_grpc.AgingServiceStub(w.fin.channel)
    finance = Caller("demo", "liufang", "finance").metadata()
    for request, field_name in ((aging_pb2.GetAgingRequest(group_by="colour"), "group_by"),
                                (aging_pb2.GetAgingRequest(group_by="rep", customer_id="x" * 65), "customer_id"),
                                (aging_pb2.GetAgingRequest(group_by="rep", as_of="1999-12-31"), "as_of")):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.GetAging(request, metadata=finance)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field_name in refused.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.GetCollectionReport(aging_pb2.GetCollectionReportRequest(group_by="region", period="week",
                                                                             to="2026-12-01", **{"from": "2026-11-01"}),
                                       metadata=finance)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "period" in refused.value.details()


async def test_thirty_days_overdue_follow_ups_once_per_scope_and_done_with_a_note(w: World) -> None:
    # a1, a2, a4 and b1 are more than 30 days overdue: legal, account manager, manager's notice each.
    assert await w.job().run() == 12
    assert await w.job().run() == 0
    listed = (await w.ok("GET", "/v1/finance/follow-ups", params={"page_size": 200}))["follow_ups"]
    assert len(listed) == 12
    assert sorted((f["kind"], f["assignee"]) for f in listed if f["instalment_id"] == w.instalments["a1"]) == [
        ("account_manager_task", "zhangwei"), ("legal_task", "legal"), ("manager_notice", "wangqiang")]
    a2 = next(f for f in listed if f["instalment_id"] == w.instalments["a2"] and f["kind"] == "legal_task")
    assert (a2["days"], minor(a2["outstanding"]), a2["status"]) == (70, K, "open")
    # Notifications: the reps' tasks and the manager's notices, the amount in 元 from 分; legal is a queue.
    notices = [unpack(e, NotificationRequested) for e in await w.events("notification.requested")]
    assert sorted(n.recipient_id for n in notices) == ["lina"] + ["wangqiang"] * 4 + ["zhangwei"] * 3
    assert {n.body for n in notices if n.recipient_id == "lina"} == {"待收 2,000.00 CNY，已逾期 35 天"}
    assert "待收 1,000.00 CNY，已逾期 100 天" in {n.body for n in notices if n.recipient_id == "zhangwei"}

    async def seen(user: str) -> list[dict]:
        return (await w.ok("GET", "/v1/finance/follow-ups", user, params={"page_size": 200}))["follow_ups"]

    assert {(f["kind"], f["assignee"]) for f in await seen("zhangwei")} == {("account_manager_task", "zhangwei")}
    assert len(await seen("zhangwei")) == 3 and len(await seen("lina")) == 1
    assert len(await seen("wangqiang")) == 8  # his reps' four tasks and his four notices
    assert await seen("zhoumin") == [] and await seen("other-rep") == []
    # Paged by token, oldest first, nothing twice.
    first = await w.ok("GET", "/v1/finance/follow-ups", params={"page_size": 5})
    rest = await w.ok("GET", "/v1/finance/follow-ups", params={"page_size": 200, "page_token": first["next_page_token"]})
    ids = [f["follow_up_id"] for f in first["follow_ups"] + rest["follow_ups"]]
    assert len(ids) == len(set(ids)) == 12 and not rest.get("next_page_token")
    is_problem(await w.call("GET", "/v1/finance/follow-ups", params={"page_token": "made-up"}), 400)

    # 张伟 marks his task done with what he did; twice is refused and changes nothing.
    task = next(f for f in await seen("zhangwei") if f["instalment_id"] == w.instalments["a1"])
    url = f"/v1/finance/follow-ups/{task['follow_up_id']}/done"
    done = (await w.ok("POST", url, "zhangwei", json={"note": "已电话联系客户财务，承诺月底付款"}))["follow_up"]
    assert (done["status"], done["done_by"], done["note"]) == ("done", "zhangwei", "已电话联系客户财务，承诺月底付款")
    is_problem(await w.call("POST", url, "zhangwei", json={"note": "again"}), 409)
    # Someone it is not theirs to see: not found; an empty note: refused naming it.
    is_problem(await w.call("POST", url, "zhoumin", json={"note": "不是我的"}), 404)
    is_problem(await w.call("POST", url, "other-rep", json={"note": "不是我的"}), 404)
    assert fields(is_problem(await w.call("POST", url, "liufang", json={"note": ""}), 422)) == {"note"}
    legal = next(f for f in listed if f["kind"] == "legal_task")
    is_problem(await w.call("POST", f"/v1/finance/follow-ups/{legal['follow_up_id']}/done", "wangqiang",
                            json={"note": "法务不是我的"}), 404)
    await w.ok("POST", f"/v1/finance/follow-ups/{legal['follow_up_id']}/done", json={"note": "律师函已发"})
    assert [f["note"] for f in (await w.ok("GET", "/v1/finance/follow-ups", params={"status": "done"}))[
        "follow_ups"]] == ["已电话联系客户财务，承诺月底付款", "律师函已发"]
    events = [unpack(e, finance_pb2.FollowUpDone) for e in await w.events("payment.follow_up_done")]
    assert sorted((e.follow_up_id, e.done_by) for e in events) == sorted(
        [(task["follow_up_id"], "zhangwei"), (legal["follow_up_id"], "liufang")])
    # A rerun writes nothing again for what is done; a week on, a6's 7-day reminder (once).
    assert await w.job().run() == 0
    w.clock.advance(timedelta(days=14))
    assert await w.job().run() == 1 and await w.job().run() == 0
    reminders = [unpack(e, NotificationRequested) for e in await w.events("notification.requested")]
    assert [(n.recipient_id, n.body) for n in reminders if n.kind == "payment.reminder"] == [
        ("zhangwei", "待收 1,000.00 CNY，6 天后到期")]


async def test_customer_payment_stats_worked_by_hand(w: World) -> None:
    stats = await w.ok("GET", f"/v1/customers/{w.customers['A']}/payment-stats", "zhangwei")
    [cny] = stats["stats"]
    # Fallen due by today: a1 a2 a3 a4 a5; only a3 was paid in full by its due date.
    assert (cny["due_count"], cny.get("on_time_count"), cny["on_time_rate_bp"]) == (5, 1, 2000)
    # Receivable 3 600 元; due in the last 90 days: a2 a3 a4 a5 = 4 000 元 -> DSO 3 600 / 4 000 x 90 = 81.0 days.
    assert (minor(cny["receivable"]), minor(cny["billed"]), cny["dso_tenths"]) == (360_000, 400_000, 810)
    # As of 30 days ago, over 30 days: due a1 a2 a3 a4, a3 on time; receivable a1 + a2 + a4.
    [then] = (await w.ok("GET", f"/v1/customers/{w.customers['A']}/payment-stats",
                         params={"as_of": day(-30), "period_days": 30}))["stats"]
    assert (then["due_count"], then["on_time_rate_bp"], minor(then["receivable"])) == (4, 2500, 3 * K)
    # Fell due in the 30 days before: a3 and a4 -> DSO 3 000 / 2 000 x 30 = 45.0 days.
    assert (minor(then["billed"]), then["dso_tenths"]) == (2 * K, 450)
    assert fields(is_problem(await w.call("GET", f"/v1/customers/{w.customers['A']}/payment-stats",
                                          params={"period_days": 400}), 422)) == {"query.period_days"}


async def test_collection_report_expected_against_actual(w: World) -> None:
    params = {"from": "2026-08-01", "to": "2026-12-31", "group_by": "region", "period": "month"}

    async def rows(user: str = "liufang", **over) -> list[tuple]:
        got = (await w.ok("GET", "/v1/finance/collection-report", user, params=params | over))["rows"]
        return [(r["period"], r["key"], minor(r.get("expected")), minor(r.get("actual"))) for r in got]

    assert await rows() == [
        ("2026-08", "华东", K, 0), ("2026-09", "华东", K, K), ("2026-10", "华东", 2 * K, 0),
        ("2026-10", "华南", 2 * K, 0), ("2026-11", "华东", K, 40_000), ("2026-12", "华东", K, 0)]
    assert await rows(period="quarter") == [
        ("2026-Q3", "华东", 2 * K, K), ("2026-Q4", "华东", 4 * K, 40_000), ("2026-Q4", "华南", 2 * K, 0)]
    assert await rows(group_by="product_line", period="quarter") == [
        ("2026-Q3", "注塑机", 2 * K, K), ("2026-Q4", "模具", 2 * K, 0), ("2026-Q4", "注塑机", 4 * K, 40_000)]
    # Opportunities from no lead: plans and receipts alike under "direct", so the two columns add up.
    assert await rows(group_by="lead_source", period="quarter") == [("2026-Q3", "direct", 2 * K, K),
                                                                    ("2026-Q4", "direct", 6 * K, 40_000)]
    # By the opportunity's rep (the KPI views' 回款率): zhangwei's 华东 contracts, lina's 华南 one.
    assert await rows(group_by="owner", period="quarter") == [
        ("2026-Q3", "zhangwei", 2 * K, K), ("2026-Q4", "lina", 2 * K, 0), ("2026-Q4", "zhangwei", 4 * K, 40_000)]
    assert await rows("lina", period="quarter") == [("2026-Q4", "华南", 2 * K, 0)]
    assert await rows("zhoumin") == [] and await rows("other-rep") == []
    # A reversal today takes the 400 元 back out of November's actual.
    [receipt] = [r for r in (await w.ok("GET", f"/v1/contracts/{w.contracts['A']}/payment-plans"))["plans"][0][
        "instalments"] if r["name"] == "a5"]
    receipts = (await w.ok("GET", f"/v1/opportunities/{await _opportunity_of(w)}/receipts"))["receipts"]
    [a5] = [r for r in receipts if r["instalment_id"] == receipt["instalment_id"]]
    await w.ok("POST", f"/v1/receipts/{a5['receipt_id']}/reversal", json={"reason": "退票"})
    assert ("2026-11", "华东", K, 0) in await rows()
    # Longer than three years, or ending before it starts: refused naming the field.
    for bad in ({"from": "2026-01-01", "to": "2029-01-01"}, {"from": "2026-12-01", "to": "2026-11-01"}):
        assert fields(is_problem(await w.call("GET", "/v1/finance/collection-report", params=params | bad), 400)) == {
            "to"}


async def _opportunity_of(w: World) -> str:
    [plan] = (await w.ok("GET", f"/v1/contracts/{w.contracts['A']}/payment-plans"))["plans"]
    return plan["opportunity_id"]
