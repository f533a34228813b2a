"""Which fields of an opportunity its pending approval requests lock, asked of
approval through its one client (adapters/approval_client.py). Fails closed:
when approval cannot answer, the change waits (UNAVAILABLE, 503). With no
approval address configured there is no approval service, hence no lock."""

from __future__ import annotations

from opportunity.adapters.approval_client import ApprovalClient
from opportunity.domain.approval_lock import SubjectLock


class GrpcSubjectLocks:
    def __init__(self, approval: ApprovalClient) -> None:
        self.approval = approval

    async def locks(self, tenant_id: str, opportunity_id: str) -> list[SubjectLock]:
        if not self.approval.configured:
            # A deployment without approval has no requests, so nothing can be locked
            # (a configured approval that does not answer is refused by the client).
            return []
        return await self.approval.subject_locks(tenant_id, opportunity_id)
