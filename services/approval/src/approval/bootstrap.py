"""The only place approval is wired together."""

from __future__ import annotations

from crm.approval.v1 import approval_pb2, approval_pb2_grpc
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.runtime import Runtime
from crm_shared.subject_access import SubjectAccess

from approval.adapters.documents import DocumentVersions
from approval.config import SERVICE, Settings
from approval.entrypoints.approval_servicer import ApprovalServicer
from approval.service_layer.handlers import ApprovalHandlers
from approval.service_layer.uow import ApprovalUnitOfWork


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    access = SubjectAccess(settings.opportunity_addr, SERVICE, settings.access_timeout_s)
    documents = DocumentVersions(settings.document_versioning_addr, settings.access_timeout_s)
    handlers = ApprovalHandlers(lambda: ApprovalUnitOfWork(db), access, documents)

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            approval_pb2_grpc.add_ApprovalServiceServicer_to_server,
            ApprovalServicer(handlers),
            approval_pb2.DESCRIPTOR.services_by_name["ApprovalService"].full_name,
        )
        runtime.on_close += [access.close, documents.close]

    return Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
