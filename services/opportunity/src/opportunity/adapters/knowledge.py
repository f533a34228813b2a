"""Opportunity's client of document-versioning's knowledge base: the tool pack
a high-intent customer's rep gets (KnowledgeService.RecommendKnowledge, as this
service's system caller; any failure PeerUnavailable)."""

from __future__ import annotations

from collections.abc import Sequence

from crm.document_versioning.v1 import knowledge_pb2, knowledge_pb2_grpc

from opportunity.adapters.peers import SystemPeer
from opportunity.domain.intent_episode import ToolEntry


class GrpcKnowledge:
    def __init__(self, peer: SystemPeer) -> None:
        self.peer = peer

    async def recommend(
        self, tenant_id: str, *, stage: str, industry: str, product_line: str, signals: Sequence[str], size: int
    ) -> list[ToolEntry]:
        about = "for the knowledge entries of the situation"
        stub = self.peer.stub(knowledge_pb2_grpc.KnowledgeServiceStub, about)
        request = knowledge_pb2.RecommendKnowledgeRequest(
            stage=stage, industry=industry, product_line=product_line, signals=list(signals), page_size=size
        )
        reply = await self.peer.ask(tenant_id, stub.RecommendKnowledge, request, about)
        return [
            ToolEntry(
                h.entry.document_id,
                h.entry.title,
                (*h.entry.tags.signals, *h.entry.tags.stages, *h.entry.tags.industries, *h.entry.tags.product_lines),
            )
            for h in reply.hits
        ]
