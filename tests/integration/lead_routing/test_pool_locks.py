"""The pool's locks on PostgreSQL: two units of work ranking different leads
of one tenant (two replicas' consumer batches) hold their locks side by side;
the same lead waits for the first to finish; a whole-tenant re-rank waits for
every lead lock and holds the leads' ranking off until it commits. (SQLite
has one writer anyway: nothing to test there.)"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from crm_shared.db import Database
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

TENANT = "t-locks"


class Takers:
    """Locks taken in units of work of their own, to see which wait."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.waiting: list[asyncio.Task] = []

    async def waits(self, locking: Callable[[LeadRoutingUnitOfWork], Awaitable[None]]) -> bool:
        """Whether taking the lock is still waiting after half a second."""

        async def take() -> None:
            async with LeadRoutingUnitOfWork(self.db) as uow:
                await locking(uow)

        task = asyncio.create_task(take())
        await asyncio.sleep(0.5)
        if task.done():
            await task
            return False
        self.waiting.append(task)
        return True

    async def all_got_theirs(self) -> None:
        await asyncio.wait_for(asyncio.gather(*self.waiting), timeout=10)
        self.waiting.clear()


async def test_leads_of_one_tenant_are_locked_apart_and_the_whole_pool_against_them(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's; SQLite has one writer")
    db = Database(database_url, "lead-routing")
    takers = Takers(db)
    try:
        async with LeadRoutingUnitOfWork(db) as first:
            await first.pool.lock_leads(TENANT, ["L1", "L2"])
            # other leads of the tenant: at once; another tenant's whole pool: at once
            assert not await takers.waits(lambda u: u.pool.lock_leads(TENANT, ["L3", "L4"]))
            assert not await takers.waits(lambda u: u.pool.lock("t-other"))
            # one of the same leads waits, and so does the whole tenant's pool
            assert await takers.waits(lambda u: u.pool.lock_leads(TENANT, ["L4", "L2"]))
            assert await takers.waits(lambda u: u.pool.lock(TENANT))
            await first.commit()
        await takers.all_got_theirs()  # released at commit

        async with LeadRoutingUnitOfWork(db) as whole:
            await whole.pool.lock(TENANT)
            assert await takers.waits(lambda u: u.pool.lock_leads(TENANT, ["L9"]))
        await takers.all_got_theirs()  # released at rollback
    finally:
        await db.dispose()
