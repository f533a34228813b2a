"""Which opportunity a contract belongs to, asked of document-versioning
(ContractService GetContract) over the system peer (adapters/peers.py): a
delivery is recorded only against a contract of its own opportunity."""

from __future__ import annotations

from crm.document_versioning.v1 import contract_pb2, contract_pb2_grpc

from opportunity.adapters.peers import SystemPeer


class GrpcContracts:
    def __init__(self, documents: SystemPeer) -> None:
        self.documents = documents

    async def opportunity_of(self, tenant_id: str, contract_id: str) -> str | None:
        """The contract's opportunity; None when the tenant has no such contract. PeerUnavailable (nothing
        changed) when document-versioning is not configured or does not answer."""
        about = "whose contract it is"
        stub = self.documents.stub(contract_pb2_grpc.ContractServiceStub, about)
        request = contract_pb2.GetContractRequest(contract_id=contract_id)
        reply = await self.documents.ask(tenant_id, stub.GetContract, request, about, missing=True)
        return reply.contract.opportunity_id if reply is not None else None
