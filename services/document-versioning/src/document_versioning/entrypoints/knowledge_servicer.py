"""gRPC servicer of KnowledgeService: translates requests to the knowledge
handlers and entries and hits to messages."""

from __future__ import annotations

import grpc
from crm.document_versioning.v1 import knowledge_pb2 as pb
from crm.document_versioning.v1 import knowledge_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from document_versioning.domain.knowledge import TAG_KINDS, Hit, KnowledgeEntry, KnowledgeTags, Situation
from document_versioning.service_layer.knowledge import KnowledgeHandlers


def _tags(message: pb.KnowledgeTags) -> KnowledgeTags:
    return KnowledgeTags(**{kind: tuple(getattr(message, kind)) for kind in TAG_KINDS})


def entry_message(entry: KnowledgeEntry) -> pb.KnowledgeEntry:
    return pb.KnowledgeEntry(
        document_id=entry.document_id,
        title=entry.title,
        doc_type=entry.doc_type,
        version_id=entry.version_id,
        version_number=entry.version_number,
        tags=pb.KnowledgeTags(**{kind: list(getattr(entry.tags, kind)) for kind in TAG_KINDS}),
        tagged_by=entry.tagged_by,
        tagged_at=timestamp(entry.tagged_at),
        scanned=entry.scanned,
    )


def _hit(hit: Hit) -> pb.KnowledgeHit:
    return pb.KnowledgeHit(entry=entry_message(hit.entry), score=hit.score, why=list(hit.why), snippet=hit.snippet)


class KnowledgeServicer(pb_grpc.KnowledgeServiceServicer):
    def __init__(self, handlers: KnowledgeHandlers) -> None:
        self.handlers = handlers

    async def SetKnowledgeTags(
        self, request: pb.SetKnowledgeTagsRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetKnowledgeTagsResponse:
        entry = await self.handlers.set_tags(current_caller(), request.document_id, _tags(request.tags))
        return pb.SetKnowledgeTagsResponse(entry=entry_message(entry))

    async def SearchKnowledge(
        self, request: pb.SearchKnowledgeRequest, context: grpc.aio.ServicerContext
    ) -> pb.SearchKnowledgeResponse:
        hits, terms = await self.handlers.search(current_caller(), request.text, _tags(request.tags), request.page_size)
        return pb.SearchKnowledgeResponse(hits=[_hit(h) for h in hits], query_terms=terms)

    async def RecommendKnowledge(
        self, request: pb.RecommendKnowledgeRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecommendKnowledgeResponse:
        situation = Situation(
            stage=request.stage,
            industry=request.industry,
            product_line=request.product_line,
            signals=tuple(request.signals),
            competitor=request.competitor,
            text=request.text,
        )
        hits = await self.handlers.recommend(current_caller(), situation, request.page_size)
        return pb.RecommendKnowledgeResponse(hits=[_hit(h) for h in hits])
