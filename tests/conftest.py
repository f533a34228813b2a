"""Fixtures for every tier. Integration tests get a real NATS of their own and a
fresh database per test: SQLite always, PostgreSQL too when TEST_DATABASE_URL
is set.

Service tokens: the session sets one key in CRM_SERVICE_TOKEN_KEY (so every
service's settings, in-process or a child process, read it as in a cluster)
and configures this process to sign with it. A test calling a service
directly acts as the gateway would; `Caller(tenant, "<service>", "system")`
is signed as that backend service, and inside a service's call (in-process
services) its calls are signed as that service."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from crm_shared import identity

from tests.support.infra import NatsServer, create_pg_database, drop_pg_database, pg_base_url


def _memory_temp_root() -> str | None:
    """tmpfs when the machine has one with room: the tests' SQLite databases
    and NATS's JetStream sync to disk on every commit, which on a busy disk
    costs more than the tests' own work. TMPDIR, when set, is kept."""
    if os.environ.get("TMPDIR"):
        return None
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) and shutil.disk_usage(shm).free >= 2 * 1024**3:
            return str(shm)
    except OSError:
        pass
    return None


# pytest's tmp_path roots, tempfile in this process and in the processes the tests start.
if (_root := _memory_temp_root()) is not None:
    os.environ["TMPDIR"] = _root
    tempfile.tempdir = _root

os.environ.setdefault(identity.KEY_ENV, secrets.token_urlsafe(48))
# document-versioning's filesystem blob store, for services the tests start without a blob_dir of their own
# (content-addressed, so tests sharing it cannot disturb each other); never the repository's var/.
if "DOCUMENT_VERSIONING_BLOB_DIR" not in os.environ:
    os.environ["DOCUMENT_VERSIONING_BLOB_DIR"] = tempfile.mkdtemp(prefix="crm-test-blobs-")
    atexit.register(shutil.rmtree, os.environ["DOCUMENT_VERSIONING_BLOB_DIR"], ignore_errors=True)
identity.configure([os.environ[identity.KEY_ENV]], identity.GATEWAY, system_as_named_service=True)


@pytest.fixture
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A NATS of the test's own: a durable consumer left behind by an earlier
    test would otherwise feed that test's events into this one's database."""
    server = NatsServer(tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def nats_url(nats_server: NatsServer) -> str:
    return nats_server.url


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if pg_base_url() else ["sqlite"]


@pytest.fixture(params=_backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'service.db'}"
        return
    base = pg_base_url()
    assert base
    url = await create_pg_database(base)
    try:
        yield url
    finally:
        await drop_pg_database(url)
