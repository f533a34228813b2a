from crm_shared.db import UnitOfWork

from document_versioning.adapters.blob_repository import BlobRepository
from document_versioning.adapters.document_repository import DocumentRepository


class DocumentVersioningUnitOfWork(UnitOfWork):
    documents: DocumentRepository
    blobs: BlobRepository

    def _open(self) -> None:
        self.documents = DocumentRepository(self.session)
        self.blobs = BlobRepository(self.session)
