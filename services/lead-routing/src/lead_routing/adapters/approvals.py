"""Lead-routing's client of approval: what the partner portal submits there
(deal registrations, protection extensions, promotion applications), as
lead-routing's system caller for the tenant (approval checks the subject with
lead-routing itself). Any failure is Unavailable: the caller keeps what it
owes and submits again later."""

from __future__ import annotations

from dataclasses import dataclass

from crm.approval.v1 import approval_pb2, approval_pb2_grpc
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, Unavailable
from crm_shared.grpc_client import Peer

SYSTEM_USER = "lead-routing"


def system_caller(tenant_id: str) -> Caller:
    return Caller(tenant_id, SYSTEM_USER, roles.SYSTEM)


@dataclass(frozen=True)
class ApprovalState:
    approval_id: str
    status: str


class Approvals:
    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    @property
    def configured(self) -> bool:
        return bool(self.peer.address)

    def _stub(self) -> approval_pb2_grpc.ApprovalServiceStub:
        if not self.configured:
            raise Unavailable("the address of approval is not configured: the request waits to be submitted")
        return self.peer.stub(approval_pb2_grpc.ApprovalServiceStub)

    async def submit(
        self, tenant_id: str, subject_type: str, subject_id: str, kind: str, reason: str, facts: dict[str, str]
    ) -> str:
        """The id of the approval request submitted for the subject."""
        request = approval_pb2.SubmitApprovalRequest(
            subject_type=subject_type,
            subject_id=subject_id,
            kind=kind,
            reason=reason,
            channel="api",
            given=[approval_pb2.Fact(name=name, value=value) for name, value in facts.items()],
        )
        reply = await self._ask(tenant_id, "SubmitApproval", request)
        return reply.approval.approval_id

    async def recall(self, tenant_id: str, approval_id: str, comment: str) -> None:
        """Withdraw a request lead-routing submitted and no longer waits for (e.g. a clash's loser)."""
        request = approval_pb2.RecallApprovalRequest(approval_id=approval_id, comment=comment, channel="api")
        await self._ask(tenant_id, "RecallApproval", request)

    async def latest(self, tenant_id: str, subject_type: str, subject_id: str, kind: str) -> ApprovalState | None:
        """The subject's latest request of the kind; None when there never was one
        (how a submission that went through before a stop is found again)."""
        request = approval_pb2.GetLatestApprovalRequest(subject_type=subject_type, subject_id=subject_id, kind=kind)
        reply = await self._ask(tenant_id, "GetLatestApproval", request)
        if not reply.HasField("approval"):
            return None
        return ApprovalState(reply.approval.approval_id, reply.approval.status)

    async def _ask(self, tenant_id: str, method: str, request: object) -> approval_pb2.SubmitApprovalResponse:
        stub = self._stub()
        try:
            return await self.peer.call(getattr(stub, method), request, system_caller(tenant_id), decode=True)
        except DomainError as error:
            raise Unavailable(f"approval did not take the request ({method}): {error}") from error

    async def close(self) -> None:
        await self.peer.close()
