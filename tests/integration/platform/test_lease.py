"""A periodic job runs on one replica at a time, however long it runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from crm_shared.clock import FixedClock
from crm_shared.db import Database, create_platform_tables, leases_table
from crm_shared.lease import PeriodicJob


async def test_only_one_replica_runs_the_job_until_its_lease_expires(database_url: str):
    clock = FixedClock(datetime(2026, 11, 22, 2, 0, tzinfo=UTC))
    db = Database(database_url, "lease-test", clock)
    async with db.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    runs: list[str] = []

    def job(name: str):
        async def run() -> None:
            runs.append(name)

        return run

    a = PeriodicJob(db, "recompute", job("a"), interval=60)
    b = PeriodicJob(db, "recompute", job("b"), interval=60)
    first = await asyncio.gather(a.run_once(), b.run_once())
    assert sorted(first) == [False, True]
    winner, loser = (a, b) if first[0] else (b, a)
    assert await winner.run_once() and not await loser.run_once()
    # The winner dies; after its lease runs out the other replica takes over.
    clock.advance(timedelta(minutes=4))
    assert await loser.run_once()
    assert not await winner.run_once()
    assert len(runs) == 3
    await db.dispose()


async def _platform_db(database_url: str, service: str) -> Database:
    db = Database(database_url, service)
    async with db.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    return db


async def test_a_job_longer_than_its_lease_runs_on_one_replica_at_a_time(database_url: str):
    """Two replicas (each its own connection pool) tick every 50 ms a job that
    runs 4 s on a 1.5 s lease: renewed while it runs, it never overlaps."""
    first = await _platform_db(database_url, "lease-test")
    second = Database(database_url, "lease-test")
    running: set[str] = set()
    overlaps: list[set[str]] = []
    runs: list[str] = []

    def job(name: str):
        async def run() -> None:
            running.add(name)
            if len(running) > 1:
                overlaps.append(set(running))
            try:
                await asyncio.sleep(4)
                runs.append(name)
            finally:
                running.discard(name)

        return run

    stop = asyncio.Event()
    jobs = [PeriodicJob(db, "long", job(name), interval=0.05, ttl_s=1.5)
            for db, name in ((first, "a"), (second, "b"))]
    tasks = [asyncio.create_task(j.run(stop)) for j in jobs]
    await asyncio.sleep(8.5)
    stop.set()
    await asyncio.gather(*tasks)
    assert overlaps == []
    assert len(runs) >= 2  # the job did run, back to back, on whoever held the lease
    await first.dispose()
    await second.dispose()


async def test_a_lease_taken_while_the_job_runs_stops_the_run(database_url: str):
    db = await _platform_db(database_url, "lease-test")
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def long_job() -> None:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    periodic = PeriodicJob(db, "long", long_job, interval=60, ttl_s=0.6)
    run = asyncio.create_task(periodic.run_once())
    await asyncio.wait_for(started.wait(), 5)
    # Another replica took the lease (as after this one's had expired).
    async with db.sessions() as session, session.begin():
        await session.execute(sa.update(leases_table).values(holder="another-replica"))
    assert await asyncio.wait_for(run, 5) is True
    assert cancelled.is_set()
    await db.dispose()
