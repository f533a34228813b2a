"""The gateway's own stored text on both databases (its idempotency table on
SQLite and PostgreSQL, real lead-routing behind it): a key with a control
character or outside printable ASCII is 400 and stores nothing; a retry whose
JSON has its keys in another order replays the first response."""

from __future__ import annotations

import random
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from lead_routing.bootstrap import build as build_lead_routing
from lead_routing.config import Settings as LeadRoutingSettings
from tests.integration.gateway.conftest import gateway_client, nowhere
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import migrate, run_service


@pytest.fixture
async def api(nats_url: str, database_url: str, tmp_path: Path):
    """The gateway's database is the test's (SQLite or PostgreSQL)."""
    await migrate("gateway", database_url)
    routing_url = f"sqlite+aiosqlite:///{tmp_path / 'lead-routing.db'}"
    await migrate("lead-routing", routing_url)
    async with run_service(build_lead_routing, LeadRoutingSettings, nats_url=nats_url, database_url=routing_url) as lr:
        async with gateway_client(
            database_url=database_url,
            lead_routing_addr=lr.address,
            opportunity_addr=nowhere(),
            approval_addr=nowhere(),
            document_versioning_addr=nowhere(),
            finance_reconciliation_addr=nowhere(),
        ) as client:
            yield client, database_url


async def stored_keys(url: str) -> list[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.text("SELECT key FROM idempotency_keys"))).scalars())
    finally:
        await engine.dispose()


@pytest.mark.parametrize("key", [b"order-\x00-1", b"order-\x1b-2", b"order-\x7f-3", "订单-4".encode()])
async def test_a_key_that_is_not_printable_ascii_is_400_and_stores_nothing(api, key: bytes) -> None:
    client, url = api
    rep = await login(client, "zhangwei")
    reply = await client.post("/v1/leads", json={"company_name": "宁波甲乙机械有限公司", "phone": "13800000001"},
                              headers=rep | {"Idempotency-Key": key})
    assert [e["field"] for e in is_problem(reply, 400)["errors"]] == ["Idempotency-Key"]
    assert await stored_keys(url) == []


async def test_the_same_json_with_keys_in_another_order_replays(api) -> None:
    client, url = api
    rep = await login(client, "zhangwei") | {"Idempotency-Key": "lead-7f3a", "Content-Type": "application/json"}
    phone = f"139{random.randrange(10**8):08d}"
    first = await client.post("/v1/leads", headers=rep,
                              content=f'{{"company_name": "宁波丙丁机械有限公司", "phone": "{phone}"}}'.encode())
    assert first.status_code == 201, first.text
    again = await client.post("/v1/leads", headers=rep,
                              content=f'{{"phone":"{phone}","company_name":"宁波丙丁机械有限公司"}}'.encode())
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    other = await client.post("/v1/leads", headers=rep, content=b'{"company_name": "x", "phone": "13800000002"}')
    is_problem(other, 409)
    assert await stored_keys(url) == ["lead-7f3a"]
    listed = (await client.get("/v1/leads", headers={"Authorization": rep["Authorization"]})).json()["leads"]
    assert len([lead for lead in listed if lead["company_name"] == "宁波丙丁机械有限公司"]) == 1
