"""Migration 0003 moves content out of the database: every blob's bytes are
copied to the configured store (filesystem or S3), checked against their
sha256, and the column emptied; its downgrade copies them back."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from document_versioning.adapters.blob_store import blob_store_from
from document_versioning.config import BlobStoreSettings
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.infra import ROOT
from tests.support.s3 import MotoServer, moto_server  # noqa: F401 - the fixture

CONTENTS = {"tenant-a": [b"\xe5\x90\x88\xe5\x90\x8c V3.2" * 100, b"quote"], "tenant-b": [b"quote"]}


def _alembic(url: str, action: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "document-versioning" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    getattr(command, action)(config, revision)


async def _rows(url: str) -> list[tuple]:
    """(tenant, sha256, size, content, store) of every blob row, at revision 0003 or later."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            query = sa.text("SELECT tenant_id, sha256, size_bytes, content, store FROM blobs ORDER BY tenant_id, sha256")
            return [tuple(r) for r in (await conn.execute(query)).all()]
    finally:
        await engine.dispose()


@pytest.fixture(params=["filesystem", "s3"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    if request.param == "filesystem":
        settings = {"blob_store": "filesystem", "blob_dir": str(tmp_path / "blobs")}
    else:
        moto: MotoServer = request.getfixturevalue("moto_server")
        settings = moto.settings(moto.bucket_for("migrated"))
    for key, value in settings.items():
        monkeypatch.setenv(f"DOCUMENT_VERSIONING_{key.upper()}", value)
    return settings


async def test_content_moves_to_the_store_and_back(database_url: str, store_env: dict[str, str]) -> None:
    await asyncio.to_thread(_alembic, database_url, "upgrade", "0002")
    engine = create_async_engine(database_url)
    async with engine.begin() as conn:
        for tenant, contents in CONTENTS.items():
            for content in contents:
                await conn.execute(
                    sa.text("INSERT INTO blobs (tenant_id, sha256, size_bytes, content) VALUES (:t, :s, :n, :c)"),
                    {"t": tenant, "s": hashlib.sha256(content).hexdigest(), "n": len(content), "c": content},
                )
    await engine.dispose()

    await asyncio.to_thread(_alembic, database_url, "upgrade", "0003")
    rows = await _rows(database_url)
    assert len(rows) == 3 and all(content is None for _, _, _, content, _ in rows)
    assert {store for *_, store in rows} == {store_env["blob_store"]}
    store = blob_store_from(BlobStoreSettings(**store_env))
    for tenant, contents in CONTENTS.items():
        for content in contents:
            assert await store.read_bytes(tenant, hashlib.sha256(content).hexdigest(), len(content)) == content

    await asyncio.to_thread(_alembic, database_url, "downgrade", "0002")
    engine = create_async_engine(database_url)
    async with engine.connect() as conn:
        back = (await conn.execute(sa.text("SELECT tenant_id, sha256, content FROM blobs"))).all()
    await engine.dispose()
    assert sorted((t, s, c) for t, s, c in back) == sorted(
        (t, hashlib.sha256(c).hexdigest(), c) for t, cs in CONTENTS.items() for c in cs
    )
