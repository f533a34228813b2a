"""Async SQLAlchemy engine for SQLite (default) and PostgreSQL, the platform
tables every service has (outbox, inbox, leases), and the unit of work base
that writes state changes and their events in one transaction."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from google.protobuf.message import Message
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from crm_shared.clock import Clock, SystemClock
from crm_shared.events import make_envelope, subject_for

T = TypeVar("T")

platform_metadata = sa.MetaData()

outbox_table = sa.Table(
    "outbox",
    platform_metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("envelope", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_outbox_unpublished", "published_at", "created_at"),
)

inbox_table = sa.Table(
    "inbox",
    platform_metadata,
    sa.Column("consumer", sa.String(100), primary_key=True),
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
)

leases_table = sa.Table(
    "leases",
    platform_metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("holder", sa.String(200), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


def create_platform_tables(bind: sa.Connection) -> None:
    """Called from each service's first Alembic revision."""
    platform_metadata.create_all(bind)


def drop_platform_tables(bind: sa.Connection) -> None:
    platform_metadata.drop_all(bind)


def upsert_insert(session: AsyncSession, table: sa.Table) -> Any:
    """An INSERT of the session's database (PostgreSQL or SQLite), which has
    `on_conflict_do_nothing` / `on_conflict_do_update`."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def in_chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """Slices of at most `size` items: IN (...) lists and multi-row statements
    stay within the databases' parameter limits."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def insert_unless_taken(session: AsyncSession, statement: sa.Insert) -> bool:
    """Insert in a savepoint; False when a unique key was taken by a
    concurrent transaction. The surrounding transaction stays usable."""
    try:
        async with session.begin_nested():
            await session.execute(statement)
    except IntegrityError:
        return False
    return True


# Execution option of the connections of a read-only unit of work.
READ_ONLY_OPTION = "crm_read_only"


class ReadOnlyUnitOfWork(RuntimeError):
    """A read-only unit of work was asked to commit or publish: a programming
    error in the handler, not a user's fault."""


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        # SQLite: take the write lock at BEGIN so two writers queue on
        # busy_timeout instead of failing on a read-to-write lock upgrade.
        @event.listens_for(engine.sync_engine, "connect")
        def _connect(dbapi_connection: Any, _: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL syncs at checkpoints, not at every commit: a
            # commit survives the process dying, only an OS crash or power loss
            # may lose the last ones. FULL cost an fsync (ms, more under load)
            # per transaction on a single writer that intake, ranking and the
            # outbox relay share.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # A read-only unit of work begins deferred: in WAL mode it reads
            # a snapshot beside the writer instead of queueing for the lock.
            deferred = conn.get_execution_options().get(READ_ONLY_OPTION)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    # Connections per process: replicas x (pool + overflow) must fit the server's
    # max_connections (or the pooler's), so a deployment with many replicas sets them lower.
    pool_size = int(os.environ.get("CRM_DB_POOL_SIZE", "10"))
    max_overflow = int(os.environ.get("CRM_DB_MAX_OVERFLOW", "20"))
    engine = create_async_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_pg(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")

    return engine


class Database:
    """The engine, a session factory, and the signal that wakes the outbox relay."""

    def __init__(self, url: str, service: str, clock: Clock | None = None) -> None:
        self.url = url
        self.service = service
        self.clock = clock or SystemClock()
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(
            self.engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False
        )
        self.outbox_signal = asyncio.Event()
        # SQLite has one writer: queueing transactions here is fairer and
        # much faster under load than its busy-timeout sleeps.
        self._sqlite_lock = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold for the length of a transaction (a no-op on PostgreSQL)."""
        if self._sqlite_lock is None:
            yield
            return
        async with self._sqlite_lock:
            yield

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


class UnitOfWork:
    """One business transaction. Services subclass it and attach their
    repositories in `_open`. Events recorded with `publish` are written to
    the outbox in the same transaction; only `commit` commits.

    `async with uow_factory().reading() as uow:` is a unit of work that only
    reads: on SQLite it neither queues for the writer lock nor takes the write
    lock at BEGIN (WAL readers run beside the writer); on PostgreSQL its
    transaction is READ ONLY. It refuses `commit` and `publish`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = db.clock
        self.session: AsyncSession
        self.read_only = False

    def reading(self) -> Self:
        """This unit of work, read-only (call before entering it)."""
        self.read_only = True
        return self

    def _open(self) -> None:
        """Attach repositories to self.session (override)."""

    async def __aenter__(self) -> Self:
        self._exclusive: contextlib.AbstractAsyncContextManager[None] = (
            contextlib.nullcontext() if self.read_only else self.db.exclusive()
        )
        await self._exclusive.__aenter__()
        self.session = (self.db.read_sessions if self.read_only else self.db.sessions)()
        self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.session.rollback()
            await self.session.close()
        finally:
            await self._exclusive.__aexit__(None, None, None)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyUnitOfWork(f"{type(self).__name__} was opened with reading(); it cannot commit or publish")

    async def commit(self) -> None:
        self._writable()
        await self.session.commit()
        self.db.outbox_signal.set()

    async def publish(self, type_: str, tenant_id: str, aggregate_id: str, payload: Message) -> str:
        """Record an event in the outbox, in this transaction. Returns its id."""
        [event_id] = await self.publish_many([(type_, tenant_id, aggregate_id, payload)])
        return event_id

    async def publish_many(self, events: Sequence[tuple[str, str, str, Message]]) -> list[str]:
        """Record (type, tenant, aggregate, payload) events in the outbox in one
        statement, in this transaction. Returns their ids."""
        self._writable()
        now = self.clock.now()
        rows = []
        for type_, tenant_id, aggregate_id, payload in events:
            envelope = make_envelope(type_, tenant_id, aggregate_id, payload, source=self.db.service, occurred_at=now)
            rows.append(
                {
                    "event_id": envelope.event_id,
                    "subject": subject_for(type_),
                    "tenant_id": tenant_id,
                    "envelope": envelope.SerializeToString(),
                    "created_at": now,
                }
            )
        if rows:
            await self.session.execute(sa.insert(outbox_table), rows)
        return [r["event_id"] for r in rows]
