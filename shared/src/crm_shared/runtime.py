"""The process of a backend service: `python -m <pkg>` serves (gRPC, outbox
relay, consumers, periodic jobs, /metrics) until SIGTERM; `python -m <pkg>
migrate` migrates its database. Each service's bootstrap builds a Runtime;
this module runs it.

A bootstrap registers what the process runs besides gRPC in one way, when it
builds the Runtime or in its `wire` step (both work: consumers are made once
NATS is connected, after `wire`):

    runtime = Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
    runtime.consume("finance-opportunity-created", ["opportunity.created"], on_opportunity_created, uow=uow)
    runtime.every("opportunity-timers", settings.timer_interval_s, pipelines.run_timers)

- `consume(durable, event_types, handler, *, uow, max_deliver=None, ack_wait=30)`:
  a durable JetStream consumer of event types of one stream ("lead.converted",
  not the subject); `handler(envelope, uow)` runs in a unit of work from
  `uow()` with the inbox record, and must not commit (crm_shared.messaging).
  `max_deliver` defaults to the service's settings.max_deliver.
- `consume_batch(durable, event_types, handler, *, uow, batch_size=500, ...)`:
  the same, for events better handled together: `handler(envelopes, uow)`
  gets what has arrived (up to batch_size, in stream order) in one unit of
  work (crm_shared.messaging.BatchEventConsumer).
- `every(name, interval_s, job)`: `await job()` every interval_s seconds on
  the one replica holding the lease `name` (crm_shared.lease). An interval of
  0 or less registers nothing: settings turn a job off that way.

Names (durables, jobs) are unique within a service: a second registration
of one is a mistake in the bootstrap and refused at once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from pydantic import ValidationError

from crm_shared import identity
from crm_shared.db import Database, UnitOfWork
from crm_shared.events import stream_for, subject_for
from crm_shared.grpc_server import GrpcServer
from crm_shared.lease import PeriodicJob, release
from crm_shared.logs import configure_logging, get_logger
from crm_shared.messaging import (
    BatchEventConsumer,
    BatchHandler,
    EventConsumer,
    Handler,
    OutboxRelay,
    connect_nats,
    ensure_streams,
)
from crm_shared.metrics import MetricsServer, serve_metrics
from crm_shared.settings import ServiceSettings

log = get_logger("crm.runtime")


@dataclass(frozen=True)
class Subscription:
    """A consumer registered with Runtime.consume, made once NATS is connected."""

    durable: str
    subjects: tuple[str, ...]
    handler: Handler | BatchHandler
    uow: Callable[[], UnitOfWork]
    max_deliver: int | None
    ack_wait: float
    batch_size: int | None = None  # a BatchEventConsumer taking up to this many at once


@dataclass
class Runtime:
    """Everything a service process runs. `wire` is the service's bootstrap
    step that runs once NATS is connected: it registers servicers on the gRPC
    server (and may register consumers and jobs, as at build time)."""

    service: str
    settings: ServiceSettings
    db: Database
    wire: Callable[[Runtime], Awaitable[None]]
    on_close: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    nats: NatsClient | None = None
    js: JetStreamContext | None = None
    grpc: GrpcServer | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    jobs: list[PeriodicJob] = field(default_factory=list)
    relay: OutboxRelay | None = None
    metrics: MetricsServer | None = None
    subscriptions: list[Subscription] = field(default_factory=list)

    def consume(
        self,
        durable: str,
        event_types: Sequence[str],
        handler: Handler,
        *,
        uow: Callable[[], UnitOfWork],
        max_deliver: int | None = None,
        ack_wait: float = 30.0,
    ) -> Subscription:
        """Consume `event_types` (of one stream) with `handler` (module docstring)."""
        return self._subscribe(durable, event_types, handler, uow, max_deliver, ack_wait, None)

    def consume_batch(
        self,
        durable: str,
        event_types: Sequence[str],
        handler: BatchHandler,
        *,
        uow: Callable[[], UnitOfWork],
        batch_size: int = 500,
        max_deliver: int | None = None,
        ack_wait: float = 30.0,
    ) -> Subscription:
        """Consume `event_types` in batches of up to `batch_size` with `handler(envelopes, uow)`."""
        if batch_size < 1:
            raise ValueError(f"consumer {durable}: batch_size must be at least 1")
        return self._subscribe(durable, event_types, handler, uow, max_deliver, ack_wait, batch_size)

    def _subscribe(
        self,
        durable: str,
        event_types: Sequence[str],
        handler: Handler | BatchHandler,
        uow: Callable[[], UnitOfWork],
        max_deliver: int | None,
        ack_wait: float,
        batch_size: int | None,
    ) -> Subscription:
        if isinstance(event_types, str):
            raise TypeError("event_types is a list of event types, e.g. ['lead.converted']")
        if durable in {s.durable for s in self.subscriptions} | {c.durable for c in self.consumers}:
            raise ValueError(f"{self.service} registers consumer {durable!r} twice")
        subjects = tuple(subject_for(t) for t in event_types)
        streams = {stream_for(s) for s in subjects}
        if len(streams) != 1:
            raise ValueError(f"consumer {durable} spans streams {sorted(streams)}; use one consumer per stream")
        subscription = Subscription(durable, subjects, handler, uow, max_deliver, ack_wait, batch_size)
        self.subscriptions.append(subscription)
        return subscription

    def every(self, name: str, interval_s: float, job: Callable[[], Awaitable[object]]) -> PeriodicJob | None:
        """Run `job` every `interval_s` seconds on one replica at a time; off when interval_s <= 0."""
        if name in {j.name for j in self.jobs}:
            raise ValueError(f"{self.service} registers job {name!r} twice")
        if interval_s <= 0:
            return None
        periodic = PeriodicJob(self.db, name, job, interval_s)
        self.jobs.append(periodic)
        return periodic

    def _make_consumers(self) -> None:
        assert self.js
        for sub in self.subscriptions:
            common = {
                "db": self.db,
                "js": self.js,
                "uow_factory": sub.uow,
                "durable": sub.durable,
                "subjects": list(sub.subjects),
                "max_deliver": self.settings.max_deliver if sub.max_deliver is None else sub.max_deliver,
                "ack_wait": sub.ack_wait,
            }
            if sub.batch_size is None:
                self.consumers.append(EventConsumer(handler=sub.handler, **common))  # type: ignore[arg-type]
            else:
                self.consumers.append(BatchEventConsumer(handler=sub.handler, batch_size=sub.batch_size, **common))

    async def start(self, stop: asyncio.Event) -> list[asyncio.Task[Any]]:
        # The relay, consumers and jobs started here call other services as this service.
        acting = identity.set_acting_as(self.service)
        try:
            return await self._start(stop)
        finally:
            identity.reset_acting_as(acting)

    async def _start(self, stop: asyncio.Event) -> list[asyncio.Task[Any]]:
        s = self.settings
        # /metrics first: it answers while NATS is still being reached. Port 0
        # binds a free port; metrics.port and grpc.port tell the ports bound.
        self.metrics = serve_metrics(s.metrics_port, s.grpc_host)
        self.grpc = GrpcServer(self.service, s.grpc_host, s.grpc_port)
        self.nats = await connect_nats(s.nats_url, self.service, stop)
        self.js = self.nats.jetstream()
        await ensure_streams(self.js, s.stream_replicas)
        await self.wire(self)
        self._make_consumers()
        for consumer in self.consumers:
            await consumer.provision()
        self.relay = OutboxRelay(
            self.db, self.js, batch_size=s.outbox_batch_size, poll_interval=s.outbox_poll_interval_s
        )
        await self.grpc.start()
        self._report_ports()
        tasks = [asyncio.create_task(self.relay.run(stop), name="outbox-relay")]
        tasks += [asyncio.create_task(c.run(stop), name=f"consumer-{c.durable}") for c in self.consumers]
        tasks += [asyncio.create_task(j.run(stop), name=f"job-{j.name}") for j in self.jobs]
        tasks.append(asyncio.create_task(self._watch_readiness(stop), name="readiness"))
        log.info(
            "service started",
            grpc_port=self.grpc.port,
            metrics_port=self.metrics.port,
            consumers=[c.durable for c in self.consumers],
        )
        return tasks

    def _report_ports(self) -> None:
        """Write the bound ports to settings.ports_file (if set), whole or not at all."""
        if not self.settings.ports_file or not self.grpc or not self.metrics:
            return
        path = Path(self.settings.ports_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({"grpc": self.grpc.port, "metrics": self.metrics.port}))
        partial.replace(path)

    async def ready(self) -> bool:
        return bool(self.nats and self.nats.is_connected) and await self.db.ping()

    async def _watch_readiness(self, stop: asyncio.Event) -> None:
        """Health reports SERVING only while the database and NATS answer."""
        assert self.grpc and self.relay
        while not stop.is_set():
            await self.grpc.set_serving(await self.ready())
            with contextlib.suppress(Exception):
                await self.relay.depth()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)

    async def close(self, tasks: list[asyncio.Task[Any]]) -> None:
        """Drain, once `stop` is set (SIGTERM): readiness false first; after
        settings.drain_delay_s new calls are refused while the calls in
        flight, the message each consumer holds (handled and acked; a
        consumer fetches no more once stopped) and a running job (its lease
        then released) finish within settings.shutdown_grace_s; then the
        relay publishes what they committed, and NATS is drained (acks
        flushed). What is cut off by the grace is not lost: an RPC's client
        sees it fail (UNAVAILABLE or CANCELLED), an unacked message is
        redelivered, an unpublished outbox row waits for the next relay."""
        s = self.settings
        grace = s.shutdown_grace_s
        if self.grpc:
            await self.grpc.begin_drain()
            if s.drain_delay_s > 0:
                await asyncio.sleep(s.drain_delay_s)
        relay = [t for t in tasks if t.get_name() == "outbox-relay"]
        workers = [t for t in tasks if t not in relay]
        await asyncio.gather(
            *([self.grpc.stop(grace)] if self.grpc else []),
            *(_finish(task, grace) for task in workers),
        )
        for job in self.jobs:  # a run cut off by the grace left its lease behind
            with contextlib.suppress(Exception):
                await release(self.db, job.name, job.holder)
        for task in relay:
            await _finish(task, grace)
        if self.relay:
            await self._flush_outbox(grace)
        for hook in self.on_close:
            with contextlib.suppress(Exception):
                await hook()
        if self.nats and not self.nats.is_closed:
            with contextlib.suppress(Exception):
                await self.nats.drain()
        await self.db.dispose()
        if self.metrics:
            self.metrics.stop()

    async def _flush_outbox(self, timeout: float) -> None:
        """Publish what the drained calls and handlers committed, as long as NATS answers within `timeout`."""
        assert self.relay

        async def flush() -> None:
            while await self.relay.publish_batch():  # type: ignore[union-attr]
                pass

        try:
            await asyncio.wait_for(flush(), timeout=max(timeout, 1.0))
        except Exception as exc:  # noqa: BLE001 - NATS away or slow: the rows wait in the outbox
            log.warning("outbox not flushed at shutdown", error=repr(exc))


async def _finish(task: asyncio.Task[Any], timeout: float) -> None:
    """Let a stopped task end by itself within `timeout`; cancel it after."""
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=timeout)


async def serve(runtime: Runtime) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = await runtime.start(stop)
    await stop.wait()
    log.info("shutting down")
    await runtime.close(tasks)


def run_migrations(alembic_ini: Path, url: str) -> None:
    import logging

    from alembic import command
    from alembic.config import Config

    logging.getLogger("alembic").setLevel(logging.WARNING)
    config = Config(str(alembic_ini))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def find_alembic_ini(package_file: str) -> Path:
    """Next to the source tree (services/<name>/alembic.ini) or, in the
    container image, in the working directory."""
    candidate = Path(package_file).resolve().parents[2] / "alembic.ini"
    return candidate if candidate.exists() else Path.cwd() / "alembic.ini"


def main(
    service: str,
    package_file: str,
    load_settings: Callable[[], ServiceSettings],
    build: Callable[[ServiceSettings], Runtime],
    argv: list[str] | None = None,
) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        settings = load_settings()
    except ValidationError as exc:
        missing = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        print(f"{service}: invalid or missing settings: {missing}\n{exc}", file=sys.stderr)
        return 2
    configure_logging(service, settings.log_level)
    # Every call this process makes is signed as `service`, and every call it serves verified.
    identity.configure(settings.service_token_keys(), service)
    url = settings.resolved_database_url(service)
    command = argv[0] if argv else "serve"
    if command == "migrate":
        if url.startswith("sqlite"):
            Path(url.split("///", 1)[-1]).parent.mkdir(parents=True, exist_ok=True)
        run_migrations(find_alembic_ini(package_file), url)
        log.info("migrated", database=url.split("@")[-1])
        return 0
    if command != "serve":
        print(f"usage: python -m {service.replace('-', '_')} [serve|migrate]", file=sys.stderr)
        return 2
    asyncio.run(serve(build(settings)))
    return 0
