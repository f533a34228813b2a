from crm_shared.db import UnitOfWork

from document_versioning.adapters.document_repository import DocumentRepository


class DocumentVersioningUnitOfWork(UnitOfWork):
    documents: DocumentRepository

    def _open(self) -> None:
        self.documents = DocumentRepository(self.session)
