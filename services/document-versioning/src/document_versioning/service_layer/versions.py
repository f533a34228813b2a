"""Versions: THE one path that creates a version (create_with; create and
upload end there), on top of the reads (version_reads.py) that decide who
may see a document.

The unary UploadVersion and the streaming upload (uploads.py) both end in
create; a contract's signed PDF and an ECN's notice call create_with, so
their own rows and events commit in the version's transaction. Who may add
to a subject is opportunity's answer (crm_shared.subject_access), asked
before the unit of work opens, so no transaction waits on another service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from crm.events.v1 import document_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, NotFound, PermissionDenied
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from document_versioning.adapters.blob_store import BlobStore
from document_versioning.adapters.field_extraction import extract_fields, kind_of
from document_versioning.domain.access import ANY_WRITER, Filing, Governing
from document_versioning.domain.blob import SizeLimits, StoredBlob, too_large
from document_versioning.domain.document import (
    Document,
    DocumentVersion,
    VersionHeader,
    check_same_document,
    missing_document,
    new_document,
    next_version,
    normalise,
    rule_of,
    same_as_latest,
    validate_header,
)
from document_versioning.domain.document_type import DocumentType, check_given_fields, check_known, type_of
from document_versioning.domain.fields import MAX_EXTRACT_BYTES, VersionFields, validate_fields
from document_versioning.service_layer.document_types import types_of
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.version_reads import UowFactory, VersionReads, subject_filing


class Extractor(Protocol):
    def __call__(self, filename: str, content_type: str, content: bytes) -> VersionFields | None: ...


@dataclass(frozen=True)
class Stored:
    document: Document
    version: DocumentVersion
    # True: the content was the latest version's; that version is answered, nothing stored.
    unchanged: bool = False


@dataclass(frozen=True)
class Staged:
    """A version ready to be written: checked, its bytes in the blob store, its fields known."""

    header: VersionHeader
    blob: StoredBlob


T = TypeVar("T")
# What a caller writes in the version's own unit of work, given the version.
Then = Callable[[DocumentVersioningUnitOfWork, Stored], Awaitable[T]]


async def _stored(uow: DocumentVersioningUnitOfWork, stored: Stored) -> Stored:
    return stored


@dataclass(frozen=True)
class Prepared:
    """A header checked for a caller: access granted, the type known; what
    stage and create need before the bytes are stored."""

    header: VersionHeader
    document: Document | None
    doc_type: DocumentType


class VersionHandlers(VersionReads):
    """The reads (VersionReads) and the writes of versions: one object, so every caller that
    creates a version reads through the same access rules."""

    def __init__(
        self,
        uow: UowFactory,
        access: SubjectAccess,
        blobs: BlobStore,
        *,
        version_retries: int = 5,
        limits: SizeLimits | None = None,
        extract: Extractor = extract_fields,
    ) -> None:
        super().__init__(uow, access, blobs)
        self.version_retries = version_retries
        self.limits = limits or SizeLimits()
        self.extract = extract

    async def require_write(self, caller: Caller, rule: Governing, missing: str = "") -> None:
        if not rule.may_read_role(caller.role):
            if missing:
                raise NotFound(missing)
            # A partner (who writes on a promotion application only) naming any other subject: refused by role,
            # which tells nothing about the subject.
            raise PermissionDenied(f"role {caller.role!r} may not add documents here")
        if rule.asks_opportunity:
            await self.access.require(caller, rule.subject_type, rule.subject_id, write=True, missing=missing)
        if not rule.may_write_role(caller.role):
            raise PermissionDenied(f"role {caller.role!r} may not add documents here")

    # -- creating versions --

    async def prepare(self, caller: Caller, header: VersionHeader, content: bytes | None = None) -> Prepared:
        """Checks the header (and a unary upload's bytes) and the caller's right to
        add it, before any byte is stored."""
        caller.require_role(*ANY_WRITER)
        header = normalise(header)
        validate_header(header, content)
        filed: Filing | None = None
        async with self.uow() as uow:
            document = (
                await uow.documents.get_document(caller.tenant_id, header.document_id) if header.document_id else None
            )
            types = await types_of(uow, caller.tenant_id)
            if not header.document_id:
                filed = await subject_filing(
                    uow, caller.tenant_id, header.subject_type, header.subject_id, header.opportunity_id
                )
                header = replace(header, opportunity_id=filed.opportunity_id)
        if filed is None:
            if document is None:
                raise NotFound(missing_document(header.document_id))
            await self.require_write(caller, rule_of(document), missing=missing_document(header.document_id))
            check_same_document(document, header)
            doc_type = type_of(document.doc_type, types)
        else:
            doc_type = check_known(header.doc_type, types)
            await self.require_write(caller, filed.rule)
            filed.check_given()
        check_given_fields(doc_type, header.fields)
        return Prepared(header, document, doc_type)

    async def upload(self, caller: Caller, header: VersionHeader, content: bytes) -> Stored:
        """The unary UploadVersion: small files sent whole."""
        return await self.create(caller, await self.stage_bytes(caller, header, content))

    async def stage_bytes(self, caller: Caller, header: VersionHeader, content: bytes) -> Staged:
        """A unary upload's checks, size limit and bytes stored, before its transaction."""
        prepared = await self.prepare(caller, header, content)
        limit = self.limits.for_upload(caller.tenant_id, prepared.doc_type.code)
        if len(content) > limit:
            raise too_large(limit)
        blob = await self.blobs.put_bytes(caller.tenant_id, content)
        return await self.stage(
            caller, prepared.header, blob, prepared.header.content_type, prepared=prepared, content=content
        )

    async def stage(
        self,
        caller: Caller,
        header: VersionHeader,
        blob: StoredBlob,
        content_type: str,
        *,
        prepared: Prepared | None = None,
        content: bytes | None = None,
    ) -> Staged:
        """Everything a version needs before its transaction: access by subject, the type, the
        fields (given, or extracted from the blob in a recognised template). `blob` is already in
        the blob store; a version that is never written leaves it for the sweep (blob_sweep.py)."""
        if prepared is None or prepared.header != normalise(header):
            prepared = await self.prepare(caller, header)
        header = replace(prepared.header, content_type=content_type.strip() or prepared.header.content_type)
        if header.fields is None and prepared.doc_type.carries_fields:
            header = replace(header, fields=await self._extracted(caller, header, blob, content))
        return Staged(header, blob)

    async def create(self, caller: Caller, staged: Staged) -> Stored:
        return await self.create_with(caller, staged, _stored)

    async def create_with(self, caller: Caller, staged: Staged, then: Then[T]) -> T:
        """THE one path that writes a version: numbering without gaps, the parent, the blob's row,
        document.version_created — in one unit of work with whatever `then(uow, stored)` writes
        beside it (a contract's signing, an ECN), so both commit or neither does. An upload that
        took the next number first makes the whole transaction retry."""
        for _ in range(self.version_retries):
            async with self.uow() as uow:
                stored = await self._add(uow, caller, staged.header, staged.blob)
                if stored is None:
                    continue  # rolled back on leaving the unit of work
                result = await then(uow, stored)
                await uow.commit()
                return result
        raise Conflict(f"document {staged.header.document_id} is being uploaded to concurrently; try again")

    async def _extracted(
        self, caller: Caller, header: VersionHeader, blob: StoredBlob, content: bytes | None
    ) -> VersionFields | None:
        if not kind_of(header.filename, header.content_type) or blob.size_bytes > MAX_EXTRACT_BYTES:
            return None
        if content is None:
            content = await self.blobs.read_bytes(caller.tenant_id, blob.sha256, MAX_EXTRACT_BYTES)
        # Parsing a workbook or a document is CPU work: off the event loop, so other calls go on.
        fields = await asyncio.to_thread(self.extract, header.filename, header.content_type, content)
        if fields is not None:
            validate_fields(fields)  # the file's own sums must add up too
        return fields

    async def _add(
        self, uow: DocumentVersioningUnitOfWork, caller: Caller, header: VersionHeader, blob: StoredBlob
    ) -> Stored | None:
        """One attempt, in the caller's unit of work; None when a concurrent upload took the next number first."""
        now = uow.clock.now()
        if header.document_id:
            document = await uow.documents.get_document(caller.tenant_id, header.document_id)
            if document is None:
                raise NotFound(missing_document(header.document_id))
            latest = await uow.documents.latest_version(caller.tenant_id, document.document_id)
            if latest is not None and same_as_latest(latest, blob.sha256, header.fields):
                return Stored(document, latest, unchanged=True)
        else:
            document = new_document(
                document_id=new_id(), tenant_id=caller.tenant_id, created_by=caller.user_id, now=now, header=header
            )
            await uow.documents.add_document(document)
            latest = None
        version = next_version(
            document,
            latest,
            version_id=new_id(),
            created_by=caller.user_id,
            now=now,
            header=header,
            sha256=blob.sha256,
            size_bytes=blob.size_bytes,
        )
        await uow.blobs.add(caller.tenant_id, blob, now)
        if not await uow.documents.add_version(version):
            return None
        await uow.documents.index_equipment(document, version)
        await uow.publish(
            "document.version_created",
            document.tenant_id,
            document.document_id,
            document_pb2.DocumentVersionCreated(
                document_id=document.document_id,
                version_id=version.version_id,
                version_number=version.version_number,
                opportunity_id=document.opportunity_id,
                doc_type=document.doc_type,
                sha256=version.sha256,
                subject_type=document.subject_type,
                subject_id=document.subject_id,
                previous_version_id=latest.version_id if latest else "",
                previous_sha256=latest.sha256 if latest else "",
                created_by=version.created_by,
                has_fields=version.fields is not None,
            ),
        )
        return Stored(document, version)
