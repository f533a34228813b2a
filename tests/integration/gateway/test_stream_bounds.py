"""Last-Event-ID on the real notification stream (uvicorn on a real port, real
NATS): an id no event can have is 400 problem+json, not a cut connection;
the largest id accepted opens the stream and waits for new events."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.integration.gateway.test_notifications import gateway, robot, token  # noqa: F401  (fixtures)


@pytest.mark.parametrize("last_event_id", ["99999999999999999999", "18446744073709551615", "9223372036854775808"])
async def test_a_last_event_id_beyond_any_sequence_is_400(gateway: str, last_event_id: str) -> None:  # noqa: F811
    access = await token(gateway, "zhangwei")
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        reply = await client.get(
            "/v1/notifications/stream", headers={"Authorization": f"Bearer {access}", "Last-Event-ID": last_event_id}
        )
    assert reply.status_code == 400, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in reply.json()["errors"]] == ["Last-Event-ID"]


async def test_the_largest_last_event_id_opens_the_stream(gateway: str) -> None:  # noqa: F811
    access = await token(gateway, "zhangwei")
    headers = {"Authorization": f"Bearer {access}", "Last-Event-ID": str(2**63 - 1)}
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        async with client.stream("GET", "/v1/notifications/stream", headers=headers) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            # Nothing after that id: the stream stays open (no error event, no close) for a while.
            lines = response.aiter_lines()
            with pytest.raises(asyncio.TimeoutError):
                while True:
                    line = await asyncio.wait_for(lines.__anext__(), 1.5)
                    assert not line.startswith("event: error"), line
