"""What approval asks document-versioning: which opportunity a document
version is filed under, so a request cannot point at another opportunity's
(or another tenant's) document. Asked as the tenant's system caller: the
requester's own access to the subject was checked before."""

from __future__ import annotations

from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, Unavailable
from crm_shared.grpc_client import Peer, rpc_code

SERVICE = "approval"


class DocumentVersions:
    def __init__(self, address: str, timeout_s: float) -> None:
        self.peer = Peer("document-versioning", address, timeout_s=timeout_s)

    async def opportunity_of(self, tenant_id: str, version_id: str) -> str | None:
        """The opportunity the version's document is filed under; None when
        there is no such version in the tenant."""
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
        return reply.version.opportunity_id

    async def close(self) -> None:
        await self.peer.close()
