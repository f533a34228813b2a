"""A control character in any text field is refused by the service that owns
it (the gRPC interceptor's check, before any rule or database runs), on
SQLite and on PostgreSQL alike (PostgreSQL cannot store NUL in text, which
once gave 502), and the gateway answers 400 naming the field; nothing is
stored."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import httpx
import pytest

from opportunity.bootstrap import build as build_opportunity
from opportunity.config import Settings as OpportunitySettings
from tests.integration.gateway.test_customers_gateway import fresh_code
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import create_pg_database, drop_pg_database, migrate, pg_base_url, run_service


@pytest.fixture
async def opportunity_same_kind(nats_url: str, database_url: str, tmp_path: Path):
    """The opportunity service on a database of the same kind as the test's."""
    base = pg_base_url()
    url = await create_pg_database(base) if database_url.startswith("postgresql") and base else (
        f"sqlite+aiosqlite:///{tmp_path / 'opportunity.db'}"
    )
    try:
        await migrate("opportunity", url)
        async with run_service(build_opportunity, OpportunitySettings, nats_url=nats_url, database_url=url) as svc:
            yield svc
    finally:
        if url.startswith("postgresql"):
            await drop_pg_database(url)


@pytest.fixture
async def api(make_gateway, opportunity_same_kind):
    async with make_gateway(opportunity_addr=opportunity_same_kind.address) as client:
        yield client


def named(reply: httpx.Response) -> list[str]:
    return [e["field"] for e in is_problem(reply, 400)["errors"]]


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"company_name": "宁波\x00甲乙机械有限公司"}, "company_name"),
        ({"company_name": "宁波丙丁机械有限公司", "content_preference": "案例\x00视频"}, "content_preference"),
        ({"company_name": "宁波戊己机械有限公司", "industry_tags": ["注塑机", "模具\x1b"]}, "industry_tags[1]"),
        ({"company_name": "宁波庚辛机械\x7f有限公司"}, "company_name"),
    ],
)
async def test_a_lead_with_a_control_character_is_400_and_not_stored(api: httpx.AsyncClient, fields, field) -> None:
    rep = await login(api, "zhangwei")
    reply = await api.post("/v1/leads", json=fields, headers=rep)
    assert named(reply) == [field]
    admin = await login(api, "admin")
    listed = (await api.get("/v1/leads", params={"page_size": 200}, headers=admin)).json()["leads"]
    assert not [lead for lead in listed if lead["company_name"].replace("\x00", "") == fields["company_name"].replace("\x00", "")]
    # Tab and new lines are text, and a lead without control characters is stored.
    good = {"company_name": "宁波壬癸机械有限公司", "phone": f"138{random.randrange(10**8):08d}",
            "content_preference": "案例\n视频\t演示"}
    ok = await api.post("/v1/leads", json=good, headers=rep)
    assert ok.status_code == 201, ok.text


async def test_a_customer_name_with_nul_is_400_and_not_stored(api: httpx.AsyncClient) -> None:
    rep = await login(api, "zhangwei")
    code = fresh_code()
    reply = await api.post("/v1/customers", json={"name": "宁波\x00客户有限公司", "credit_code": code}, headers=rep)
    assert named(reply) == ["name"]
    listed = (await api.get("/v1/customers", headers=rep)).json()["customers"]
    assert not [c for c in listed if c["credit_code"] == code]
    created = await api.post("/v1/customers", json={"name": "宁波客户有限公司", "credit_code": code}, headers=rep)
    assert created.status_code == 201, created.text
    customer_id = created.json()["customer"]["customer_id"]
    renamed = await api.patch(f"/v1/customers/{customer_id}", json={"name": "改名\x00"}, headers=rep)
    assert named(renamed) == ["name"]
    assert (await api.get(f"/v1/customers/{customer_id}", headers=rep)).json()["customer"]["name"] == "宁波客户有限公司"


async def test_a_nul_in_a_path_or_query_id_is_400_naming_it(api: httpx.AsyncClient) -> None:
    rep = await login(api, "zhangwei")
    assert named(await api.get("/v1/leads/a%00b", headers=rep)) == ["lead_id"]
    assert named(await api.get("/v1/customers/a%00b", headers=rep)) == ["customer_id"]
    assert named(await api.get("/v1/leads", params={"status": "open\x00"}, headers=rep)) == ["status"]


def made_up_token(created: str, row_id: object) -> str:
    return base64.urlsafe_b64encode(json.dumps([created, row_id]).encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        made_up_token("2026-01-01T00:00:00+00:00", "a\x00b"),  # a NUL no PostgreSQL text holds
        made_up_token("9999-12-31T23:59:59-12:00", "x"),  # past year 9999 in UTC
        made_up_token("2026-01-01T00:00:00+00:00", {"id": [1]}),
        made_up_token("2026-01-01T00:00:00+00:00", "x" * 300),  # longer than any id
    ],
)
async def test_a_made_up_page_token_is_400_naming_it(api: httpx.AsyncClient, token: str) -> None:
    rep = await login(api, "zhangwei")
    for path in ("/v1/leads", "/v1/customers", "/v1/opportunities"):
        assert named(await api.get(path, params={"page_token": token}, headers=rep)) == ["page_token"], path
