"""Notifications for people: every service publishes `notification.requested`
into the NOTIFICATIONS stream; the gateway delivers them.

- To the apps: each gateway replica follows the stream with one ordered
  consumer and hands every notification to the open SSE connections of its
  recipient (`NotificationHub`). The JetStream sequence is the SSE event id,
  so a client that reconnects with `Last-Event-ID` gets what it missed
  (replayed from the stream, then live, without gaps or repeats).
- To the 企业微信 group robot of the tenant: one durable consumer shared by
  all replicas posts each notification once (`WecomRobot`), with the inbox
  de-duplicating redeliveries and the dead-letter stream catching a robot
  that keeps refusing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import httpx
import nats.errors
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import iso_z
from crm_shared.db import Database, UnitOfWork
from crm_shared.events import subject_for, unpack
from crm_shared.logs import get_logger
from crm_shared.messaging import EventConsumer, connect_nats, ensure_streams
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from tenacity import AsyncRetrying, RetryError, retry_if_exception_type, wait_exponential_jitter

from gateway.metrics import NOTIFICATIONS_DELIVERED

log = get_logger("crm.gateway.notifications")

EVENT_TYPE = "notification.requested"
SUBJECT = subject_for(EVENT_TYPE)
STREAM = "NOTIFICATIONS"


@dataclass(frozen=True)
class Notification:
    seq: int
    tenant_id: str
    recipient_id: str
    kind: str
    title: str
    body: str
    subject_type: str
    subject_id: str
    occurred_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.seq),
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "occurred_at": self.occurred_at,
        }


def decode(msg: Msg) -> Notification | None:
    """A stream message as a notification; None for anything else."""
    try:
        envelope = Envelope.FromString(msg.data)
        if envelope.type != EVENT_TYPE:
            return None
        payload = unpack(envelope, NotificationRequested)
    except Exception as exc:  # noqa: BLE001 - a malformed message must not stop delivery to everyone
        log.warning("undecodable notification skipped", subject=msg.subject, error=str(exc))
        return None
    occurred = iso_z(envelope.occurred_at.ToDatetime(tzinfo=UTC))
    return Notification(
        seq=msg.metadata.sequence.stream,
        tenant_id=envelope.tenant_id,
        recipient_id=payload.recipient_id,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        subject_type=payload.subject_type,
        subject_id=payload.subject_id,
        occurred_at=occurred,
    )


class NotificationHub:
    """Fans the stream out to open connections, keyed by (tenant, user)."""

    def __init__(self, js: JetStreamContext, *, queue_size: int = 256, max_replay: int = 10_000) -> None:
        self.js = js
        self.queue_size = queue_size
        self.max_replay = max_replay
        self._listeners: dict[tuple[str, str], set[asyncio.Queue[Notification]]] = defaultdict(set)
        self._sub: Any = None

    async def start(self) -> None:
        self._sub = await self.js.subscribe(
            SUBJECT, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW, cb=self._on_message
        )

    async def stop(self) -> None:
        if self._sub is not None:
            with contextlib.suppress(Exception):
                await self._sub.unsubscribe()

    async def _on_message(self, msg: Msg) -> None:
        note = decode(msg)
        if note is None:
            return
        for queue in list(self._listeners.get((note.tenant_id, note.recipient_id), ())):
            if queue.full():  # a stalled client loses its oldest; it can reconnect with Last-Event-ID
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(note)

    async def follow(self, tenant_id: str, user_id: str, after_seq: int | None) -> AsyncIterator[Notification]:
        """The user's notifications after `after_seq` (replayed), then live ones."""
        queue: asyncio.Queue[Notification] = asyncio.Queue(self.queue_size)
        key = (tenant_id, user_id)
        # Listen before replaying so nothing published meanwhile falls between the two.
        self._listeners[key].add(queue)
        try:
            last = after_seq or 0
            if after_seq is not None:
                async for note in self._replay(tenant_id, user_id, after_seq + 1):
                    last = note.seq
                    yield note
            while True:
                note = await queue.get()
                if note.seq > last:
                    last = note.seq
                    yield note
        finally:
            self._listeners[key].discard(queue)
            if not self._listeners[key]:
                del self._listeners[key]

    async def _replay(self, tenant_id: str, user_id: str, start_seq: int) -> AsyncIterator[Notification]:
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=max(start_seq, 1),
            ack_policy=AckPolicy.NONE,
            inactive_threshold=30.0,
        )
        sub = await self.js.pull_subscribe(SUBJECT, stream=STREAM, config=config)
        scanned = 0
        try:
            while scanned < self.max_replay:
                try:
                    msgs = await sub.fetch(batch=200, timeout=0.5)
                except nats.errors.TimeoutError:
                    return
                for msg in msgs:
                    scanned += 1
                    note = decode(msg)
                    if note and note.tenant_id == tenant_id and note.recipient_id == user_id:
                        yield note
                    if msg.metadata.num_pending == 0:
                        return
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()


