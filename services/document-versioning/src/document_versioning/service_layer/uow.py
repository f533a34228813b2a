from crm_shared.db import UnitOfWork

from document_versioning.adapters.blob_repository import BlobRepository
from document_versioning.adapters.contract_repository import ContractRepository
from document_versioning.adapters.delivery_repository import DeliveryRepository
from document_versioning.adapters.document_repository import DocumentRepository
from document_versioning.adapters.document_type_repository import DocumentTypeRepository
from document_versioning.adapters.ecn_repository import EcnRepository
from document_versioning.adapters.knowledge_repository import KnowledgeRepository
from document_versioning.adapters.snapshot_repository import SnapshotRepository
from document_versioning.adapters.text_repository import TextRepository


class DocumentVersioningUnitOfWork(UnitOfWork):
    documents: DocumentRepository
    document_types: DocumentTypeRepository
    snapshots: SnapshotRepository
    contracts: ContractRepository
    ecns: EcnRepository
    deliveries: DeliveryRepository
    blobs: BlobRepository
    texts: TextRepository
    knowledge: KnowledgeRepository

    def _open(self) -> None:
        self.documents = DocumentRepository(self.session)
        self.document_types = DocumentTypeRepository(self.session)
        self.snapshots = SnapshotRepository(self.session)
        self.contracts = ContractRepository(self.session)
        self.ecns = EcnRepository(self.session)
        self.deliveries = DeliveryRepository(self.session)
        self.blobs = BlobRepository(self.session)
        self.texts = TextRepository(self.session)
        self.knowledge = KnowledgeRepository(self.session)
