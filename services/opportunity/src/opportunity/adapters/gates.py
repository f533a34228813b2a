"""The facts a stage gate needs from other services, asked over gRPC
(crm_shared.grpc_client.Peer) as the tenant's system caller: which document
types exist for an opportunity (document-versioning ListDocuments) and the
latest approval request of each kind a gate names (approval GetLatestApproval)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from crm.approval.v1 import approval_pb2, approval_pb2_grpc
from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as docs_grpc
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, Unavailable
from crm_shared.grpc_client import Peer, rpc_code

from opportunity.domain.gate import ApprovalState, GateFacts

SYSTEM_USER = "opportunity"


class GateUnavailable(Unavailable):
    """A service a gate depends on did not answer (or refused): nothing was
    changed, and the caller may try again (UNAVAILABLE, HTTP 503)."""


class GrpcGateFacts:
    """Channels are opened on first use (nothing connects at import or build)."""

    def __init__(self, documents_addr: str, approval_addr: str, timeout_s: float) -> None:
        self.documents = Peer("document-versioning", documents_addr, timeout_s=timeout_s)
        self.approval = Peer("approval", approval_addr, timeout_s=timeout_s)

    async def _call(self, peer: Peer, method: Callable[..., Awaitable[Any]], request: Any, caller: Caller) -> Any:
        try:
            return await peer.call(method, request, caller, decode=True)
        except DomainError as error:
            # Whatever the peer answered, the gate cannot be decided: the move waits.
            raise GateUnavailable(
                f"{peer.name} could not be asked ({rpc_code(error).name}: {error.message}); nothing was changed"
            ) from error

    def _stub(self, peer: Peer, stub_class: Callable[[Any], Any]) -> Any:
        if not peer.address:
            raise GateUnavailable(f"the address of {peer.name} is not configured; gates needing it cannot be checked")
        return peer.stub(stub_class)

    async def _documents(self, caller: Caller, opportunity_id: str, doc_types: frozenset[str]) -> frozenset[str]:
        stub = self._stub(self.documents, docs_grpc.DocumentVersioningServiceStub)

        async def has(doc_type: str) -> bool:
            reply = await self._call(
                self.documents,
                stub.ListDocuments,
                docs_pb.ListDocumentsRequest(opportunity_id=opportunity_id, doc_type=doc_type),
                caller,
            )
            return any(d.doc_type == doc_type and d.latest_version_id for d in reply.documents)

        found = await asyncio.gather(*(has(t) for t in sorted(doc_types)))
        return frozenset(t for t, ok in zip(sorted(doc_types), found, strict=True) if ok)

    async def _approval(self, caller: Caller, opportunity_id: str, kind: str) -> ApprovalState | None:
        stub = self._stub(self.approval, approval_pb2_grpc.ApprovalServiceStub)
        reply = await self._call(
            self.approval,
            stub.GetLatestApproval,
            approval_pb2.GetLatestApprovalRequest(subject_type="opportunity", subject_id=opportunity_id, kind=kind),
            caller,
        )
        if not reply.HasField("approval"):
            return None
        found = reply.approval
        return ApprovalState(approval_id=found.approval_id, status=found.status, stale=found.stale)

    async def facts(
        self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str], approval_kinds: frozenset[str]
    ) -> GateFacts:
        caller = Caller(tenant_id, SYSTEM_USER, roles.SYSTEM)
        documents: frozenset[str] = frozenset()
        if doc_types:
            documents = await self._documents(caller, opportunity_id, doc_types)
        kinds = sorted(approval_kinds)
        states = await asyncio.gather(*(self._approval(caller, opportunity_id, k) for k in kinds))
        return GateFacts(
            documents=documents,
            approvals={k: state for k, state in zip(kinds, states, strict=True) if state is not None},
        )

    async def close(self) -> None:
        await self.documents.close()
        await self.approval.close()
