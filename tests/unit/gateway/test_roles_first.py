"""A caller whose role may never call a route is answered 403 before the
gateway looks at the body (an empty pipeline from a rep is 403, not 422).
Every route is walked: a route with a body must declare its roles (or be
listed as open to every role), and the declared lists are those of the
services that own the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts

from gateway.auth import USER_ROLES
from gateway.entrypoints import roles
from gateway.entrypoints.roles import declared_roles
from tests.unit.gateway.surface import gateway, token

USER_OF = {
    "rep": "zhangwei",
    "manager": "wangqiang",
    "finance": "liufang",
    "reviewer": "chenjing",
    "admin": "admin",
    "partner": "zhaolei",
}
# Routes with a body that every signed-in role may call (the service decides by row).
OPEN_TO_EVERY_ROLE: set[tuple[str, str]] = set()
# Not walked: the sign-in itself, and the event stream (no body, every user).
NOT_WALKED = {"/v1/auth/token", "/v1/notifications/stream"}
PATH_VALUES = {"version": "1", "kind": "formulas"}


def api_routes(app) -> list[tuple[str, str, object]]:
    found = []
    for route in iter_route_contexts(app.routes):
        if route.path and route.path.startswith("/v1/") and route.path not in NOT_WALKED:
            for method in sorted(route.methods or ()):
                found.append((method, route.path, route))
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "x"), path)


async def test_every_disallowed_role_gets_403_whatever_the_body(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, backends):
        app = client._transport.app  # type: ignore[attr-defined]
        auth = {role: await token(client, user) for role, user in USER_OF.items()}
        assert set(USER_OF) == set(USER_ROLES)
        walked = 0
        for method, path, route in api_routes(app):
            allowed = declared_roles(route.dependencies)
            has_body = route.body_field is not None
            if has_body and allowed is None:
                assert (method, path) in OPEN_TO_EVERY_ROLE, f"{method} {path} takes a body but declares no roles"
            if allowed is None:
                continue
            for role in USER_ROLES:
                if role in allowed:
                    continue
                bodies = [{"json": {"not_a_field": [1]}}, {"content": b"{", "headers": {"content-type": "application/json"}}]
                for body in bodies if has_body else [{}]:
                    headers = auth[role] | body.pop("headers", {})
                    reply = await client.request(method, concrete(path), headers=headers, **body)
                    assert reply.status_code == 403, (method, path, role, reply.text)
                    assert reply.headers["content-type"].startswith("application/problem+json")
                    walked += 1
            if has_body:
                role = sorted(allowed)[0]
                reply = await client.request(method, concrete(path), json={"not_a_field": [1]}, headers=auth[role])
                assert reply.status_code == 422, (method, path, role, reply.text)
        assert walked > 50
        assert backends.calls == []


async def test_a_rep_posting_an_empty_pipeline_is_403_and_a_manager_422(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        rep = await client.post("/v1/pipelines", json={}, headers=await token(client, "zhangwei"))
        assert rep.status_code == 403
        manager = await client.post("/v1/pipelines", json={}, headers=await token(client, "wangqiang"))
        assert manager.status_code == 422


async def test_no_token_with_an_unparsable_body_is_401(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        reply = await client.post("/v1/pipelines", content=b"{", headers={"content-type": "application/json"})
        assert reply.status_code == 401


def _service_lists() -> dict[str, tuple[str, ...]]:
    from approval.domain import model as approval
    from document_versioning.domain import model as documents
    from finance_reconciliation.domain import access as finance
    from lead_routing.service_layer import routing_handlers
    from opportunity.domain import access as customers
    from opportunity.domain import model as opportunities
    from opportunity.domain import pipeline
    from opportunity.service_layer import pipeline_handlers

    return {
        "MANAGERS": routing_handlers.MANAGERS,
        "OPPORTUNITY_CREATORS": opportunities.CREATE_ROLES,
        "MOVERS": pipeline.MOVERS,
        "PIPELINE_EDITORS": pipeline.PIPELINE_EDITORS,
        "PIPELINE_READERS": pipeline_handlers.PIPELINE_READERS,
        "CUSTOMER_WRITERS": customers.WRITERS,
        "NOTE_READERS": customers.NOTE_READERS,
        "REASSIGNERS": customers.REASSIGNERS,
        "DOCUMENT_UPLOADERS": documents.UPLOADERS,
        "DOCUMENT_READERS": documents.READERS,
        "APPROVAL_REQUESTERS": approval.REQUESTERS,
        "APPROVAL_DECIDERS": approval.DECIDERS,
        "APPROVAL_READERS": approval.READERS,
        "PAYMENT_RECORDERS": finance.RECORDERS,
        "PAYMENT_READERS": finance.READERS,
    }


@pytest.mark.parametrize("name", sorted(_service_lists()))
def test_the_gateway_lists_are_the_services_lists(name: str) -> None:
    service = set(_service_lists()[name]) - {"system"}  # no user signs in as system
    assert set(getattr(roles, name)) == service
