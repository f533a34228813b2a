"""Process health (PHI), the KPI views and the rep profile through the gateway,
against the real opportunity service (in-process, real gRPC, real NATS, its
own database) on a controllable clock. A small hand-built history: a pipeline
whose stages carry playbooks, zhangwei's opportunity with a call in 初步接触
(of call + visit) and a demo in 方案 (of demo + proposal_sent), two fields of
its customer changed, one approval requested and decided 30 hours later (the
events approval publishes); lina's opportunity won. Expected figures are
computed here from the definitions (docs/adr/0013). A rep sees their own row
and the team average, the manager the team, a partner nothing (403), another
tenant nothing of this one (404 / empty); bad input is 400 naming the field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from crm.events.v1 import approval_pb2
from crm_shared.clock import FixedClock
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id
from opportunity.domain.indexes.phi import MASTER_FIELDS
from opportunity.service_layer.kpi import KpiHandlers
from opportunity.service_layer.process_health import ProcessHealthHandlers
from opportunity.service_layer.uow import OpportunityUnitOfWork

from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service, reserve

TENANT = "demo"
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
BP = 10_000
PLAYBOOKS = {"初步接触": ["call", "visit"], "方案": ["demo", "proposal_sent"], "报价": ["quote_sent"]}
PIPELINE = {
    "name": "注塑机",
    "product_line": "注塑机",
    "stages": [
        {"name": name, "probability": p, "forecast_category": "pipeline", "playbook": PLAYBOOKS[name]}
        for name, p in (("初步接触", 10), ("方案", 40), ("报价", 70))
    ],
}
WON_AMOUNT = 1_000_000_00
APPROVAL_HOURS = 30


@dataclass
class Stack:
    client: httpx.AsyncClient
    clock: FixedClock
    js: Any
    auth: dict[str, dict[str, str]]
    db: Any

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def call(self, method: str, user: str, url: str, body: dict | None = None, **params: Any) -> httpx.Response:
        return await self.client.request(method, url, json=body, params=params, headers=await self.as_(user))

    async def ok(self, method: str, user: str, url: str, body: dict | None = None, **params: Any) -> dict:
        reply = await self.call(method, user, url, body, **params)
        assert reply.status_code in (200, 201), reply.text
        return reply.json()

    def uow(self) -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(self.db)

    def tick(self) -> None:
        self.clock.advance(timedelta(minutes=1))


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    # Mid-month (Asia/Shanghai) so the history and the 30-hour approval fall in one month.
    now = datetime.now(UTC).replace(microsecond=0)
    clock = FixedClock(now.replace(day=15, hour=4, minute=0, second=0))
    opportunity = reserve()
    nc = await nats.connect(nats_url)
    try:
        async with (
            opportunity_service(nats_url, database_url, tmp_path, opportunity, clock=clock) as opps,
            make_gateway(opportunity_addr=opps.address) as client,
        ):
            await opps.announce_reps(TENANT, TEAMS)
            yield Stack(client, clock, nc.jetstream(), {}, opps.svc.runtime.db)
    finally:
        await nc.close()


async def publish_approval(s: Stack, type_: str, opportunity_id: str, at: datetime, approval_id: str) -> None:
    if type_ == "approval.requested":
        payload: Any = approval_pb2.ApprovalRequested(
            approval_id=approval_id,
            subject_type="opportunity",
            subject_id=opportunity_id,
            requested_by="zhangwei",
            kind="quote",
        )
    else:
        payload = approval_pb2.ApprovalDecided(
            approval_id=approval_id,
            subject_type="opportunity",
            subject_id=opportunity_id,
            decision="approved",
            decided_by="wangqiang",
            kind="quote",
        )
    env = make_envelope(type_, TENANT, approval_id, payload, source="approval", occurred_at=at)
    await s.js.publish(subject_for(type_), env.SerializeToString())


def indicator(row: dict, name: str) -> dict:
    return next(i for i in row["indicators"] if i["name"] == name)


async def test_phi_kpi_and_profile_on_a_hand_built_history(stack: Stack) -> None:
    s = stack
    pipeline_id = (await s.ok("POST", "wangqiang", "/v1/pipelines", PIPELINE))["pipeline"]["pipeline_id"]
    shown = await s.ok("GET", "wangqiang", f"/v1/pipelines/{pipeline_id}")
    assert [st["playbook"] for st in shown["pipeline"]["stages"]] == list(PLAYBOOKS.values())
    bad = await s.call(
        "POST",
        "wangqiang",
        "/v1/pipelines",
        PIPELINE
        | {
            "name": "坏",
            "stages": [{"name": "初步接触", "probability": 10, "forecast_category": "pipeline", "playbook": ["note"]}],
        },
    )
    is_problem(bad, 400)
    assert "stages[0].playbook" in bad.text

    start = s.clock.now()
    body = {
        "customer_name": f"宁波注塑机厂{new_id()[-6:]}",
        "name": "二期注塑机",
        "pipeline_id": pipeline_id,
        "amount": {"amount_minor": 48_000_000, "currency": "CNY"},
    }
    opp = (await s.ok("POST", "zhangwei", "/v1/opportunities", body))["opportunity"]
    s.tick()
    await s.ok(
        "POST",
        "zhangwei",
        f"/v1/customers/{opp['customer_id']}/activities",
        {"kind": "call", "opportunity_id": opp["opportunity_id"], "summary": "初次电话沟通", "duration_seconds": 90},
    )
    # A short call about the customer (no opportunity), below the effective minimum (60 s).
    await s.ok(
        "POST",
        "zhangwei",
        f"/v1/customers/{opp['customer_id']}/activities",
        {"kind": "call", "summary": "确认时间", "duration_seconds": 30},
    )
    refused = await s.call(
        "POST",
        "zhangwei",
        f"/v1/customers/{opp['customer_id']}/activities",
        {"kind": "note", "summary": "备注", "duration_seconds": 30},
    )
    is_problem(refused, 400)
    assert "duration_seconds" in refused.text
    s.tick()
    await s.ok("POST", "zhangwei", f"/v1/opportunities/{opp['opportunity_id']}/stage", {"stage": "方案"})
    s.tick()
    await s.ok(
        "POST",
        "zhangwei",
        f"/v1/customers/{opp['customer_id']}/activities",
        {"kind": "demo", "opportunity_id": opp["opportunity_id"], "summary": "到厂演示"},
    )
    await s.ok(
        "PATCH", "zhangwei", f"/v1/customers/{opp['customer_id']}", {"industry": "注塑机", "phone": "13800000001"}
    )
    # An approval on zhangwei's opportunity: requested, decided 30 hours later (approval's events).
    approval_id = new_id()
    await publish_approval(
        s, "approval.requested", opp["opportunity_id"], start - timedelta(hours=APPROVAL_HOURS), approval_id
    )
    await publish_approval(s, "approval.decided", opp["opportunity_id"], start, approval_id)
    # lina wins one on a new customer.
    body = {
        "customer_name": f"杭州客户{new_id()[-6:]}",
        "name": "一期",
        "pipeline_id": pipeline_id,
        "amount": {"amount_minor": WON_AMOUNT, "currency": "CNY"},
    }
    won = (await s.ok("POST", "lina", "/v1/opportunities", body))["opportunity"]
    s.tick()
    await s.ok("POST", "lina", f"/v1/opportunities/{won['opportunity_id']}/won", {"reason": "签约"})
    s.tick()

    # zhangwei's PHI, from the definitions: 初步接触 recommends call + visit (the call done), 方案 demo +
    # proposal_sent (the demo done); 2 of the customer's master fields fresh; one 30-hour task ÷ 24 h.
    async def with_collab() -> dict | None:
        found = await s.ok("GET", "zhangwei", "/v1/indexes/phi")
        return found if indicator(found["reps"][0], "collaboration").get("denominator") else None

    mine = await eventually(with_collab)
    assert [r["rep_id"] for r in mine["reps"]] == ["zhangwei"]
    row = mine["reps"][0]
    sat = indicator(row, "key_actions")
    assert (sat["numerator"], sat["denominator"]) == (2, 4) and sat["value_bp"] == 2 * BP // 4
    assert sat["threshold_bp"] == 8_500 and not sat["healthy"]
    assert {(e["stage"], tuple(e["done"])) for e in sat["evidence"]} == {("初步接触", ("call",)), ("方案", ("demo",))}
    fresh = indicator(row, "freshness")
    assert (fresh["numerator"], fresh["denominator"]) == (2, len(MASTER_FIELDS))
    assert not fresh["healthy"]
    collab = indicator(row, "collaboration")
    assert collab["value_bp"] == APPROVAL_HOURS * BP // 24 and collab["healthy"] is (APPROVAL_HOURS / 24 <= 1.2)
    assert row.get("composite_bp", 0) == 0  # three indicators with a value, none healthy
    # The team average is over zhangwei and lina (lina has no stay overlapping... her won one's stay counts).
    averages = {a["name"]: a.get("value_bp") for a in mine["team_average"]}
    team = await s.ok("GET", "wangqiang", "/v1/indexes/phi")
    assert sorted(r["rep_id"] for r in team["reps"]) == ["lina", "zhangwei"]
    lina = next(r for r in team["reps"] if r["rep_id"] == "lina")
    lina_sat = indicator(lina, "key_actions")
    assert (lina_sat["numerator"], lina_sat["denominator"]) == (0, 2)  # 初步接触, won without a call or a visit
    assert averages["key_actions"] == (sat["value_bp"] + 0) // 2
    assert {a["name"]: a.get("value_bp") for a in team["team_average"]} == averages

    # KPI: lina's win in the month; the team average of sales over the two reps.
    kpi = await s.ok("GET", "zhangwei", "/v1/kpi")
    assert [r["rep_id"] for r in kpi["reps"]] == ["zhangwei"]
    assert kpi["reps"][0]["sales"] == [] and kpi["reps"][0]["visits"] == 0
    assert kpi["reps"][0]["effective_call_bp"] == 90 * BP // (90 + 30)
    assert kpi["team_average"]["sales"] == [{"amount_minor": WON_AMOUNT // 2, "currency": "CNY"}]
    days = {d["stage"]: d["days_tenths"] for d in kpi["reps"][0]["stage_days"]}
    assert days == {"初步接触": 0}  # two minutes, in tenths of a day
    team_kpi = await s.ok("GET", "wangqiang", "/v1/kpi")
    lina_kpi = next(r for r in team_kpi["reps"] if r["rep_id"] == "lina")
    assert lina_kpi["sales"] == [{"amount_minor": WON_AMOUNT, "currency": "CNY"}]

    # lina's profile of this month: one new customer won; the team's 初步接触 entered twice, both went on.
    month = mine["period"]
    profile = await s.ok("GET", "lina", "/v1/reps/lina/profile", month=month)
    new = next(t for t in profile["rep_customer_types"] if t["customer_type"] == "new")
    assert (new["closed"], new["won"], new["win_rate_bp"]) == (1, 1, BP)
    assert new["won_amount"] == [{"amount_minor": WON_AMOUNT, "currency": "CNY"}]
    conversion = {c["stage"]: (c["entered"], c["reached_next"]) for c in profile["team_conversion"]}
    assert conversion == {"初步接触": (2, 2), "方案": (1, 0)}
    is_problem(await s.call("GET", "zhangwei", "/v1/reps/lina/profile", month=month), 404)
    assert (await s.ok("GET", "wangqiang", "/v1/reps/lina/profile", month=month))["rep_id"] == "lina"

    # Persisted for trends: the events' consumer stored zhangwei's month; recompute_tenant rewrites every rep's
    # (the figures the API shows); the monthly job stores each rep's profile, then read back as stored.
    async def stored() -> list | None:
        async with s.uow().reading() as uow:
            return await uow.process_health.phi_rows(TENANT, ["zhangwei"], [month]) or None

    await eventually(stored)
    assert await ProcessHealthHandlers(s.uow).recompute_tenant(TENANT) >= 2
    async with s.uow().reading() as uow:
        rows = {r.rep_id: r for r in await uow.process_health.phi_rows(TENANT, ["zhangwei", "lina"], [month])}
    assert rows["zhangwei"].indicators[0]["numerator"] == 2 and rows["zhangwei"].composite_bp == 0
    assert rows["lina"].indicators[0]["denominator"] == 2
    year, mon = (int(x) for x in month.split("-"))
    generated_at = s.clock.now()
    assert await KpiHandlers(s.uow).generate_profiles(TENANT, (year, mon)) >= 2
    s.tick()  # read later: the stored profile says when it was generated
    again_profile = await s.ok("GET", "lina", "/v1/reps/lina/profile", month=month)
    assert again_profile["team_conversion"] == profile["team_conversion"]
    assert datetime.fromisoformat(again_profile["computed_at"]) == generated_at

    # Settings: admins only, validated naming the field; saved thresholds change the healthy flags.
    settings = await s.ok("GET", "admin", "/v1/indexes/phi/settings")
    assert settings["key_actions_min_bp"] == 8_500
    is_problem(await s.call("PUT", "wangqiang", "/v1/indexes/phi/settings", {"version": 0}), 403)
    refused = await s.call("PUT", "admin", "/v1/indexes/phi/settings", {"version": 0, "freshness_min_bp": 20_000})
    is_problem(refused, 400)
    assert "freshness_min_bp" in refused.text
    saved = await s.ok("PUT", "admin", "/v1/indexes/phi/settings", {"version": 0, "key_actions_min_bp": 5_000})
    assert saved["version"] == 1
    again = await s.ok("GET", "zhangwei", "/v1/indexes/phi")
    assert indicator(again["reps"][0], "key_actions")["healthy"]
    assert again["reps"][0]["composite_bp"] == BP // 3  # one of three equally weighted indicators healthy

    # Bad input, a partner, another tenant.
    for url in ("/v1/indexes/phi", "/v1/kpi"):
        for period in ("2026-13", "abc", "2999-01"):
            bad = await s.call("GET", "zhangwei", url, period=period)
            is_problem(bad, 400)
            assert "period" in bad.text
        is_problem(await s.call("GET", "zhaolei", url), 403)
        elsewhere = await s.ok("GET", "other-rep", url)
        assert [r["rep_id"] for r in elsewhere["reps"]] == ["other-rep"]
        assert all(i.get("denominator", 0) == 0 for i in elsewhere["reps"][0].get("indicators", []))
    is_problem(await s.call("GET", "zhaolei", "/v1/reps/lina/profile"), 403)
    is_problem(await s.call("GET", "other-rep", "/v1/reps/lina/profile"), 404)
    is_problem(await s.call("GET", "zhaolei", "/v1/indexes/phi/settings"), 403)
