"""A caller whose role may never call a route is answered 403 before the
gateway looks at the body (an empty pipeline from a rep is 403, not 422).
Every route is walked: a route with a body must declare its roles (or be
listed as open to every role), and the declared lists are those of the
services that own the rules."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from crm_shared import roles
from fastapi.routing import iter_route_contexts
from gateway.auth import USER_ROLES
from gateway.entrypoints.roles import allow, declared_roles

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
                bodies = [
                    {"json": {"not_a_field": [1]}},
                    {"content": b"{", "headers": {"content-type": "application/json"}},
                ]
                for body in bodies if has_body else [{}]:
                    headers = auth[role] | body.pop("headers", {})
                    reply = await client.request(method, concrete(path), headers=headers, **body)
                    assert reply.status_code == 403, (method, path, role, reply.text)
                    assert reply.headers["content-type"].startswith("application/problem+json")
                    walked += 1
            if has_body:
                role = min(allowed)
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


# Each service's role lists are crm_shared.roles' own (the gateway declares the same ones per route).
SERVICE_LISTS = {
    "approval.domain.approval": {
        "REQUESTERS": "APPROVAL_REQUESTERS",
        "ACTORS": "APPROVAL_ACTORS",
        "READERS": "APPROVAL_READERS",
    },
    "document_versioning.domain.access": {
        "UPLOADERS": "DOCUMENT_UPLOADERS",
        "READERS": "DOCUMENT_READERS",
        "SNAPSHOTTERS": "DOCUMENT_SNAPSHOTTERS",
    },
    "document_versioning.domain.document_type": {"EDITORS": "DOCUMENT_TYPE_EDITORS", "READERS": "DOCUMENT_TYPE_READERS"},
    "finance_reconciliation.domain.access": {"RECORDERS": "PAYMENT_RECORDERS", "READERS": "PAYMENT_READERS"},
    "opportunity.domain.access": {
        "WRITERS": "CUSTOMER_WRITERS",
        "REASSIGNERS": "CUSTOMER_REASSIGNERS",
        "NOTE_READERS": "NOTE_READERS",
    },
    "opportunity.domain.opportunity": {"CREATE_ROLES": "OPPORTUNITY_CREATORS"},
    "opportunity.domain.pipeline": {
        "PIPELINE_EDITORS": "PIPELINE_EDITORS",
        "PIPELINE_READERS": "PIPELINE_READERS",
        "MOVERS": "OPPORTUNITY_MOVERS",
    },
}


@pytest.mark.parametrize(
    ("module", "name", "shared"),
    [(module, name, shared) for module, names in SERVICE_LISTS.items() for name, shared in names.items()],
)
def test_the_services_lists_are_the_shared_lists(module: str, name: str, shared: str) -> None:
    assert getattr(importlib.import_module(module), name) is getattr(roles, shared)


def test_a_route_declares_the_shared_list_without_system() -> None:
    assert declared_roles([allow(roles.APPROVAL_READERS)]) == frozenset(roles.APPROVAL_READERS) - {"system"}
