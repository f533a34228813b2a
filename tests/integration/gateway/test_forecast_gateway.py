"""The win model and the forecast through the gateway, against the real opportunity service
(in-process, real gRPC, real NATS, its own database). A tenant's past is data: 600 closed
opportunities with a known signal (the won share by region: 浙江 70 %, 江苏 40 %, 广东 15 %; the
industry, product line and rep copy the region, so naive Bayes counts the same evidence four times
and is overconfident) are written into the service's tables with their stays and close times over
the last 400 days — a close through the API would be dated today. Then: the manager trains, the
report gives the three predictors' Brier scores on the newest 20 % and the calibrated model beats
the uncalibrated one; open opportunities are scored with ratings by the tenant's thresholds; a
manual probability survives retraining and clearing it goes back to the model; a stage move is
scored again within seconds; the forecast's sums equal the sums over the opportunities; a partner
and another tenant see nothing; bad input is 400 naming the field."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import sqlalchemy as sa
from crm_shared.ids import new_id
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import opportunities, stage_stays

from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service, reserve

TENANT = "demo"
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
STAGES = [("初步接触", 10, "pipeline"), ("方案提交", 40, "best_case"), ("合同签署", 90, "commit")]
PIPELINE = {
    "name": "注塑机",
    "product_line": "注塑机",
    "stages": [{"name": n, "probability": p, "forecast_category": c} for n, p, c in STAGES],
}
WON_SHARE = {"浙江": 0.7, "江苏": 0.4, "广东": 0.15}
COPIES = {  # region → (industry, product line, rep)
    "浙江": ("机械", "注塑机", "zhangwei"),
    "江苏": ("化工", "泵", "lina"),
    "广东": ("电子", "阀", "wuhao"),
}


@dataclass
class Stack:
    client: httpx.AsyncClient
    db: Any
    auth: dict[str, dict[str, str]]

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def call(self, method: str, user: str, url: str, body: dict | None = None, **params: Any) -> httpx.Response:
        return await self.client.request(method, url, json=body, params=params, headers=await self.as_(user))


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with (
        opportunity_service(nats_url, database_url, tmp_path, reserve()) as opps,
        make_gateway(opportunity_addr=opps.address) as client,
    ):
        await opps.announce_reps(TENANT, TEAMS)
        yield Stack(client, opps.svc.runtime.db, {})


async def closed_history(s: Stack, pipeline_id: str, n: int = 600) -> None:
    rng = np.random.default_rng(0)
    now = datetime.now(UTC)
    regions = list(WON_SHARE)
    rows_c, rows_o, rows_s = [], [], []
    for i in range(n):
        region = regions[i % 3]
        industry, product_line, rep = COPIES[region]
        won = bool(rng.random() < WON_SHARE[region])
        reached = 3 if won else int(rng.integers(1, 4))
        closed_at = now - timedelta(days=int(rng.integers(1, 400)), hours=int(rng.integers(0, 24)))
        cid, oid = new_id(), new_id()
        rows_c.append(
            {
                "customer_id": cid,
                "tenant_id": TENANT,
                "name": f"历史客户{i:04d}",
                "province": region,
                "city": "",
                "district": "",
                "owner_id": rep,
                "created_at": closed_at - timedelta(days=60),
                "updated_at": closed_at,
                "industry": industry,
            }
        )
        rows_o.append(
            {
                "opportunity_id": oid,
                "tenant_id": TENANT,
                "customer_id": cid,
                "name": f"历史商机{i:04d}",
                "stage": STAGES[reached - 1][0],
                "amount_minor": 20_000_000,
                "currency": "CNY",
                "owner_id": rep,
                "created_at": closed_at - timedelta(days=60),
                "updated_at": closed_at,
                "pipeline_id": pipeline_id,
                "probability": 100 if won else 0,
                "forecast_category": "closed",
                "status": "won" if won else "lost",
                "product_line": product_line,
                "closed_at": closed_at,
            }
        )
        for k in range(reached):
            entered = closed_at - timedelta(days=10 * (reached - k))
            rows_s.append(
                {
                    "stay_id": new_id(),
                    "tenant_id": TENANT,
                    "opportunity_id": oid,
                    "pipeline_id": pipeline_id,
                    "stage": STAGES[k][0],
                    "entered_at": entered,
                    "entered_by": rep,
                    "entered_via": "moved",
                    "left_at": entered + timedelta(days=10),
                    "left_via": "moved",
                    "reason": "",
                }
            )
    async with s.db.sessions() as session:
        await session.execute(sa.insert(customers), rows_c)
        await session.execute(sa.insert(opportunities), rows_o)
        await session.execute(sa.insert(stage_stays), rows_s)
        await session.commit()


async def open_opportunity(s: Stack, user: str, pipeline_id: str, region: str, amount: int, close: str) -> dict:
    body = {
        "customer_name": f"{region}客户{new_id()[-6:]}",
        "name": "二期产线",
        "pipeline_id": pipeline_id,
        "amount": {"amount_minor": amount, "currency": "CNY"},
        "product_line": COPIES[region][1],
        "expected_close_date": close,
    }
    made = await s.call("POST", user, "/v1/opportunities", body)
    assert made.status_code == 201, made.text
    opp = made.json()["opportunity"]
    located = await s.call("PATCH", user, f"/v1/customers/{opp['customer_id']}", {"location": {"province": region}})
    assert located.status_code == 200, located.text
    return opp


def rating(p: int, high: int = 60, medium: int = 30) -> str:
    return "高" if p >= high else "中" if p >= medium else "低"


async def test_train_report_score_manual_forecast_and_access(stack: Stack) -> None:
    s = stack
    made = await s.call("POST", "wangqiang", "/v1/pipelines", PIPELINE)
    assert made.status_code == 201, made.text
    pipeline_id = made.json()["pipeline"]["pipeline_id"]
    # Before any model: the report says so, and too little history is refused (the stage default stands).
    assert (await s.call("GET", "zhangwei", "/v1/forecast/model")).json().get("model_version", 0) == 0
    is_problem(await s.call("POST", "wangqiang", "/v1/forecast/model/train"), 409)
    await closed_history(s, pipeline_id)
    plan = [  # user, region, amount (分), expected close
        ("zhangwei", "浙江", 30_000_000, "2026-03-10"),
        ("zhangwei", "江苏", 12_345_678, "2026-04-02"),
        ("zhangwei", "广东", 8_000_001, "2026-04-30"),
        ("lina", "浙江", 50_000_003, "2026-05-15"),
        ("wuhao", "广东", 7_777_777, "2026-03-01"),
    ]
    opps = [await open_opportunity(s, u, pipeline_id, r, a, d) for u, r, a, d in plan]
    amounts = {o["opportunity_id"]: a for o, (_, _, a, _) in zip(opps, plan, strict=True)}

    is_problem(await s.call("POST", "zhangwei", "/v1/forecast/model/train"), 403)
    trained = await s.call("POST", "wangqiang", "/v1/forecast/model/train")
    assert trained.status_code == 200, trained.text
    report = trained.json()
    scores = {p["predictor"]: p for p in report["scores"]}
    assert set(scores) == {"calibrated", "uncalibrated", "stage_default"}
    assert scores["calibrated"]["brier"] < scores["uncalibrated"]["brier"] < 1
    assert report["holdout_opportunities"] == 120 and report["train_opportunities"] == 480
    assert sum(b["count"] for b in scores["calibrated"]["curve"]) == report["holdout_rows"]
    assert (await s.call("GET", "lina", "/v1/forecast/model")).json()["model_version"] == report["model_version"]

    # Scored: a rep sees their own three, each rated by the default thresholds.
    mine = (await s.call("GET", "zhangwei", "/v1/forecast/scores")).json()["items"]
    assert {i["opportunity_id"] for i in mine} == {o["opportunity_id"] for o in opps[:3]}
    for item in mine:
        assert item["source"] == "model" and item["probability"] == item["model_probability"]
        assert item["rating"] == rating(item["probability"])
    by_region = {plan[[o["opportunity_id"] for o in opps].index(i["opportunity_id"])][1]: i for i in mine}
    assert by_region["浙江"]["probability"] > by_region["广东"]["probability"]

    # A manual probability: managers only, 0..100, kept through a retrain; cleared → the model's again.
    target = opps[0]["opportunity_id"]
    url = f"/v1/opportunities/{target}/manual-probability"
    is_problem(await s.call("PUT", "zhangwei", url, {"probability": 5}), 403)
    bad = is_problem(await s.call("PUT", "wangqiang", url, {"probability": 101}), 400)
    assert [e["field"] for e in bad["errors"]] == ["probability"]
    set_ = await s.call("PUT", "wangqiang", url, {"probability": 5})
    assert set_.status_code == 200, set_.text
    assert (set_.json()["probability"], set_.json()["source"], set_.json()["rating"]) == (5, "manual", "低")
    assert (await s.call("POST", "admin", "/v1/forecast/model/train")).status_code == 200
    kept = (await s.call("GET", "zhangwei", f"/v1/opportunities/{target}/win-probability")).json()
    assert (kept["manual_probability"], kept["probability"], kept["source"]) == (5, 5, "manual")
    cleared = (await s.call("DELETE", "wangqiang", url)).json()
    assert cleared["source"] == "model" and cleared["probability"] == cleared["model_probability"]

    # Thresholds are tenant data: bad ones named, good ones re-rate.
    bad = is_problem(
        await s.call("PUT", "wangqiang", "/v1/forecast/settings", {"version": 0, "high_min": 30, "medium_min": 40}), 400
    )
    assert [e["field"] for e in bad["errors"]] == ["medium_min"]
    saved = await s.call("PUT", "wangqiang", "/v1/forecast/settings", {"version": 0, "high_min": 95, "medium_min": 90})
    assert saved.status_code == 200, saved.text
    again = (await s.call("GET", "zhangwei", f"/v1/opportunities/{target}/win-probability")).json()
    assert again["rating"] == rating(again["probability"], 95, 90)

    # A stage move is scored again by the consumer within seconds.
    before = again["model_probability"]
    moved = await s.call("POST", "zhangwei", f"/v1/opportunities/{target}/stage", {"stage": "合同签署"})
    assert moved.status_code == 200, moved.text

    async def rescored() -> dict | None:
        now = (await s.call("GET", "zhangwei", f"/v1/opportunities/{target}/win-probability")).json()
        return now if now["stage"] == "合同签署" and now["model_probability"] != before else None

    await eventually(rescored)

    # The forecast: the manager's team (zhangwei, lina), sums equal the sums over the opportunities.
    team = (await s.call("GET", "wangqiang", "/v1/forecast/scores")).json()["items"]
    assert {i["opportunity_id"] for i in team} == {o["opportunity_id"] for o in opps[:4]}
    region_of = {o["opportunity_id"]: r for o, (_, r, _, _) in zip(opps, plan, strict=True)}
    weighted: dict[str, int] = defaultdict(int)
    for i in team:
        weighted[region_of[i["opportunity_id"]]] += amounts[i["opportunity_id"]] * i["probability"]
    fc = (await s.call("GET", "wangqiang", "/v1/forecast", group_by="region")).json()
    cells = {c["key"][0]: c for c in fc["cells"]}
    assert {k: int(c["expected"]["amount_minor"]) for k, c in cells.items()} == {
        k: v // 100 for k, v in weighted.items()
    }
    assert int(fc["totals"][0]["expected"]["amount_minor"]) == sum(weighted.values()) // 100
    assert int(fc["totals"][0]["amount"]["amount_minor"]) == sum(amounts[i["opportunity_id"]] for i in team)
    stage_amounts = {i["opportunity_id"]: i["stage"] for i in team}
    commit = sum(amounts[o] for o, st in stage_amounts.items() if st == "合同签署")
    assert int(fc["totals"][0]["commit"]["amount_minor"]) == commit
    months = (
        await s.call("GET", "wangqiang", "/v1/forecast", group_by="month", from_month="2026-04", to_month="2026-05")
    ).json()
    assert sorted(c["key"][0] for c in months["cells"]) == ["2026-04", "2026-05"]
    matrix = (await s.call("GET", "admin", "/v1/forecast/matrix")).json()
    assert sum(int(c["amount"]["amount_minor"]) for c in matrix["cells"]) == sum(amounts.values())
    assert {(c["key"][0], c["key"][1]) for c in matrix["cells"]} == {(r, COPIES[r][1]) for _, r, _, _ in plan}

    # Bad input: 400 naming the field.
    for params, field in (
        ({"group_by": "month", "from_month": "2024-01", "to_month": "2026-12"}, "to_month"),
        ({"group_by": "month", "from_month": "2026-13", "to_month": "2026-12"}, "from_month"),
    ):
        bad = is_problem(await s.call("GET", "wangqiang", "/v1/forecast", **params), 400)
        assert field in [e["field"] for e in bad["errors"]]
    assert (await s.call("GET", "wangqiang", "/v1/forecast", group_by="week")).status_code in (400, 422)

    # A partner sees nothing; another tenant finds nothing.
    for method, path in (
        ("GET", "/v1/forecast"),
        ("GET", "/v1/forecast/model"),
        ("GET", "/v1/forecast/scores"),
        ("GET", f"/v1/opportunities/{target}/win-probability"),
        ("GET", "/v1/forecast/matrix"),
    ):
        is_problem(await s.call(method, "zhaolei", path), 403)
    is_problem(await s.call("GET", "other-rep", f"/v1/opportunities/{target}/win-probability"), 404)
    assert (await s.call("GET", "other-rep", "/v1/forecast")).json().get("cells", []) == []
    assert (await s.call("GET", "other-rep", "/v1/forecast/scores")).json().get("items", []) == []
