from crm_shared.db import UnitOfWork

from document_versioning.adapters.blob_repository import BlobRepository
from document_versioning.adapters.contract_repository import ContractRepository
from document_versioning.adapters.document_repository import DocumentRepository
from document_versioning.adapters.ecn_repository import EcnRepository


class DocumentVersioningUnitOfWork(UnitOfWork):
    documents: DocumentRepository
    contracts: ContractRepository
    ecns: EcnRepository
    blobs: BlobRepository

    def _open(self) -> None:
        self.documents = DocumentRepository(self.session)
        self.contracts = ContractRepository(self.session)
        self.ecns = EcnRepository(self.session)
        self.blobs = BlobRepository(self.session)
