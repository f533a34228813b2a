"""Runtime.consume and Runtime.every: the one way a bootstrap registers
consumers and periodic jobs (no NATS needed to register)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from crm_shared.db import Database, UnitOfWork
from crm_shared.messaging import BatchEventConsumer, EventConsumer
from crm_shared.runtime import Runtime


def runtime() -> Runtime:
    async def wire(_: Runtime) -> None:
        return None

    settings = SimpleNamespace(max_deliver=7)
    return Runtime(service="svc", settings=settings, db=Database("sqlite+aiosqlite://", "svc"), wire=wire)


async def handler(envelope, uow) -> None:
    return None


async def job() -> None:
    return None


def test_consume_takes_event_types_of_one_stream() -> None:
    r = runtime()
    sub = r.consume("svc-opps", ["opportunity.created", "opportunity.closed"], handler, uow=lambda: UnitOfWork(r.db))
    assert sub.subjects == ("crm.opportunity.created", "crm.opportunity.closed") and sub.max_deliver is None
    with pytest.raises(ValueError, match="spans streams"):
        r.consume("svc-mixed", ["opportunity.created", "lead.created"], handler, uow=lambda: UnitOfWork(r.db))
    with pytest.raises(ValueError, match="twice"):
        r.consume("svc-opps", ["opportunity.created"], handler, uow=lambda: UnitOfWork(r.db))
    with pytest.raises(TypeError):
        r.consume("svc-one", "opportunity.created", handler, uow=lambda: UnitOfWork(r.db))


def test_consumers_are_made_once_nats_is_there_with_the_settings_deliveries() -> None:
    r = runtime()
    r.consume("svc-a", ["lead.created"], handler, uow=lambda: UnitOfWork(r.db))
    r.consume("svc-b", ["lead.merged"], handler, uow=lambda: UnitOfWork(r.db), max_deliver=2, ack_wait=60)
    r.js = SimpleNamespace()
    r._make_consumers()
    assert [(c.durable, c.stream, c.max_deliver, c.ack_wait) for c in r.consumers] == [
        ("svc-a", "LEAD_ROUTING", 7, 30.0),
        ("svc-b", "LEAD_ROUTING", 2, 60),
    ]


def test_every_registers_a_leased_job_and_an_interval_of_zero_turns_it_off() -> None:
    r = runtime()
    periodic = r.every("rerank", 60, job)
    assert periodic is not None and (periodic.name, periodic.interval) == ("rerank", 60)
    assert r.every("auto-assign", 0, job) is None
    assert [j.name for j in r.jobs] == ["rerank"]
    with pytest.raises(ValueError, match="twice"):
        r.every("rerank", timedelta(minutes=1).total_seconds(), job)


def test_consume_batch_makes_a_batch_consumer_sharing_the_names_and_checks() -> None:
    r = runtime()
    r.consume("svc-one", ["lead.created"], handler, uow=lambda: UnitOfWork(r.db))
    sub = r.consume_batch(
        "svc-many", ["lead.created", "lead.merged"], handler, uow=lambda: UnitOfWork(r.db), batch_size=50
    )
    assert sub.batch_size == 50
    with pytest.raises(ValueError, match="twice"):
        r.consume_batch("svc-one", ["lead.created"], handler, uow=lambda: UnitOfWork(r.db))
    with pytest.raises(ValueError, match="spans streams"):
        r.consume_batch("svc-mixed", ["opportunity.created", "lead.created"], handler, uow=lambda: UnitOfWork(r.db))
    with pytest.raises(ValueError, match="batch_size"):
        r.consume_batch("svc-none", ["lead.created"], handler, uow=lambda: UnitOfWork(r.db), batch_size=0)
    r.js = SimpleNamespace()
    r._make_consumers()
    single, batch = r.consumers
    assert type(single) is EventConsumer and single.fetch_size == 1
    assert isinstance(batch, BatchEventConsumer) and (batch.fetch_size, batch.max_deliver) == (50, 7)
