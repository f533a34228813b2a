"""Opportunity's one client of approval (a SystemPeer: this service's system
caller, the configured deadline, any failure PeerUnavailable): the latest
request of a kind on an opportunity, which a stage gate needs
(ApprovalService.GetLatestApproval), and the fields the opportunity's pending
requests lock (ApprovalLockService.GetSubjectLocks). One channel serves both."""

from __future__ import annotations

from crm.approval.v1 import approval_pb2, approval_pb2_grpc, lock_pb2, lock_pb2_grpc

from opportunity.adapters.peers import SystemPeer
from opportunity.domain.approval_lock import SubjectLock
from opportunity.domain.gate import ApprovalState

SUBJECT_TYPE = "opportunity"


class ApprovalClient:
    def __init__(self, peer: SystemPeer) -> None:
        self.peer = peer

    @property
    def configured(self) -> bool:
        return self.peer.configured

    async def latest(self, tenant_id: str, opportunity_id: str, kind: str) -> ApprovalState | None:
        """The opportunity's latest request of the kind; None when there never was one."""
        about = f"for the latest {kind} approval"
        stub = self.peer.stub(approval_pb2_grpc.ApprovalServiceStub, about)
        request = approval_pb2.GetLatestApprovalRequest(subject_type=SUBJECT_TYPE, subject_id=opportunity_id, kind=kind)
        reply = await self.peer.ask(tenant_id, stub.GetLatestApproval, request, about)
        if not reply.HasField("approval"):
            return None
        found = reply.approval
        return ApprovalState(approval_id=found.approval_id, status=found.status, stale=found.stale)

    async def subject_locks(self, tenant_id: str, opportunity_id: str) -> list[SubjectLock]:
        about = "which fields are locked"
        stub = self.peer.stub(lock_pb2_grpc.ApprovalLockServiceStub, about)
        request = lock_pb2.GetSubjectLocksRequest(subject_type=SUBJECT_TYPE, subject_id=opportunity_id)
        reply = await self.peer.ask(tenant_id, stub.GetSubjectLocks, request, about)
        return [SubjectLock(k.approval_id, k.kind, tuple(k.fields)) for k in reply.locks]

    async def close(self) -> None:
        await self.peer.close()
