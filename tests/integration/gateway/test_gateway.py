"""REST over the real lead-routing service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx

from tests.support.infra import eventually

LEAD = {
    "company_name": "绍兴柯桥纺织机械有限公司",
    "phone": "0575-8512 3456",
    "source": "展会扫码",
    "province": "浙江省",
    "budget": {"amount_minor": 12_000_000, "currency": "CNY"},
}


async def login(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    reply = await client.post("/v1/auth/token", json={"username": username, "password": "demo"})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def is_problem(reply: httpx.Response, status: int) -> dict:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    body = reply.json()
    assert body["status"] == status and body["type"] and body["title"]
    return body


async def test_token_create_get_list(client: httpx.AsyncClient) -> None:
    auth = await login(client, "zhangwei")
    created = await client.post("/v1/leads", json=LEAD, headers=auth | {"X-Request-Id": "req-123"})
    assert created.status_code == 201, created.text
    assert created.headers["x-trace-id"] == "req-123"
    lead = created.json()["lead"]
    assert lead["phone"] == "+8657585123456"
    assert lead["budget"] == {"amount_minor": 12_000_000, "currency": "CNY"}
    assert lead["tenant_id"] == "demo" and lead["created_at"].endswith("Z")

    fetched = await client.get(f"/v1/leads/{lead['lead_id']}", headers=auth)
    assert fetched.status_code == 200 and fetched.json()["lead"]["company_name"] == LEAD["company_name"]
    assert fetched.headers["x-trace-id"]

    listed = await client.get("/v1/leads", params={"status": "open", "page_size": 10}, headers=auth)
    assert [x["lead_id"] for x in listed.json()["leads"]] == [lead["lead_id"]]


async def test_no_or_bad_token_is_401(client: httpx.AsyncClient) -> None:
    is_problem(await client.get("/v1/leads"), 401)
    is_problem(await client.get("/v1/leads", headers={"Authorization": "Bearer nonsense"}), 401)
    is_problem(await client.post("/v1/leads", json=LEAD, headers={"Idempotency-Key": "k"}), 401)
    is_problem(await client.post("/v1/auth/token", json={"username": "zhangwei", "password": "nope"}), 401)
    # A client that sends Idempotency-Key on every POST can still log in.
    creds = {"username": "admin", "password": "demo"}
    token = await client.post("/v1/auth/token", json=creds, headers={"Idempotency-Key": "x"})
    assert token.status_code == 200


async def test_bad_lead_is_400_naming_fields_and_shape_errors_are_422(client: httpx.AsyncClient) -> None:
    auth = await login(client, "zhangwei")
    refused = await client.post(
        "/v1/leads", json={"company_name": " ", "credit_code": "91330108MA27YGXW5X", "source": "展会扫码"}, headers=auth
    )
    body = is_problem(refused, 400)
    assert {e["field"] for e in body["errors"]} == {"company_name", "credit_code"}

    shape = await client.post("/v1/leads", json={"budget": {"amount_minor": 1.5}, "colour": "red"}, headers=auth)
    fields = {e["field"] for e in is_problem(shape, 422)["errors"]}
    assert {"company_name", "budget.amount_minor", "colour"} <= fields
    is_problem(await client.post("/v1/leads", content=b"{not json", headers=auth), 422)
    is_problem(await client.get("/v1/leads", params={"page_size": 0}, headers=auth), 422)


async def test_another_tenant_gets_404(client: httpx.AsyncClient) -> None:
    lead = (await client.post("/v1/leads", json=LEAD, headers=await login(client, "zhangwei"))).json()["lead"]
    other = await login(client, "other-rep")
    is_problem(await client.get(f"/v1/leads/{lead['lead_id']}", headers=other), 404)
    assert (await client.get("/v1/leads", headers=other)).json()["leads"] == []


async def test_convert_twice_is_409_with_violations_or_detail(client: httpx.AsyncClient) -> None:
    auth = await login(client, "zhangwei")
    lead = (await client.post("/v1/leads", json=LEAD, headers=auth)).json()["lead"]
    body = {"opportunity_name": "柯桥织机改造", "expected_amount": {"amount_minor": 50_000_000, "currency": "CNY"}}
    converted = await client.post(f"/v1/leads/{lead['lead_id']}/convert", json=body, headers=auth)
    assert converted.status_code == 200 and converted.json()["lead"]["status"] == "converted"
    is_problem(await client.post(f"/v1/leads/{lead['lead_id']}/convert", json=body, headers=auth), 409)


async def test_idempotent_replay_and_409_on_a_different_body(client: httpx.AsyncClient) -> None:
    auth = await login(client, "lina")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/v1/leads", json=LEAD, headers=auth | key)
    again = await client.post("/v1/leads", json=LEAD, headers=auth | key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len((await client.get("/v1/leads", headers=auth)).json()["leads"]) == 1

    other_body = await client.post("/v1/leads", json=LEAD | {"source": "官网"}, headers=auth | key)
    is_problem(other_body, 409)
    # Keys are per user: another user's same key is a new request.
    someone_else = await client.post("/v1/leads", json=LEAD, headers=await login(client, "zhangwei") | key)
    assert someone_else.status_code == 201 and someone_else.json() != first.json()


async def test_concurrent_same_key_runs_once(client: httpx.AsyncClient) -> None:
    auth = await login(client, "lina") | {"Idempotency-Key": "same-moment"}
    replies = await asyncio.gather(*(client.post("/v1/leads", json=LEAD, headers=auth) for _ in range(4)))
    assert all(r.status_code in (201, 409) for r in replies), [r.text for r in replies]
    assert len({r.json()["lead"]["lead_id"] for r in replies if r.status_code == 201}) == 1
    assert len((await client.get("/v1/leads", headers=auth)).json()["leads"]) == 1


async def test_backend_down_is_503_not_500(client: httpx.AsyncClient) -> None:
    auth = await login(client, "wangqiang")
    is_problem(await client.get("/v1/opportunities", headers=auth), 503)


async def test_readyz_503_when_a_backend_is_down_and_200_when_all_serve(make_gateway, lead_routing) -> None:
    # A fresh gateway's first probe also opens each channel (connect, then the liveness health
    # watch) within the probe's short deadline, which a loaded machine can miss; the kubelet
    # probes again, and so does this test, for a few seconds: a backend down stays down.
    async def probe(client: httpx.AsyncClient, settled: Callable[[httpx.Response], bool]) -> httpx.Response:
        async def check() -> httpx.Response | None:
            reply = await client.get("/readyz")
            return reply if settled(reply) else None

        return await eventually(check, timeout=10)

    async with make_gateway() as client:
        assert (await client.get("/healthz")).status_code == 200
        reply = await probe(client, lambda r: r.json().get("checks", {}).get("lead-routing") == "SERVING")
        down = is_problem(reply, 503)
        assert set(down["not_ready"]) == {"opportunity", "approval", "document-versioning", "finance-reconciliation"}
        assert down["checks"]["lead-routing"] == "SERVING" and down["checks"]["database"] == "SERVING"

    # Every backend pointed at lead-routing, which serves the standard health service too.
    others = ("opportunity", "approval", "document_versioning", "finance_reconciliation")
    everywhere = {f"{name}_addr": lead_routing.address for name in others}
    async with make_gateway(**everywhere) as client:
        ready = await probe(client, lambda r: r.status_code == 200)
        assert set(ready.json()["checks"].values()) == {"SERVING"}


async def test_metrics_openapi_and_jwks(client: httpx.AsyncClient) -> None:
    await client.get("/v1/leads", headers=await login(client, "zhangwei"))
    metrics = (await client.get("/metrics")).text
    assert 'crm_http_request_duration_seconds_count{method="GET",route="/v1/leads",status="200"}' in metrics
    assert "crm_http_requests_in_flight" in metrics
    spec = (await client.get("/openapi.json")).json()
    responses = spec["paths"]["/v1/leads/{lead_id}"]["get"]["responses"]
    assert "application/problem+json" in responses["404"]["content"]
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/.well-known/jwks.json")).json()["keys"][0]["alg"] == "RS256"
