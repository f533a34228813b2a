"""Customer value tiers (seed 002) and customer health (seed 001) through the
gateway, against the real opportunity and document-versioning services
(in-process, real gRPC, real NATS, their own databases). Finance's receipts and
payment figures arrive as finance publishes them: the tiers follow the seed's
formula (computed here from its definition), with history, the same tier for
every department, a reversal moving it back and a hand-set tier refused; the
health alert fires for on-time rates down twice while consultations rise (the
rep told with the knowledge base's 账期延长 material) and not when the rate fell
once or consultations stayed flat; a bad formula is 400 naming the field; a
partner and another tenant see nothing."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import customer_pb2, finance_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.clock import FixedClock
from crm_shared.events import make_envelope, subject_for, unpack
from crm_shared.ids import new_id
from google.protobuf.message import Message
from nats.js.api import DeliverPolicy

from tests.integration.gateway.conftest import opportunity_with_documents
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually

TENANT = "demo"
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
MATERIAL = "应对账期延长的3个话术包"
KNOWLEDGE = {MATERIAL: {"signals": ["账期延长"]}, "注塑机 竞品对比话术": {"signals": ["索要产品对比表"]}}


@dataclass
class Stack:
    client: httpx.AsyncClient
    clock: FixedClock
    js: Any
    auth: dict[str, dict[str, str]]

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def get(self, user: str, url: str, **params: Any) -> httpx.Response:
        return await self.client.get(url, params=params, headers=await self.as_(user))

    async def send(self, method: str, user: str, url: str, body: dict) -> httpx.Response:
        return await self.client.request(method, url, json=body, headers=await self.as_(user))

    async def publish(self, type_: str, aggregate: str, payload: Message, at: datetime | None = None) -> None:
        env = make_envelope(type_, TENANT, aggregate, payload, source="test", occurred_at=at or self.clock.now())
        await self.js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    nc = await nats.connect(nats_url)
    try:
        async with opportunity_with_documents(
            make_gateway, nats_url, database_url, tmp_path, TEAMS, tenant=TENANT, clock=clock, health_alert_interval_s=0.2
        ) as client:
            yield Stack(client, clock, nc.jetstream(), {})
    finally:
        await nc.close()


async def customer(s: Stack, user: str = "zhangwei") -> dict:
    """`user`'s opportunity with a new customer: (opportunity_id, customer_id)."""
    body = {"customer_name": f"宁波注塑机厂{new_id()[-6:]}", "name": "二期注塑机"}
    made = await s.send("POST", user, "/v1/opportunities", body)
    assert made.status_code == 201, made.text
    return made.json()["opportunity"]


def today(s: Stack) -> date:
    return s.clock.now().astimezone(BUSINESS_TZ).date()


async def receipt(s: Stack, opp: dict, yuan: int, days_ago: int) -> str:
    receipt_id = new_id()
    paid_on = (today(s) - timedelta(days=days_ago)).isoformat()
    event = finance_pb2.ReceiptRecorded(
        receipt_id=receipt_id,
        opportunity_id=opp["opportunity_id"],
        customer_id=opp["customer_id"],
        amount=Money(amount_minor=yuan * 100, currency="CNY"),
        paid_on=paid_on,
        status="recorded",
    )
    await s.publish("payment.receipt_recorded", receipt_id, event)
    return receipt_id


def seed_score(purchases: list[tuple[int, int]], referrals: int) -> int:
    """The seed's score (近6个月有采购 30, 年度采购额超50万 20, 推荐新客户 10) with the completed frequency
    (≥ 3: 20, ≥ 1: 10) and 6-month amount (≥ 20万: 20, ≥ 5万: 10) parts; purchases (yuan, days ago)."""
    recent = [y for y, d in purchases if d < 183]
    annual = sum(y for y, d in purchases if d < 365)
    score = (30 if recent else 0) + (20 if annual > 500_000 else 0) + (10 if referrals else 0)
    score += 20 if len(recent) >= 3 else 10 if recent else 0
    return score + (20 if sum(recent) >= 200_000 else 10 if sum(recent) >= 50_000 else 0)


