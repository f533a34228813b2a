"""Migration 0002 files every existing document on its opportunity as the
subject, gives versions an empty change summary and parent and no fields,
and its downgrade leaves the documents and versions as they were."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.infra import ROOT

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _alembic(url: str, action: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "document-versioning" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    getattr(command, action)(config, revision)


async def _query(url: str, sql: str) -> list[tuple]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            return [tuple(r) for r in (await conn.execute(sa.text(sql))).all()]
    finally:
        await engine.dispose()


async def test_existing_documents_are_filed_on_their_opportunity_and_come_back_on_downgrade(database_url: str) -> None:
    await asyncio.to_thread(_alembic, database_url, "upgrade", "0001")
    engine = create_async_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO documents (document_id, tenant_id, opportunity_id, doc_type, title, created_by, created_at)"
                " VALUES ('d-1', 't', 'opp-1', '技术方案', '方案', 'rep-1', :at)"
            ),
            {"at": NOW},
        )
        await conn.execute(
            sa.text("INSERT INTO blobs (tenant_id, sha256, size_bytes, content) VALUES ('t', :sha, 2, :c)"),
            {"sha": "a" * 64, "c": b"v1"},
        )
        await conn.execute(
            sa.text(
                "INSERT INTO document_versions (version_id, document_id, tenant_id, version_number, filename,"
                " content_type, size_bytes, sha256, created_by, created_at)"
                " VALUES ('v-1', 'd-1', 't', 1, 'a.pdf', 'application/pdf', 2, :sha, 'rep-1', :at)"
            ),
            {"sha": "a" * 64, "at": NOW},
        )
    await engine.dispose()

    await asyncio.to_thread(_alembic, database_url, "upgrade", "0002")
    assert await _query(database_url, "SELECT subject_type, subject_id, opportunity_id FROM documents") == [
        ("opportunity", "opp-1", "opp-1")
    ]
    assert await _query(database_url, "SELECT change_summary, parent_version_id, fields FROM document_versions") == [
        ("", "", None)
    ]
    assert await _query(database_url, "SELECT count(*) FROM document_types") == [(0,)]
    assert await _query(database_url, "SELECT count(*) FROM document_snapshots") == [(0,)]

    await asyncio.to_thread(_alembic, database_url, "downgrade", "0001")
    assert await _query(database_url, "SELECT document_id, opportunity_id FROM documents") == [("d-1", "opp-1")]
    assert await _query(database_url, "SELECT version_id, version_number FROM document_versions") == [("v-1", 1)]
