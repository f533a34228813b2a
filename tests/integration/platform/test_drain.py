"""A service's shutdown (SIGTERM) drains, against real gRPC, NATS and a real
database: readiness false first, the call in flight answered, the message a
consumer holds handled and acked, the job's lease released, and what the
drained call committed published before the process ends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import grpc
import nats
import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm_shared.context import Caller
from crm_shared.db import Database, UnitOfWork, create_platform_tables, inbox_table, leases_table, outbox_table
from crm_shared.events import make_envelope, stream_for, subject_for
from crm_shared.runtime import Runtime
from crm_shared.settings import ServiceSettings
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.support.infra import eventually

Ask, Said = health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse
ADMIN = Caller("t1", "admin", "admin")
DURABLE = "drain-test-leads"


async def rows(url: str, query: sa.Select) -> list[sa.Row]:
    db = Database(url, "drain-test")
    try:
        async with db.sessions() as session:
            return list((await session.execute(query)).all())
    finally:
        await db.dispose()


async def test_sigterm_drains_calls_messages_jobs_and_the_outbox(nats_url: str, database_url: str) -> None:
    db = Database(database_url, "drain-test")
    async with db.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    call_started, held, job_ran = asyncio.Event(), asyncio.Event(), asyncio.Event()
    stop = asyncio.Event()

    async def slow(request: Ask, context: grpc.aio.ServicerContext) -> Said:
        call_started.set()
        await stop.wait()
        await asyncio.sleep(0.3)  # still running once the drain has begun
        async with UnitOfWork(db) as uow:
            await uow.publish("lead.created", "t1", "lead-drained", lead_pb2.LeadCreated(lead_id="lead-drained"))
            await uow.commit()
        return Said(status=Said.SERVING)

    async def on_lead(envelope, uow) -> None:  # type: ignore[no-untyped-def]
        if envelope.aggregate_id == "lead-held":
            held.set()
            await stop.wait()  # the message is in hand when SIGTERM comes
            await asyncio.sleep(0.2)

    async def job() -> None:
        job_ran.set()

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        codec = {"request_deserializer": Ask.FromString, "response_serializer": Said.SerializeToString}
        handler = grpc.method_handlers_generic_handler(
            "crm.test.v1.Slow", {"Call": grpc.unary_unary_rpc_method_handler(slow, **codec)}
        )
        runtime.grpc.server.add_generic_rpc_handlers((handler,))

    settings = ServiceSettings(
        nats_url=nats_url, grpc_host="127.0.0.1", grpc_port=0, metrics_port=0,
        outbox_poll_interval_s=0.2, drain_delay_s=0.5, shutdown_grace_s=5,
    )
    runtime = Runtime(service="drain-test", settings=settings, db=db, wire=wire)
    runtime.consume(DURABLE, ["lead.created"], on_lead, uow=lambda: UnitOfWork(db))
    runtime.every("drain-test-job", 60, job)
    tasks = await runtime.start(stop)
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{runtime.grpc.port}")  # type: ignore[union-attr]
    try:
        health = health_pb2_grpc.HealthStub(channel)
        await eventually(lambda: runtime.grpc and health.Check(Ask(service="")))
        await asyncio.wait_for(job_ran.wait(), 10)
        envelope = make_envelope(
            "lead.created", "t1", "lead-held", lead_pb2.LeadCreated(lead_id="lead-held"),
            source="drain-test", occurred_at=datetime.now(UTC),
        )
        await js.publish(subject_for("lead.created"), envelope.SerializeToString())
        await asyncio.wait_for(held.wait(), 10)
        slow_call = channel.unary_unary("/crm.test.v1.Slow/Call", Ask.SerializeToString, Said.FromString)
        call = asyncio.ensure_future(slow_call(Ask(), metadata=ADMIN.metadata(), timeout=10))
        await asyncio.wait_for(call_started.wait(), 10)

        stop.set()  # SIGTERM
        closing = asyncio.create_task(runtime.close(tasks))
        # Readiness false at once, while the server still answers (the drain delay).
        assert (await health.Check(Ask(service=""), timeout=2)).status == Said.NOT_SERVING
        assert (await call).status == Said.SERVING  # the call in flight is answered
        await asyncio.wait_for(closing, 15)

        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await health.Check(Ask(service=""), timeout=2)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
        # The message in hand was handled (inbox) and acked: nothing waits for redelivery.
        handled = await rows(database_url, sa.select(inbox_table.c.event_id).where(inbox_table.c.consumer == DURABLE))
        assert [r.event_id for r in handled] == [envelope.event_id]
        info = await js.consumer_info(stream_for(subject_for("lead.created")), DURABLE)
        assert info.num_ack_pending == 0 and info.num_redelivered == 0
        # What the drained call committed was published before the process ended; the lease is free.
        outbox = await rows(database_url, sa.select(outbox_table.c.subject, outbox_table.c.published_at))
        assert [(r.subject, r.published_at is not None) for r in outbox] == [("crm.lead.created", True)]
        assert await rows(database_url, sa.select(leases_table.c.name)) == []
    finally:
        await channel.close()
        await nc.close()
        if not stop.is_set():
            stop.set()
            await runtime.close(tasks)
