"""BatchEventConsumer on fake JetStream messages and a real (SQLite) inbox:
one handler call per batch in stream order, a failing message handled apart
from the rest, an event delivered twice applied once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.db import Database, UnitOfWork, create_platform_tables, inbox_table, outbox_table
from crm_shared.events import make_envelope
from crm_shared.messaging import BatchEventConsumer

DURABLE = "test-batch"


class FakeMsg:
    """A pulled JetStream message: what the consumer did with it is recorded."""

    def __init__(self, data: bytes, delivered: int = 1) -> None:
        self.data = data
        self.subject = "crm.lead.created"
        self.metadata = SimpleNamespace(num_delivered=delivered)
        self.outcome: str | None = None

    async def ack(self) -> None:
        self.outcome = "ack"

    async def nak(self, delay: float | None = None) -> None:
        self.outcome = "nak"


class FakeJetStream:
    def __init__(self) -> None:
        self.dead: list[str] = []

    async def publish(self, subject: str, data: bytes, headers: dict | None = None) -> None:
        self.dead.append(subject)


def created(lead_id: str) -> Envelope:
    return make_envelope(
        "lead.created", "t1", lead_id, lead_pb2.LeadCreated(lead_id=lead_id), source="test",
        occurred_at=datetime.now(UTC),
    )


def msg(envelope: Envelope, delivered: int = 1) -> FakeMsg:
    return FakeMsg(envelope.SerializeToString(), delivered)


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'inbox.db'}", "platform-test")
    async with database.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    yield database
    await database.dispose()


class Recorder:
    """The batch handler: each call's lead ids; each lead's effect is an outbox
    row written in the unit of work, so a rolled-back batch leaves none."""

    def __init__(self, poison: set[str] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.poison = poison or set()

    async def __call__(self, envelopes, uow: UnitOfWork) -> None:
        ids = [lead_pb2.LeadCreated.FromString(e.payload.value).lead_id for e in envelopes]
        self.calls.append(ids)
        for lead_id in ids:
            await uow.publish("lead.assigned", "t1", lead_id, lead_pb2.LeadAssigned(lead_id=lead_id))
        if self.poison & set(ids):
            raise RuntimeError("cannot rank this lead")


def consumer(db: Database, handler: Recorder, js: FakeJetStream | None = None, **kw) -> BatchEventConsumer:
    return BatchEventConsumer(
        db=db, js=js or FakeJetStream(), uow_factory=lambda: UnitOfWork(db), durable=DURABLE,
        subjects=["crm.lead.created"], handler=handler, **kw,
    )


async def effects(db: Database) -> list[str]:
    """Lead ids of the handler's effects, as committed (a lead twice: applied twice)."""
    async with db.sessions() as s:
        rows = await s.scalars(sa.select(outbox_table.c.envelope))
        return sorted(lead_pb2.LeadAssigned.FromString(Envelope.FromString(r).payload.value).lead_id for r in rows)


async def inbox_ids(db: Database) -> set[str]:
    async with db.sessions() as s:
        return set(await s.scalars(sa.select(inbox_table.c.event_id).where(inbox_table.c.consumer == DURABLE)))


async def test_a_batch_is_one_handler_call_in_stream_order_and_every_message_is_acked(db: Database) -> None:
    handler = Recorder()
    envelopes = [created(f"lead-{i}") for i in range(5)]
    msgs = [msg(e) for e in envelopes]
    await consumer(db, handler).handle_fetched(msgs)
    assert handler.calls == [[f"lead-{i}" for i in range(5)]]
    assert [m.outcome for m in msgs] == ["ack"] * 5
    assert await effects(db) == [f"lead-{i}" for i in range(5)]
    assert await inbox_ids(db) == {e.event_id for e in envelopes}


async def test_events_delivered_twice_do_nothing_twice(db: Database) -> None:
    handler = Recorder()
    c = consumer(db, handler)
    a, b = created("lead-a"), created("lead-b")
    # Twice in one fetch (a redelivery next to the first delivery), then both again later.
    await c.handle_fetched([msg(a), msg(b), msg(a, delivered=2)])
    again = [msg(a, delivered=3), msg(b, delivered=2)]
    await c.handle_fetched(again)
    assert handler.calls == [["lead-a", "lead-b"]], "the second fetch has nothing new to hand over"
    assert [m.outcome for m in again] == ["ack", "ack"]
    assert await effects(db) == ["lead-a", "lead-b"]


async def test_a_failing_message_does_not_hold_up_the_rest_and_is_parked_in_the_end(db: Database) -> None:
    handler = Recorder(poison={"lead-bad"})
    js = FakeJetStream()
    c = consumer(db, handler, js, max_deliver=3)
    good = [created(f"lead-{i}") for i in range(3)]
    bad = created("lead-bad")
    msgs = [msg(good[0]), msg(bad), msg(good[1]), msg(good[2])]
    await c.handle_fetched(msgs)
    # The batch failed as a whole; one at a time, the others went through.
    assert handler.calls[0] == ["lead-0", "lead-bad", "lead-1", "lead-2"]
    assert handler.calls[1:] == [["lead-0"], ["lead-bad"], ["lead-1"], ["lead-2"]]
    assert [m.outcome for m in msgs] == ["ack", "nak", "ack", "ack"]
    assert await effects(db) == ["lead-0", "lead-1", "lead-2"]
    assert await inbox_ids(db) == {e.event_id for e in good}
    # Redelivered with new events until its deliveries run out: then parked, the rest still applied.
    late = created("lead-late")
    last = [msg(bad, delivered=3), msg(late)]
    await c.handle_fetched(last)
    assert [m.outcome for m in last] == ["ack", "ack"]
    assert js.dead == [f"crm.dlq.platform-test.{DURABLE}"]
    assert await effects(db) == ["lead-0", "lead-1", "lead-2", "lead-late"]


async def test_an_undecodable_message_is_parked_and_the_rest_handled_together(db: Database) -> None:
    handler = Recorder()
    js = FakeJetStream()
    junk = FakeMsg(b"\xff not an envelope")
    msgs = [msg(created("lead-1")), junk, msg(created("lead-2"))]
    await consumer(db, handler, js).handle_fetched(msgs)
    assert handler.calls == [["lead-1", "lead-2"]]
    assert [m.outcome for m in msgs] == ["ack"] * 3 and len(js.dead) == 1


def test_a_batch_takes_at_least_one(db: Database) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        consumer(db, Recorder(), batch_size=0)
