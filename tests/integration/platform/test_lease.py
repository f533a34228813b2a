"""A periodic job runs on one replica at a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from crm_shared.clock import FixedClock
from crm_shared.db import Database, create_platform_tables
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
