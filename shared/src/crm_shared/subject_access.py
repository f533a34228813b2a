"""Who may read or write something about a subject (an opportunity or a
customer) follows who may see that subject, as the service owning it
decides. Documents, approvals and payments ask opportunity's
SubjectAccessService at every call (no cache: a reassignment or a new
manager counts at once; docs/adr/0004-subject-access.md).

    await access.require(caller, "opportunity", opportunity_id, write=True)

raises NotFound when the subject is not in the caller's tenant or the
caller may not see it (the two read alike, so existence never leaks),
PermissionDenied when the caller sees it but may only read, and
Unavailable when opportunity cannot be asked (nothing may then change)."""

from __future__ import annotations

from crm.opportunity.v1 import access_pb2, access_pb2_grpc

from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, PermissionDenied, Unavailable
from crm_shared.grpc_client import Peer, rpc_code
from crm_shared.logs import get_logger

log = get_logger("crm.subject_access")

DEFAULT_TIMEOUT_S = 5.0


class SubjectAccess:
    """A client of opportunity's SubjectAccessService for one calling service.
    The channel opens on first use (nothing connects at import or build)."""

    def __init__(self, address: str, service: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.service = service
        self.peer = Peer("opportunity", address, timeout_s=timeout_s)

    def _stub(self) -> access_pb2_grpc.SubjectAccessServiceStub:
        if not self.peer.address:
            raise Unavailable(
                f"{self.service} does not know where opportunity is (its OPPORTUNITY_ADDR is empty); nothing was changed"
            )
        return self.peer.stub(access_pb2_grpc.SubjectAccessServiceStub)

    async def require(
        self, caller: Caller, subject_type: str, subject_id: str, *, write: bool = False, missing: str = ""
    ) -> None:
        """`missing` is the NotFound message to give (e.g. "document d-1 not
        found" when the subject was reached through a document); by default
        the subject is named."""
        if caller.role == "system":
            # Another service acting for the whole tenant (opportunity's own
            # stage gates ask documents and approvals): its scope is the tenant
            # by the same rule, and asking back would be a round trip per call.
            return
        reply = await self._ask(caller, subject_type, subject_id)
        if not (reply.exists and reply.readable):
            raise NotFound(missing or f"{subject_type} {subject_id} not found")
        if write and not reply.writable:
            raise PermissionDenied(f"role {caller.role!r} may read this {subject_type} but not change it")

    async def _ask(self, caller: Caller, subject_type: str, subject_id: str) -> access_pb2.CheckSubjectAccessResponse:
        request = access_pb2.CheckSubjectAccessRequest(
            tenant_id=caller.tenant_id,
            user_id=caller.user_id,
            role=caller.role,
            subject_type=subject_type,
            subject_id=subject_id,
        )
        # The service's own identity, never the user's: opportunity answers only services.
        asker = Caller(caller.tenant_id, self.service, "system", caller.trace_id)
        check = self._stub().CheckSubjectAccess
        try:
            return await self.peer.call(check, request, asker, decode=True)
        except DomainError as error:
            code = rpc_code(error).name
            # Whatever the reason (down, slow, or refusing this service), the
            # caller did nothing wrong: it may retry later, nothing changed.
            log.warning("subject access check failed", code=code, message=error.message)
            raise Unavailable(
                f"opportunity could not be asked who may see {subject_type} {subject_id} ({code}); nothing was changed"
            ) from error

    async def close(self) -> None:
        await self.peer.close()
