"""Which methods a path allows, for the `Allow` header of OPTIONS and 405
answers. A path is served by several routes (GET and POST /v1/leads are two),
so the router alone names only the first one's methods; this asks them all."""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.problems import Problem


def _method_table(app: object) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """(path pattern, methods) of every route of the app, included routers
    flattened; built once per app."""
    state = app.state  # type: ignore[attr-defined]
    table = getattr(state, "method_table", None)
    if table is None:
        table = []
        for route in iter_route_contexts(app.routes):  # type: ignore[attr-defined]
            if route.path and route.methods:
                table.append((compile_path(route.path)[0], frozenset(route.methods)))
        state.method_table = table
    return table


def allowed_methods(scope: Scope) -> list[str]:
    """Every method of every route whose path matches, and OPTIONS; empty
    when no route has this path."""
    path = scope.get("path", "")
    methods: set[str] = set()
    for pattern, route_methods in _method_table(scope["app"]):
        if pattern.match(path):
            methods |= route_methods
    return sorted(methods | {"OPTIONS"}) if methods else []


def allow_header(scope: Scope) -> str:
    return ", ".join(allowed_methods(scope))


class OptionsMiddleware:
    """OPTIONS on any path of the API answers 204 with `Allow` (no token
    needed, as for a CORS preflight). A CORS middleware, when configured,
    sits outside this one and answers preflights itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        methods = allowed_methods(scope)
        if not methods:
            await Problem(404, "no such path", slug="not-found").response()(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 204, "headers": [(b"allow", ", ".join(methods).encode())]})
        await send({"type": "http.response.body", "body": b""})
