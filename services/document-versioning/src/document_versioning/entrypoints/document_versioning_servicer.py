"""gRPC servicer: translates requests to handler calls and documents to messages."""

from __future__ import annotations

import grpc
from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from document_versioning.domain.document import Document, DocumentVersion, Upload
from document_versioning.service_layer.handlers import DocumentHandlers


def version_message(document: Document, v: DocumentVersion) -> pb.DocumentVersion:
    return pb.DocumentVersion(
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
    )


class DocumentVersioningServicer(pb_grpc.DocumentVersioningServiceServicer):
    def __init__(self, handlers: DocumentHandlers) -> None:
        self.handlers = handlers

    async def UploadVersion(
        self, request: pb.UploadVersionRequest, context: grpc.aio.ServicerContext
    ) -> pb.UploadVersionResponse:
        stored = await self.handlers.upload(
            current_caller(),
            Upload(
                document_id=request.document_id,
                opportunity_id=request.opportunity_id,
                doc_type=request.doc_type,
                title=request.title,
                filename=request.filename,
                content_type=request.content_type,
                content=request.content,
            ),
        )
        return pb.UploadVersionResponse(
            version=version_message(stored.document, stored.version), unchanged=stored.unchanged
        )

    async def GetVersion(
        self, request: pb.GetVersionRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetVersionResponse:
        document, version, content = await self.handlers.get_version(
            current_caller(), request.version_id, request.include_content
        )
        return pb.GetVersionResponse(version=version_message(document, version), content=content)

    async def ListVersions(
        self, request: pb.ListVersionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListVersionsResponse:
        document, versions = await self.handlers.list_versions(current_caller(), request.document_id)
        return pb.ListVersionsResponse(versions=[version_message(document, v) for v in versions])

    async def ListDocuments(
        self, request: pb.ListDocumentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDocumentsResponse:
        summaries = await self.handlers.list_documents(current_caller(), request.opportunity_id, request.doc_type)
        return pb.ListDocumentsResponse(
            documents=[
                pb.Document(
                    document_id=s.document.document_id,
                    opportunity_id=s.document.opportunity_id,
                    doc_type=s.document.doc_type,
                    title=s.document.title,
                    latest_version_number=s.latest_version_number,
                    latest_version_id=s.latest_version_id,
                )
                for s in summaries
            ]
        )
