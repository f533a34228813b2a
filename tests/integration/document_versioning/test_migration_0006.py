"""Migration 0006 indexes the equipment models of every existing version
filed under an opportunity (by model key: case and spaces ignored), so an
ECN published after it reaches the orders uploaded before it; its
downgrade drops the index."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from document_versioning.domain.fields import fields_json, parse_fields
from sqlalchemy.ext.asyncio import create_async_engine

from tests.integration.document_versioning.test_migration_0002 import _alembic, _query
from tests.support.documents import PROPOSAL_VERSIONS

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


async def test_existing_equipment_lists_are_indexed_by_model(database_url: str) -> None:
    await asyncio.to_thread(_alembic, database_url, "upgrade", "0005")
    fields = PROPOSAL_VERSIONS[0].fields()  # HX-280 and MT-12
    fields["equipment"][0]["model"] = "hx 280"
    listed = fields_json(parse_fields(json.dumps(fields)))
    engine = create_async_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(
            sa.text("INSERT INTO blobs (tenant_id, sha256, size_bytes, store) VALUES ('t', :sha, 2, 'filesystem')"),
            {"sha": "a" * 64},
        )
        for doc, opportunity, subject in (("d-1", "opp-1", "opportunity"), ("d-2", "", "customer")):
            await conn.execute(
                sa.text(
                    "INSERT INTO documents (document_id, tenant_id, opportunity_id, doc_type, title, created_by,"
                    " created_at, subject_type, subject_id) VALUES (:d, 't', :o, '技术方案', '方案', 'rep-1', :at,"
                    " :s, 'x')"
                ),
                {"d": doc, "o": opportunity, "s": subject, "at": NOW},
            )
        for version, doc, number, fields_text in (
            ("v-1", "d-1", 1, listed),
            ("v-2", "d-1", 2, None),
            ("v-3", "d-2", 1, listed),
        ):
            await conn.execute(
                sa.text(
                    "INSERT INTO document_versions (version_id, document_id, tenant_id, version_number, filename,"
                    " content_type, size_bytes, sha256, created_by, created_at, fields)"
                    " VALUES (:v, :d, 't', :n, 'a.pdf', 'application/pdf', 2, :sha, 'rep-1', :at, :f)"
                ),
                {"v": version, "d": doc, "n": number, "sha": "a" * 64, "at": NOW, "f": fields_text},
            )
    await engine.dispose()

    await asyncio.to_thread(_alembic, database_url, "upgrade", "0006")
    rows = await _query(
        database_url, "SELECT tenant_id, model_key, version_id, opportunity_id FROM equipment_models ORDER BY model_key"
    )
    # The customer's document has no order an ECN can reach; the version without fields lists nothing.
    assert rows == [("t", "hx280", "v-1", "opp-1"), ("t", "mt-12", "v-1", "opp-1")]

    await asyncio.to_thread(_alembic, database_url, "downgrade", "0005")
    tables = await _query(database_url, "SELECT count(*) FROM document_versions")
    assert tables == [(3,)]
