"""Through the gateway: formulas too deep or too large in value, and lead
files past a bound, are 400 problem+json naming the field, and nothing is
stored (they were 500 and 502)."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.gateway.test_gateway import is_problem, login

BAD_FORMULAS = ["+".join(["1"] * 2000), "-" * 3999 + "1", "1e308*10", "近6月采购金额*1e300"]


@pytest.mark.parametrize("formula", BAD_FORMULAS, ids=["sum", "minus", "inf", "field"])
async def test_a_bad_formula_is_400_on_save_dry_run_and_route_condition(
    client: httpx.AsyncClient, formula: str
) -> None:
    manager = await login(client, "wangqiang")
    body = is_problem(await client.post("/v1/routing/formulas", json={"formula": formula}, headers=manager), 400)
    assert [e["field"] for e in body["errors"]] == ["formula"]
    body = is_problem(await client.post("/v1/routing/dry-run", json={"formula": formula}, headers=manager), 400)
    assert [e["field"] for e in body["errors"]] == ["formula"]
    routes = [{"name": "坏条件", "condition": f"({formula})>1", "target": {"kind": "all"}}]
    reply = await client.post("/v1/routing/routes", json={"routes": routes}, headers=manager)
    body = is_problem(reply, 422 if len(routes[0]["condition"]) > 4000 else 400)  # 422: the gateway's own length check
    assert [e["field"] for e in body["errors"]] == ["routes[0].condition"]
    for kind in ("formulas", "routes"):
        listed = await client.get(f"/v1/routing/{kind}/versions", headers=manager)
        assert listed.status_code == 200 and listed.json()["versions"] == []


async def test_a_lead_file_of_ten_thousand_columns_and_a_long_id_is_400(client: httpx.AsyncClient) -> None:
    auth = await login(client, "wangqiang")
    header = ",".join(["公司名称", "统一社会信用代码", "电话"] + [f"列{i}" for i in range(10_000)])
    row = ",".join(["绍兴柯桥恒盛纺织有限公司", "9" * 10_000, "13805751234"] + ["y"] * 10_000)
    files = {"file": ("宽.csv", f"{header}\n{row}\n".encode(), "text/csv")}
    body = is_problem(await client.post("/v1/leads/import", files=files, headers=auth), 400)
    assert [(e["field"], e["description"]) for e in body["errors"]] == [("file", "row 1 has more than 100 columns")]
    long_id = f"公司名称,统一社会信用代码,电话\n甲公司,{'9' * 10_000},13805751234\n"
    files = {"file": ("长.csv", long_id.encode(), "text/csv")}
    body = is_problem(await client.post("/v1/leads/import", files=files, headers=auth), 400)
    assert body["errors"][0]["description"] == "row 2, column 2: a cell is longer than 1000 characters"
    listed = await client.get("/v1/leads", headers=auth)
    assert listed.status_code == 200 and listed.json()["leads"] == []
