"""The one way pages reach data: the gateway's public REST API, called with
the signed-in user's own token. Whatever the gateway refuses arrives as a
GatewayProblem carrying its problem+json, for the page to show next to the
field it names."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import Request

from web.metrics import GATEWAY_CALL_SECONDS


@dataclass
class GatewayProblem(Exception):
    status: int
    title: str = ""
    detail: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)
    violations: list[dict[str, str]] = field(default_factory=list)
    body: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    def field_errors(self, name: str) -> list[str]:
        """Descriptions of the errors naming `name` (as `name` or `<location>.name`)."""
        out = []
        for e in self.errors:
            f = str(e.get("field", ""))
            if f == name or f.endswith(("." + name, "/" + name)):
                out.append(str(e.get("description", "")))
        return out

    @classmethod
    def from_response(cls, response: httpx.Response) -> GatewayProblem:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        return cls(
            status=response.status_code,
            title=str(body.get("title", response.reason_phrase)),
            detail=str(body.get("detail", "")),
            errors=list(body.get("errors") or []),
            violations=list(body.get("violations") or []),
            body=body,
        )

    @classmethod
    def unreachable(cls, exc: Exception) -> GatewayProblem:
        return cls(status=503, title="Service unavailable", detail=f"the gateway did not answer ({type(exc).__name__})")


class Verbs:
    """get/post/put/patch/delete over `request` (the real client's and the unit tests' fake's)."""

    async def request(self, method: str, path: str, **kw: Any) -> Any:
        raise NotImplementedError

    async def get(self, path: str, **kw: Any) -> Any:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> Any:
        return await self.request("POST", path, **kw)

    async def put(self, path: str, **kw: Any) -> Any:
        return await self.request("PUT", path, **kw)

    async def patch(self, path: str, **kw: Any) -> Any:
        return await self.request("PATCH", path, **kw)

    async def delete(self, path: str, **kw: Any) -> Any:
        return await self.request("DELETE", path, **kw)


class GatewayClient(Verbs):
    """Calls on behalf of one user (their bearer token) over the app's shared connection pool."""

    def __init__(self, http: httpx.AsyncClient, token: str, *, batch_timeout_s: float = 90.0) -> None:
        self.http = http
        self.token = token
        self.batch_timeout_s = batch_timeout_s

    def _headers(self, idempotency_key: str | None = None) -> dict[str, str]:
        headers = {"authorization": f"Bearer {self.token}", "accept": "application/json"}
        if idempotency_key:
            headers["idempotency-key"] = idempotency_key
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, Any] | None = None,
        files: Any = None,
        content: bytes | None = None,
        idempotency_key: str | None = None,
        batch: bool = False,
    ) -> Any:
        if params:
            params = {k: v for k, v in params.items() if v not in (None, "")}
        started = time.perf_counter()
        try:
            response = await self.http.request(
                method, path, params=params, json=json, data=data, files=files, content=content,
                headers=self._headers(idempotency_key) | ({"content-type": "application/octet-stream"}
                                                         if content is not None else {}),
                timeout=self.batch_timeout_s if batch else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            raise GatewayProblem.unreachable(exc) from exc
        finally:
            GATEWAY_CALL_SECONDS.labels(method).observe(time.perf_counter() - started)
        if response.status_code >= 400:
            raise GatewayProblem.from_response(response)
        if response.status_code == 204 or not response.content:
            return None
        if response.headers.get("content-type", "").startswith("application/json") or response.headers.get(
            "content-type", ""
        ).startswith("application/problem+json"):
            return response.json()
        return response.content

    async def stream_lines(self, path: str, headers: dict[str, str] | None = None) -> AsyncIterator[str]:
        """The lines of a streamed answer (server-sent events); a refusal raises GatewayProblem."""
        h = self._headers() | {"accept": "text/event-stream"} | (headers or {})
        try:
            async with self.http.stream("GET", path, headers=h, timeout=httpx.Timeout(10.0, read=None)) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise GatewayProblem.from_response(response)
                async for line in response.aiter_lines():
                    yield line
        except httpx.HTTPError as exc:
            raise GatewayProblem.unreachable(exc) from exc


def gateway(request: Request) -> GatewayClient:
    """Dependency: the gateway as the signed-in user (pages that need one also depend on `session`)."""
    s = request.state.session
    factory = request.app.state.gateway_factory
    return factory(s.token if s else "")
