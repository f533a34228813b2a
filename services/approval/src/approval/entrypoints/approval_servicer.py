"""gRPC servicer: translates requests to handler calls and approvals to messages."""

from __future__ import annotations

import grpc
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import approval_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from approval.domain.approval import Approval
from approval.service_layer.handlers import ApprovalHandlers, SubmitApproval



def approval_message(a: Approval) -> pb.ApprovalRequest:
    return pb.ApprovalRequest(
        approval_id=a.approval_id,
        tenant_id=a.tenant_id,
        subject_type=a.subject_type,
        subject_id=a.subject_id,
        document_version_id=a.document_version_id or "",
        reason=a.reason,
        status=a.status,
        requested_by=a.requested_by,
        decided_by=a.decided_by or "",
        comment=a.comment,
        requested_at=timestamp(a.requested_at),
        decided_at=timestamp(a.decided_at),
    )


class ApprovalServicer(pb_grpc.ApprovalServiceServicer):
    def __init__(self, handlers: ApprovalHandlers) -> None:
        self.handlers = handlers

    async def SubmitApproval(
        self, request: pb.SubmitApprovalRequest, context: grpc.aio.ServicerContext
    ) -> pb.SubmitApprovalResponse:
        approval = await self.handlers.submit(
            current_caller(),
            SubmitApproval(
                subject_type=request.subject_type,
                subject_id=request.subject_id,
                document_version_id=request.document_version_id,
                reason=request.reason,
            ),
        )
        return pb.SubmitApprovalResponse(approval=approval_message(approval))

    async def GetApproval(
        self, request: pb.GetApprovalRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetApprovalResponse:
        approval = await self.handlers.get(current_caller(), request.approval_id)
        return pb.GetApprovalResponse(approval=approval_message(approval))

    async def GetLatestApproval(
        self, request: pb.GetLatestApprovalRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetLatestApprovalResponse:
        approval = await self.handlers.latest(current_caller(), request.subject_type, request.subject_id)
        return pb.GetLatestApprovalResponse(approval=approval_message(approval) if approval else None)