def tier_of(score: int) -> str:
    return "战略" if score >= 80 else "重点" if score >= 50 else "普通"


async def value_when(s: Stack, customer_id: str, score: int) -> dict:
    async def found() -> dict | None:
        got = await s.get("zhangwei", f"/v1/customers/{customer_id}/value")
        assert got.status_code == 200, got.text
        return got.json() if got.json().get("score") == score and got.json()["facts"] else None

    return await eventually(found)


async def test_tiers_follow_the_seed_formula_with_history_for_every_department(stack: Stack) -> None:
    s = stack
    defaults = (await s.get("wangqiang", "/v1/indexes/value-tiers/settings")).json()
    assert defaults["version"] == 0 and not defaults["active"]
    bad = {"version": 0, "active": True, "formula": "近6月采购次数 >", "thresholds": []}
    errors = is_problem(await s.send("PUT", "wangqiang", "/v1/indexes/value-tiers/settings", bad), 400)["errors"]
    assert errors[0]["field"] == "formula" and "line 1, column" in errors[0]["description"]
    upside_down = (
        bad
        | {"formula": defaults["default_formula"]}
        | {"thresholds": [{"tier": "战略", "min_score": 40}, {"tier": "重点", "min_score": 50}]}
    )
    errors = is_problem(await s.send("PUT", "wangqiang", "/v1/indexes/value-tiers/settings", upside_down), 400)
    assert [e["field"] for e in errors["errors"]] == ["thresholds.战略"]
    is_problem(await s.send("PUT", "zhangwei", "/v1/indexes/value-tiers/settings", upside_down), 403)
    on = upside_down | {"thresholds": [{"tier": "战略", "min_score": 80}, {"tier": "重点", "min_score": 50}]}
    saved = await s.send("PUT", "wangqiang", "/v1/indexes/value-tiers/settings", on)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.json()["active"]) == (1, True)

    a, b, c = await customer(s), await customer(s), await customer(s)
    bought = {
        a["customer_id"]: [(300_000, 10), (150_000, 40), (100_000, 90)],
        b["customer_id"]: [(600_000, 200)],
        c["customer_id"]: [(60_000, 10)],
    }
    first = {}
    for opp in (a, b, c):
        for yuan, days in bought[opp["customer_id"]]:
            first.setdefault(opp["customer_id"], await receipt(s, opp, yuan, days))
    referral = await s.send(
        "POST", "zhangwei", f"/v1/customers/{c['customer_id']}/referral", {"referred_by": a["customer_id"]}
    )
    assert referral.status_code == 200, referral.text
    again = await s.send(
        "POST", "zhangwei", f"/v1/customers/{c['customer_id']}/referral", {"referred_by": b["customer_id"]}
    )
    is_problem(again, 409)

    expected = {cid: seed_score(p, 1 if cid == a["customer_id"] else 0) for cid, p in bought.items()}
    assert [tier_of(expected[o["customer_id"]]) for o in (a, b, c)] == ["战略", "普通", "重点"]
    for cid, score in expected.items():
        got = await value_when(s, cid, score)
        assert got["tier"] == tier_of(score)
        assert got["history"][0]["tier"] == tier_of(score) and got["history"][0]["reason"] == "change"
    facts = (await value_when(s, a["customer_id"], expected[a["customer_id"]]))["facts"]
    assert (facts["purchases_6m"], int(facts["amount_6m_minor"]), facts["referrals"]) == (3, 55_000_000, 1)
    # Every department reads the same tier where it reads the customer.
    for user in ("zhangwei", "wangqiang", "liufang", "chenjing", "admin"):
        read = await s.get(user, f"/v1/customers/{a['customer_id']}")
        assert read.json()["customer"]["value_tier"] == "战略", (user, read.text)
    counts = (await s.get("zhangwei", "/v1/indexes/value-tiers")).json()["counts"]
    assert {x["tier"]: x["customers"] for x in counts} == {"战略": 1, "重点": 1, "普通": 1}
    top = (await s.get("liufang", "/v1/indexes/value-tiers/customers", tier="战略")).json()
    assert [m["customer_id"] for m in top["customers"]] == [a["customer_id"]]

    # The 30万 receipt reversed: the tier moves back, the history keeps both.
    reversed_ = finance_pb2.ReceiptReversed(
        receipt_id=first[a["customer_id"]],
        opportunity_id=a["opportunity_id"],
        amount=Money(amount_minor=30_000_000, currency="CNY"),
    )
    await s.publish("payment.receipt_reversed", first[a["customer_id"]], reversed_)
    after = seed_score(bought[a["customer_id"]][1:], 1)
    got = await value_when(s, a["customer_id"], after)
    assert (got["tier"], [h["tier"] for h in got["history"][:2]]) == (tier_of(after), [tier_of(after), "战略"])

    # An admin recomputes the tenant: every customer, the same tiers.
    is_problem(await s.send("POST", "wangqiang", "/v1/indexes/value-tiers/recompute", {}), 403)
    recomputed = await s.send("POST", "admin", "/v1/indexes/value-tiers/recompute", {})
    assert recomputed.json()["recomputed"] == 3, recomputed.text
    assert (await value_when(s, a["customer_id"], after))["tier"] == tier_of(after)

    # A tier set by hand is refused while the formula sets them.
    hand = await s.send("PATCH", "zhangwei", f"/v1/customers/{a['customer_id']}", {"value_tier": "战略"})
    assert "value_tier" in is_problem(hand, 409)["detail"]
    # A partner sees nothing; another tenant finds nothing.
    is_problem(await s.get("zhaolei", f"/v1/customers/{a['customer_id']}/value"), 403)
    is_problem(await s.get("zhaolei", "/v1/indexes/value-tiers"), 403)
    is_problem(await s.get("other-rep", f"/v1/customers/{a['customer_id']}/value"), 404)
    elsewhere = (await s.get("other-rep", "/v1/indexes/value-tiers/customers")).json()
    assert elsewhere["customers"] == []
    is_problem(await s.get("lina", f"/v1/customers/{a['customer_id']}/value"), 404)


