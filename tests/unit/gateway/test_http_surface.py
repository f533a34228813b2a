"""What a client can send the gateway that protobuf, the idempotency store or
a header parser would choke on is answered 4xx problem+json naming the
field, and never reaches a backend; OPTIONS and 405 name every method of the
path; a retry whose JSON differs only in key order is the same request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.middleware import Middleware

from tests.unit.gateway.surface import gateway, token

PROBLEM = "application/problem+json"


def fields(reply) -> list[str]:
    assert reply.headers["content-type"].startswith(PROBLEM), reply.text
    return [e["field"] for e in reply.json().get("errors") or []]


async def test_a_path_integer_beyond_int32_is_a_4xx_naming_it(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, backends):
        admin = await token(client, "admin")
        for version in ("2147483648", "99999999999999999999", "-1", "0"):
            reply = await client.post(f"/v1/routing/formulas/versions/{version}/activate", headers=admin)
            assert reply.status_code == 422, (version, reply.text)
            assert fields(reply) == ["path.version"]
        reply = await client.post("/v1/routing/formulas/versions/2147483647/activate", headers=admin)
        assert reply.status_code == 200
        assert [c[1] for c in backends.calls] == ["ActivateRuleVersion"]


@pytest.mark.parametrize(
    "method,path,body,field",
    [
        ("POST", "/v1/leads", {"company_name": "甲", "orders_3m": 2**31}, "orders_3m"),
        ("POST", "/v1/leads", {"company_name": "甲", "latitude": 10**400}, "latitude"),
        ("POST", "/v1/leads", {"company_name": "甲", "custom_fields": {"开模数": 10**400}}, "custom_fields.开模数"),
        ("POST", "/v1/leads", {"company_name": "甲", "custom_fields": {"开模数": [[[[1]]]]}}, "custom_fields.开模数"),
        ("PUT", "/v1/reps/r1", {"name": "甲", "capacity": 2**40}, "capacity"),
        ("PUT", "/v1/reps/r1", {"name": "甲", "daily_claim_limit": 2**31}, "daily_claim_limit"),
        ("POST", "/v1/routing/dry-run", {"routes_version": 2**31}, "routes_version"),
        ("POST", "/v1/routing/dry-run", {"formula_version": 2**63}, "formula_version"),
        (
            "POST",
            "/v1/customers/c1/activities",
            {"kind": "visit", "occurred_at": "9999-12-31T23:59:59-01:00"},
            "occurred_at",
        ),
        ("PUT", "/v1/customers/c1/follow-up", {"next_follow_up_at": "0001-01-01T00:00:00+14:00"}, "next_follow_up_at"),
        (
            "POST",
            "/v1/instalments/i1/write-off",
            {"amount": {"amount_minor": 2**63, "currency": "CNY"}, "reason": "尾差"},
            "amount.amount_minor",
        ),
        (
            "POST",
            "/v1/pipelines",
            {"name": "p", "stages": [{"name": "s", "probability": 2**40, "forecast_category": "pipeline"}]},
            "stages[0].probability",
        ),
    ],
)
async def test_a_number_or_time_its_protobuf_field_cannot_hold_is_refused_naming_the_field(
    tmp_path: Path, method: str, path: str, body: dict, field: str
) -> None:
    async with gateway(tmp_path) as (client, backends):
        admin = await token(client, "admin")
        reply = await client.request(method, path, json=body, headers=admin)
        assert reply.status_code in (400, 422), reply.text
        assert fields(reply) and all(f.startswith(field) for f in fields(reply)), reply.text
        assert backends.calls == []


@pytest.mark.parametrize(
    "raw,field",
    [
        (b'{"company_name": "x", "latitude": NaN}', "latitude"),
        (b'{"company_name": "x", "longitude": Infinity}', "longitude"),
        (b'{"company_name": "x", "custom_fields": {"a": -Infinity}}', "custom_fields.a"),
    ],
)
async def test_nan_and_infinity_are_no_numbers(tmp_path: Path, raw: bytes, field: str) -> None:
    async with gateway(tmp_path) as (client, backends):
        admin = await token(client, "admin")
        reply = await client.post("/v1/leads", content=raw, headers=admin | {"content-type": "application/json"})
        assert reply.status_code == 422, reply.text
        assert all(f.startswith(field) for f in fields(reply))
        assert backends.calls == []


@pytest.mark.parametrize(
    "raw",
    [
        b'{"company_name": "\xff\xfe"}',  # not UTF-8
        b'{"company_name": "x", "custom_fields": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",  # too deep
        b'{"company_name": "x", "orders_3m": 1' + b"0" * 5000 + b"}",  # more digits than Python parses
    ],
)
async def test_a_body_that_cannot_be_parsed_is_a_4xx(tmp_path: Path, raw: bytes) -> None:
    async with gateway(tmp_path) as (client, backends):
        admin = await token(client, "admin")
        reply = await client.post("/v1/leads", content=raw, headers=admin | {"content-type": "application/json"})
        assert 400 <= reply.status_code < 500, reply.text
        assert reply.headers["content-type"].startswith(PROBLEM)
        assert backends.calls == []


@pytest.mark.parametrize("value", [b"99999999999999999999", b"9223372036854775808", b"\xb2", b"-1", b"1e3", b"12a"])
async def test_a_last_event_id_no_event_can_have_is_400(tmp_path: Path, value: bytes) -> None:
    async with gateway(tmp_path) as (client, _):
        rep = await token(client, "zhangwei")
        reply = await client.get("/v1/notifications/stream", headers=rep | {"Last-Event-ID": value})
        assert reply.status_code == 400, reply.text
        assert fields(reply) == ["Last-Event-ID"]


async def test_options_answers_204_with_every_method_of_the_path(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        reply = await client.options("/v1/leads")
        assert reply.status_code == 204 and reply.content == b""
        assert reply.headers["allow"] == "GET, OPTIONS, POST"
        reply = await client.options("/v1/customers/c1")
        assert reply.headers["allow"] == "GET, OPTIONS, PATCH"
        reply = await client.options("/v1/no-such-thing")
        assert reply.status_code == 404


async def test_405_lists_every_method_the_path_allows(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        rep = await token(client, "zhangwei")
        reply = await client.delete("/v1/leads", headers=rep)
        assert reply.status_code == 405
        assert reply.headers["allow"] == "GET, OPTIONS, POST"
        reply = await client.delete("/v1/customers/c1/notes/n1", headers=rep)  # notes are never deleted
        assert reply.status_code == 405
        assert reply.headers["allow"] == "OPTIONS, PATCH"


async def test_a_retry_with_the_same_json_in_another_key_order_replays(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, backends):
        rep = await token(client, "zhangwei") | {"Idempotency-Key": "k-order", "content-type": "application/json"}
        first = await client.post(
            "/v1/leads", content='{"company_name": "甲", "phone": "13800000000"}'.encode(), headers=rep
        )
        assert first.status_code == 201
        again = await client.post(
            "/v1/leads", content='{"phone":"13800000000",\n "company_name":"甲"}'.encode(), headers=rep
        )
        assert again.status_code == 201 and again.headers.get("idempotent-replayed") == "true"
        assert again.json() == first.json()
        other = await client.post("/v1/leads", content='{"company_name": "乙"}'.encode(), headers=rep)
        assert other.status_code == 409
        assert len(backends.calls) == 1


@pytest.mark.parametrize("key", [b"a\x00b", b"tab\x01", b"del\x7f", b"\xc3\xa9", b"\xe9", b"x" * 256, b"   "])
async def test_an_idempotency_key_that_is_not_printable_ascii_is_400(tmp_path: Path, key: bytes) -> None:
    async with gateway(tmp_path) as (client, backends):
        rep = await token(client, "zhangwei")
        reply = await client.post("/v1/leads", json={"company_name": "甲"}, headers=rep | {"Idempotency-Key": key})
        assert reply.status_code == 400, reply.text
        assert fields(reply) == ["Idempotency-Key"]
        assert backends.calls == []


async def test_a_request_id_that_is_not_ascii_is_replaced_not_forwarded(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        reply = await client.get("/healthz", headers={"X-Request-Id": "é".encode("latin-1")})
        assert reply.status_code == 200
        assert reply.headers["x-trace-id"].isascii() and reply.headers["x-trace-id"] != "é"


async def test_headers_over_64_kib_are_431(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, backends):
        rep = await token(client, "zhangwei")
        reply = await client.get("/v1/leads", headers=rep | {"X-Padding": "a" * 70_000})
        assert reply.status_code == 431
        assert reply.headers["content-type"].startswith(PROBLEM)
        assert (await client.get("/v1/leads", headers=rep | {"X-Padding": "a" * 8_000})).status_code == 200
        assert len(backends.calls) == 1


def _integers(schema: dict, where: str, components: dict, seen: set[str]):
    """(where, schema) of every integer in a JSON schema, $refs followed."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _integers(components[name], name, components, seen)
        return
    if schema.get("type") == "integer":
        yield where, schema
    bounds = {k: schema[k] for k in ("minimum", "maximum") if k in schema}
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for option in schema.get(key, []):
            yield from _integers(bounds | option if "$ref" not in option else option, where, components, seen)
    if isinstance(schema.get("items"), dict):
        yield from _integers(schema["items"], f"{where}[]", components, seen)
    for name, prop in (schema.get("properties") or {}).items():
        yield from _integers(prop, f"{where}.{name}", components, seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _integers(schema["additionalProperties"], f"{where}{{}}", components, seen)


async def test_every_integer_a_client_sends_is_bounded_by_its_protobuf_type(tmp_path: Path) -> None:
    """Walks the whole API description: every integer parameter fits int32
    (what page sizes, versions and counts are in the RPCs), every integer in a
    body has both bounds within int64; a parameter one past int32 is refused."""
    async with gateway(tmp_path) as (client, backends):
        spec = (await client.get("/openapi.json")).json()
        components = spec["components"]["schemas"]
        admin = await token(client, "admin")
        # The partner portal's own routes (/v1/partner/...) are a partner's alone.
        partner = await token(client, "zhaolei")
        params = bodies = 0
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                for param in operation.get("parameters", []):
                    for where, schema in _integers(param["schema"], param["name"], components, set()):
                        params += 1
                        assert -(2**31) <= schema.get("minimum", -(2**63)) and schema.get("maximum", 2**63) < 2**31, (
                            method,
                            path,
                            where,
                        )
                        url = re.sub(
                            r"\{(\w+)\}", lambda m, p=param: str(2**31) if m.group(1) == p["name"] else "x", path
                        )
                        query = {param["name"]: str(2**31)} if param["in"] == "query" else {}
                        headers = partner if path.startswith("/v1/partner/") else admin
                        reply = await client.request(method.upper(), url, params=query, headers=headers)
                        assert reply.status_code == 422, (method, path, where, reply.text)
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body:
                    for where, schema in _integers(body["schema"], path, components, set()):
                        bodies += 1
                        assert "minimum" in schema and "maximum" in schema, (method, path, where)
                        assert -(2**63) <= schema["minimum"] and schema["maximum"] < 2**63, (method, path, where)
        assert params >= 5 and bodies >= 5
        assert backends.calls == []


async def test_a_cors_preflight_is_still_answered_by_cors_when_configured(tmp_path: Path) -> None:
    from starlette.middleware.cors import CORSMiddleware

    async with gateway(tmp_path) as (client, _):
        app = client._transport.app  # type: ignore[attr-defined]
        app.user_middleware.insert(
            0,
            Middleware(
                CORSMiddleware, allow_origins=["https://console.example"], allow_methods=["*"], allow_headers=["*"]
            ),
        )
        app.middleware_stack = app.build_middleware_stack()
        preflight = await client.options(
            "/v1/leads", headers={"Origin": "https://console.example", "Access-Control-Request-Method": "POST"}
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://console.example"
        plain = await client.options("/v1/leads")
        assert plain.status_code == 204 and plain.headers["allow"] == "GET, OPTIONS, POST"
