"""The gateway app in-process with a recording fake in place of the backends:
each call is recorded with the request message it was given, so a test sees
what the gateway would have sent, and answered with an empty response of the
method's type; the HTTP surface is tested without any service running."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from gateway.adapters.stubs import Method
from gateway.bootstrap import create_app
from gateway.config import Settings

from tests.support.infra import migrate

# A signing key for calls between deployables, when the environment has none.
os.environ.setdefault("CRM_SERVICE_TOKEN_KEY", "unit-tests-only-" + "k" * 48)


class EchoBackends:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []  # (service, method, request)

    async def call(self, method: Method, request: Any, caller: Any, *, batch: bool = False) -> Any:
        self.calls.append((method.service, method.name, request))
        return method.response()

    async def health(self) -> dict[str, str]:
        return {}

    async def close(self) -> None:
        return None


@asynccontextmanager
async def gateway(tmp_path: Path, **settings: Any) -> AsyncIterator[tuple[httpx.AsyncClient, EchoBackends]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", url)
    app = create_app(Settings(dev_auth=True, database_url=url, **settings))
    async with app.router.lifespan_context(app):
        backends = EchoBackends()
        app.state.backends = backends
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client, backends


async def token(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    reply = await client.post("/v1/auth/token", json={"username": username, "password": "demo"})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}
