"""Versions: THE one path that creates a version (create_with; create and
upload end there), and every read of documents and versions, with access
decided by domain/access.py.

The unary UploadVersion and the streaming upload (uploads.py) both end in
create; a contract's signed PDF and an ECN's notice call create_with, so
their own rows and events commit in the version's transaction. Who may see a subject is opportunity's answer
(crm_shared.subject_access), asked before the unit of work opens, so no
transaction waits on another service; a document's subject never changes,
so the answer holds for the store that follows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from crm.events.v1 import document_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound, PermissionDenied, Validator
from crm_shared.ids import new_id
from crm_shared.paging import decode_key, decode_token, encode_key, encode_token, page_size
from crm_shared.subject_access import SubjectAccess

from document_versioning.adapters.blob_store import BlobStore
from document_versioning.adapters.field_extraction import extract_fields, kind_of
from document_versioning.domain.access import (
    SUBJECT_TYPES,
    SUBJECT_WRITERS,
    WRITERS,
    Filing,
    Governing,
    filing,
    governing,
    looks_up_owner,
)
from document_versioning.domain.blob import SizeLimits, StoredBlob, too_large
from document_versioning.domain.document import (
    MAX_CONTENT_BYTES,
    Document,
    DocumentSummary,
    DocumentVersion,
    VersionHeader,
    check_same_document,
    new_document,
    next_version,
    normalise,
    same_as_latest,
    validate_header,
)
from document_versioning.domain.document_type import DocumentType, check_known
from document_versioning.domain.fields import VersionFields, validate_fields
from document_versioning.service_layer.document_types import types_of
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

UowFactory = Callable[[], DocumentVersioningUnitOfWork]
# Every role that may write some document (before anything is looked up: a role
# that may write none hears 403 whatever the id).
ANY_WRITER = tuple(dict.fromkeys(SUBJECT_WRITERS + tuple(r for roles in WRITERS.values() for r in roles)))
# Files larger than this are not opened for field extraction.
MAX_EXTRACT_BYTES = 20 * 1024 * 1024


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


class VersionHandlers:
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
        self.uow = uow
        self.access = access
        self.blobs = blobs
        self.version_retries = version_retries
        self.limits = limits or SizeLimits()
        self.extract = extract

    # -- access (domain/access.py decides; opportunity answers for subjects) --

    async def require_read(self, caller: Caller, document: Document, missing: str = "") -> None:
        """NotFound (as for a missing id) unless the caller may read the document."""
        missing = missing or _missing_document(document.document_id)
        rule = _rule(document)
        if not rule.may_read_role(caller.role):
            raise NotFound(missing)
        if rule.asks_opportunity:
            await self.access.require(caller, rule.subject_type, rule.subject_id, missing=missing)

    async def require_write(self, caller: Caller, rule: Governing, missing: str = "") -> None:
        if not rule.may_read_role(caller.role) and missing:
            raise NotFound(missing)
        if rule.asks_opportunity:
            await self.access.require(caller, rule.subject_type, rule.subject_id, write=True, missing=missing)
        if not rule.may_write_role(caller.role):
            raise PermissionDenied(f"role {caller.role!r} may not add documents here")

    async def readable_document(self, caller: Caller, document_id: str) -> Document:
        async with self.uow() as uow:
            document = await uow.documents.get_document(caller.tenant_id, document_id)
        if document is None:
            raise NotFound(_missing_document(document_id))
        await self.require_read(caller, document)
        return document

    async def readable_version(self, caller: Caller, version_id: str) -> tuple[Document, DocumentVersion]:
        """The version and its document, when the caller may read it (NotFound otherwise)."""
        missing = f"document version {version_id} not found"
        async with self.uow() as uow:
            version = await uow.documents.get_version(caller.tenant_id, version_id)
            document = await uow.documents.get_document(caller.tenant_id, version.document_id) if version else None
        if version is None or document is None:
            raise NotFound(missing)
        await self.require_read(caller, document, missing)
        return document, version

    async def _filing(
        self, uow: DocumentVersioningUnitOfWork, tenant_id: str, subject_type: str, subject_id: str, given: str
    ) -> Filing:
        """Where a new document on the subject is filed and what governs it (domain/access.py filing)."""
        owner = (
            await _owner_opportunity(uow, tenant_id, subject_type, subject_id) if looks_up_owner(subject_type) else None
        )
        return filing(subject_type, subject_id, given, owner)

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
                filed = await self._filing(
                    uow, caller.tenant_id, header.subject_type, header.subject_id, header.opportunity_id
                )
                header = replace(header, opportunity_id=filed.opportunity_id)
        if filed is None:
            if document is None:
                raise NotFound(_missing_document(header.document_id))
            await self.require_write(caller, _rule(document), missing=_missing_document(header.document_id))
            check_same_document(document, header)
            doc_type = next((t for t in types if t.code == document.doc_type), DocumentType(document.doc_type, ""))
        else:
            doc_type = check_known(header.doc_type, types)
            await self.require_write(caller, filed.rule)
            filed.check_given()
        if header.fields is not None:
            if not doc_type.carries_fields:
                raise InvalidArgument.field("fields", f"document type {doc_type.code} carries no structured fields")
            validate_fields(header.fields)
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
                raise NotFound(_missing_document(header.document_id))
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

    # -- reads --

    async def get_version(
        self, caller: Caller, version_id: str, include_content: bool
    ) -> tuple[Document, DocumentVersion, bytes]:
        document, version = await self.readable_version(caller, version_id)
        content = b""
        if include_content:
            if version.size_bytes > MAX_CONTENT_BYTES:
                raise InvalidArgument.field(
                    "include_content",
                    f"the version is larger than {MAX_CONTENT_BYTES // (1024 * 1024)} MiB; "
                    "download it (GET /v1/document-versions/{id}/content)",
                )
            content = await self.blobs.read_bytes(caller.tenant_id, version.sha256, MAX_CONTENT_BYTES)
        return document, version, content

    async def list_versions(
        self, caller: Caller, document_id: str, size: int = 0, token: str = ""
    ) -> tuple[Document, list[DocumentVersion], str]:
        """By number, a page at a time; the next page's token ("" at the end)."""
        limit = page_size(size)
        after = decode_key(token, arity=1)
        document = await self.readable_document(caller, document_id)
        after_number = int(after[0][0]) if after else 0
        async with self.uow() as uow:
            versions = await uow.documents.list_versions(
                caller.tenant_id, document_id, after_number=after_number, limit=limit + 1
            )
        more = len(versions) > limit
        versions = versions[:limit]
        return document, versions, encode_key([versions[-1].version_number], versions[-1].version_id) if more else ""

    async def list_documents(
        self, caller: Caller, subject_type: str, subject_id: str, doc_type: str, size: int = 0, token: str = ""
    ) -> tuple[list[DocumentSummary], str]:
        """A subject's documents, oldest first, a page at a time."""
        subject_type, subject_id = subject_type.strip(), subject_id.strip()
        v = Validator()
        if subject_type not in SUBJECT_TYPES:
            v.add("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
        v.require("subject_id", subject_id)
        v.check()
        limit = page_size(size)
        after = decode_token(token)
        caller.require_role(*governing(subject_type, subject_id, "").read_roles)
        # A record's own opportunity decides (a contract's), asked before any row is read: deciding
        # from the page's first document let an empty page (a doc_type filter) answer 200 where a
        # full one answered 404, telling an outsider what the contract holds.
        if looks_up_owner(subject_type):
            async with self.uow() as uow:
                filed = await self._filing(uow, caller.tenant_id, subject_type, subject_id, "")
        else:
            filed = filing(subject_type, subject_id, "")
        if filed.rule.asks_opportunity:
            await self.access.require(caller, filed.rule.subject_type, filed.rule.subject_id, missing=filed.missing)
        async with self.uow() as uow:
            page = await uow.documents.list_documents(
                caller.tenant_id, subject_type, subject_id, doc_type.strip(), after=after, limit=limit + 1
            )
        more = len(page) > limit
        page = page[:limit]
        last = page[-1].document if page else None
        return page, encode_token(last.created_at, last.document_id) if more and last else ""


async def _owner_opportunity(
    uow: DocumentVersioningUnitOfWork, tenant_id: str, subject_type: str, subject_id: str
) -> str | None:
    """The opportunity of the record a subject names (access.OWNED_BY_RECORD: a contract); None when
    the tenant has no such record."""
    record = await uow.contracts.get(tenant_id, subject_id)
    return record.opportunity_id if record else None


def _rule(document: Document) -> Governing:
    return governing(document.subject_type, document.subject_id, document.opportunity_id)


def _missing_document(document_id: str) -> str:
    return f"document {document_id} not found"
