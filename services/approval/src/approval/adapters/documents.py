"""What approval asks document-versioning: which subject a document version
is filed under and its sha256, so a request cannot point at another
subject's (or another tenant's) document, nor at other bytes than it
names. Asked as the tenant's system caller: the requester's own access to
the subject was checked before."""

from __future__ import annotations

from dataclasses import dataclass

from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, Unavailable
from crm_shared.grpc_client import Peer, rpc_code

SERVICE = "approval"


@dataclass(frozen=True)
class VersionInfo:
    document_id: str
    subject_type: str
    subject_id: str
    opportunity_id: str
    sha256: str

    def belongs_to(self, subject_type: str, subject_id: str) -> bool:
        if subject_type == "opportunity":
            return self.opportunity_id == subject_id
        return (self.subject_type, self.subject_id) == (subject_type, subject_id)


class DocumentVersions:
    def __init__(self, address: str, timeout_s: float) -> None:
        self.peer = Peer("document-versioning", address, timeout_s=timeout_s)

    async def version_of(self, tenant_id: str, version_id: str) -> VersionInfo | None:
        """The version's document, subject and sha256; None when there is no
        such version in the tenant."""
        if not self.peer.address:
            raise Unavailable("approval does not know where document-versioning is; nothing was changed")
        stub = self.peer.stub(pb_grpc.DocumentVersioningServiceStub)
        request = pb.GetVersionRequest(version_id=version_id)
        try:
            reply = await self.peer.call(stub.GetVersion, request, Caller(tenant_id, SERVICE, "system"), decode=True)
        except NotFound:
            return None
        except DomainError as error:
            # Any other answer is document-versioning's trouble, not the requester's mistake.
            raise Unavailable(
                f"document-versioning could not be asked about version {version_id} ({rpc_code(error).name}); "
                "nothing was changed"
            ) from error
        v = reply.version
        subject_type = v.subject_type or "opportunity"
        return VersionInfo(v.document_id, subject_type, v.subject_id or v.opportunity_id, v.opportunity_id, v.sha256)

    async def close(self) -> None:
        await self.peer.close()
