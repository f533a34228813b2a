"""A read-only unit of work reads beside a writer (SQLite: no writer lock, a
deferred BEGIN under WAL) and refuses to commit or publish."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm_shared.db import Database, ReadOnlyUnitOfWork, UnitOfWork, create_platform_tables, outbox_table
from sqlalchemy.exc import DBAPIError


async def _db(database_url: str) -> Database:
    db = Database(database_url, "read-only-test")
    async with db.engine.begin() as conn:
        await conn.run_sync(create_platform_tables)
    return db


async def _outbox_count(uow: UnitOfWork) -> int:
    return (await uow.session.execute(sa.select(sa.func.count()).select_from(outbox_table))).scalar_one()


async def test_a_read_runs_while_a_writer_holds_its_transaction(database_url: str):
    db = await _db(database_url)
    async with UnitOfWork(db) as first:
        await first.publish("lead.created", "t1", "L1", lead_pb2.LeadCreated(lead_id="L1"))
        await first.commit()
    async with UnitOfWork(db) as writer:
        # The writer holds the in-process lock and (SQLite) the write lock.
        await writer.publish("lead.created", "t1", "L2", lead_pb2.LeadCreated(lead_id="L2"))

        async def read() -> int:
            async with UnitOfWork(db).reading() as reader:
                return await _outbox_count(reader)

        # It sees the committed state, not the writer's open transaction.
        assert await asyncio.wait_for(read(), timeout=5) == 1
        if not db.is_postgres:
            # A writing unit of work does queue behind it.
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.3), UnitOfWork(db):
                    pass
        await writer.commit()
    async with UnitOfWork(db).reading() as reader:
        assert await _outbox_count(reader) == 2
    await db.dispose()


async def test_a_read_only_unit_of_work_refuses_to_commit_or_publish(database_url: str):
    db = await _db(database_url)
    async with UnitOfWork(db).reading() as reader:
        with pytest.raises(ReadOnlyUnitOfWork):
            await reader.publish("lead.created", "t1", "L1", lead_pb2.LeadCreated(lead_id="L1"))
        with pytest.raises(ReadOnlyUnitOfWork):
            await reader.commit()
    async with UnitOfWork(db).reading() as reader:
        assert await _outbox_count(reader) == 0
    await db.dispose()


async def test_postgres_runs_the_read_as_a_read_only_transaction(database_url: str):
    db = await _db(database_url)
    if not db.is_postgres:
        await db.dispose()
        pytest.skip("READ ONLY transactions are PostgreSQL's")
    async with UnitOfWork(db).reading() as reader:
        assert await _outbox_count(reader) == 0
        with pytest.raises(DBAPIError, match="read-only transaction"):
            await reader.session.execute(
                sa.insert(outbox_table).values(
                    event_id="e1", subject="s", tenant_id="t1", envelope=b"", created_at=sa.func.now()
                )
            )
    # The pooled connection goes back writable.
    async with UnitOfWork(db) as writer:
        await writer.publish("lead.created", "t1", "L1", lead_pb2.LeadCreated(lead_id="L1"))
        await writer.commit()
    await db.dispose()
