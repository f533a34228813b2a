"""Who may read or write something about a subject follows who may see that
subject, as the service owning it decides: opportunity for an opportunity or
a customer, lead-routing for a partner's registration or promotion
application (docs/adr/0004-subject-access.md, 0010-partner-portal.md).
Documents, approvals and payments ask the owner's CheckSubjectAccess at every
call (no cache: a reassignment, a new manager or a new channel manager counts
at once).

    await access.require(caller, "opportunity", opportunity_id, write=True)

raises NotFound when the subject is not in the caller's tenant or the
caller may not see it (the two read alike, so existence never leaks),
PermissionDenied when the caller sees it but may only read, and
Unavailable when the owner cannot be asked (nothing may then change)."""

from __future__ import annotations

from typing import Any

from crm.lead_routing.v1 import partner_access_pb2_grpc
from crm.opportunity.v1 import access_pb2, access_pb2_grpc

from crm_shared.approval_kinds import PARTNER_SUBJECT_TYPES
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, PermissionDenied, Unavailable
from crm_shared.grpc_client import Peer, rpc_code
from crm_shared.logs import get_logger

log = get_logger("crm.subject_access")

DEFAULT_TIMEOUT_S = 5.0
OPPORTUNITY = "opportunity"
LEAD_ROUTING = "lead-routing"


def owner_of(subject_type: str) -> str:
    """The service that says who may see a subject of this type (and alone
    may submit what is about it for a partner): lead-routing for the partner
    portal's subjects, opportunity for everything else (opportunity answers
    "does not exist" for a type it does not know)."""
    return LEAD_ROUTING if subject_type in PARTNER_SUBJECT_TYPES else OPPORTUNITY


class SubjectAccess:
    """A client of the subject owners' CheckSubjectAccess for one calling
    service: opportunity's SubjectAccessService at `address`, lead-routing's
    PartnerSubjectAccessService at `lead_routing_address` (empty: that
    service asks nobody about partner subjects, and they are Unavailable).
    Channels open on first use (nothing connects at import or build)."""

    def __init__(
        self, address: str, service: str, timeout_s: float = DEFAULT_TIMEOUT_S, lead_routing_address: str = ""
    ) -> None:
        self.service = service
        self.peer = Peer(OPPORTUNITY, address, timeout_s=timeout_s)
        self.lead_routing = Peer(LEAD_ROUTING, lead_routing_address, timeout_s=timeout_s)

    def _check(self, subject_type: str) -> tuple[Peer, Any]:
        """The owner's peer and its CheckSubjectAccess."""
        if owner_of(subject_type) == LEAD_ROUTING:
            peer, stub_class = self.lead_routing, partner_access_pb2_grpc.PartnerSubjectAccessServiceStub
        else:
            peer, stub_class = self.peer, access_pb2_grpc.SubjectAccessServiceStub
        if not peer.address:
            setting = peer.name.upper().replace("-", "_") + "_ADDR"
            raise Unavailable(
                f"{self.service} does not know where {peer.name} is (its {setting} is empty); nothing was changed"
            )
        return peer, peer.stub(stub_class).CheckSubjectAccess

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
            organisation=caller.organisation,
        )
        # The service's own identity, never the user's: the owners answer only services.
        asker = Caller(caller.tenant_id, self.service, "system", caller.trace_id)
        peer, check = self._check(subject_type)
        try:
            return await peer.call(check, request, asker, decode=True)
        except DomainError as error:
            code = rpc_code(error).name
            # Whatever the reason (down, slow, or refusing this service), the
            # caller did nothing wrong: it may retry later, nothing changed.
            log.warning("subject access check failed", code=code, message=error.message)
            raise Unavailable(
                f"{peer.name} could not be asked who may see {subject_type} {subject_id} ({code}); nothing was changed"
            ) from error

    async def close(self) -> None:
        await self.peer.close()
        await self.lead_routing.close()
