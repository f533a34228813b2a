"""The contact depth pages with a fake gateway: the CDI groups as bars and a table
whose rows (and bars) open the group's customers; a customer's factors with
their evidence; the heat map's cells linking to their customers with the share
untouched 90+ days; a role the gateway refuses is told the page is not for it."""

from __future__ import annotations

import json
import re

from tests.unit.web.fakes import problem

CID = "c-0001"
REPS = {"reps": [{"rep_id": "zhangwei", "name": "张伟"}, {"rep_id": "lina", "name": "李娜"}]}


def _chart(html: str, element: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', html, re.DOTALL)
    assert found, html
    return json.loads(found.group(1))


async def test_cdi_groups_show_bars_and_rows_that_open_the_groups_customers(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    fake_gateway.on("GET", "/v1/indexes/cdi", {"items": [
        {"key": "lina", "average_cdi": 0.0, "customers": 1, "red": 0},
        {"key": "zhangwei", "average_cdi": 25.0, "customers": 2, "red": 1}]})
    text = (await console("wangqiang").get("/indexes/cdi?group_by=rep")).text
    chart = _chart(text, "cdi-data")
    assert chart["labels"] == ["李娜", "张伟"] and chart["values"] == [0.0, 25.0]
    assert chart["links"][1] == "/indexes/cdi/customers?group_by=rep&key=zhangwei"
    assert 'href="/indexes/cdi/customers?group_by=rep&amp;key=zhangwei"' in text and "1 (50.0%)" in text


async def test_a_customers_cdi_shows_each_factor_with_its_evidence(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/cdi", {
        "customer_id": CID, "customer_name": "恒盛纺织", "owner_id": "zhangwei", "province": "浙江", "value_tier": "战略",
        "cdi": 50.0, "coverage": {"value": 1.0, "applicable": True}, "needs": {"value": 0.5, "applicable": True},
        "closure": {"value": 0.0, "applicable": False}, "red": True, "plans_due": 1, "plans_on_time": 0,
        "last_contact_at": "2026-12-01T02:00:00Z", "computed_at": "2026-12-01T02:00:05Z",
        "touches": [{"activity_id": "a-1", "kind": "call", "occurred_at": "2026-12-01T02:00:00Z"}],
        "tags": [{"tag": "预算", "activity_id": "a-1", "words": ["五十万"]}, {"tag": "竞品", "activity_id": "", "words": []}],
        "plans": [{"activity_id": "a-1", "due_at": "2026-11-29T02:00:00Z", "state": "red", "met_by": "", "met_at": None}]})
    text = (await console("zhangwei").get(f"/customers/{CID}/cdi")).text
    assert "恒盛纺织" in text and "CDI 50.0" in text and "标红" in text
    assert "多触点覆盖度" in text and "100.0%" in text and "50.0%" in text and "不适用" in text
    assert "五十万" in text and "未找到" in text and "标红：超过宽限期" in text and "2026-11-29 10:00" in text


async def test_the_heat_map_links_each_cell_and_tells_the_untouched_share(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/reps", REPS)
    cells = [{"bucket": b, "customers": n} for b, n in (("0-7", 1), ("8-30", 0), ("31-90", 0), ("90+", 3))]
    fake_gateway.on("GET", "/v1/indexes/follow-up-heat-map", {
        "rows": [{"tier": "战略", "cells": cells, "total": 4, "untouched_share": 0.75}],
        "total": {"tier": "", "cells": cells, "total": 4, "untouched_share": 0.75}, "as_of": "2026-12-01T02:00:00Z"})
    text = (await console("wangqiang").get("/indexes/follow-up-heat-map")).text
    assert "4 个客户中占 75.0%" in text
    assert 'href="/indexes/follow-up-heat-map/customers?tier=%E6%88%98%E7%95%A5&amp;bucket=90%2B&amp;owner_id="' in text
    assert _chart(text, "heat-data")["points"][3] == [3, 0, 3]


async def test_a_refused_role_is_told_the_pages_are_not_for_it(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/indexes/cdi", problem(403, "role finance may not do this"))
    fake_gateway.on("GET", "/v1/indexes/follow-up-heat-map", problem(403, "role finance may not do this"))
    assert "您的角色无法查看 CDI" in (await console("liufang").get("/indexes/cdi")).text
    assert "您的角色无法查看热力图" in (await console("liufang").get("/indexes/follow-up-heat-map")).text
