"""The indexes across the real processes, as `make run` starts them, through the
gateway: a rep's activities change the customer's CDI within the stated
freshness (activity.logged → the contact depth consumer, nothing by hand);
receipts finance records on a signed contract move the customer's value tier
(payment.receipt_recorded → opportunity's receipts consumer → the tenant's
formula), the same tier for the rep and for finance; a win model trained on
demand scores an open opportunity and the forecast's sums are Σ amount ×
effective probability; a partner is refused every one of these views (403).

The value tier formula is turned on only for its test and put back as it was
(a tier set by hand is refused while the formula is on, and the access walks
set tiers by hand); nothing else here changes what later tests see, and the
clock is not moved, so the module stays unordered (conftest RUN_LAST)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any

from tests.e2e.test_routing_and_pipeline import ok, until
from tests.support.contract_signing import payment_plan, receipt_body, sign_contract

# The seed promises under 3 minutes; the consumers answer within seconds (the gateway's FRESHNESS).
FRESH_WITHIN_S = 30.0
PARTNER = "zhaolei"
YUAN = 100


def suffix() -> str:
    return f"{random.randrange(10**8):08d}"


def new_opportunity(rep: Any, **fields: Any) -> dict:
    body = {"customer_name": f"宁波指数注塑机厂{suffix()}", "name": "二期注塑机"} | fields
    return ok(rep.post("/v1/opportunities", json=body), 201)["opportunity"]


def refused_to_partner(as_user, *paths: str) -> None:
    partner = as_user(PARTNER)
    for path in paths:
        reply = partner.get(path)
        assert reply.status_code == 403, (path, reply.status_code, reply.text[:300])


def test_a_reps_activities_change_the_customers_cdi_within_the_stated_freshness(as_user) -> None:
    rep = as_user("zhangwei")
    customer_id = new_opportunity(rep)["customer_id"]
    url = f"/v1/customers/{customer_id}/cdi"
    before = ok(rep.get(url))
    assert (before["coverage"]["value"], before["touches"]) == (0.0, [])
    settings = ok(rep.get("/v1/indexes/cdi/settings"))
    # Kinds that count as touches and need no check-in (a visit does), as many as coverage asks for.
    kinds = [k for k in settings["touch_kinds"] if k != "visit"][: settings["touch_min_kinds"]]
    assert len(kinds) == settings["touch_min_kinds"], settings

    started = time.monotonic()
    logged = [
        ok(
            rep.post(f"/v1/customers/{customer_id}/activities", json={"kind": k, "summary": f"{k}：沟通二期产线预算"}),
            201,
        )["activity"]["activity_id"]
        for k in kinds
    ]

    def covered() -> dict | None:
        found = ok(rep.get(url))
        return found if found["coverage"]["value"] == 1.0 else None

    after = until(covered, timeout=FRESH_WITHIN_S)
    assert time.monotonic() - started < FRESH_WITHIN_S
    assert sorted(t["activity_id"] for t in after["touches"]) == sorted(logged)
    # The CDI by its definition: the weighted mean of the applicable factors × 100.
    weights = settings["weights"]
    applicable = [(weights[f], after[f]["value"]) for f in ("coverage", "needs", "closure") if after[f]["applicable"]]
    total = sum(w for w, _ in applicable)
    assert after["cdi"] == round(sum(w * v for w, v in applicable) / total * 100, 1)
    assert after["cdi"] > before["cdi"]
    refused_to_partner(as_user, url, "/v1/indexes/cdi?group_by=rep", "/v1/indexes/follow-up-heat-map")


# The tenant's formula for this test, written out (seed 002 completed so 战略 is reachable).
FORMULA = (
    "IF(距上次采购天数<183,30,0)+IF(年度采购额>500000,20,0)+IF(推荐新客户数>=1,10,0)"
    "+IF(近6月采购次数>=3,20,IF(近6月采购次数>=1,10,0))+IF(近6月采购金额>=200000,20,IF(近6月采购金额>=50000,10,0))"
)
THRESHOLDS = {"战略": 80.0, "重点": 50.0}


def score_of(paid_today_yuan: list[int]) -> float:
    """FORMULA by hand for receipts all paid today and no referral."""
    recent, annual, count = 30 if paid_today_yuan else 0, sum(paid_today_yuan), len(paid_today_yuan)
    return (
        recent
        + (20 if annual > 500_000 else 0)
        + (20 if count >= 3 else 10 if count >= 1 else 0)
        + (20 if annual >= 200_000 else 10 if annual >= 50_000 else 0)
    )


def tier_of(score: float) -> str:
    return next((t for t, least in THRESHOLDS.items() if score >= least), "普通")


def settings_body(found: dict, **changes: Any) -> dict:
    body = {
        "version": found["version"],
        "active": found["active"],
        "formula": found["formula"],
        "thresholds": found["thresholds"],
        "new_product_lines": found.get("new_product_lines", []),
    }
    return body | changes


def test_receipts_finance_records_move_the_customers_value_tier(as_user) -> None:
    rep, manager, finance = as_user("zhangwei"), as_user("wangqiang"), as_user("liufang")
    url = "/v1/indexes/value-tiers/settings"
    stored = ok(manager.get(url))
    thresholds = [{"tier": t, "min_score": s} for t, s in THRESHOLDS.items()]
    ok(manager.put(url, json=settings_body(stored, active=True, formula=FORMULA, thresholds=thresholds)))
    try:
        opp = new_opportunity(rep)
        customer_id, value_url = opp["customer_id"], f"/v1/customers/{opp['customer_id']}/value"
        # A new customer: 普通, as the formula gives a customer who never bought.
        assert ok(rep.get(value_url))["tier"] == tier_of(score_of([])) == "普通"

        users = {user: as_user(user) for user in ("wangqiang", "admin")}
        contract_id, version_id = sign_contract(
            rep, as_user("chenjing"), users, opp["opportunity_id"], datetime.now(UTC).date()
        )
        first = payment_plan(finance, contract_id)["instalments"][0]
        paid = [300_000]
        recorded = finance.post(
            "/v1/receipts",
            json=receipt_body(contract_id, version_id, first["instalment_id"], paid[0] * YUAN, opp["customer_name"]),
        )
        assert recorded.status_code == 201, recorded.text

        expected = score_of(paid)
        moved = until(lambda: (v := ok(rep.get(value_url)))["tier"] == tier_of(expected) and v, timeout=FRESH_WITHIN_S)
        assert (moved["tier"], moved["score"]) == ("重点", expected)
        assert moved["history"][0]["tier"] == "重点" and moved["history"][0]["previous_tier"] == "普通"
        # Every department sees the same tier: the customer's own record and finance's read of it.
        assert ok(rep.get(f"/v1/customers/{customer_id}"))["customer"]["value_tier"] == "重点"
        assert ok(finance.get(value_url))["tier"] == "重点"
        refused_to_partner(as_user, value_url, "/v1/indexes/value-tiers", url)
    finally:
        current = ok(manager.get(url))
        ok(
            manager.put(
                url,
                json=settings_body(
                    current,
                    active=stored["active"],
                    formula=stored["formula"],
                    thresholds=stored["thresholds"],
                ),
            )
        )


PIPELINE_STAGES = [
    {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
    {"name": "方案报价", "probability": 50, "forecast_category": "best_case"},
    {"name": "合同签署", "probability": 90, "forecast_category": "commit"},
]


def test_a_model_trained_on_demand_scores_an_open_opportunity_and_the_forecast_sums_it(as_user) -> None:
    rep, manager = as_user("zhangwei"), as_user("wangqiang")
    line = f"指数测试线{suffix()}"
    pipeline = ok(
        manager.post("/v1/pipelines", json={"name": line, "product_line": line, "stages": PIPELINE_STAGES}), 201
    )["pipeline"]
    # A history to learn from: 40 closed, every third won.
    for k in range(40):
        closed = new_opportunity(
            rep, pipeline_id=pipeline["pipeline_id"], amount={"amount_minor": 50_000_00, "currency": "CNY"}
        )
        oid = closed["opportunity_id"]
        if k % 3 == 0:
            ok(rep.post(f"/v1/opportunities/{oid}/won", json={"reason": "签约"}))
        else:
            ok(rep.post(f"/v1/opportunities/{oid}/lost", json={"reason": "价格"}))
    amounts = [1_234_567_89, 98_765_43]
    open_ids = [
        new_opportunity(
            rep, pipeline_id=pipeline["pipeline_id"], product_line=line, amount={"amount_minor": a, "currency": "CNY"}
        )["opportunity_id"]
        for a in amounts
    ]
    assert rep.post("/v1/forecast/model/train").status_code == 403  # a manager's or admin's to ask
    report = ok(manager.post("/v1/forecast/model/train"))
    assert report["model_version"] >= 1

    def scored(oid: str) -> dict:
        found = ok(rep.get(f"/v1/opportunities/{oid}/win-probability"))
        assert found["model_version"] == report["model_version"] and found["source"] == "model", found
        return found

    probabilities = [scored(oid)["probability"] for oid in open_ids]
    # The rep's own forecast (a manager's holds their team's, once lead-routing has announced it).
    cells = ok(rep.get("/v1/forecast", params={"group_by": "product_line"}))["cells"]
    mine = [c for c in cells if c["key"] == [line]]
    assert len(mine) == 1, cells
    cell = mine[0]
    assert cell["count"] == 2
    assert cell["amount"] == {"amount_minor": sum(amounts), "currency": "CNY"}
    expected = sum(a * p for a, p in zip(amounts, probabilities, strict=True)) // 100
    assert cell["expected"] == {"amount_minor": expected, "currency": "CNY"}
    refused_to_partner(
        as_user, f"/v1/opportunities/{open_ids[0]}/win-probability", "/v1/forecast", "/v1/forecast/model"
    )
