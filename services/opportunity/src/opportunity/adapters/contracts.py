"""Which opportunity a contract belongs to, asked of document-versioning
(ContractService GetContract) as the tenant's system caller: a delivery is
recorded only against a contract of its own opportunity."""

from __future__ import annotations

from crm.document_versioning.v1 import contract_pb2, contract_pb2_grpc
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, NotFound, Unavailable
from crm_shared.grpc_client import Peer, rpc_code

from opportunity.adapters.peers import SYSTEM_USER


class GrpcContracts:
    """The channel is opened on first use (nothing connects at import or build)."""

    def __init__(self, documents_addr: str, timeout_s: float) -> None:
        self.documents = Peer("document-versioning", documents_addr, timeout_s=timeout_s)

    async def opportunity_of(self, tenant_id: str, contract_id: str) -> str | None:
        """The contract's opportunity; None when the tenant has no such contract."""
        if not self.documents.address:
            raise Unavailable("the address of document-versioning is not configured; contracts cannot be checked")
        stub = self.documents.stub(contract_pb2_grpc.ContractServiceStub)
        caller = Caller(tenant_id, SYSTEM_USER, roles.SYSTEM)
        request = contract_pb2.GetContractRequest(contract_id=contract_id)
        try:
            reply = await self.documents.call(stub.GetContract, request, caller, decode=True)
        except NotFound:
            return None
        except DomainError as error:
            raise Unavailable(
                f"document-versioning could not be asked ({rpc_code(error).name}: {error.message}); nothing was changed"
            ) from error
        return reply.contract.opportunity_id

    async def close(self) -> None:
        await self.documents.close()
