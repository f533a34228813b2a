"""The customer value pages with a fake gateway: the tiers as bars and a table opening a tier's customers;
the health alerts list; the settings form refused on the formula with its position; a customer's tier and
health section with the alert and the material sent; a refused role told the page is not for it."""

from __future__ import annotations

import json
import re

from tests.unit.web.fakes import problem

CID = "c-0001"
REPS = {"reps": [{"rep_id": "zhangwei", "name": "张伟"}]}
SETTINGS = {"version": 2, "active": True, "formula": "近6月采购次数*10", "default_formula": "IF(1,1,1)",
            "thresholds": [{"tier": "战略", "min_score": 80}, {"tier": "重点", "min_score": 50}],
            "variables": [{"name": "近6月采购次数", "description": "purchases"}], "new_product_lines": ["注塑机"]}


async def test_tiers_show_bars_and_rows_that_open_the_tiers_customers(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/indexes/value-tiers", {"counts": [
        {"tier": "战略", "customers": 2}, {"tier": "重点", "customers": 0}, {"tier": "普通", "customers": 5}]})
    fake_gateway.on("GET", "/v1/indexes/value-tiers/customers", {"customers": [
        {"customer_id": CID, "name": "宁波注塑机厂", "owner_id": "zhangwei", "tier": "战略", "score": 90}], "total": 2})
    text = (await console("liufang").get("/indexes/value-tiers?tier=战略")).text
    chart = json.loads(re.search(r'id="tier-data">(.*?)</script>', text, re.DOTALL).group(1))
    assert (chart["labels"], chart["values"]) == (["战略", "重点", "普通"], [2, 0, 5])
    assert "宁波注塑机厂" in text and "张伟" in text and f"/customers/{CID}?open=value-health" in text
    call = fake_gateway.called("GET", "/v1/indexes/value-tiers/customers")[0]
    assert call.kwargs["params"]["tier"] == "战略"


async def test_the_customer_section_shows_tier_health_and_the_alert(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/value", {
        "tier": "重点", "score": 70, "computed_at": "2026-12-02T02:00:00Z",
        "facts": {"purchases_6m": 2, "amount_6m_minor": "25000000", "annual_amount_minor": "25000000", "referrals": 1},
        "history": [{"tier": "重点", "previous_tier": "战略", "score": 70, "reason": "change", "at": "2026-12-02T02:00:00Z"}]})
    fake_gateway.on("GET", f"/v1/customers/{CID}/health", {"periods": [
        {"period": "2026-10", "on_time_rate_bp": 9500, "consultations": 1},
        {"period": "2026-11", "on_time_rate_bp": 9000, "dso_tenths": 452, "consultations": 3}],
        "alerts": [{"period": "2026-11", "on_time_rate_bp": [9800, 9500, 9000], "consultations": [1, 3],
                    "materials": ["应对账期延长的3个话术包"], "notified_at": "2026-12-02T02:00:00Z"}],
        "trial_progress": 0.4})
    text = (await console("zhangwei").get(f"/customers/{CID}/value-health", headers={"hx-request": "true"})).text
    assert "战略 → 重点" in text and "¥250,000.00" in text and "45.2" in text and "40.0%" in text
    assert "98.0% → 95.0% → 90.0%" in text and "《应对账期延长的3个话术包》" in text


async def test_a_bad_formula_is_shown_at_its_field(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/indexes/value-tiers/settings", SETTINGS)
    fake_gateway.on("PUT", "/v1/indexes/value-tiers/settings", problem(
        400, "formula: line 1, column 8", errors=[{"field": "formula", "description": "line 1, column 8: unexpected end"}]))
    response = await console("wangqiang").post("/indexes/value-tiers/settings", data={
        "version": "2", "active": "on", "formula": "近6月采购次数 >", "strategic": "80", "key": "50",
        "new_product_lines": "注塑机、伺服"})
    assert response.status_code == 400
    assert "line 1, column 8: unexpected end" in response.text and 'aria-invalid="true"' in response.text
    sent = fake_gateway.called("PUT", "/v1/indexes/value-tiers/settings")[0].kwargs["json"]
    assert sent["thresholds"] == [{"tier": "战略", "min_score": 80.0}, {"tier": "重点", "min_score": 50.0}]
    assert (sent["active"], sent["new_product_lines"]) == (True, ["注塑机", "伺服"])


async def test_a_refused_role_is_told_the_pages_are_not_for_it(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/indexes/health-alerts", problem(403, "role partner may not do this"))
    assert "您的角色无法查看健康预警" in (await console("zhaolei").get("/indexes/health-alerts")).text
