"""Wiring of the console: settings, the gateway client, sessions, pages."""

from __future__ import annotations

import importlib
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from web import auth
from web.config import Settings
from web.gateway import GatewayClient, GatewayProblem
from web.metrics import PAGE_SECONDS
from web.session import LANG_COOKIE, NotSignedIn, SessionCodec, language, load_keys
from web.templating import is_htmx, render

# Every page area (web/pages/<module>.py, each with `router`), in menu order.
PAGE_ROUTERS = (
    "home", "events", "leads", "tasks", "visits", "board", "dashboard", "customers",
    "routing", "approvals", "finance", "partner", "signals", "signals_customer",
    "contact_depth", "customer_value", "process_health", "forecast",
)
# Third-party front-end files from npm (services/web/package.json), served at /static/vendor/<name>.
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "htmx-ext-sse.js": "htmx-ext-sse/dist/sse.min.js",
    "sortable.min.js": "sortablejs/Sortable.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_EXEMPT = {"/auth/callback"}


def create_app(
    settings: Settings,
    *,
    gateway_factory: Callable[[str], object] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    http = httpx.AsyncClient(
        base_url=settings.gateway_url, timeout=settings.gateway_timeout_s, transport=transport,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await http.aclose()

    app = FastAPI(title="CRM web console", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.http = http
    app.state.codec = SessionCodec(load_keys(settings.session_keys.get_secret_value(), settings.session_key_path))
    app.state.issuer = auth.Issuer(
        http, settings.issuer_url, settings.oidc_public_issuer_url, settings.oidc_client_id
    )
    app.state.gateway_factory = gateway_factory or (
        lambda token: GatewayClient(http, token, batch_timeout_s=settings.gateway_batch_timeout_s)
    )

    @app.middleware("http")
    async def per_request(request: Request, call_next: Callable) -> Response:
        started = time.perf_counter()
        request.state.lang = language(request)
        request.state.session = app.state.codec.session(request)
        request.state.anonymous_csrf = ""
        if request.method in UNSAFE and request.url.path not in CSRF_EXEMPT and not await _csrf_ok(request):
            response: Response = render(request, "errors/error.html", {
                "status": 403, "message": "This form has expired. Reload the page and try again.",
            }, status_code=403)
        else:
            response = await call_next(request)
        if "lang" in request.query_params:  # the language switch: remembered for the next pages
            response.set_cookie(LANG_COOKIE, request.state.lang, max_age=365 * 86400, samesite="lax",
                                secure=settings.cookie_secure, httponly=True)
        response.headers.setdefault("x-content-type-options", "nosniff")
        response.headers.setdefault("referrer-policy", "same-origin")
        response.headers.setdefault("x-frame-options", "DENY")
        PAGE_SECONDS.labels(_route(request), str(response.status_code)).observe(time.perf_counter() - started)
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(GatewayProblem)
    async def gateway_problem(request: Request, exc: GatewayProblem) -> Response:
        if exc.status == 401:
            return await not_signed_in(request, NotSignedIn())
        status = exc.status if 400 <= exc.status < 500 else 503
        if is_htmx(request):
            return render(request, "macros_problem.html", {"problem": exc}, status_code=status,
                          headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
        return render(request, "errors/error.html", {"status": status, "problem": exc}, status_code=status)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> PlainTextResponse:
        try:
            answer = await http.get("/healthz", timeout=1.0)
        except httpx.HTTPError:
            return PlainTextResponse("gateway unreachable", status_code=503)
        return PlainTextResponse("ok" if answer.status_code == 200 else "gateway not ready",
                                 status_code=200 if answer.status_code == 200 else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    node_modules = Path(settings.node_modules)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    async def vendor(name: str) -> Response:
        rel = VENDOR.get(name)
        if rel is None or not (node_modules / rel).is_file():
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(node_modules / rel, media_type="text/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(auth.router)
    for module in PAGE_ROUTERS:
        app.include_router(importlib.import_module(f"web.pages.{module}").router)
    return app


async def _csrf_ok(request: Request) -> bool:
    s = request.state.session
    if s is None:
        return True  # nothing to forge: the page itself will ask to sign in
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        # Read the body first: the middleware's request replays a body it has read to the page,
        # but a form parsed from the stream alone would leave the page an empty form.
        await request.body()
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
    return bool(sent) and secrets.compare_digest(sent, s.csrf)


def _route(request: Request) -> str:
    """The matched route's template (/customers/{customer_id}): a bounded label, never the raw path."""
    return getattr(request.scope.get("route"), "path", "unmatched")
