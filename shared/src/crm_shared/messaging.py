"""NATS JetStream: connection with retry, stream provisioning, the outbox
relay, and inbox consumers with a dead-letter stream."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import nats
import sqlalchemy as sa
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from tenacity import AsyncRetrying, RetryError, retry_if_exception_type, wait_exponential_jitter

from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.context import trace_id_var
from crm_shared.db import Database, UnitOfWork, inbox_table, outbox_table
from crm_shared.events import STREAMS, stream_for
from crm_shared.logs import get_logger
from crm_shared.metrics import (
    DEAD_LETTERS,
    EVENT_LAG,
    EVENTS_HANDLED,
    OUTBOX_DEPTH,
    OUTBOX_PUBLISH_FAILURES,
    OUTBOX_PUBLISHED,
)

log = get_logger("crm.messaging")

# JetStream drops a re-published event with the same Nats-Msg-Id within this window.
DUPLICATE_WINDOW = timedelta(minutes=10)


async def connect_nats(url: str, name: str, stop: asyncio.Event | None = None) -> NatsClient:
    """Connect, retrying with back-off while NATS is not up yet; once
    connected the client reconnects by itself for as long as it lives."""
    async for attempt in AsyncRetrying(
        wait=wait_exponential_jitter(multiplier=0.2, max=5),
        retry=retry_if_exception_type(Exception),
        stop=lambda _: bool(stop and stop.is_set()),
        reraise=True,
    ):
        with attempt:
            return await nats.connect(
                url,
                name=name,
                allow_reconnect=True,
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                connect_timeout=2,
            )
    raise RuntimeError("stopped before NATS was reachable")


async def ensure_streams(js: JetStreamContext, replicas: int | None = None) -> None:
    """Create or update every stream with `replicas` copies (a service's
    <PREFIX>STREAM_REPLICAS: 3 on a 3-node JetStream cluster). None keeps an
    existing stream's replicas (a new one gets 1), so a deployable without the
    setting (the gateway) never scales down what the services set."""
    for name, subjects in STREAMS.items():
        config = StreamConfig(name=name, subjects=subjects, duplicate_window=DUPLICATE_WINDOW.total_seconds())
        try:
            info = await js.stream_info(name)
        except NotFoundError:
            config.num_replicas = replicas or 1
            await js.add_stream(config)
            continue
        config.num_replicas = replicas or info.config.num_replicas or 1
        await js.update_stream(config)


class PublishFailed(Exception):
    pass


class OutboxRelay:
    """Publishes committed outbox rows to JetStream with Nats-Msg-Id = event
    id, in batches, concurrently; keeps retrying with back-off while NATS is
    down. On PostgreSQL replicas share the work with SKIP LOCKED; elsewhere
    the Nats-Msg-Id de-duplication absorbs a double publish."""

    def __init__(self, db: Database, js: JetStreamContext, *, batch_size: int = 100, poll_interval: float = 1.0):
        self.db = db
        self.js = js
        self.batch_size = batch_size
        self.poll_interval = poll_interval

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            # Cleared before reading the outbox: a commit while this batch is
            # published sets it again and is published next, not a poll later.
            self.db.outbox_signal.clear()
            published = await self._publish_with_retry(stop)
            if published >= self.batch_size:
                continue
            waiter = asyncio.create_task(self.db.outbox_signal.wait())
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=self.poll_interval, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()

    async def _publish_with_retry(self, stop: asyncio.Event) -> int:
        try:
            return await self._retrying(stop)
        except RetryError:  # stopping while NATS was away
            return 0

    async def _retrying(self, stop: asyncio.Event) -> int:
        async for attempt in AsyncRetrying(
            wait=wait_exponential_jitter(multiplier=0.1, max=10),
            retry=retry_if_exception_type(Exception),
            stop=lambda _: stop.is_set(),
            before_sleep=lambda rs: log.warning("outbox publish failed, retrying", error=str(rs.outcome.exception())),
        ):
            with attempt:
                return await self.publish_batch()
        return 0

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published."""
        query = (
            sa.select(outbox_table.c.event_id, outbox_table.c.subject, outbox_table.c.envelope)
            .where(outbox_table.c.published_at.is_(None))
            .order_by(outbox_table.c.created_at, outbox_table.c.event_id)
            .limit(self.batch_size)
        )
        async with self.db.sessions() as session:
            if self.db.is_postgres:
                async with session.begin():
                    rows = (await session.execute(query.with_for_update(skip_locked=True))).all()
                    return await self._mark(session, rows, await self._send(rows))
            # SQLite: do not hold the write lock while waiting on NATS.
            async with self.db.exclusive(), session.begin():
                rows = (await session.execute(query)).all()
            results = await self._send(rows)
            async with self.db.exclusive(), session.begin():
                return await self._mark(session, rows, results)

    async def _send(self, rows: list[sa.Row]) -> list[object]:
        return await asyncio.gather(
            *(self.js.publish(r.subject, r.envelope, headers={"Nats-Msg-Id": r.event_id}) for r in rows),
            return_exceptions=True,
        )

    async def _mark(self, session: AsyncSession, rows: list[sa.Row], results: list[object]) -> int:
        done = [r.event_id for r, res in zip(rows, results, strict=True) if not isinstance(res, BaseException)]
        failed = [res for res in results if isinstance(res, BaseException)]
        if done:
            await session.execute(
                sa.update(outbox_table).where(outbox_table.c.event_id.in_(done)).values(published_at=self.db.clock.now())
            )
            OUTBOX_PUBLISHED.labels(self.db.service).inc(len(done))
        if failed:
            OUTBOX_PUBLISH_FAILURES.labels(self.db.service).inc(len(failed))
            if not done:
                raise PublishFailed(f"{len(failed)} events not published: {failed[0]!r}")
        return len(done)

    async def depth(self) -> int:
        async with self.db.sessions() as session:
            count = await session.scalar(
                sa.select(sa.func.count()).select_from(outbox_table).where(outbox_table.c.published_at.is_(None))
            )
        OUTBOX_DEPTH.labels(self.db.service).set(count or 0)
        return int(count or 0)


