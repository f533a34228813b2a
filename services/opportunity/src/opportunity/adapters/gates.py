"""The facts a stage gate needs from other services, asked over gRPC as the
tenant's system caller (a token signed as opportunity, through
crm_shared.grpc_client): which document types exist for an opportunity
(document-versioning ListDocuments) and the status of its latest approval
(approval GetLatestApproval)."""

from __future__ import annotations

import asyncio

import grpc

from crm.approval.v1 import approval_pb2, approval_pb2_grpc
from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as docs_grpc
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError
from crm_shared.grpc_client import call, open_channel
from crm_shared.grpc_errors import decode_rpc_error
from opportunity.domain.pipeline import GateFacts

SYSTEM_USER = "opportunity"


class GateUnavailable(DomainError):
    """A service a gate depends on did not answer: nothing was changed."""


class GrpcGateFacts:
    """Channels are opened on first use (nothing connects at import or build)."""

    def __init__(self, documents_addr: str, approval_addr: str, timeout_s: float) -> None:
        self.documents_addr = documents_addr
        self.approval_addr = approval_addr
        self.timeout_s = timeout_s
        self._channels: dict[str, grpc.aio.Channel] = {}

    def _channel(self, address: str, service: str) -> grpc.aio.Channel:
        if not address:
            raise GateUnavailable(f"the address of {service} is not configured; gates needing it cannot be checked")
        if address not in self._channels:
            self._channels[address] = open_channel(address)
        return self._channels[address]

    async def _call(self, service: str, method, request, caller: Caller):  # type: ignore[no-untyped-def]
        try:
            return await call(method, request, caller, timeout=self.timeout_s)
        except grpc.aio.AioRpcError as error:
            remote = decode_rpc_error(error)
            raise GateUnavailable(
                f"{service} could not be asked ({remote.code.name}: {remote.message}); nothing was changed"
            ) from error

    async def _documents(self, caller: Caller, opportunity_id: str, doc_types: frozenset[str]) -> frozenset[str]:
        stub = docs_grpc.DocumentVersioningServiceStub(self._channel(self.documents_addr, "document-versioning"))

        async def has(doc_type: str) -> bool:
            reply = await self._call(
                "document-versioning",
                stub.ListDocuments,
                docs_pb.ListDocumentsRequest(opportunity_id=opportunity_id, doc_type=doc_type),
                caller,
            )
            return any(d.doc_type == doc_type and d.latest_version_id for d in reply.documents)

        found = await asyncio.gather(*(has(t) for t in sorted(doc_types)))
        return frozenset(t for t, ok in zip(sorted(doc_types), found, strict=True) if ok)

    async def _approval(self, caller: Caller, opportunity_id: str) -> str | None:
        stub = approval_pb2_grpc.ApprovalServiceStub(self._channel(self.approval_addr, "approval"))
        reply = await self._call(
            "approval",
            stub.GetLatestApproval,
            approval_pb2.GetLatestApprovalRequest(subject_type="opportunity", subject_id=opportunity_id),
            caller,
        )
        return reply.approval.status if reply.HasField("approval") else None

    async def facts(
        self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str], need_approval: bool
    ) -> GateFacts:
        caller = Caller(tenant_id, SYSTEM_USER, "system")
        documents: frozenset[str] = frozenset()
        approval: str | None = None
        if doc_types:
            documents = await self._documents(caller, opportunity_id, doc_types)
        if need_approval:
            approval = await self._approval(caller, opportunity_id)
        return GateFacts(documents=documents, approval_status=approval)

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()
        self._channels.clear()
