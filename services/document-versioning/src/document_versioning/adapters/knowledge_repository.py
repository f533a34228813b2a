"""All SQL of the knowledge base: entries, their tags (one row per value,
for lookups by tag) and the inverted index of jieba words (one row per
entry and word, with its count). Our own index rather than SQLite FTS5 or
PostgreSQL full-text: the same SQL on both databases, and the segmentation
is jieba's either way (docs/adr/0007-documents.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import knowledge_entries, knowledge_tags, knowledge_terms
from document_versioning.domain.knowledge import TAG_KINDS, KnowledgeEntry, KnowledgeTags, Postings


def _entry(mapping: sa.RowMapping) -> KnowledgeEntry:
    data = {c.name: mapping[c.name] for c in knowledge_entries.c}
    data["tagged_at"] = as_utc(data["tagged_at"])
    data["tags"] = KnowledgeTags(**{kind: tuple(data["tags"].get(kind, ())) for kind in TAG_KINDS})
    return KnowledgeEntry(**data)


class KnowledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, entry: KnowledgeEntry, terms: Counter[str], *, only_if_newer: bool = False) -> bool:
        """The entry with its tags and words, replacing what was indexed before.
        only_if_newer: unless an entry of this or a later version is there (tagging raced
        the indexer and won); False when nothing was saved."""
        key = {"tenant_id": entry.tenant_id, "document_id": entry.document_id}
        this = (knowledge_entries.c.tenant_id == entry.tenant_id, knowledge_entries.c.document_id == entry.document_id)
        if only_if_newer:
            await self.session.execute(
                sa.delete(knowledge_entries).where(*this, knowledge_entries.c.version_number < entry.version_number)
            )
            if await self.session.scalar(sa.select(sa.func.count()).select_from(knowledge_entries).where(*this)):
                return False
        for table in (knowledge_terms, knowledge_tags, knowledge_entries):
            await self.session.execute(
                sa.delete(table).where(table.c.tenant_id == entry.tenant_id, table.c.document_id == entry.document_id)
            )
        row = asdict(entry) | {"tags": {kind: list(getattr(entry.tags, kind)) for kind in TAG_KINDS}}
        await self.session.execute(sa.insert(knowledge_entries).values(**row))
        tags = [key | {"kind": kind, "value": value} for kind, value in entry.tags.items()]
        if tags:
            await self.session.execute(sa.insert(knowledge_tags), tags)
        rows = [key | {"term": term, "count": count} for term, count in terms.items()]
        for chunk in in_chunks(rows):
            await self.session.execute(sa.insert(knowledge_terms), list(chunk))
        return True

    async def get(self, tenant_id: str, document_id: str) -> KnowledgeEntry | None:
        row = (
            await self.session.execute(
                sa.select(knowledge_entries).where(
                    knowledge_entries.c.tenant_id == tenant_id, knowledge_entries.c.document_id == document_id
                )
            )
        ).first()
        return _entry(row._mapping) if row else None

    async def entries(self, tenant_id: str, document_ids: Sequence[str] | None = None) -> list[KnowledgeEntry]:
        """The tenant's entries (those of document_ids when given)."""
        query = sa.select(knowledge_entries).where(knowledge_entries.c.tenant_id == tenant_id)
        if document_ids is None:
            return [_entry(r._mapping) for r in await self.session.execute(query)]
        found: list[KnowledgeEntry] = []
        for chunk in in_chunks(list(document_ids)):
            rows = await self.session.execute(query.where(knowledge_entries.c.document_id.in_(chunk)))
            found += [_entry(r._mapping) for r in rows]
        return found

    async def tagged_with_any(self, tenant_id: str, tags: KnowledgeTags) -> list[str]:
        """Entries having at least one of the tags."""
        pairs = tags.items()
        if not pairs:
            return []
        condition = sa.or_(*(sa.and_(knowledge_tags.c.kind == k, knowledge_tags.c.value == v) for k, v in pairs))
        rows = await self.session.execute(
            sa.select(knowledge_tags.c.document_id).distinct().where(knowledge_tags.c.tenant_id == tenant_id, condition)
        )
        return [r.document_id for r in rows]

    async def tag_values(self, tenant_id: str) -> list[str]:
        """Every tag value the tenant uses: its dictionary words for segmentation."""
        rows = await self.session.execute(
            sa.select(knowledge_tags.c.value).distinct().where(knowledge_tags.c.tenant_id == tenant_id)
        )
        return [r.value for r in rows]

    async def postings(self, tenant_id: str, terms: Sequence[str]) -> Postings:
        """The index's counts for the words, and the statistics BM25 needs."""
        counts: dict[str, dict[str, int]] = {}
        frequency: Counter[str] = Counter()
        for chunk in in_chunks(list(dict.fromkeys(terms))):
            rows = await self.session.execute(
                sa.select(knowledge_terms.c.document_id, knowledge_terms.c.term, knowledge_terms.c.count).where(
                    knowledge_terms.c.tenant_id == tenant_id, knowledge_terms.c.term.in_(chunk)
                )
            )
            for document_id, term, count in rows:
                counts.setdefault(document_id, {})[term] = count
                frequency[term] += 1
        total, average = (
            await self.session.execute(
                sa.select(sa.func.count(), sa.func.avg(knowledge_entries.c.length)).where(
                    knowledge_entries.c.tenant_id == tenant_id
                )
            )
        ).one()
        return Postings(counts, dict(frequency), int(total or 0), float(average or 0.0))

    async def candidates(self, tenant_id: str, terms: Sequence[str]) -> list[str]:
        """Entries holding at least one of the words."""
        found: set[str] = set()
        for chunk in in_chunks(list(dict.fromkeys(terms))):
            rows = await self.session.execute(
                sa.select(knowledge_terms.c.document_id)
                .distinct()
                .where(knowledge_terms.c.tenant_id == tenant_id, knowledge_terms.c.term.in_(chunk))
            )
            found |= {r.document_id for r in rows}
        return sorted(found)
