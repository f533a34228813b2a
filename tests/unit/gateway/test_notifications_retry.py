"""The gateway's notifications keep trying when JetStream calls time out at
start (`nats: timeout` on a loaded server): readiness says "nats" is not
serving meanwhile, turns ready once the hub runs, and the hub then delivers;
what already runs is not started twice."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nats.errors
import pytest
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import SystemClock
from crm_shared.events import make_envelope
from gateway import notifications as module
from gateway.notifications import Notifications

from tests.support.infra import eventually
from tests.unit.gateway.surface import gateway


class FakeJetStream:
    """Times out every JetStream call while `failing`, and subscribe
    `subscribe_failures` more times after that."""

    def __init__(self, subscribe_failures: int = 0) -> None:
        self.failing = True
        self.subscribe_failures = subscribe_failures
        self.calls = 0
        self.subscribed: list[Any] = []  # the callbacks of successful subscriptions

    def _call(self) -> None:
        self.calls += 1
        if self.failing:
            raise nats.errors.TimeoutError

    async def stream_info(self, name: str) -> Any:
        self._call()
        return SimpleNamespace(config=SimpleNamespace(num_replicas=1))

    async def update_stream(self, config: Any) -> None:
        self._call()

    async def subscribe(self, subject: str, **kwargs: Any) -> Any:
        self._call()
        if self.subscribe_failures:
            self.subscribe_failures -= 1
            raise nats.errors.TimeoutError
        self.subscribed.append(kwargs["cb"])
        return SimpleNamespace(unsubscribe=_nothing)


async def _nothing() -> None:
    return None


class FakeNats:
    is_closed = False
    is_connected = True

    def __init__(self, js: FakeJetStream) -> None:
        self.js = js
        self.connects = 0

    def jetstream(self) -> FakeJetStream:
        return self.js

    async def drain(self) -> None:
        return None


@pytest.fixture
def fake_nats(monkeypatch: pytest.MonkeyPatch) -> FakeNats:
    client = FakeNats(FakeJetStream(subscribe_failures=1))

    async def connect(url: str, name: str, stop: asyncio.Event | None = None) -> FakeNats:
        client.connects += 1
        return client

    monkeypatch.setattr(module, "connect_nats", connect)
    monkeypatch.setattr(Notifications, "retry_initial_s", 0.01, raising=False)
    monkeypatch.setattr(Notifications, "retry_max_s", 0.05, raising=False)
    return client


def message(seq: int, tenant: str, recipient: str, title: str) -> Any:
    payload = NotificationRequested(recipient_id=recipient, kind="lead.high_match", title=title, body="b")
    envelope = make_envelope(
        "notification.requested", tenant, "lead-1", payload, source="test", occurred_at=SystemClock().now()
    )
    return SimpleNamespace(
        data=envelope.SerializeToString(),
        subject="crm.notification.requested",
        metadata=SimpleNamespace(sequence=SimpleNamespace(stream=seq)),
    )


async def test_timeouts_at_start_are_retried_until_ready_then_it_delivers(tmp_path: Path, fake_nats: FakeNats) -> None:
    js = fake_nats.js
    async with gateway(tmp_path, nats_url="nats://fake:4222") as (client, _):
        await eventually(lambda: js.calls >= 3, timeout=5, interval=0.01)  # still trying, not given up
        reply = await client.get("/readyz")
        assert reply.status_code == 503
        assert reply.json()["not_ready"] == ["nats"]

        js.failing = False

        async def ready() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await eventually(ready, timeout=5, interval=0.02)
        assert fake_nats.connects == 1  # the client reconnects by itself; only the JetStream calls are redone
        assert len(js.subscribed) == 1

        hub = client._transport.app.state.notifications.hub  # type: ignore[attr-defined]
        stream = hub.follow("demo", "rep-1", None)
        first = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)  # the follower listens before anything arrives
        await js.subscribed[0](message(7, "demo", "rep-1", "Hot lead"))
        note = await asyncio.wait_for(first, 5)
        assert (note.seq, note.title) == (7, "Hot lead")
        await stream.aclose()


async def test_a_consumer_that_times_out_is_retried_without_restarting_the_hub(fake_nats: FakeNats) -> None:
    js = fake_nats.js
    js.failing = False
    js.subscribe_failures = 0

    class Consumer:
        durable = "gateway-test"
        provisions = 0
        runs = 0

        async def provision(self) -> None:
            Consumer.provisions += 1
            if Consumer.provisions == 1:
                raise nats.errors.TimeoutError

        async def run(self, stop: asyncio.Event) -> None:
            Consumer.runs += 1
            await stop.wait()

    notifications = Notifications("nats://fake:4222", [lambda _js: Consumer()])
    await notifications.start()
    try:
        await eventually(lambda: Consumer.runs == 1, timeout=5, interval=0.01)
        assert notifications.connected
        assert Consumer.provisions == 2
        assert len(js.subscribed) == 1
    finally:
        await notifications.stop()
