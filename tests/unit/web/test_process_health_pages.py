"""The process health pages with a fake gateway: PHI per rep beside the team average, each value opening its
evidence; the KPI bars (each rep, then the team average) per measure; a rep's profile against the team; a role
the gateway refuses is told the page is not for it."""

from __future__ import annotations

import json
import re

from tests.unit.web.fakes import problem

REPS = {"reps": [{"rep_id": "zhangwei", "name": "张伟", "manager_id": "wangqiang"},
                 {"rep_id": "lina", "name": "李娜", "manager_id": "wangqiang"}]}
SAT = {"name": "key_actions", "value_bp": 5000, "threshold_bp": 8500, "healthy": False, "numerator": 2,
       "denominator": 4, "evidence": [{"opportunity_id": "o-1", "stage": "方案", "recommended": ["demo", "proposal_sent"],
                                        "done": ["demo"]}]}
PHI = {"period": "2026-12", "computed_at": "2026-12-01T02:00:00Z", "reps": [
    {"rep_id": "zhangwei", "composite_bp": 3333, "saturation_warning": True, "indicators": [
        SAT, {"name": "freshness", "threshold_bp": 6000, "healthy": False},
        {"name": "collaboration", "value_bp": 12500, "threshold_bp": 12000, "healthy": False}]}],
    "team_average": [{"name": "key_actions", "value_bp": 2500}, {"name": "composite", "value_bp": 1666}]}


def _chart(html: str, element: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', html, re.DOTALL)
    assert found, html
    return json.loads(found.group(1))


async def test_phi_rows_beside_the_team_average_open_their_evidence(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/indexes/phi", PHI)
    text = (await console("wangqiang").get("/indexes/phi")).text
    chart = _chart(text, "phi-data")
    assert chart["labels"] == ["张伟"] and chart["values"] == [33.3] and chart["average"] == 16.7
    assert "50.0%" in text and "1.25" in text and "连续两月低于 70%" in text and "团队均值" in text
    assert 'href="/indexes/phi/evidence?rep_id=zhangwei&amp;indicator=key_actions&amp;period=2026-12"' in text
    evidence = (await console("wangqiang").get("/indexes/phi/evidence?rep_id=zhangwei&indicator=key_actions")).text
    assert "关键动作饱和度" in evidence and "demo、proposal_sent" in evidence and "2 / 4" in evidence


async def test_kpi_bars_per_measure_end_with_the_team_average(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/kpi", {"period": "2026-12", "reps": [
        {"rep_id": "zhangwei", "sales": [{"amount_minor": 12_345_600, "currency": "CNY"}], "visits": 5, "visit_target": 20,
         "visit_rate_bp": 2500, "effective_call_bp": 7500, "stage_days": [{"stage": "方案", "days_tenths": 35}]}],
        "team_average": {"sales": [{"amount_minor": 6_172_800, "currency": "CNY"}], "visit_rate_bp": 1250,
                         "stage_days": [{"stage": "方案", "days_tenths": 20}]}})
    fake_gateway.on("GET", "/v1/finance/collection-report", {"rows": [
        _collected("zhangwei", 1_000_000, 400_000)]})
    text = (await console("zhangwei").get("/indexes/kpi")).text
    measures = _chart(text, "kpi-data")["measures"]
    # 回款率 40.0 % is finance's own; a rep's finance report holds only their row, so no team figure.
    assert [m["values"] for m in measures] == [[123456.0, 61728.0], [40.0, 0], [25.0, 12.5], [75.0, 0]]
    assert measures[0]["labels"] == ["张伟", "团队均值"]
    assert "123,456.00" in text and "3.5" in text and "「方案」停留天数" in text


def _collected(rep: str, due: int, paid: int, currency: str = "CNY") -> dict:
    return {"period": "2026-12", "key": rep, "expected": {"amount_minor": due, "currency": currency},
            "actual": {"amount_minor": paid, "currency": currency}}


async def test_a_managers_kpi_places_finances_collection_rate_per_rep_and_for_the_team(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/kpi", {"period": "2026-12", "reps": [{"rep_id": "zhangwei"}, {"rep_id": "lina"}],
                                       "team_average": {}})
    fake_gateway.on("GET", "/v1/finance/collection-report", {"rows": [
        _collected("zhangwei", 1_000_000, 400_000), _collected("lina", 300_000, 300_000),
        _collected("lina", 5_000, 5_000, "USD")]})  # another currency: not in the CNY rate
    text = (await console("wangqiang").get("/indexes/kpi")).text
    [rates] = [m["values"] for m in _chart(text, "kpi-data")["measures"] if m["title"] == "回款率 (%)"]
    # zhangwei 400k of 1m, lina all of 300k; the team: 700k of 1.3m = 53.8 %.
    assert rates == [40.0, 100.0, round(700_000 * 100 / 1_300_000, 1)]
    [call] = fake_gateway.called("GET", "/v1/finance/collection-report")
    assert call.kwargs["params"] == {
        "from": "2026-12-01", "to": "2026-12-31", "group_by": "owner", "period": "month"}


async def test_a_reps_profile_against_the_team(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/reps/lina/profile", {
        "rep_id": "lina", "month": "2026-11", "computed_at": "2026-12-01T02:00:00Z",
        "rep_customer_types": [{"customer_type": "new", "closed": 1, "won": 1, "win_rate_bp": 10000,
                                "won_amount": [{"amount_minor": 100_000_000, "currency": "CNY"}]}],
        "team_customer_types": [{"customer_type": "new", "closed": 2, "won": 1, "win_rate_bp": 5000}],
        "rep_conversion": [{"stage": "初步接触", "entered": 1, "reached_next": 1, "rate_bp": 10000}],
        "team_conversion": [{"stage": "初步接触", "entered": 2, "reached_next": 1, "rate_bp": 5000}],
        "signals": [{"signal": "预约技术演示", "count": 2}]})
    text = (await console("wangqiang").get("/indexes/profile?rep_id=lina")).text
    assert "销售能力画像" in text and "李娜" in text and "新客户" in text and "100.0%" in text and "50.0%" in text
    assert "1,000,000.00 CNY" in text and "预约技术演示" in text


async def test_a_refused_role_is_told_the_pages_are_not_for_it(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/indexes/phi", problem(403, "role finance may not do this"))
    fake_gateway.on("GET", "/v1/kpi", problem(403, "role finance may not do this"))
    assert "您的角色无法查看过程健康度" in (await console("liufang").get("/indexes/phi")).text
    assert "您的角色无法查看 KPI 指标" in (await console("liufang").get("/indexes/kpi")).text
