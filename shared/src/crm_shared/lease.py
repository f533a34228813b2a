"""A lease in the service's own database so a periodic job runs on one
replica at a time: whoever holds an unexpired row runs; others skip."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from crm_shared.db import Database, leases_table
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.metrics import JOB_RUNS

log = get_logger("crm.lease")


def replica_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()[-8:]}"


async def try_acquire(db: Database, name: str, holder: str, ttl: timedelta) -> bool:
    now = db.clock.now()
    async with db.exclusive(), db.sessions() as session, session.begin():
        result = await session.execute(
            sa.update(leases_table)
            .where(
                leases_table.c.name == name,
                sa.or_(leases_table.c.holder == holder, leases_table.c.expires_at < now),
            )
            .values(holder=holder, expires_at=now + ttl)
        )
        if result.rowcount:
            return True
    try:
        async with db.exclusive(), db.sessions() as session, session.begin():
            await session.execute(sa.insert(leases_table).values(name=name, holder=holder, expires_at=now + ttl))
        return True
    except IntegrityError:
        return False


async def release(db: Database, name: str, holder: str) -> None:
    async with db.exclusive(), db.sessions() as session, session.begin():
        await session.execute(
            sa.delete(leases_table).where(leases_table.c.name == name, leases_table.c.holder == holder)
        )


class PeriodicJob:
    """Runs `job` every `interval` seconds on whichever replica holds the lease."""

    def __init__(self, db: Database, name: str, job: Callable[[], Awaitable[object]], interval: float) -> None:
        self.db = db
        self.name = name
        self.job = job
        self.interval = interval
        self.holder = replica_id()

    async def run_once(self) -> bool:
        ttl = timedelta(seconds=max(self.interval * 3, 30))
        if not await try_acquire(self.db, self.name, self.holder, ttl):
            JOB_RUNS.labels(self.db.service, self.name, "skipped").inc()
            return False
        try:
            await self.job()
            JOB_RUNS.labels(self.db.service, self.name, "ok").inc()
        except Exception as exc:
            JOB_RUNS.labels(self.db.service, self.name, "error").inc()
            log.exception("periodic job failed", job=self.name, error=str(exc))
        return True

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.run_once()
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
            except TimeoutError:
                pass
        await release(self.db, self.name, self.holder)
