"""The sales knowledge base: tag an entry (managers, admins), search it in
Chinese by text and tags, and the entries recommended for a rep's situation
(stage, industry, product line, the customer's signals). Entries are
documents on subject "knowledge", uploaded like any document version."""

from __future__ import annotations

from typing import Annotated

from crm.document_versioning.v1 import knowledge_pb2 as pb
from crm_shared.limits import MAX_ID
from crm_shared.roles import KNOWLEDGE_READERS, KNOWLEDGE_TAGGERS
from fastapi import APIRouter, Path, Query
from pydantic import Field

from gateway.adapters.stubs import knowledge
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body

router = APIRouter(prefix="/v1")

# document-versioning's bounds (domain/knowledge.py), declared here so bad input is refused first.
MAX_TAG = 50
MAX_TAGS = 20
MAX_QUERY = 500
MAX_PAGE = 50
Tag = Annotated[str, Field(max_length=MAX_TAG)]
Tags = Annotated[tuple[Tag, ...], Field(max_length=MAX_TAGS)]
QueryTags = Annotated[list[Annotated[str, Field(max_length=MAX_TAG)]], Query(max_length=MAX_TAGS)]


class KnowledgeTags(Body):
    industries: Tags = ()
    product_lines: Tags = ()
    stages: Tags = ()
    signals: Tags = ()
    competitors: Tags = ()


@router.put(
    "/knowledge/{document_id}/tags",
    summary="Set the tags of a knowledge-base entry and index its latest version",
    description="Replaces the entry's tags (industry, product line, stage, signal such as 高意向 / 客户说要考虑 / "
    "账期延长, competitor). The document must be on subject `knowledge`.",
    dependencies=[allow(KNOWLEDGE_TAGGERS)],
    response_model=reply(knowledge.SetKnowledgeTags),
)
async def set_knowledge_tags(
    document_id: Annotated[str, Path(max_length=MAX_ID)], body: KnowledgeTags, rpc: RpcDep
) -> dict:
    request = pb.SetKnowledgeTagsRequest(document_id=document_id, tags=to_proto(body, pb.KnowledgeTags()))
    return await rpc(knowledge.SetKnowledgeTags, request)


@router.get(
    "/knowledge/search",
    summary="Search the knowledge base by Chinese text and tags",
    description="`q` is segmented into words (jieba); entries rank by BM25 over their title and text. Each tag "
    "kind given must match one of its values.",
    dependencies=[allow(KNOWLEDGE_READERS)],
    response_model=reply(knowledge.SearchKnowledge),
)
async def search_knowledge(
    rpc: RpcDep,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    industry: QueryTags = [],  # noqa: B006 - FastAPI copies defaults
    product_line: QueryTags = [],  # noqa: B006
    stage: QueryTags = [],  # noqa: B006
    signal: QueryTags = [],  # noqa: B006
    competitor: QueryTags = [],  # noqa: B006
    page_size: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 0,
) -> dict:
    tags = pb.KnowledgeTags(
        industries=industry, product_lines=product_line, stages=stage, signals=signal, competitors=competitor
    )
    return await rpc(knowledge.SearchKnowledge, pb.SearchKnowledgeRequest(text=q, tags=tags, page_size=page_size))


@router.get(
    "/knowledge/recommendations",
    summary="Knowledge-base entries for a rep's situation, ranked, with why",
    description="e.g. `stage=方案提交&industry=注塑机`: entries tagged for that stage and industry first; an entry "
    "tagged for another stage, industry or product line is left out.",
    dependencies=[allow(KNOWLEDGE_READERS)],
    response_model=reply(knowledge.RecommendKnowledge),
)
async def recommend_knowledge(
    rpc: RpcDep,
    stage: Annotated[str, Query(max_length=MAX_TAG)] = "",
    industry: Annotated[str, Query(max_length=MAX_TAG)] = "",
    product_line: Annotated[str, Query(max_length=MAX_TAG)] = "",
    signal: QueryTags = [],  # noqa: B006
    competitor: Annotated[str, Query(max_length=MAX_TAG)] = "",
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    page_size: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 0,
) -> dict:
    request = pb.RecommendKnowledgeRequest(
        stage=stage,
        industry=industry,
        product_line=product_line,
        signals=signal,
        competitor=competitor,
        text=q,
        page_size=page_size,
    )
    return await rpc(knowledge.RecommendKnowledge, request)
