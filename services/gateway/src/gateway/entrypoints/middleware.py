"""Trace id, metrics and the body size limit for every request (pure ASGI:
no body buffering)."""

from __future__ import annotations

import re
import time

from crm_shared.context import trace_id_var
from crm_shared.ids import new_id
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.metrics import HTTP_IN_FLIGHT, HTTP_LATENCY
from gateway.problems import Problem

TRACE_HEADER = b"x-trace-id"
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
_REQUEST_ID = re.compile(r"^[\w.:\-]{1,128}$", re.ASCII)


def trace_id_from(headers: dict[bytes, bytes]) -> str:
    """The client's X-Request-Id, else the W3C traceparent's trace id, else a new one."""
    request_id = headers.get(b"x-request-id", b"").decode("latin-1").strip()
    if _REQUEST_ID.match(request_id):
        return request_id
    match = _TRACEPARENT.match(headers.get(b"traceparent", b"").decode("latin-1").strip().lower())
    if match and match.group(1) != "0" * 32:
        return match.group(1)
    return new_id()


class TraceMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trace_id = trace_id_from(dict(scope.get("headers") or ()))
        scope["crm.trace_id"] = trace_id
        token = trace_id_var.set(trace_id)

        async def send_with_trace(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (TRACE_HEADER, trace_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_trace)
        finally:
            trace_id_var.reset(token)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        HTTP_IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, record_status)
        finally:
            HTTP_IN_FLIGHT.dec()
            # The route template (/v1/leads/{lead_id}), never the raw path: bounded label values.
            route = getattr(scope.get("route"), "path", "unmatched")
            HTTP_LATENCY.labels(scope["method"], route, str(status)).observe(time.perf_counter() - started)


# Routes whose request body is streamed through to a backend as it arrives
# (document content, up to hundreds of MB): never buffered whole by a
# middleware, and their size limits are the backend's (per tenant and type).
STREAMED_BODY_PATHS = frozenset({"/v1/documents/uploads"})


class BodyLimitMiddleware:
    """Refuses request bodies over the limit with 413 before they are read
    into memory: by Content-Length when given, else while streaming (the
    HTTPException raised from `receive` reaches the app's problem handler).
    Routes in STREAMED_BODY_PATHS are left to their backend's limits."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in STREAMED_BODY_PATHS:
            await self.app(scope, receive, send)
            return
        detail = f"request body over {self.max_bytes} bytes"
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await Problem(413, detail, slug="payload-too-large").response()(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, detail)
            return message

        await self.app(scope, counting_receive, send)


MAX_HEADER_BYTES = 64 * 1024


class HeaderLimitMiddleware:
    """Refuses a request whose headers add up to more than `max_bytes` with
    431 (a token, cookies and tracing headers fit well within 64 KiB); the
    HTTP server would otherwise hand the application any size it parsed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) for name, value in scope.get("headers") or ())
            if size > self.max_bytes:
                problem = Problem(431, f"request headers over {self.max_bytes} bytes", slug="headers-too-large")
                await problem.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)
