"""BatchEventConsumer against a real NATS and a real database: two consumers
on one durable (two replicas) share a burst, every event's effect is there
exactly once, in fewer handler calls than events, and a poison event is
parked without holding up the others."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import nats
import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.db import Database, UnitOfWork, create_platform_tables, outbox_table
from crm_shared.events import make_envelope
from crm_shared.messaging import BatchEventConsumer, ensure_streams

from tests.support.infra import eventually

BURST = 300


@pytest.fixture
async def db(database_url: str):
    database = Database(database_url, "platform-test")
    async with database.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    yield database
    await database.dispose()


def created(lead_id: str) -> Envelope:
    return make_envelope(
        "lead.created", "t1", lead_id, lead_pb2.LeadCreated(lead_id=lead_id), source="test",
        occurred_at=datetime.now(UTC),
    )


async def effects(db: Database) -> list[str]:
    async with db.sessions() as s:
        rows = await s.scalars(sa.select(outbox_table.c.envelope).where(outbox_table.c.subject == "crm.lead.assigned"))
        return sorted(lead_pb2.LeadAssigned.FromString(Envelope.FromString(r).payload.value).lead_id for r in rows)


async def idle(js, stream: str, durable: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_two_replicas_share_a_burst_each_event_applied_once_the_poison_parked(db: Database, nats_url: str):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await ensure_streams(js)
    durable = f"test-batch-{uuid.uuid4().hex[:12]}"
    subject = f"crm.lead.{durable}"
    calls: list[tuple[int, int]] = []  # (replica, events handed over)

    def handler_of(replica: int):
        async def handler(envelopes, uow: UnitOfWork) -> None:
            calls.append((replica, len(envelopes)))
            for e in envelopes:
                lead_id = lead_pb2.LeadCreated.FromString(e.payload.value).lead_id
                await uow.publish("lead.assigned", "t1", lead_id, lead_pb2.LeadAssigned(lead_id=lead_id))
                if lead_id == "poison":
                    raise ValueError("cannot rank this lead")

        return handler

    replicas = [
        BatchEventConsumer(
            db=db, js=js, uow_factory=lambda: UnitOfWork(db), durable=durable, subjects=[subject],
            handler=handler_of(n), max_deliver=2, batch_size=100,
        )
        for n in (1, 2)
    ]
    await replicas[0].provision()
    await replicas[1].provision()  # the second replica finds the durable there
    dead = await js.subscribe(f"crm.dlq.platform-test.{durable}", ordered_consumer=True)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(c.run(stop)) for c in replicas]
    try:
        envelopes = [created(f"lead-{i}") for i in range(BURST)]
        envelopes.insert(BURST // 2, created("poison"))
        await asyncio.gather(
            *(js.publish(subject, e.SerializeToString(), headers={"Nats-Msg-Id": e.event_id}) for e in envelopes)
        )
        # A few delivered again, as after a lost ack.
        for e in envelopes[:10]:
            await js.publish(subject, e.SerializeToString(), headers={"Nats-Msg-Id": e.event_id + "-again"})
        parked = await dead.next_msg(timeout=30)
        poison = lead_pb2.LeadCreated.FromString(Envelope.FromString(parked.data).payload.value)
        assert poison.lead_id == "poison"
        await eventually(lambda: idle(js, replicas[0].stream, durable), timeout=30)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await nc.close()
    assert await effects(db) == sorted(f"lead-{i}" for i in range(BURST)), "each effect once, none of the poison's"
    batches = [n for _, n in calls if n > 1]
    assert batches and len(calls) < len(envelopes), f"{len(calls)} handler calls for {len(envelopes)} events"