Handler = Callable[[Envelope, UnitOfWork], Awaitable[None]]
BatchHandler = Callable[[Sequence[Envelope], UnitOfWork], Awaitable[None]]


class RecordedElsewhere(Exception):
    """Another replica recorded one of these events in the inbox first."""


class EventConsumer:
    """A durable JetStream consumer whose handler runs inside a unit of work
    together with the inbox record, so a redelivered event changes nothing.
    A message that keeps failing is parked in the dead-letter stream."""

    def __init__(
        self,
        *,
        db: Database,
        js: JetStreamContext,
        uow_factory: Callable[[], UnitOfWork],
        durable: str,
        subjects: list[str],
        handler: Handler,
        max_deliver: int = 5,
        ack_wait: float = 30.0,
    ) -> None:
        self.db = db
        self.js = js
        self.uow_factory = uow_factory
        self.durable = durable
        self.subjects = subjects
        self.handler = handler
        self.max_deliver = max_deliver
        self.ack_wait = ack_wait
        streams = {stream_for(s) for s in subjects}
        if len(streams) != 1:
            raise ValueError(f"consumer {durable} spans streams {streams}; use one consumer per stream")
        self.stream = streams.pop()

    # Messages one fetch asks for: one, as each is handled on its own and
    # others fetched with it would wait unacked meanwhile (BatchEventConsumer: more).
    fetch_size = 1

    async def provision(self) -> None:
        await self.js.add_consumer(
            self.stream,
            ConsumerConfig(
                durable_name=self.durable,
                filter_subjects=self.subjects,
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL,
                ack_wait=self.ack_wait,
                max_deliver=-1,  # we park in the dead-letter stream ourselves
            ),
        )

    async def run(self, stop: asyncio.Event) -> None:
        sub = await self.js.pull_subscribe_bind(self.durable, stream=self.stream)
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(batch=self.fetch_size, timeout=1)
                except TimeoutError:  # nats' and, from a batch fetch's second pull, asyncio's
                    continue
                except Exception as exc:  # NATS away: the client reconnects
                    log.warning("fetch failed", consumer=self.durable, error=str(exc))
                    await asyncio.sleep(0.5)
                    continue
                await self.handle_fetched(msgs)
        finally:
            # A pull subscription left open stalls the connection's drain at shutdown.
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def handle_fetched(self, msgs: list[nats.aio.msg.Msg]) -> None:
        for msg in msgs:
            await self.handle_message(msg)

    async def handle_message(self, msg: nats.aio.msg.Msg) -> None:
        service = self.db.service
        try:
            envelope = Envelope.FromString(msg.data)
        except Exception as exc:
            await self._dead_letter(msg, f"undecodable envelope: {exc}")
            return
        token = trace_id_var.set(envelope.trace_id)
        try:
            outcome = await self._apply(envelope)
            await msg.ack()
            self._count(envelope, outcome)
        except Exception as exc:
            EVENTS_HANDLED.labels(service, self.durable, "failed").inc()
            delivered = msg.metadata.num_delivered if msg.metadata else 1
            log.warning(
                "event handling failed", consumer=self.durable, event_id=envelope.event_id,
                type=envelope.type, delivered=delivered, error=repr(exc),
            )
            if delivered >= self.max_deliver:
                await self._dead_letter(msg, repr(exc))
            else:
                await msg.nak(delay=min(0.2 * 2**delivered, 30))
        finally:
            trace_id_var.reset(token)

    def _count(self, envelope: Envelope, outcome: str) -> None:
        EVENTS_HANDLED.labels(self.db.service, self.durable, outcome).inc()
        if outcome == "applied":
            lag = time.time() - envelope.occurred_at.ToDatetime().timestamp()
            EVENT_LAG.labels(self.db.service, self.durable).observe(max(lag, 0.0))

    async def _apply(self, envelope: Envelope) -> str:
        try:
            [outcome] = await self._apply_many([envelope])
        except RecordedElsewhere:
            return "duplicate"
        return outcome

    async def _apply_many(self, envelopes: Sequence[Envelope]) -> list[str]:
        """Apply the events not in the inbox yet in one unit of work with
        their inbox records; "applied" or "duplicate" for each, in order (an
        event id twice in `envelopes` is applied once)."""
        async with self.uow_factory() as uow:
            ids = [e.event_id for e in envelopes]
            seen = set(
                await uow.session.scalars(
                    sa.select(inbox_table.c.event_id).where(
                        inbox_table.c.consumer == self.durable, inbox_table.c.event_id.in_(ids)
                    )
                )
            )
            fresh, outcomes = [], []
            for envelope in envelopes:
                outcomes.append("duplicate" if envelope.event_id in seen else "applied")
                if envelope.event_id not in seen:
                    seen.add(envelope.event_id)
                    fresh.append(envelope)
            if not fresh:
                return outcomes
            now = self.db.clock.now()
            try:
                await uow.session.execute(
                    sa.insert(inbox_table),
                    [{"consumer": self.durable, "event_id": e.event_id, "handled_at": now} for e in fresh],
                )
            except IntegrityError as exc:
                raise RecordedElsewhere from exc
            await self._call(fresh, uow)
            try:
                await uow.commit()
            except IntegrityError as exc:
                raise RecordedElsewhere from exc
        return outcomes

    async def _call(self, envelopes: Sequence[Envelope], uow: UnitOfWork) -> None:
        for envelope in envelopes:
            await self.handler(envelope, uow)  # type: ignore[arg-type]

    async def _dead_letter(self, msg: nats.aio.msg.Msg, reason: str) -> None:
        subject = f"crm.dlq.{self.db.service}.{self.durable}"
        headers = {"Crm-Original-Subject": msg.subject, "Crm-Error": reason[:500]}
        await self.js.publish(subject, msg.data, headers=headers)
        await msg.ack()
        DEAD_LETTERS.labels(self.db.service, self.durable).inc()
        log.error("event parked in dead-letter stream", consumer=self.durable, subject=msg.subject, reason=reason)


