"""The knowledge-base index on a real database (SQLite, and PostgreSQL in CI):
an entry saved replaces its words and tags, the indexer never saves over an
entry of the same or a later version, postings are per tenant, and an
extracted text is cached once per tenant and sha256."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from crm_shared.db import Database
from document_versioning.adapters.text_extraction import ExtractedText
from document_versioning.domain.knowledge import KnowledgeEntry, KnowledgeTags
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

from tests.support.infra import migrate

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def entry(tenant: str, version: int, tags: KnowledgeTags, length: int = 3) -> KnowledgeEntry:
    return KnowledgeEntry(
        tenant, "doc-1", "注塑机案例", "知识库", f"v{version}", version, "a" * 64, tags, "mgr", NOW, length=length
    )


async def test_index_saves_replaces_and_never_goes_back(database_url: str) -> None:
    await migrate("document-versioning", database_url)
    db = Database(database_url, "document-versioning")
    tagged = KnowledgeTags(industries=("注塑机",), signals=("高意向",))
    try:
        async with DocumentVersioningUnitOfWork(db) as uow:
            assert await uow.knowledge.save(entry("t", 2, tagged), Counter({"注塑机": 2, "节能": 1}))
            assert await uow.knowledge.save(entry("other", 1, KnowledgeTags()), Counter({"注塑机": 5}))
            await uow.commit()
        async with DocumentVersioningUnitOfWork(db) as uow:
            # The indexer with version 1 (or 2 again) finds version 2 tagged there: nothing changes.
            assert not await uow.knowledge.save(entry("t", 1, KnowledgeTags()), Counter({"旧": 1}), only_if_newer=True)
            assert not await uow.knowledge.save(entry("t", 2, KnowledgeTags()), Counter({"旧": 1}), only_if_newer=True)
            await uow.commit()
        async with DocumentVersioningUnitOfWork(db) as uow:
            kept = await uow.knowledge.get("t", "doc-1")
            postings = await uow.knowledge.postings("t", ["注塑机", "旧"])
            tagged_ids = await uow.knowledge.tagged_with_any("t", KnowledgeTags(signals=("高意向",)))
            words = await uow.knowledge.tag_values("t")
        assert kept is not None and (kept.version_number, kept.tags) == (2, tagged)
        assert postings.counts == {"doc-1": {"注塑机": 2}} and postings.entries == 1
        assert tagged_ids == ["doc-1"]
        assert sorted(words) == ["注塑机", "高意向"]

        async with DocumentVersioningUnitOfWork(db) as uow:
            # Version 3 replaces version 2: its words only, the tags it carries.
            assert await uow.knowledge.save(entry("t", 3, tagged), Counter({"伺服": 1}), only_if_newer=True)
            await uow.commit()
        async with DocumentVersioningUnitOfWork(db) as uow:
            postings = await uow.knowledge.postings("t", ["注塑机", "伺服"])
            assert postings.counts == {"doc-1": {"伺服": 1}}
            assert [e.version_number for e in await uow.knowledge.entries("t")] == [3]
    finally:
        await db.dispose()


async def test_extracted_text_is_cached_per_tenant_and_blob(database_url: str) -> None:
    await migrate("document-versioning", database_url)
    db = Database(database_url, "document-versioning")
    text = ExtractedText("交期 30 天", "pdf", pages=2, scanned=False, truncated=True, note="n" * 600)
    try:
        async with DocumentVersioningUnitOfWork(db) as uow:
            await uow.texts.put("t", "a" * 64, text, NOW)
            await uow.texts.put("t", "a" * 64, text, NOW)  # again (a racing extraction): no error
            await uow.commit()
        async with DocumentVersioningUnitOfWork(db) as uow:
            cached = await uow.texts.get("t", "a" * 64)
            assert await uow.texts.get("other", "a" * 64) is None
        assert cached is not None
        assert (cached.text, cached.pages, cached.truncated, len(cached.note)) == ("交期 30 天", 2, True, 500)
    finally:
        await db.dispose()
