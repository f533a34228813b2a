"""Diffs and the knowledge base through the gateway, against document-versioning
and opportunity as real services (gRPC, database, JetStream): three versions
of a technical proposal whose text and field diffs name exactly their changes,
a scan marked as such, a Chinese knowledge-base search and recommendation, and
what another rep, a partner and another tenant get (nothing).

Versions are uploaded over gRPC as the gateway's upload route would (the
upload route is the documents tests' subject); everything read goes through
the gateway."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from document_versioning.adapters.orm import document_texts
from document_versioning.bootstrap import build
from document_versioning.config import Settings

from tests.integration.gateway.conftest import gateway_client, nowhere
from tests.integration.gateway.test_gateway import login
from tests.support.document_files import DOCX, PDF, make_docx, make_pdf, make_scanned_pdf
from tests.support.documents import PROPOSAL_VERSIONS
from tests.support.infra import RunningService, eventually, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

TENANT = "demo"
OWNER = Caller(TENANT, "zhangwei", "rep")
MANAGER = Caller(TENANT, "wangqiang", "manager")


@dataclass
class Stack:
    client: httpx.AsyncClient
    documents: pb_grpc.DocumentVersioningServiceStub
    opps: Opportunities
    docs: RunningService
    auth: dict[str, dict[str, str]] = field(default_factory=dict)

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def get(self, user: str, path: str, **params: object) -> httpx.Response:
        return await self.client.get(path, params=params, headers=await self.as_(user))

    async def upload(self, caller: Caller, content: bytes, content_type: str, **fields: str) -> pb.DocumentVersion:
        request = pb.UploadVersionRequest(content=content, content_type=content_type, **fields)
        return (await self.documents.UploadVersion(request, metadata=caller.metadata())).version


@pytest.fixture
async def stack(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    await migrate("document-versioning", database_url)
    gateway_db = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", gateway_db)
    opportunity = reserve()
    async with (
        run_service(
            build,
            Settings,
            nats_url=nats_url,
            database_url=database_url,
            opportunity_addr=opportunity.address,
            blob_dir=str(tmp_path / "blobs"),
        ) as docs,
        opportunity_service(
            nats_url, database_url, tmp_path, opportunity, document_versioning_addr=docs.address
        ) as opps,
    ):
        await opps.announce_reps(TENANT, {"zhangwei": "wangqiang", "lina": "wangqiang"})
        async with gateway_client(
            database_url=gateway_db,
            lead_routing_addr=nowhere(),
            opportunity_addr=opps.address,
            approval_addr=nowhere(),
            document_versioning_addr=docs.address,
            finance_reconciliation_addr=nowhere(),
        ) as client:
            yield Stack(client, pb_grpc.DocumentVersioningServiceStub(docs.channel), opps, docs)


async def proposal_versions(s: Stack) -> tuple[str, list[str]]:
    """The owner's technical proposal in its three versions (DOCX with the fields beside it)."""
    opportunity_id = await s.opps.id_of("opp-1", OWNER)
    document_id, ids = "", []
    for proposal in PROPOSAL_VERSIONS:
        filing = (
            {}
            if document_id
            else {
                "subject_type": "opportunity",
                "subject_id": opportunity_id,
                "doc_type": "技术方案",
                "title": "宁波华翔注塑机改造 技术方案",
            }
        )
        version = await s.upload(
            OWNER,
            proposal.docx(),
            DOCX,
            document_id=document_id,
            filename="技术方案.docx",
            change_summary=proposal.change_summary,
            fields_json=proposal.fields_json(),
            **filing,
        )
        document_id = version.document_id
        ids.append(version.version_id)
    return document_id, ids


def changed(diff: dict) -> list[tuple[str, str]]:
    return [(c["before"], c["after"]) for c in diff["changes"]]


def fields_changed(diff: dict) -> list[tuple[str, str, str, str]]:
    return [(f["path"], f["change"], f["before"], f["after"]) for f in diff["field_changes"]]


