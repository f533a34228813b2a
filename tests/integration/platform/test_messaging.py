"""The outbox, the inbox and the dead-letter stream against a real NATS and
a real database."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import nats
import pytest
import sqlalchemy as sa
from nats.js.api import DeliverPolicy

from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.db import Database, UnitOfWork, create_platform_tables, outbox_table
from crm_shared.events import make_envelope
from crm_shared.messaging import EventConsumer, OutboxRelay, connect_nats, ensure_streams
from crm_shared.metrics import DEAD_LETTERS
from tests.support.infra import NatsServer, eventually


@pytest.fixture
async def db(database_url: str):
    database = Database(database_url, "platform-test")
    async with database.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    yield database
    await database.dispose()


async def record_event(db: Database, lead_id: str) -> str:
    async with UnitOfWork(db) as uow:
        event_id = await uow.publish("lead.created", "t1", lead_id, lead_pb2.LeadCreated(lead_id=lead_id))
        await uow.commit()
    return event_id


async def unpublished(db: Database) -> int:
    async with db.sessions() as session:
        return int(
            await session.scalar(
                sa.select(sa.func.count()).select_from(outbox_table).where(outbox_table.c.published_at.is_(None))
            )
        )


async def test_event_committed_while_nats_is_down_is_delivered_once_nats_is_back(db: Database, tmp_path: Path):
    server = NatsServer(tmp_path / "nats")
    server.start()
    nc = await connect_nats(server.url, "relay-test")
    js = nc.jetstream()
    await ensure_streams(js)
    stop = asyncio.Event()
    relay = OutboxRelay(db, js, poll_interval=0.1)
    relay_task = asyncio.create_task(relay.run(stop))
    try:
        server.stop()
        event_id = await record_event(db, "lead-down")
        await asyncio.sleep(1.0)
        assert await unpublished(db) == 1, "nothing can be published while NATS is down"

        server.start()
        await eventually(lambda: _unpublished_is_zero(db), timeout=30)
        reader = await nats.connect(server.url)
        sub = await reader.jetstream().subscribe(
            "crm.lead.created", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        msg = await sub.next_msg(timeout=10)
        assert Envelope.FromString(msg.data).event_id == event_id
        await reader.close()
    finally:
        stop.set()
        await relay_task
        await nc.close()
        server.stop()


async def _unpublished_is_zero(db: Database) -> bool:
    return await unpublished(db) == 0


async def test_relay_publishes_batches_and_jetstream_drops_a_republished_event(db: Database, nats_url: str):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await ensure_streams(js)
    before = (await js.stream_info("LEAD_ROUTING")).state.messages
    ids = [await record_event(db, f"lead-{i}") for i in range(250)]
    relay = OutboxRelay(db, js, batch_size=100)
    assert [await relay.publish_batch() for _ in range(4)] == [100, 100, 50, 0]
    # Publishing the same rows again (a relay that died before marking them)
    # must not double them on the stream.
    async with db.sessions() as session, session.begin():
        await session.execute(sa.update(outbox_table).values(published_at=None))
    assert await relay.publish_batch() == 100
    assert (await js.stream_info("LEAD_ROUTING")).state.messages - before == len(ids)
    await nc.close()


def _envelope(lead_id: str) -> Envelope:
    from datetime import UTC, datetime

    return make_envelope(
        "lead.converted", "t1", lead_id, lead_pb2.LeadConverted(lead_id=lead_id),
        source="test", occurred_at=datetime.now(UTC),
    )


async def test_redelivered_event_is_applied_once_and_failures_are_retried(db: Database, nats_url: str):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await ensure_streams(js)
    applied: list[str] = []
    failures = {"left": 1}

    async def handler(envelope: Envelope, uow: UnitOfWork) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("transient")
        applied.append(envelope.event_id)

    durable = f"test-once-{uuid.uuid4().hex[:12]}"
    subject = f"crm.lead.{durable}"
    consumer = EventConsumer(
        db=db, js=js, uow_factory=lambda: UnitOfWork(db), durable=durable,
        subjects=[subject], handler=handler, max_deliver=5,
    )
    await consumer.provision()
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    env = _envelope(durable)
    # The same event twice, with different message ids so JetStream keeps both.
    await js.publish(subject, env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})
    await js.publish(subject, env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id + "-again"})
    await eventually(lambda: (_consumer_idle(js, consumer.stream, durable)), timeout=20)
    stop.set()
    await task
    assert applied == [env.event_id]
    await nc.close()


async def _consumer_idle(js, stream: str, durable: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_message_that_keeps_failing_is_parked_in_the_dead_letter_stream(db: Database, nats_url: str):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await ensure_streams(js)

    async def handler(envelope: Envelope, uow: UnitOfWork) -> None:
        raise ValueError("cannot apply")

    durable = f"test-dlq-{uuid.uuid4().hex[:12]}"
    subject = f"crm.lead.{durable}"
    consumer = EventConsumer(
        db=db, js=js, uow_factory=lambda: UnitOfWork(db), durable=durable,
        subjects=[subject], handler=handler, max_deliver=2,
    )
    await consumer.provision()
    dead = await js.subscribe(f"crm.dlq.platform-test.{durable}", ordered_consumer=True)
    parked_before = DEAD_LETTERS.labels("platform-test", durable)._value.get()
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    env = _envelope(durable)
    await js.publish(subject, env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})
    msg = await dead.next_msg(timeout=20)
    stop.set()
    await task
    assert Envelope.FromString(msg.data).event_id == env.event_id
    assert "cannot apply" in msg.headers["Crm-Error"]
    assert msg.headers["Crm-Original-Subject"] == subject
    assert DEAD_LETTERS.labels("platform-test", durable)._value.get() == parked_before + 1
    await eventually(lambda: _consumer_idle(js, consumer.stream, durable), timeout=10)
    await nc.close()
