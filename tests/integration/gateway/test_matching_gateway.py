"""Matching through the gateway against finance-reconciliation for real
(gRPC, its migrated database): the tenant's rules (defaults, add, replace,
delete, a bad one refused naming the field), suggestions and rejecting an
unknown match, other roles refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.integration.gateway.conftest import other_backend
from tests.integration.gateway.test_gateway import is_problem, login


@pytest.fixture
async def client(make_gateway, nats_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        other_backend("finance_reconciliation", nats_url, tmp_path) as finance,
        make_gateway(finance_reconciliation_addr=finance.address) as c,
    ):
        yield c


async def test_match_rules_are_the_tenants_and_checked(client: httpx.AsyncClient) -> None:
    fin, admin = await login(client, "liufang"), await login(client, "admin")
    defaults = (await client.get("/v1/matching/rules", headers=fin)).json()["rules"]
    assert [r["kind"] for r in defaults] == ["contract_ref", "payer_amount", "amount_window"]

    bad = is_problem(await client.post("/v1/matching/rules", headers=fin,
                                       json={"position": 1, "kind": "contract_ref", "pattern": "(HT"}), 400)
    assert "pattern" in bad["detail"]
    bounded = is_problem(await client.post("/v1/matching/rules", headers=fin, json={
        "position": 1, "kind": "payer_amount", "tolerance": {"over_bp": 5_000}}), 422)
    assert "over_bp" in str(bounded)
    assert (await client.get("/v1/matching/rules", headers=fin)).json()["rules"] == defaults

    created = await client.post("/v1/matching/rules", headers=fin, json={
        "position": 5, "kind": "contract_ref", "name": "合同号", "pattern": r"(HT-\d{4}-\d{4})",
        "tolerance": {"under_minor": 500, "over_bp": 10}})
    assert created.status_code == 201, created.text
    rule = created.json()["rule"]
    assert rule["rule_id"] and rule["tolerance"]["under_minor"] == 500 and rule["tolerance"]["over_bp"] == 10
    replaced = await client.put(f"/v1/matching/rules/{rule['rule_id']}", headers=admin,
                                json={"position": 7, "kind": "amount_window", "window_days": 3})
    assert replaced.status_code == 200, replaced.text
    assert [(r["rule_id"], r["kind"]) for r in (await client.get("/v1/matching/rules", headers=fin)).json()["rules"]] \
        == [(rule["rule_id"], "amount_window")]
    is_problem(await client.put("/v1/matching/rules/" + "u" * 64, headers=fin,
                                json={"position": 1, "kind": "amount_window", "window_days": 3}), 404)
    assert (await client.delete(f"/v1/matching/rules/{rule['rule_id']}", headers=fin)).status_code == 200
    is_problem(await client.delete(f"/v1/matching/rules/{rule['rule_id']}", headers=fin), 404)


async def test_suggestions_reject_and_roles(client: httpx.AsyncClient) -> None:
    fin, rep = await login(client, "liufang"), await login(client, "zhangwei")
    listed = await client.get("/v1/matching/suggestions", headers=fin)
    assert listed.status_code == 200 and listed.json().get("suggestions", []) == []
    is_problem(await client.post("/v1/matching/matches/nope/reject", json={"reason": "不是这笔"}, headers=fin), 404)
    empty = is_problem(await client.post("/v1/matching/matches/nope/reject", json={"reason": ""}, headers=fin), 422)
    assert "reason" in str(empty)
    is_problem(await client.get("/v1/matching/suggestions", params={"limit": 501}, headers=fin), 422)
    for method, url in [("GET", "/v1/matching/rules"), ("GET", "/v1/matching/suggestions"),
                        ("POST", "/v1/matching/runs")]:
        assert (await client.request(method, url, headers=rep)).status_code == 403
