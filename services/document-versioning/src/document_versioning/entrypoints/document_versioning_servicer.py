"""gRPC servicer of DocumentVersioningService: requests to handler calls,
documents, versions, fields, snapshots and types to messages."""

from __future__ import annotations

import grpc
from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from document_versioning.domain.document import Document, DocumentSummary, DocumentVersion, VersionHeader
from document_versioning.domain.document_type import DocumentType
from document_versioning.domain.fields import VersionFields, parse_fields
from document_versioning.domain.snapshot import Snapshot
from document_versioning.service_layer.document_types import DocumentTypeHandlers
from document_versioning.service_layer.snapshots import SnapshotHandlers
from document_versioning.service_layer.versions import VersionHandlers


def header_from(request: pb.UploadVersionRequest) -> VersionHeader:
    """An UploadVersionRequest's metadata (everything but its content)."""
    return VersionHeader(
        document_id=request.document_id,
        subject_type=request.subject_type,
        subject_id=request.subject_id,
        opportunity_id=request.opportunity_id,
        doc_type=request.doc_type,
        title=request.title,
        filename=request.filename,
        content_type=request.content_type,
        change_summary=request.change_summary,
        fields=parse_fields(request.fields_json),
    )


def fields_message(f: VersionFields) -> pb.VersionFields:
    return pb.VersionFields(
        currency=f.currency,
        total_minor=f.total_minor,
        instalments=[
            pb.Instalment(
                name=i.name, trigger=i.trigger, days=i.days, percent_bp=i.percent_bp, amount_minor=i.amount_minor
            )
            for i in f.instalments
        ],
        delivery_lead_time_days=f.delivery_lead_time_days,
        warranty_months=f.warranty_months,
        equipment=[
            pb.EquipmentRow(
                model=r.model, description=r.description, quantity=r.quantity, unit_price_minor=r.unit_price_minor
            )
            for r in f.equipment
        ],
        source=f.source,
    )


def version_message(document: Document, v: DocumentVersion) -> pb.DocumentVersion:
    message = pb.DocumentVersion(
        version_id=v.version_id,
        document_id=v.document_id,
        tenant_id=v.tenant_id,
        version_number=v.version_number,
        opportunity_id=document.opportunity_id,
        doc_type=document.doc_type,
        title=document.title,
        filename=v.filename,
        content_type=v.content_type,
        size_bytes=v.size_bytes,
        sha256=v.sha256,
        created_by=v.created_by,
        created_at=timestamp(v.created_at),
        subject_type=document.subject_type,
        subject_id=document.subject_id,
        change_summary=v.change_summary,
        parent_version_id=v.parent_version_id,
    )
    if v.fields is not None:
        message.fields.CopyFrom(fields_message(v.fields))
    return message


def document_message(s: DocumentSummary) -> pb.Document:
    d = s.document
    return pb.Document(
        document_id=d.document_id,
        opportunity_id=d.opportunity_id,
        doc_type=d.doc_type,
        title=d.title,
        latest_version_number=s.latest_version_number,
        latest_version_id=s.latest_version_id,
        subject_type=d.subject_type,
        subject_id=d.subject_id,
        created_by=d.created_by,
        created_at=timestamp(d.created_at),
    )


def snapshot_message(s: Snapshot) -> pb.Snapshot:
    return pb.Snapshot(
        snapshot_id=s.snapshot_id,
        version_id=s.version_id,
        document_id=s.document_id,
        opportunity_id=s.opportunity_id,
        purpose=s.purpose,
        version_number=s.version_number,
        doc_type=s.doc_type,
        title=s.title,
        sha256=s.sha256,
        note=s.note,
        created_by=s.created_by,
        created_at=timestamp(s.created_at),
    )


def type_message(t: DocumentType) -> pb.DocumentType:
    return pb.DocumentType(code=t.code, name=t.name, carries_fields=t.carries_fields, seeded=t.seeded)


class DocumentVersioningServicer(pb_grpc.DocumentVersioningServiceServicer):
    def __init__(self, versions: VersionHandlers, snapshots: SnapshotHandlers, types: DocumentTypeHandlers) -> None:
        self.versions = versions
        self.snapshots = snapshots
        self.types = types

    async def UploadVersion(
        self, request: pb.UploadVersionRequest, context: grpc.aio.ServicerContext
    ) -> pb.UploadVersionResponse:
        header = header_from(request)
        stored = await self.versions.upload(current_caller(), header, request.content)
        return pb.UploadVersionResponse(
            version=version_message(stored.document, stored.version), unchanged=stored.unchanged
        )

    async def GetVersion(
        self, request: pb.GetVersionRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetVersionResponse:
        document, version, content = await self.versions.get_version(
            current_caller(), request.version_id, request.include_content
        )
        return pb.GetVersionResponse(version=version_message(document, version), content=content)

    async def ListVersions(
        self, request: pb.ListVersionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListVersionsResponse:
        document, versions, token = await self.versions.list_versions(
            current_caller(), request.document_id, request.page_size, request.page_token
        )
        return pb.ListVersionsResponse(versions=[version_message(document, v) for v in versions], next_page_token=token)

    async def ListDocuments(
        self, request: pb.ListDocumentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDocumentsResponse:
        subject_type, subject_id = request.subject_type, request.subject_id
        if not subject_type and not subject_id:
            # Callers before subjects (the stage gates) list an opportunity's documents.
            subject_type, subject_id = "opportunity", request.opportunity_id
        summaries, token = await self.versions.list_documents(
            current_caller(), subject_type, subject_id, request.doc_type, request.page_size, request.page_token
        )
        return pb.ListDocumentsResponse(documents=[document_message(s) for s in summaries], next_page_token=token)

    async def CreateSnapshot(
        self, request: pb.CreateSnapshotRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateSnapshotResponse:
        snapshot, existing = await self.snapshots.create(
            current_caller(), request.version_id, request.opportunity_id, request.purpose, request.note
        )
        return pb.CreateSnapshotResponse(snapshot=snapshot_message(snapshot), existing=existing)

    async def ListSnapshots(
        self, request: pb.ListSnapshotsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListSnapshotsResponse:
        page, token = await self.snapshots.list_for(
            current_caller(), request.opportunity_id, request.purpose, request.page_size, request.page_token
        )
        return pb.ListSnapshotsResponse(snapshots=[snapshot_message(s) for s in page], next_page_token=token)

    async def ListDocumentTypes(
        self, request: pb.ListDocumentTypesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDocumentTypesResponse:
        types = await self.types.list_types(current_caller())
        return pb.ListDocumentTypesResponse(types=[type_message(t) for t in types])

    async def SaveDocumentType(
        self, request: pb.SaveDocumentTypeRequest, context: grpc.aio.ServicerContext
    ) -> pb.SaveDocumentTypeResponse:
        saved, created = await self.types.save_type(
            current_caller(), request.code, request.name, request.carries_fields
        )
        return pb.SaveDocumentTypeResponse(type=type_message(saved), created=created)
