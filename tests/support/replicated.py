"""What the scale-out tests (tests/e2e/test_replicas.py, the rolling restart and
failure drill of tests/e2e/rollout.py) read of a replicated stack on
PostgreSQL: the server, rows counted in each service's database, and whether
every outbox row is published and every durable consumer idle."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import asyncpg
import nats
from crm_shared.deployables import WITH_DATABASE
from crm_shared.events import STREAMS, subject_for

from scripts.localstack import Stack, postgres_server
from tests.support.infra import pg_base_url


def postgres() -> str | None:
    """The PostgreSQL server: TEST_DATABASE_URL's, or the local one; None when none answers."""
    base = pg_base_url()
    server = base.rpartition("/")[0] if base else postgres_server()

    async def ping() -> None:
        conn = await asyncpg.connect(f"{server}/postgres".replace("postgresql+asyncpg://", "postgresql://"), timeout=3)
        await conn.close()

    try:
        asyncio.run(ping())
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    return server


async def _fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


def query(urls: dict[str, str], service: str, sql: str, *args: object) -> list[asyncpg.Record]:
    """Rows of `sql` in the service's database (urls: service -> database URL)."""
    return asyncio.run(_fetch(urls[service], sql, *args))


def count(urls: dict[str, str], service: str, sql: str, *args: object) -> int:
    return query(urls, service, sql, *args)[0][0]


def outbox(urls: dict[str, str], service: str, event_type: str) -> int:
    return count(urls, service, "SELECT count(*) FROM outbox WHERE subject = $1", subject_for(event_type))


def inbox(urls: dict[str, str], service: str, consumer: str) -> int:
    return count(urls, service, "SELECT count(*) FROM inbox WHERE consumer = $1", consumer)


def settled(stack: Stack, urls: dict[str, str]) -> bool:
    """Every outbox row published and every durable consumer with nothing pending or unacked."""
    for d in WITH_DATABASE:
        if count(urls, d.name, "SELECT count(*) FROM outbox WHERE published_at IS NULL"):
            return False

    async def consumers_idle() -> bool:
        nc = await nats.connect(f"nats://127.0.0.1:{stack.nats_port}")
        try:
            js = nc.jetstream()
            for stream in STREAMS:
                for info in await js.consumers_info(stream):
                    if info.config.durable_name and (info.num_pending or info.num_ack_pending):
                        return False
            return True
        finally:
            await nc.close()

    return asyncio.run(consumers_idle())


def eventually(check: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout}s")
