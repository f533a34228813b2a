"""Which fields of an opportunity its pending approval requests lock, asked of
approval (ApprovalLockService.GetSubjectLocks) as this service's system caller.
Fails closed: when approval cannot answer, the change waits (UNAVAILABLE, 503).
With no approval address configured there is no approval service, hence no lock."""

from __future__ import annotations

from crm.approval.v1 import lock_pb2, lock_pb2_grpc
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, Unavailable
from crm_shared.grpc_client import Peer, rpc_code

from opportunity.domain.approval_lock import SubjectLock

SYSTEM_USER = "opportunity"


class LocksUnavailable(Unavailable):
    """Approval did not answer whether the fields are locked: nothing was changed."""


class GrpcSubjectLocks:
    """The channel is opened on first use (nothing connects at import or build)."""

    def __init__(self, approval_addr: str, timeout_s: float) -> None:
        self.approval = Peer("approval", approval_addr, timeout_s=timeout_s)

    async def locks(self, tenant_id: str, opportunity_id: str) -> list[SubjectLock]:
        if not self.approval.address:
            # A deployment without approval has no requests, so nothing can be locked
            # (a configured approval that does not answer is refused below).
            return []
        stub = self.approval.stub(lock_pb2_grpc.ApprovalLockServiceStub)
        try:
            reply = await self.approval.call(
                stub.GetSubjectLocks,
                lock_pb2.GetSubjectLocksRequest(subject_type="opportunity", subject_id=opportunity_id),
                Caller(tenant_id, SYSTEM_USER, roles.SYSTEM),
                decode=True,
            )
        except DomainError as error:
            raise LocksUnavailable(
                "nothing was changed: approval could not say which fields are locked "
                f"({rpc_code(error).name}: {error.message})"
            ) from error
        return [SubjectLock(k.approval_id, k.kind, tuple(k.fields)) for k in reply.locks]

    async def close(self) -> None:
        await self.approval.close()
