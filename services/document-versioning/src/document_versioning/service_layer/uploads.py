"""Streaming content: uploads that are never held whole in memory, and
reads of a version's bytes, whole or one range.

An upload is checked before any byte is stored (the header, the caller's
right to add it, the document type: VersionHandlers.prepare), streamed into
the blob store under the tenant's and the type's size limit (past it:
TooLarge, and the store keeps nothing), then handed to the one path that
creates versions (VersionHandlers.create). Who may read a version's
bytes is who may read the version (VersionHandlers.readable_version)."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Collection
from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument

from document_versioning.adapters.blob_store import BlobStore
from document_versioning.domain.blob import ByteRange, SizeLimits, byte_range
from document_versioning.domain.document import Document, DocumentVersion, VersionHeader
from document_versioning.service_layer.versions import Stored, VersionHandlers


@dataclass(frozen=True)
class Reading:
    """What a read answers: the version, the range served (None: the range
    asked for starts past the end), and its bytes (None: nothing to send)."""

    document: Document
    version: DocumentVersion
    range: ByteRange | None
    not_modified: bool
    chunks: AsyncIterator[bytes] | None


class ContentHandlers:
    def __init__(self, versions: VersionHandlers, blobs: BlobStore, limits: SizeLimits) -> None:
        self.versions = versions
        self.blobs = blobs
        self.limits = limits

    async def upload(self, caller: Caller, header: VersionHeader, chunks: AsyncIterable[bytes]) -> Stored:
        prepared = await self.versions.prepare(caller, header)
        limit = self.limits.for_upload(caller.tenant_id, prepared.doc_type.code)
        blob = await self.blobs.put(caller.tenant_id, await _not_empty(chunks), max_bytes=limit)
        staged = await self.versions.stage(
            caller, prepared.header, blob, prepared.header.content_type, prepared=prepared
        )
        return await self.versions.create(caller, staged)

    async def read(
        self,
        caller: Caller,
        version_id: str,
        *,
        offset: int = 0,
        length: int | None = None,
        suffix_length: int | None = None,
        if_none_match: Collection[str] = (),
    ) -> Reading:
        """if_none_match: the sha256s the reader holds ("*": any); holding this one, no bytes are sent."""
        document, version = await self.versions.readable_version(caller, version_id)
        if version.sha256 in if_none_match or "*" in if_none_match:
            return Reading(document, version, byte_range(version.size_bytes), True, None)
        served = byte_range(version.size_bytes, offset, length, suffix_length)
        if served is None or served.length == 0:
            return Reading(document, version, served, False, None)
        chunks = self.blobs.read(caller.tenant_id, version.sha256, served.start, served.end)
        return Reading(document, version, served, False, chunks)


async def _not_empty(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """The same chunks, once one with bytes has come: empty content is refused before anything is stored."""
    iterator = aiter(chunks)
    async for first in iterator:
        if first:
            break
    else:
        raise InvalidArgument.field("content", "must not be empty")

    async def all_of() -> AsyncIterator[bytes]:
        yield first
        async for chunk in iterator:
            yield chunk

    return all_of()
