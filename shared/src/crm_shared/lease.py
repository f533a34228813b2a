"""A lease in the service's own database so a periodic job runs on one
replica at a time: whoever holds an unexpired row runs; others skip.

The holder renews its lease every ttl/3 while the job runs, so a run longer
than the lease does not let a second replica start the job beside it. A
renewal that finds the lease gone or taken, or that has not succeeded by
the time the lease expires (the database slow or away), means the lease is
lost: the run is cancelled (its uncommitted unit of work rolls back) rather
than carrying on beside a replica that takes over. Another replica takes an
expired lease only ttl/6 after it expired, so a holder that could not renew
has stopped by then; a holder frozen longer than that (a paused process) is
the case a lease cannot cover."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from crm_shared.clock import Clock
from crm_shared.db import Database, leases_table
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.metrics import JOB_RUNS

log = get_logger("crm.lease")


def replica_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()[-8:]}"


def takeover_grace(ttl: timedelta) -> timedelta:
    """How long after its expiry another replica may take a lease (its holder stops at expiry)."""
    return ttl / 6


async def try_acquire(db: Database, name: str, holder: str, ttl: timedelta) -> bool:
    now = db.clock.now()
    async with db.exclusive(), db.sessions() as session, session.begin():
        result = await session.execute(
            sa.update(leases_table)
            .where(
                leases_table.c.name == name,
                sa.or_(leases_table.c.holder == holder, leases_table.c.expires_at < now - takeover_grace(ttl)),
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


async def renew(db: Database, name: str, holder: str, ttl: timedelta) -> bool:
    """Extend a lease `holder` still holds; False when it is gone or someone else's."""
    now = db.clock.now()
    async with db.exclusive(), db.sessions() as session, session.begin():
        result = await session.execute(
            sa.update(leases_table)
            .where(leases_table.c.name == name, leases_table.c.holder == holder)
            .values(expires_at=now + ttl)
        )
        return bool(result.rowcount)


async def release(db: Database, name: str, holder: str) -> None:
    async with db.exclusive(), db.sessions() as session, session.begin():
        await session.execute(
            sa.delete(leases_table).where(leases_table.c.name == name, leases_table.c.holder == holder)
        )


class Leases(Protocol):
    """Where leases are kept (the database; a fake in unit tests)."""

    clock: Clock

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool: ...
    async def renew(self, name: str, holder: str, ttl: timedelta) -> bool: ...
    async def release(self, name: str, holder: str) -> None: ...


class DatabaseLeases:
    """Leases in the service's database (the platform table `leases`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = db.clock

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        return await try_acquire(self.db, name, holder, ttl)

    async def renew(self, name: str, holder: str, ttl: timedelta) -> bool:
        return await renew(self.db, name, holder, ttl)

    async def release(self, name: str, holder: str) -> None:
        await release(self.db, name, holder)


class LeaseLost(Exception):
    """The job's lease was taken or could not be renewed before it expired."""


class PeriodicJob:
    """Runs `job` every `interval` seconds on whichever replica holds the lease,
    renewing the lease every ttl/3 while the job runs (module docstring).
    The lease lasts `ttl_s` (default three intervals, at least 30 s): the
    holder keeps the job between runs, and a replica that dies hands it over
    once its lease expires."""

    def __init__(
        self,
        db: Database | None,
        name: str,
        job: Callable[[], Awaitable[object]],
        interval: float,
        *,
        ttl_s: float | None = None,
        leases: Leases | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.name = name
        self.job = job
        self.interval = interval
        self.ttl = timedelta(seconds=ttl_s if ttl_s is not None else max(interval * 3, 30))
        if leases is None:
            assert db is not None, "a PeriodicJob needs a database or a lease store"
            leases = DatabaseLeases(db)
        self.leases: Leases = leases
        self._sleep = sleep
        self.holder = replica_id()

    @property
    def service(self) -> str:
        return self.db.service if self.db is not None else "-"

    async def run_once(self) -> bool:
        """One tick: run the job if this replica gets the lease; whether it ran (or was cut off by a lost lease)."""
        if not await self.leases.acquire(self.name, self.holder, self.ttl):
            JOB_RUNS.labels(self.service, self.name, "skipped").inc()
            return False
        expires = self.leases.clock.now() + self.ttl
        run = asyncio.create_task(self._run_job(), name=f"job-{self.name}")
        keeper = asyncio.create_task(self._keep_lease(run, expires), name=f"lease-{self.name}")
        try:
            outcome = await run
        except asyncio.CancelledError:
            if not run.cancelled() or not keeper.done() or keeper.cancelled() or keeper.result() is None:
                raise  # stopped from outside (shutdown), not by a lost lease
            JOB_RUNS.labels(self.service, self.name, "lost").inc()
            log.warning("periodic job stopped: its lease was lost", job=self.name, reason=keeper.result())
            return True
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        JOB_RUNS.labels(self.service, self.name, outcome).inc()
        return True

    async def _run_job(self) -> str:
        try:
            await self.job()
            return "ok"
        except Exception as exc:
            log.exception("periodic job failed", job=self.name, error=str(exc))
            return "error"

    async def _keep_lease(self, run: asyncio.Task[str], expires: datetime) -> str | None:
        """Renew every ttl/3 until `run` ends; cancel it when the lease is lost (the reason)."""
        every = self.ttl.total_seconds() / 3
        while not run.done():
            await self._sleep(every)
            if run.done():
                return None
            # A renewal may wait (SQLite's writer, a slow server) only as long as the lease lasts.
            left = (expires - self.leases.clock.now()).total_seconds()
            try:
                if left <= 0:
                    raise TimeoutError("the lease expired before it could be renewed")
                renewed = await asyncio.wait_for(self.leases.renew(self.name, self.holder, self.ttl), min(every, left))
            except Exception as exc:  # noqa: BLE001 - the database did not answer: try again while the lease lasts
                log.warning("lease renewal failed", job=self.name, error=repr(exc))
                renewed = None
            now = self.leases.clock.now()
            if renewed:
                expires = now + self.ttl
                continue
            if renewed is False:
                reason = "taken or released by another replica"
            elif now + timedelta(seconds=every) >= expires:
                reason = "not renewed before it expires"
            else:
                continue
            run.cancel()
            return reason
        return None

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.run_once()
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
            except TimeoutError:
                pass
        await self.leases.release(self.name, self.holder)
