"""Reads of documents and versions, with access decided by domain/access.py.

Who may see a subject is opportunity's answer (crm_shared.subject_access),
asked before the unit of work opens, so no transaction waits on another
service; a document's subject never changes, so the answer holds for the
store that follows. Creating versions (versions.py) builds on these reads."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound
from crm_shared.paging import decode_key, decode_token, encode_key, encode_token, page_size
from crm_shared.subject_access import SubjectAccess

from document_versioning.adapters.blob_store import BlobStore
from document_versioning.domain.access import Filing, checked_subject, filing, governing, looks_up_owner
from document_versioning.domain.document import (
    MAX_CONTENT_BYTES,
    Document,
    DocumentSummary,
    DocumentVersion,
    missing_document,
    rule_of,
)
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

UowFactory = Callable[[], DocumentVersioningUnitOfWork]


class VersionReads:
    def __init__(self, uow: UowFactory, access: SubjectAccess, blobs: BlobStore) -> None:
        self.uow = uow
        self.access = access
        self.blobs = blobs

    # -- access (domain/access.py decides; opportunity answers for subjects) --

    async def require_read(self, caller: Caller, document: Document, missing: str = "") -> None:
        """NotFound (as for a missing id) unless the caller may read the document."""
        missing = missing or missing_document(document.document_id)
        rule = rule_of(document)
        if not rule.may_read_role(caller.role):
            raise NotFound(missing)
        if rule.asks_opportunity:
            await self.access.require(caller, rule.subject_type, rule.subject_id, missing=missing)

    async def readable_document(self, caller: Caller, document_id: str) -> Document:
        async with self.uow() as uow:
            document = await uow.documents.get_document(caller.tenant_id, document_id)
        if document is None:
            raise NotFound(missing_document(document_id))
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
        subject_type, subject_id = checked_subject(subject_type, subject_id)
        limit = page_size(size)
        after = decode_token(token)
        caller.require_role(*governing(subject_type, subject_id, "").read_roles)
        # A record's own opportunity decides (a contract's), asked before any row is read: deciding
        # from the page's first document let an empty page (a doc_type filter) answer 200 where a
        # full one answered 404, telling an outsider what the contract holds.
        if looks_up_owner(subject_type):
            async with self.uow() as uow:
                filed = await subject_filing(uow, caller.tenant_id, subject_type, subject_id, "")
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


async def subject_filing(
    uow: DocumentVersioningUnitOfWork, tenant_id: str, subject_type: str, subject_id: str, given: str
) -> Filing:
    """Where a new document on the subject is filed and what governs it (domain/access.py filing)."""
    owner = await _owner_opportunity(uow, tenant_id, subject_id) if looks_up_owner(subject_type) else None
    return filing(subject_type, subject_id, given, owner)


async def _owner_opportunity(uow: DocumentVersioningUnitOfWork, tenant_id: str, subject_id: str) -> str | None:
    """The opportunity of the record a subject names (access.OWNED_BY_RECORD: a contract); None when
    the tenant has no such record."""
    record = await uow.contracts.get(tenant_id, subject_id)
    return record.opportunity_id if record else None
