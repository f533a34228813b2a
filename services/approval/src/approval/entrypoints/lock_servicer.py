"""gRPC servicer of ApprovalLockService: translates only."""

from __future__ import annotations

import grpc
from crm.approval.v1 import lock_pb2 as pb
from crm.approval.v1 import lock_pb2_grpc as pb_grpc
from crm_shared.grpc_server import current_caller

from approval.service_layer.locks import LockHandlers


class LockServicer(pb_grpc.ApprovalLockServiceServicer):
    def __init__(self, locks: LockHandlers) -> None:
        self.locks = locks

    async def GetSubjectLocks(
        self, request: pb.GetSubjectLocksRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetSubjectLocksResponse:
        found = await self.locks.subject_locks(current_caller(), request.subject_type, request.subject_id)
        return pb.GetSubjectLocksResponse(
            locks=[
                pb.SubjectLock(approval_id=k.approval_id, kind=k.kind, title=k.title, fields=list(k.fields))
                for k in found
            ]
        )
