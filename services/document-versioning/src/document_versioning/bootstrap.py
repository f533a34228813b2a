"""The only place document-versioning is wired together."""

from __future__ import annotations

from crm.document_versioning.v1 import document_versioning_pb2, document_versioning_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.runtime import Runtime
from crm_shared.subject_access import SubjectAccess

from document_versioning.adapters.blob_store import blob_store_from
from document_versioning.config import SERVICE, Settings
from document_versioning.entrypoints.document_versioning_servicer import DocumentVersioningServicer
from document_versioning.service_layer.handlers import DocumentHandlers
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    # Where version content lives (filesystem or S3); handlers that read or write bytes take it.
    blobs = blob_store_from(settings)
    access = SubjectAccess(settings.opportunity_addr, SERVICE, settings.access_timeout_s)
    handlers = DocumentHandlers(lambda: DocumentVersioningUnitOfWork(db), access, settings.version_retries)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            document_versioning_pb2_grpc.add_DocumentVersioningServiceServicer_to_server,
            DocumentVersioningServicer(handlers),
            document_versioning_pb2.DESCRIPTOR.services_by_name["DocumentVersioningService"].full_name,
        )
        runtime.on_close.append(access.close)
        runtime.on_close.append(blobs.close)

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