async def knowledge_base(s: Stack) -> None:
    for title, tags in KNOWLEDGE.items():
        body = {
            "subject_type": "knowledge",
            "subject_id": "销售知识库",
            "doc_type": "知识库",
            "title": title,
            "filename": f"{new_id()[-6:]}.txt",
            "content_type": "text/plain",
            "content_base64": base64.b64encode(f"{title}：要点与话术".encode()).decode(),
        }
        filed = await s.send("POST", "wangqiang", "/v1/documents/versions", body)
        assert filed.status_code == 201, filed.text
        doc = filed.json()["version"]["document_id"]
        tagged = await s.send("PUT", "wangqiang", f"/v1/knowledge/{doc}/tags", tags)
        assert tagged.status_code == 200, tagged.text


def month_day(s: Stack, back: int) -> datetime:
    """The 10th of the month `back` months before the clock's (Asia/Shanghai), noon."""
    t = today(s)
    index = t.year * 12 + t.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 10, 12, tzinfo=BUSINESS_TZ)


async def history(s: Stack, customer_id: str, rates: list[int], consultations: list[int]) -> None:
    """Three months (oldest first): each month's service requests, then finance's figures."""
    for back, (rate, asked) in zip((2, 1, 0), zip(rates, consultations, strict=True), strict=True):
        at = month_day(s, back)
        for _ in range(asked):
            request = customer_pb2.CustomerServiceRequested(
                request_id=new_id(), customer_id=customer_id, summary="模具咨询"
            )
            await s.publish("customer.service_requested", customer_id, request, at)
        stats = finance_pb2.CustomerPaymentStats(
            customer_id=customer_id, currency="CNY", as_of=at.date().isoformat(), on_time_rate_bp=rate, dso_tenths=450
        )
        await s.publish("payment.customer_stats", customer_id, stats, at)


