"""The extracted text of a version, shared by the diff and the knowledge
base: from the cache (per tenant and sha256) or extracted once and cached.
Bytes come from the blob store (`read_bytes`); a blob past the extraction
bound is not read at all, and its text says so."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from document_versioning.adapters.text_extraction import ExtractedText, ExtractionLimits, extract_text, kind_of
from document_versioning.domain.document import DocumentVersion
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

# read_bytes(tenant_id, sha256, max_bytes) -> the blob's bytes.
ReadBytes = Callable[[str, str, int], Awaitable[bytes]]
UowFactory = Callable[[], DocumentVersioningUnitOfWork]


class VersionTexts:
    def __init__(self, uow: UowFactory, read_bytes: ReadBytes, limits: ExtractionLimits, max_bytes: int) -> None:
        self.uow = uow
        self.read_bytes = read_bytes
        self.limits = limits
        self.max_bytes = max_bytes

    async def of(self, version: DocumentVersion, uow: DocumentVersioningUnitOfWork | None = None) -> ExtractedText:
        """The text of a version the caller was allowed to read (checked before).
        Inside `uow` when given (an event consumer's; it commits), else in units of work of its own."""
        if uow is not None:
            return await self._of(version, uow)
        async with self.uow() as own:
            extracted = await self._of(version, own)
            await own.commit()
        return extracted

    async def _of(self, version: DocumentVersion, uow: DocumentVersioningUnitOfWork) -> ExtractedText:
        cached = await uow.texts.get(version.tenant_id, version.sha256)
        if cached is not None:
            return cached
        kind = kind_of(version.content_type, version.filename)
        if kind == "unsupported":
            extracted = ExtractedText("", kind, note=f"no text is extracted from {version.content_type}")
        elif version.size_bytes > self.max_bytes:
            extracted = ExtractedText(
                "", kind, truncated=True, note=f"larger than {self.max_bytes // (1024 * 1024)} MiB: not extracted"
            )
        else:
            data = await self.read_bytes(version.tenant_id, version.sha256, self.max_bytes)
            # Parsing is CPU work: off the event loop.
            extracted = await asyncio.to_thread(extract_text, data, version.content_type, version.filename, self.limits)
        await uow.texts.put(version.tenant_id, version.sha256, extracted, uow.clock.now())
        return extracted
