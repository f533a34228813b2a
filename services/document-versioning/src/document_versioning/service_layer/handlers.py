"""Use cases of document-versioning: open a unit of work, call the domain, publish, commit."""

from __future__ import annotations

from collections.abc import Callable

from crm.events.v1 import document_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.ids import new_id
from document_versioning.domain.model import (
    READERS,
    UPLOADERS,
    Document,
    DocumentSummary,
    DocumentVersion,
    Upload,
    check_same_document,
    new_document,
    next_version,
    validate_upload,
)
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

UowFactory = Callable[[], DocumentVersioningUnitOfWork]


class DocumentHandlers:
    def __init__(self, uow: UowFactory, version_retries: int = 5) -> None:
        self.uow = uow
        self.version_retries = version_retries

    async def upload(self, caller: Caller, upload: Upload) -> tuple[Document, DocumentVersion]:
        caller.require_role(*UPLOADERS)
        validate_upload(upload)
        for _ in range(self.version_retries):
            if stored := await self._store(caller, upload):
                return stored
        raise Conflict(f"document {upload.document_id} is being uploaded to concurrently; try again")

    async def _store(self, caller: Caller, upload: Upload) -> tuple[Document, DocumentVersion] | None:
        """One attempt; None when a concurrent upload took the next number first."""
        async with self.uow() as uow:
            now = uow.clock.now()
            if upload.document_id:
                document = await self._document(uow, caller, upload.document_id)
                check_same_document(document, upload)
                latest = await uow.documents.latest_number(document.document_id)
            else:
                document = new_document(
                    document_id=new_id(), tenant_id=caller.tenant_id, created_by=caller.user_id, now=now, upload=upload
                )
                await uow.documents.add_document(document)
                latest = 0
            version = next_version(
                document, latest, version_id=new_id(), created_by=caller.user_id, now=now, upload=upload
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
        return document, version

    async def get_version(
        self, caller: Caller, version_id: str, include_content: bool
    ) -> tuple[Document, DocumentVersion, bytes]:
        caller.require_role(*READERS)
        async with self.uow() as uow:
            version = await uow.documents.get_version(caller.tenant_id, version_id)
            if version is None:
                raise NotFound(f"document version {version_id} not found")
            document = await self._document(uow, caller, version.document_id)
            content = await uow.documents.content(caller.tenant_id, version.sha256) if include_content else b""
        return document, version, content

    async def list_versions(self, caller: Caller, document_id: str) -> tuple[Document, list[DocumentVersion]]:
        caller.require_role(*READERS)
        async with self.uow() as uow:
            document = await self._document(uow, caller, document_id)
            return document, await uow.documents.list_versions(caller.tenant_id, document_id)

    async def list_documents(self, caller: Caller, opportunity_id: str, doc_type: str) -> list[DocumentSummary]:
        caller.require_role(*READERS)
        if not opportunity_id.strip():
            raise InvalidArgument.field("opportunity_id", "is required")
        async with self.uow() as uow:
            return await uow.documents.list_documents(caller.tenant_id, opportunity_id.strip(), doc_type.strip())

    @staticmethod
    async def _document(uow: DocumentVersioningUnitOfWork, caller: Caller, document_id: str) -> Document:
        document = await uow.documents.get_document(caller.tenant_id, document_id)
        if document is None:
            raise NotFound(f"document {document_id} not found")
        return document