async def test_three_proposal_versions_diff_names_exactly_their_changes(stack: Stack) -> None:
    s = stack
    document_id, (v1, v2, v3) = await proposal_versions(s)
    path = f"/v1/documents/{document_id}/diff"

    price = await s.get("zhangwei", path, **{"from": v1, "to": v2})
    assert price.status_code == 200, price.text
    body = price.json()
    assert (body["from_version"]["version_number"], body["to_version"]["version_number"]) == (1, 2)
    assert changed(body) == [("680,000", "660,000"), ("1,430,000", "1,390,000")]
    assert fields_changed(body) == [
        ("total_minor", "changed", "143000000", "139000000"),
        ("equipment[HX-280].unit_price_minor", "changed", "68000000", "66000000"),
    ]
    assert body["text_complete"] and not body["from_version"]["scanned"]
    # Who changed what when, as the snapshot of an approval shows it.
    assert (body["to_version"]["created_by"], body["to_version"]["change_summary"]) == ("zhangwei", "HX-280 单价下调")
    assert body["to_version"]["created_at"]

    term_and_row = (await s.get("wangqiang", path, **{"from": v2, "to": v3})).json()
    assert changed(term_and_row) == [
        ("30", "45"),
        ("30", "45"),
        ("", "RB-5\t取件机械手\t1\t120,000\n"),
        ("1,390,000", "1,510,000"),
    ]
    assert term_and_row["changes"][0]["summary"] == "交期 30 天 → 交期 45 天"
    assert fields_changed(term_and_row) == [
        ("total_minor", "changed", "139000000", "151000000"),
        ("delivery_lead_time_days", "changed", "30", "45"),
        ("equipment[RB-5]", "added", "", "description=取件机械手, quantity=1, unit_price_minor=12000000"),
    ]

    # The same answer as an HTML page, changes marked and text escaped.
    page = await s.get("liufang", path, **{"from": v2, "to": v3, "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<del class="diff-delete">30</del><ins class="diff-insert">45</ins>' in page.text
    assert "<h1>V2 → V3</h1>" in page.text

    unchanged = (await s.get("chenjing", path, **{"from": v3, "to": v3})).json()
    assert unchanged["changes"] == [] and unchanged["field_changes"] == []

    # Each blob was extracted once, however often it was diffed, and its text kept for the tenant.
    async with s.docs.runtime.db.sessions() as session:
        rows = (await session.execute(sa.select(document_texts.c.tenant_id, document_texts.c.kind))).all()
    assert sorted(rows) == [(TENANT, "docx")] * 3


async def test_diff_is_refused_to_whoever_may_not_read_and_bad_ids_are_named(stack: Stack) -> None:
    s = stack
    document_id, (v1, v2, _) = await proposal_versions(s)
    path = f"/v1/documents/{document_id}/diff"
    query = {"from": v1, "to": v2}

    for user, status in (("lina", 404), ("zhoumin", 404), ("other-rep", 404), ("zhaolei", 403)):
        reply = await s.get(user, path, **query)
        assert reply.status_code == status, (user, reply.text)
        assert "680,000" not in reply.text

    other = await s.upload(
        OWNER,
        b"another document",
        "text/plain",
        subject_type="opportunity",
        subject_id=await s.opps.id_of("opp-1", OWNER),
        doc_type="报价单",
        title="报价单",
        filename="quote.txt",
    )
    wrong = await s.get("zhangwei", path, **{"from": v1, "to": other.version_id})
    assert wrong.status_code == 400
    assert [e["field"] for e in wrong.json()["errors"]] == ["to"]

    missing = await s.get("zhangwei", path, to=v2)
    assert missing.status_code == 422 and [e["field"] for e in missing.json()["errors"]] == ["query.from"]
    too_long = await s.get("zhangwei", path, **{"from": "x" * 65, "to": v2})
    assert too_long.status_code == 422 and [e["field"] for e in too_long.json()["errors"]] == ["query.from"]


async def test_a_scanned_pdf_is_marked_and_a_text_pdf_is_compared(stack: Stack) -> None:
    s = stack
    filing = {
        "subject_type": "opportunity",
        "subject_id": await s.opps.id_of("opp-1", OWNER),
        "doc_type": "技术协议",
        "title": "技术协议",
    }
    scan = await s.upload(OWNER, make_scanned_pdf(), PDF, filename="扫描件.pdf", **filing)
    text = await s.upload(
        OWNER, make_pdf([["技术协议", "验收合格后支付尾款"]]), PDF, filename="协议.pdf", document_id=scan.document_id
    )
    again = await s.upload(
        OWNER,
        make_pdf([["技术协议", "安装调试合格后支付尾款"]]),
        PDF,
        filename="协议.pdf",
        document_id=scan.document_id,
    )
    path = f"/v1/documents/{scan.document_id}/diff"

    first = (await s.get("zhangwei", path, **{"from": scan.version_id, "to": text.version_id})).json()
    assert first["from_version"]["scanned"] and not first["to_version"]["scanned"]
    assert "scanned" in first["from_version"]["note"]

    second = (await s.get("zhangwei", path, **{"from": text.version_id, "to": again.version_id})).json()
    assert changed(second) == [("验收", "安装调试")]


KNOWLEDGE = {
    "case": (
        "注塑机行业 成功案例",
        "宁波某注塑机厂伺服节能改造，方案提交后两周签约，节能 35%。",
        {"industries": ["注塑机"], "stages": ["方案提交"]},
    ),
    "handbook": (
        "竞品对比手册",
        "与海天注塑机的对比：伺服响应、能耗、售后网点。",
        {"competitors": ["海天"], "stages": ["方案提交"]},
    ),
    "terms": ("付款协议模板", "客户要求账期延长时，可提供分期付款协议模板，质保金 10%。", {"signals": ["账期延长"]}),
    "textile": (
        "纺织机械 案例",
        "绍兴柯桥织机改造，方案提交阶段的节能测算。",
        {"industries": ["纺织机械"], "stages": ["方案提交"]},
    ),
}


# The knowledge base's entries are filed under one subject id, the collection.
KB = "销售知识库"


async def knowledge_base(s: Stack) -> dict[str, str]:
    """Four entries uploaded and tagged by the manager; key -> document id."""
    ids = {}
    for key, (title, text, tags) in KNOWLEDGE.items():
        version = await s.upload(
            MANAGER,
            make_docx([title, text]),
            DOCX,
            subject_type="knowledge",
            subject_id=KB,
            doc_type="知识库",
            title=title,
            filename=f"{key}.docx",
        )
        ids[key] = version.document_id
        reply = await s.client.put(
            f"/v1/knowledge/{version.document_id}/tags", json=tags, headers=await s.as_("wangqiang")
        )
        assert reply.status_code == 200, reply.text
        assert (
            reply.json()["entry"]["tags"] | {}
            == {"industries": [], "product_lines": [], "stages": [], "signals": [], "competitors": []} | tags
        )
    return ids


def found(reply: httpx.Response) -> list[str]:
    assert reply.status_code == 200, reply.text
    return [h["entry"]["document_id"] for h in reply.json()["hits"]]


async def test_knowledge_base_search_and_recommendations_in_chinese(stack: Stack) -> None:
    s = stack
    ids = await knowledge_base(s)
    name = {v: k for k, v in ids.items()}

    search = await s.get("zhangwei", "/v1/knowledge/search", q="注塑机节能改造")
    assert [name[i] for i in found(search)][:2] == ["case", "handbook"]
    assert "注塑机" in search.json()["query_terms"]
    assert "节能" in search.json()["hits"][0]["snippet"]

    assert found(await s.get("zhangwei", "/v1/knowledge/search", q="的，。")) == []

    tagged = await s.get("liufang", "/v1/knowledge/search", q="节能", stage=["方案提交"], industry=["纺织机械"])
    assert [name[i] for i in found(tagged)] == ["textile"]

    recommended = await s.get("zhangwei", "/v1/knowledge/recommendations", stage="方案提交", industry="注塑机")
    hits = recommended.json()["hits"]
    assert [name[h["entry"]["document_id"]] for h in hits] == ["case", "handbook"]
    assert hits[0]["why"] == ["stage: 方案提交", "industry: 注塑机"]

    signal = await s.get("zhangwei", "/v1/knowledge/recommendations", signal=["账期延长"])
    assert [name[i] for i in found(signal)] == ["terms"]

    # A new version of a tagged entry is indexed in its place (the tags stay).
    await s.upload(
        MANAGER,
        make_docx(["注塑机行业 成功案例", "新增：二板机改造的回本周期为 18 个月。"]),
        DOCX,
        document_id=ids["case"],
        filename="case.docx",
    )

    async def reindexed() -> bool:
        return ids["case"] in found(await s.get("zhangwei", "/v1/knowledge/search", q="回本周期"))

    await eventually(reindexed)

    # An entry not tagged yet is found by its text at once, and recommended to no one until tagged.
    faq = await s.upload(
        MANAGER,
        make_docx(["常见问题", "模温机的加热功率如何选型？"]),
        DOCX,
        subject_type="knowledge",
        subject_id=KB,
        doc_type="知识库",
        title="常见问题",
        filename="faq.docx",
    )

    async def indexed() -> bool:
        return faq.document_id in found(await s.get("zhangwei", "/v1/knowledge/search", q="加热功率"))

    await eventually(indexed)
    assert faq.document_id not in found(await s.get("zhangwei", "/v1/knowledge/recommendations", stage="方案提交"))
    again = await s.get("zhangwei", "/v1/knowledge/recommendations", stage="方案提交", industry="注塑机")
    assert found(again)[0] == ids["case"]


async def test_knowledge_base_is_internal_tagging_is_managers_and_tenants_see_their_own(stack: Stack) -> None:
    s = stack
    ids = await knowledge_base(s)

    assert found(await s.get("other-rep", "/v1/knowledge/search", q="注塑机")) == []
    assert found(await s.get("other-rep", "/v1/knowledge/recommendations", stage="方案提交")) == []
    for path, params in (
        ("/v1/knowledge/search", {"q": "注塑机"}),
        ("/v1/knowledge/recommendations", {"stage": "方案提交"}),
    ):
        refused = await s.get("zhaolei", path, **params)
        assert refused.status_code == 403 and "注塑机行业" not in refused.text

    tags = {"signals": ["高意向"]}
    for user, status in (("zhangwei", 403), ("liufang", 403), ("zhaolei", 403), ("other-rep", 403)):
        reply = await s.client.put(f"/v1/knowledge/{ids['case']}/tags", json=tags, headers=await s.as_(user))
        assert reply.status_code == status, (user, reply.text)
    assert found(await s.get("zhangwei", "/v1/knowledge/search", signal=["高意向"])) == []

    # Only documents on subject "knowledge" are entries; an opportunity's proposal is not found as one.
    document_id, _ = await proposal_versions(s)
    reply = await s.client.put(f"/v1/knowledge/{document_id}/tags", json=tags, headers=await s.as_("wangqiang"))
    assert reply.status_code == 404

    bad = await s.client.put(
        f"/v1/knowledge/{ids['case']}/tags", json={"signals": ["长" * 51]}, headers=await s.as_("wangqiang")
    )
    assert bad.status_code == 422 and "signals" in json.dumps(bad.json(), ensure_ascii=False)
    assert (await s.get("zhangwei", "/v1/knowledge/search", q="注" * 501)).status_code == 422
    await asyncio.sleep(0)
