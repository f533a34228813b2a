"""The facts a stage gate needs from other services, asked as the tenant's
system caller (adapters/peers.py): which document types exist for an
opportunity (document-versioning ListDocuments) and the latest approval
request of each kind a gate names (approval, through its one client). A
service that is not configured or does not answer leaves the gate undecided:
the move waits (UNAVAILABLE, 503) and nothing is changed."""

from __future__ import annotations

import asyncio

from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as docs_grpc

from opportunity.adapters.approval_client import ApprovalClient
from opportunity.adapters.peers import SystemPeer
from opportunity.domain.gate import GateFacts


class GrpcGateFacts:
    def __init__(self, documents: SystemPeer, approval: ApprovalClient) -> None:
        self.documents = documents
        self.approval = approval

    async def _documents(self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str]) -> frozenset[str]:
        about = "which documents the opportunity has"
        stub = self.documents.stub(docs_grpc.DocumentVersioningServiceStub, about)

        async def has(doc_type: str) -> bool:
            request = docs_pb.ListDocumentsRequest(opportunity_id=opportunity_id, doc_type=doc_type)
            reply = await self.documents.ask(tenant_id, stub.ListDocuments, request, about)
            return any(d.doc_type == doc_type and d.latest_version_id for d in reply.documents)

        found = await asyncio.gather(*(has(t) for t in sorted(doc_types)))
        return frozenset(t for t, ok in zip(sorted(doc_types), found, strict=True) if ok)

    async def facts(
        self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str], approval_kinds: frozenset[str]
    ) -> GateFacts:
        documents: frozenset[str] = frozenset()
        if doc_types:
            documents = await self._documents(tenant_id, opportunity_id, doc_types)
        kinds = sorted(approval_kinds)
        states = await asyncio.gather(*(self.approval.latest(tenant_id, opportunity_id, k) for k in kinds))
        return GateFacts(
            documents=documents,
            approvals={k: state for k, state in zip(kinds, states, strict=True) if state is not None},
        )