async def health_when(s: Stack, customer_id: str, rates: list[int], consultations: list[int]) -> dict:
    async def found() -> dict | None:
        got = await s.get("zhangwei", f"/v1/customers/{customer_id}/health", periods=3)
        assert got.status_code == 200, got.text
        periods = got.json()["periods"]
        seen = ([p.get("on_time_rate_bp") for p in periods], [p["consultations"] for p in periods])
        return got.json() if seen == (rates, consultations) else None

    return await eventually(found)


async def test_the_health_alert_fires_on_two_falls_with_more_consultations_and_sends_the_material(
    stack: Stack,
) -> None:
    s = stack
    await knowledge_base(s)
    sub = await s.js.subscribe("crm.notification.requested", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    falling, once, flat = await customer(s), await customer(s), await customer(s)
    cases = {
        falling["customer_id"]: ([9500, 9000, 8000], [1, 1, 3]),  # down twice, consultations up: the alert
        once["customer_id"]: ([9000, 9500, 8000], [0, 1, 3]),  # fell once
        flat["customer_id"]: ([9500, 9000, 8000], [2, 2, 2]),  # consultations do not rise
    }
    for cid, (rates, asked) in cases.items():
        await history(s, cid, rates, asked)
    for cid, (rates, asked) in cases.items():
        await health_when(s, cid, rates, asked)

    async def alerted() -> dict | None:
        got = (await s.get("zhangwei", f"/v1/customers/{falling['customer_id']}/health", periods=3)).json()
        return got if got["alerts"] and got["alerts"][0].get("notified_at") else None

    alert = (await eventually(alerted))["alerts"]
    assert len(alert) == 1
    # Raised when the condition first held (the month's requests and figures come on two consumers).
    before, now = alert[0]["consultations"]
    assert (alert[0]["on_time_rate_bp"], before, alert[0]["materials"]) == ([9500, 9000, 8000], 1, [MATERIAL])
    assert 1 < now <= 3
    while True:
        env = Envelope.FromString((await sub.next_msg(timeout=15)).data)
        note = unpack(env, NotificationRequested)
        if env.tenant_id == TENANT and note.kind == "customer.health_alert":
            break
    assert note.recipient_id == "zhangwei" and note.subject_id == falling["customer_id"]
    assert f"《{MATERIAL}》" in note.body and "竞品对比" not in note.body

    listed = (await s.get("wangqiang", "/v1/indexes/health-alerts")).json()
    assert [x["customer_id"] for x in listed["alerts"]] == [falling["customer_id"]]
    for cid in (once["customer_id"], flat["customer_id"]):
        assert (await s.get("admin", f"/v1/customers/{cid}/health")).json()["alerts"] == []
    # Finance sees the same health; a partner nothing; another tenant and another rep find nothing.
    assert (await s.get("liufang", "/v1/indexes/health-alerts")).json()["total"] == 1
    is_problem(await s.get("zhaolei", "/v1/indexes/health-alerts"), 403)
    is_problem(await s.get("zhaolei", f"/v1/customers/{falling['customer_id']}/health"), 403)
    is_problem(await s.get("other-rep", f"/v1/customers/{falling['customer_id']}/health"), 404)
    assert (await s.get("other-rep", "/v1/indexes/health-alerts")).json()["alerts"] == []
    assert (await s.get("lina", "/v1/indexes/health-alerts")).json()["alerts"] == []
    is_problem(await s.get("zhangwei", "/v1/indexes/health-alerts", period="2026-13"), 400)