class BatchEventConsumer(EventConsumer):
    """An EventConsumer that takes what has arrived, up to `batch_size`
    messages, as one unit of work: one handler call with the new events (in
    stream order, those already in the inbox left out), their inbox records
    and one commit; then every message is acked. Events arriving together
    (an import's thousands of lead.created) are handled at the cost of a
    few. When the batch fails (a poison message, another replica recording
    one of its events first) its messages are handled one at a time as
    EventConsumer does, so the rest commit and only the bad one is retried
    and, in the end, parked. Replicas share a durable as any pull consumer:
    each fetch gets messages no other replica holds."""

    def __init__(self, *, handler: BatchHandler, batch_size: int = 500, **kwargs: object) -> None:
        super().__init__(handler=handler, **kwargs)  # type: ignore[arg-type]
        if batch_size < 1:
            raise ValueError(f"consumer {self.durable}: batch_size must be at least 1")
        self.fetch_size = batch_size

    async def handle_fetched(self, msgs: list[nats.aio.msg.Msg]) -> None:
        decoded: list[tuple[nats.aio.msg.Msg, Envelope]] = []
        for msg in msgs:
            try:
                decoded.append((msg, Envelope.FromString(msg.data)))
            except Exception as exc:  # noqa: BLE001 - any decoding error parks the message
                await self._dead_letter(msg, f"undecodable envelope: {exc}")
        if len(decoded) <= 1:
            for msg, _ in decoded:
                await self.handle_message(msg)
            return
        try:
            outcomes = await self._apply_many([envelope for _, envelope in decoded])
        except Exception as exc:  # noqa: BLE001 - whatever failed, one at a time finds the culprit
            log.warning(
                "batch failed, handling its events one at a time",
                consumer=self.durable, size=len(decoded), error=repr(exc),
            )
            for msg, _ in decoded:
                await self.handle_message(msg)
            return
        for (msg, envelope), outcome in zip(decoded, outcomes, strict=True):
            await msg.ack()
            self._count(envelope, outcome)

    async def _call(self, envelopes: Sequence[Envelope], uow: UnitOfWork) -> None:
        await self.handler(envelopes, uow)  # type: ignore[arg-type]
