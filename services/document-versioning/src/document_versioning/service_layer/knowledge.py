"""The knowledge base's use cases: tag an entry (and index its latest
version's text), search by tags and Chinese text, recommend entries for a
rep's situation. An entry is a document whose subject is "knowledge"; it is
tenant-wide internal material (domain/access.py): managers and admins tag,
every internal role reads, partners get nothing."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime

from crm.events.v1.document_pb2 import DocumentVersionCreated
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.events import unpack
from crm_shared.roles import KNOWLEDGE_READERS, KNOWLEDGE_TAGGERS

from document_versioning.adapters.segmenter import Segmenter
from document_versioning.domain.document import Document, DocumentVersion
from document_versioning.domain.knowledge import (
    Hit,
    KnowledgeEntry,
    KnowledgeTags,
    Situation,
    check_query,
    normalise_tags,
    page_size,
    rank_recommendations,
    rank_search,
    snippet,
)
from document_versioning.service_layer.texts import UowFactory, VersionTexts
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

SUBJECT = "knowledge"


class KnowledgeHandlers:
    def __init__(self, uow: UowFactory, texts: VersionTexts, segmenter: Segmenter) -> None:
        self.uow = uow
        self.texts = texts
        self.segmenter = segmenter

    async def set_tags(self, caller: Caller, document_id: str, tags: KnowledgeTags) -> KnowledgeEntry:
        caller.require_role(*KNOWLEDGE_TAGGERS)
        tags = normalise_tags(tags)
        missing = NotFound(f"knowledge-base document {document_id} not found")
        async with self.uow() as uow:
            document = await uow.documents.get_document(caller.tenant_id, document_id.strip())
            version = await uow.documents.latest_version(caller.tenant_id, document.document_id) if document else None
        if document is None or document.subject_type != SUBJECT or version is None:
            raise missing
        async with self.uow() as uow:
            entry, terms = await self._indexed(uow, document, version, tags, caller.user_id, uow.clock.now())
            await uow.knowledge.save(entry, terms)
            await uow.commit()
        return entry

    async def reindex(self, envelope: Envelope, uow: DocumentVersioningUnitOfWork) -> None:
        """document.version_created of a knowledge document: its text is indexed at once (an
        untagged entry is found by text; a manager tags it later), a new version in place of the
        old one with the tags kept."""
        event = unpack(envelope, DocumentVersionCreated)
        if event.subject_type != SUBJECT:
            return
        entry = await uow.knowledge.get(envelope.tenant_id, event.document_id)
        if entry is not None and entry.version_number >= event.version_number:
            return  # a redelivery, or tagging indexed this version (or a later one) already
        document = await uow.documents.get_document(envelope.tenant_id, event.document_id)
        version = await uow.documents.get_version(envelope.tenant_id, event.version_id)
        if document is None or version is None:
            raise ValueError(f"event {envelope.event_id}: version {event.version_id} is not stored")
        tags, by, at = (
            (entry.tags, entry.tagged_by, entry.tagged_at) if entry else (KnowledgeTags(), "", version.created_at)
        )
        new_entry, terms = await self._indexed(uow, document, version, tags, by, at)
        await uow.knowledge.save(new_entry, terms, only_if_newer=True)

    async def _indexed(
        self,
        uow: DocumentVersioningUnitOfWork,
        document: Document,
        version: DocumentVersion,
        tags: KnowledgeTags,
        by: str,
        at: datetime,
    ) -> tuple[KnowledgeEntry, Counter[str]]:
        extracted = await self.texts.of(version, uow)
        self.segmenter.add_words(tags.words)
        terms = await asyncio.to_thread(self.segmenter.terms, f"{document.title}\n{extracted.text}")
        entry = KnowledgeEntry(
            tenant_id=document.tenant_id,
            document_id=document.document_id,
            title=document.title,
            doc_type=document.doc_type,
            version_id=version.version_id,
            version_number=version.version_number,
            sha256=version.sha256,
            tags=tags,
            tagged_by=by,
            tagged_at=at,
            scanned=extracted.scanned,
            length=sum(terms.values()),
        )
        return entry, terms

    async def search(self, caller: Caller, text: str, tags: KnowledgeTags, size: int) -> tuple[list[Hit], list[str]]:
        caller.require_role(*KNOWLEDGE_READERS)
        text, tags, size = check_query(text), normalise_tags(tags), page_size(size)
        terms = await self._query_terms(caller.tenant_id, text, tags)
        if text and not terms:
            return [], []  # only stop words or punctuation: nothing to look for, not everything
        async with self.uow() as uow:
            postings = await uow.knowledge.postings(caller.tenant_id, terms)
            ids = list(postings.counts) if terms else None
            entries = await uow.knowledge.entries(caller.tenant_id, ids)
        hits = rank_search(entries, terms, tags, postings, size)
        return await self._with_snippets(hits, terms), terms

    async def recommend(self, caller: Caller, situation: Situation, size: int) -> list[Hit]:
        caller.require_role(*KNOWLEDGE_READERS)
        wanted = normalise_tags(situation.as_tags())
        text, size = check_query(situation.text), page_size(size)
        terms = await self._query_terms(caller.tenant_id, text, wanted)
        async with self.uow() as uow:
            ids = await uow.knowledge.tagged_with_any(caller.tenant_id, wanted)
            entries = await uow.knowledge.entries(caller.tenant_id, ids)
            postings = await uow.knowledge.postings(caller.tenant_id, terms)
        hits = rank_recommendations(entries, situation, terms, postings, size)
        return await self._with_snippets(hits, terms + list(wanted.words))

    async def _query_terms(self, tenant_id: str, text: str, tags: KnowledgeTags) -> list[str]:
        """The query's words, segmented with the tenant's tag values as words (its dictionary)."""
        if not text:
            return []
        async with self.uow() as uow:
            self.segmenter.add_words(await uow.knowledge.tag_values(tenant_id))
        self.segmenter.add_words(tags.words)
        return list(self.segmenter.terms(text))

    async def _with_snippets(self, hits: list[Hit], terms: list[str]) -> list[Hit]:
        found = []
        async with self.uow() as uow:
            for hit in hits:
                extracted = await uow.texts.get(hit.entry.tenant_id, hit.entry.sha256)
                text = extracted.text if extracted else hit.entry.title
                found.append(Hit(hit.entry, hit.score, hit.why, snippet(text, terms)))
        return found
