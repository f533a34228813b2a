"""A pool card's "why" disclosure: the card loads it from /pool/{lead}/why on
open, which asks the gateway for the rep's explanation and shows the route,
the rep filter, the formula's terms with their values and the rank."""

from __future__ import annotations

from tests.unit.web.fakes import FakeGateway, problem
from tests.unit.web.test_rep_pages import HTMX, POOL

WHY = {
    "lead_id": "L-high", "rep_id": "zhangwei", "route_id": "r1", "route_name": "华东注塑",
    "route_condition": 'CONTAINS(行业标签,"注塑机")', "routes_version": 3,
    "rep_filter": "DISTANCE(纬度,经度,近3月成交客户位置)<=30", "rep_filter_passed": True, "in_candidate_set": True,
    "formula": "IF(近6月采购金额>=50000,100,30)", "formula_version": 2,
    "terms": [{"term": "(近6月采购金额>=50000)", "value": "TRUE"}, {"term": "近6月采购金额", "value": "80000"}],
    "score": 87.25, "rank": 2, "candidates": 5, "capacity": 30, "open_leads": 4,
}


async def test_each_pool_card_has_a_why_disclosure_loaded_on_open(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool", POOL)
    page = await console("zhangwei").get("/pool")
    assert page.text.count('hx-trigger="toggle once"') == 2
    assert 'hx-get="/pool/L-high/why"' in page.text and "为什么是这个匹配度" in page.text
    assert fake_gateway.called("GET", "/v1/pool/L-high/explanation") == []  # nothing asked until opened


async def test_a_manager_asks_why_of_the_best_candidate(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool", POOL)
    page = await console("wangqiang").get("/pool")
    assert 'hx-get="/pool/L-high/why?rep_id=zhangwei"' in page.text and "zhangwei 为什么是这个匹配度" in page.text


async def test_the_why_shows_the_route_filter_terms_values_and_rank(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool/L-high/explanation", WHY)
    why = await console("zhangwei").get("/pool/L-high/why", headers=HTMX)
    assert why.status_code == 200
    assert "<html" not in why.text  # a fragment for the disclosure
    for shown in ("华东注塑", "CONTAINS(行业标签,&#34;注塑机&#34;)", "DISTANCE(纬度,经度,近3月成交客户位置)&lt;=30",
                  "通过", "(近6月采购金额&gt;=50000)", "TRUE", "80000", "87.2", "在 5 位候选人中排第 2"):
        assert shown in why.text, shown
    [call] = fake_gateway.called("GET", "/v1/pool/L-high/explanation")
    assert call.token == "token-of-zhangwei" and not (call.kwargs.get("params") or {}).get("rep_id")


async def test_a_failed_filter_and_a_manager_naming_the_rep(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool/L-high/explanation", {**WHY, "rep_filter_passed": False, "rank": 0})
    why = await console("wangqiang").get("/pool/L-high/why", params={"rep_id": "lina"}, headers=HTMX)
    assert "未通过" in why.text and "目前不在排名候选人中" in why.text
    [call] = fake_gateway.called("GET", "/v1/pool/L-high/explanation")
    assert call.kwargs["params"] == {"rep_id": "lina"}


async def test_a_lead_claimed_meanwhile_says_so_in_the_card(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool/L-high/explanation", problem(404, "lead L-high is not in the pool"))
    why = await console("zhangwei").get("/pool/L-high/why", headers=HTMX)
    assert why.status_code == 200
    assert "这条线索已不在您的公海中" in why.text and "lead L-high is not in the pool" in why.text
