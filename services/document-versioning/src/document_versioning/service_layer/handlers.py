"""Use cases of document-versioning: check who may, open a unit of work,
call the domain, publish, commit.

Who may read or write a document follows who may see its opportunity, as
opportunity decides (crm_shared.subject_access): reads need read access,
uploads write access. The check is made before the unit of work opens, so
no transaction waits on another service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm.events.v1 import document_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from document_versioning.domain.document import (
    READERS,
    UPLOADERS,
    Document,
    DocumentSummary,
    DocumentVersion,
    Upload,
    check_same_document,
    new_document,
    next_version,
    same_as_latest,
    validate_upload,
)
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

UowFactory = Callable[[], DocumentVersioningUnitOfWork]
SUBJECT = "opportunity"


@dataclass(frozen=True)
class Stored:
    document: Document
    version: DocumentVersion
    # True: the content was the latest version's; that version is answered, nothing stored.
    unchanged: bool = False


class DocumentHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess, version_retries: int = 5) -> None:
        self.uow = uow
        self.access = access
        self.version_retries = version_retries

    async def upload(self, caller: Caller, upload: Upload) -> Stored:
        caller.require_role(*UPLOADERS)
        validate_upload(upload)
        if upload.document_id:
            async with self.uow() as uow:
                document = await self._document(uow, caller, upload.document_id)
            # A document's opportunity never changes, so checking it once here holds for the store below.
            await self.access.require(
                caller, SUBJECT, document.opportunity_id, write=True, missing=_missing_document(upload.document_id)
            )
            check_same_document(document, upload)
        else:
            await self.access.require(caller, SUBJECT, upload.opportunity_id.strip(), write=True)
        for _ in range(self.version_retries):
            if stored := await self._store(caller, upload):
                return stored
        raise Conflict(f"document {upload.document_id} is being uploaded to concurrently; try again")

    async def _store(self, caller: Caller, upload: Upload) -> Stored | None:
        """One attempt; None when a concurrent upload took the next number first."""
        async with self.uow() as uow:
            now = uow.clock.now()
            if upload.document_id:
                document = await self._document(uow, caller, upload.document_id)
                latest = await uow.documents.latest_version(caller.tenant_id, document.document_id)
                if latest is not None and same_as_latest(latest, upload):
                    return Stored(document, latest, unchanged=True)
                latest_number = latest.version_number if latest else 0
            else:
                document = new_document(
                    document_id=new_id(), tenant_id=caller.tenant_id, created_by=caller.user_id, now=now, upload=upload
                )
                await uow.documents.add_document(document)
                latest_number = 0
            version = next_version(
                document, latest_number, version_id=new_id(), created_by=caller.user_id, now=now, upload=upload
            )
            if not await uow.documents.add_version(version, upload.content):
                return None
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
                ),
            )
            await uow.commit()
        return Stored(document, version)

    async def get_version(
        self, caller: Caller, version_id: str, include_content: bool
    ) -> tuple[Document, DocumentVersion, bytes]:
        # No role check first: a partner (or anyone out of scope) hears "not found", as for a missing id.
        missing = f"document version {version_id} not found"
        async with self.uow() as uow:
            version = await uow.documents.get_version(caller.tenant_id, version_id)
            document = await uow.documents.get_document(caller.tenant_id, version.document_id) if version else None
        if version is None or document is None:
            raise NotFound(missing)
        await self._require_read(caller, document, missing)
        content = b""
        if include_content:
            async with self.uow() as uow:
                content = await uow.documents.content(caller.tenant_id, version.sha256)
        return document, version, content

    async def list_versions(self, caller: Caller, document_id: str) -> tuple[Document, list[DocumentVersion]]:
        async with self.uow() as uow:
            document = await self._document(uow, caller, document_id)
        await self._require_read(caller, document, _missing_document(document_id))
        async with self.uow() as uow:
            return document, await uow.documents.list_versions(caller.tenant_id, document_id)

    async def list_documents(self, caller: Caller, opportunity_id: str, doc_type: str) -> list[DocumentSummary]:
        caller.require_role(*READERS)
        if not opportunity_id.strip():
            raise InvalidArgument.field("opportunity_id", "is required")
        await self.access.require(caller, SUBJECT, opportunity_id.strip())
        async with self.uow() as uow:
            return await uow.documents.list_documents(caller.tenant_id, opportunity_id.strip(), doc_type.strip())

    async def _require_read(self, caller: Caller, document: Document, missing: str) -> None:
        if caller.role not in READERS:
            raise NotFound(missing)
        await self.access.require(caller, SUBJECT, document.opportunity_id, missing=missing)

    @staticmethod
    async def _document(uow: DocumentVersioningUnitOfWork, caller: Caller, document_id: str) -> Document:
        document = await uow.documents.get_document(caller.tenant_id, document_id)
        if document is None:
            raise NotFound(_missing_document(document_id))
        return document


def _missing_document(document_id: str) -> str:
    return f"document {document_id} not found"
