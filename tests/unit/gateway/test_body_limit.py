"""The gateway refuses oversized bodies with 413 problem+json, whether the
client declares the length or streams the body in chunks."""

from collections.abc import AsyncIterator

import httpx
from gateway.entrypoints.middleware import BodyLimitMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def echo_size(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


def client() -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/", echo_size, methods=["POST"])],
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=1000)],
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


async def chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 100):
        yield b"x" * 100


async def test_a_body_within_the_limit_passes() -> None:
    async with client() as c:
        response = await c.post("/", content=b"x" * 1000)
    assert response.status_code == 200 and response.json() == {"size": 1000}


async def test_a_declared_oversized_body_is_refused() -> None:
    async with client() as c:
        response = await c.post("/", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "1000 bytes" in response.json()["detail"]


async def test_a_streamed_oversized_body_is_refused() -> None:
    async with client() as c:
        response = await c.post("/", content=chunks(5000))
    assert response.status_code == 413