class WebhookRefused(Exception):
    """The robot did not take the message; the consumer retries it later."""


class WecomRobot:
    """Posts notifications to a tenant's 企业微信 group robot webhook in the
    robot's markdown message format; tenants without a webhook are skipped."""

    def __init__(self, webhooks: dict[str, str], client: httpx.AsyncClient) -> None:
        self.webhooks = webhooks
        self.client = client

    @staticmethod
    def message(note: NotificationRequested) -> dict[str, Any]:
        lines = [f"**{note.title}**", f"> 接收人：{note.recipient_id}"]
        lines += [f"> {line}" for line in note.body.splitlines() if line.strip()]
        return {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}

    async def handle(self, envelope: Envelope, _: UnitOfWork) -> None:
        if envelope.type != EVENT_TYPE:
            return
        note = unpack(envelope, NotificationRequested)
        url = self.webhooks.get(envelope.tenant_id)
        if not note.notify_group or not url:
            return
        try:
            response = await self.client.post(url, json=self.message(note))
        except httpx.HTTPError as exc:
            raise WebhookRefused(f"webhook unreachable: {exc!r}") from exc
        # The robot answers HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a refusal.
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if response.status_code != 200 or body.get("errcode", 0) != 0:
            raise WebhookRefused(f"webhook answered {response.status_code}: {response.text[:200]}")
        NOTIFICATIONS_DELIVERED.labels("wecom").inc()
        log.info("notification posted to group robot", tenant=envelope.tenant_id, kind=note.kind)


class Notifications:
    """The gateway's NATS side, started in the app's lifespan; bootstrap.py
    builds it with what it runs. Connecting happens in the background (NATS
    may come up after the gateway): then the hub starts, and each consumer
    `consumers` makes from the JetStream context runs until stop. Until then
    `hub` is None and the stream endpoint answers 503. A JetStream call that
    fails on the way (`nats: timeout` while the server is loaded) is retried
    with bounded back-off until stop, keeping what already runs; a process
    that gave up would stay not ready for good."""

    # Back-off between attempts: exponential with jitter, at most `retry_max_s`.
    retry_initial_s = 0.2
    retry_max_s = 5.0

    def __init__(self, nats_url: str, consumers: Sequence[Callable[[JetStreamContext], EventConsumer]] = ()) -> None:
        self.nats_url = nats_url
        self.consumers = consumers
        self.hub: NotificationHub | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._nats: Any = None

    @property
    def configured(self) -> bool:
        return bool(self.nats_url)

    @property
    def connected(self) -> bool:
        return self.hub is not None and bool(self._nats and self._nats.is_connected)

    async def start(self) -> None:
        if self.nats_url:
            self._tasks.append(asyncio.create_task(self._run(), name="notifications"))

    async def _run(self) -> None:
        retrying = AsyncRetrying(
            wait=wait_exponential_jitter(
                multiplier=self.retry_initial_s, max=self.retry_max_s, jitter=self.retry_initial_s
            ),
            retry=retry_if_exception_type(Exception),
            stop=lambda _: self._stop.is_set(),
            before_sleep=lambda rs: log.warning(
                "notifications not running yet, retrying", error=repr(rs.outcome.exception() if rs.outcome else None)
            ),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    await self._connect_and_consume()
        except RetryError:  # stopped while JetStream was still failing
            return

    async def _connect_and_consume(self) -> None:
        if self._nats is None or self._nats.is_closed:
            self._nats = await connect_nats(self.nats_url, "gateway", self._stop)
        js = self._nats.jetstream()
        if self.hub is None:
            await ensure_streams(js)
            hub = NotificationHub(js)
            await hub.start()
            self.hub = hub
        consumers = [make(js) for make in self.consumers]
        for consumer in consumers:
            await consumer.provision()
        # A task group: when one consumer fails the others stop too, so the retry runs each once.
        async with asyncio.TaskGroup() as group:
            for consumer in consumers:
                group.create_task(consumer.run(self._stop), name=f"consumer-{consumer.durable}")

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.hub:
            await self.hub.stop()
        if self._nats:
            with contextlib.suppress(Exception):
                await self._nats.drain()


def wecom_consumer(
    robot: WecomRobot, db: Database, uow_factory: Callable[[], UnitOfWork], *, max_deliver: int
) -> Callable[[JetStreamContext], EventConsumer]:
    """The one durable consumer all replicas share to post to the group robots."""

    def make(js: JetStreamContext) -> EventConsumer:
        return EventConsumer(
            db=db,
            js=js,
            uow_factory=uow_factory,
            durable="gateway-wecom",
            subjects=[SUBJECT],
            handler=robot.handle,
            max_deliver=max_deliver,
        )

    return make
