"""The upload use case on fakes: a new document, its next version, and the
same content again (nothing stored, the latest version answered)."""

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound, PermissionDenied
from crm_shared.testing import FakeSubjectAccess, FakeUnitOfWork
from document_versioning.domain.document import Document, DocumentVersion, Upload
from document_versioning.service_layer.handlers import DocumentHandlers

REP = Caller("t-1", "rep-1", "rep")


class FakeDocuments:
    """Documents and versions by id; versions are only ever added."""

    def __init__(self) -> None:
        self.documents: dict[tuple[str, str], Document] = {}
        self.versions: dict[tuple[str, str], DocumentVersion] = {}
        self.blobs: dict[tuple[str, str], bytes] = {}

    async def add_document(self, document: Document) -> None:
        self.documents[(document.tenant_id, document.document_id)] = document

    async def get_document(self, tenant_id: str, document_id: str) -> Document | None:
        return self.documents.get((tenant_id, document_id))

    async def latest_version(self, tenant_id: str, document_id: str) -> DocumentVersion | None:
        return max(await self.list_versions(tenant_id, document_id), key=lambda v: v.version_number, default=None)

    async def list_versions(self, tenant_id: str, document_id: str) -> list[DocumentVersion]:
        found = [v for v in self.versions.values() if (v.tenant_id, v.document_id) == (tenant_id, document_id)]
        return sorted(found, key=lambda v: v.version_number)

    async def add_version(self, version: DocumentVersion, content: bytes) -> bool:
        taken = any(
            v.version_number == version.version_number
            for v in await self.list_versions(version.tenant_id, version.document_id)
        )
        if taken:
            return False
        self.blobs.setdefault((version.tenant_id, version.sha256), content)
        self.versions[(version.tenant_id, version.version_id)] = version
        return True


def upload(content: bytes, document_id: str = "") -> Upload:
    return Upload(
        document_id=document_id,
        opportunity_id="" if document_id else "opp-1",
        doc_type="" if document_id else "contract",
        title="" if document_id else "年度框架合同",
        filename="合同.pdf",
        content_type="application/pdf",
        content=content,
    )


@pytest.fixture
def world() -> tuple[DocumentHandlers, FakeUnitOfWork, FakeDocuments, FakeSubjectAccess]:
    documents = FakeDocuments()
    uow = FakeUnitOfWork(documents=documents)
    access = FakeSubjectAccess()
    access.allow(REP, "opp-1")
    return DocumentHandlers(lambda: uow, access), uow, documents, access


async def test_versions_are_numbered_and_announced(world) -> None:
    handlers, uow, documents, _ = world
    first = await handlers.upload(REP, upload(b"%PDF v1"))
    second = await handlers.upload(REP, upload(b"%PDF v2", first.document.document_id))
    assert (first.version.version_number, second.version.version_number) == (1, 2)
    assert second.document == first.document and first.document.opportunity_id == "opp-1"
    created = uow.events("document.version_created")
    assert [(e.version_number, e.opportunity_id, e.doc_type) for e in created] == [
        (1, "opp-1", "contract"),
        (2, "opp-1", "contract"),
    ]
    assert uow.commits == 2 and len(documents.blobs) == 2


async def test_the_same_content_again_stores_nothing(world) -> None:
    handlers, uow, documents, _ = world
    first = await handlers.upload(REP, upload(b"%PDF v1"))
    again = await handlers.upload(REP, upload(b"%PDF v1", first.document.document_id))
    assert again.unchanged and again.version == first.version
    assert len(uow.published) == 1 and len(documents.versions) == 1


async def test_upload_needs_write_access_to_the_opportunity(world) -> None:
    handlers, uow, _, access = world
    reader = Caller("t-1", "mgr-2", "manager")
    access.allow(reader, "opp-1", write=False)
    with pytest.raises(PermissionDenied):
        await handlers.upload(reader, upload(b"%PDF"))
    with pytest.raises(NotFound):
        await handlers.upload(Caller("t-1", "rep-9", "rep"), upload(b"%PDF"))
    assert not uow.published
