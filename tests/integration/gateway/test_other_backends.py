"""REST over document-versioning, approval and finance-reconciliation, with
opportunity deciding who may see each subject: every service in-process
for real (real gRPC between them, real NATS), the gateway over ASGI."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.gateway.conftest import other_backend
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.approvals import pending_tasks
from tests.support.subjects import Opportunities, opportunity_service, reserve

TENANT = "demo"
# rep -> manager, as lead-routing announces them: 华东一组 (wangqiang) and 华东二组 (zhoumin).
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
GATE_DOCUMENT = "客户需求分析文档"


@dataclass
class Stack:
    client: httpx.AsyncClient
    opps: Opportunities
    auth: dict[str, dict[str, str]] = field(default_factory=dict)

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def get(self, user: str, url: str, **params: Any) -> httpx.Response:
        return await self.client.get(url, params=params, headers=await self.as_(user))

    async def post(self, user: str, url: str, body: dict) -> httpx.Response:
        return await self.client.post(url, json=body, headers=await self.as_(user))


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    opportunity = reserve()
    async with (
        other_backend("document_versioning", nats_url, tmp_path, opportunity_addr=opportunity.address) as docs,
        other_backend(
            "approval", nats_url, tmp_path, opportunity_addr=opportunity.address, document_versioning_addr=docs.address
        ) as approval,
        other_backend("finance_reconciliation", nats_url, tmp_path, opportunity_addr=opportunity.address) as finance,
    ):
        async with opportunity_service(
            nats_url, database_url, tmp_path, opportunity,
            document_versioning_addr=docs.address, approval_addr=approval.address,
        ) as opps:
            await opps.announce_reps(TENANT, TEAMS)
            async with make_gateway(
                opportunity_addr=opps.address,
                document_versioning_addr=docs.address,
                approval_addr=approval.address,
                finance_reconciliation_addr=finance.address,
            ) as client:
                yield Stack(client, opps)


def document(opportunity_id: str, text: str, doc_type: str = "报价单", **fields: str) -> dict:
    return {
        "opportunity_id": opportunity_id,
        "doc_type": doc_type,
        "title": "宁波注塑机 报价单",
        "filename": "报价单.pdf",
        "content_type": "application/pdf",
        "content_base64": base64.b64encode(text.encode()).decode(),
    } | fields


def new_version(document_id: str, text: str) -> dict:
    return {
        "document_id": document_id,
        "filename": "报价单-v2.pdf",
        "content_base64": base64.b64encode(text.encode()).decode(),
    }


async def create_opportunity(s: Stack, user: str = "zhangwei", **fields: Any) -> str:
    reply = await s.post(user, "/v1/opportunities", {"customer_name": "宁波海天注塑机配套厂", "name": "二期产线改造"} | fields)
    assert reply.status_code == 201, reply.text
    return reply.json()["opportunity"]["opportunity_id"]


async def test_documents_upload_list_and_content(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    body = document(opp, "第一版")
    bad = await s.post("zhangwei", "/v1/documents/versions", body | {"content_base64": "不是base64"})
    assert [e["field"] for e in is_problem(bad, 400)["errors"]] == ["content_base64"]

    created = await s.post("zhangwei", "/v1/documents/versions", body)
    assert created.status_code == 201, created.text
    assert created.json()["unchanged"] is False
    version = created.json()["version"]
    listed = await s.get("zhangwei", "/v1/documents", opportunity_id=opp)
    assert [d["document_id"] for d in listed.json()["documents"]] == [version["document_id"]]
    versions = await s.get("zhangwei", f"/v1/documents/{version['document_id']}/versions")
    assert [v["version_id"] for v in versions.json()["versions"]] == [version["version_id"]]

    meta = await s.get("zhangwei", f"/v1/document-versions/{version['version_id']}")
    assert "content_base64" not in meta.json()
    full = await s.get("zhangwei", f"/v1/document-versions/{version['version_id']}", include_content="true")
    assert base64.b64decode(full.json()["content_base64"]).decode() == "第一版"

    # The same content again: the latest version, said so, nothing new.
    again = await s.post("zhangwei", "/v1/documents/versions", new_version(version["document_id"], "第一版"))
    assert again.status_code == 200, again.text
    assert again.json()["unchanged"] is True
    assert (again.json()["version"]["version_id"], again.json()["version"]["sha256"]) == (
        version["version_id"], version["sha256"]
    )
    versions = await s.get("zhangwei", f"/v1/documents/{version['document_id']}/versions")
    assert [v["version_id"] for v in versions.json()["versions"]] == [version["version_id"]]
    second = await s.post("zhangwei", "/v1/documents/versions", new_version(version["document_id"], "第二版"))
    assert (second.status_code, second.json()["version"]["version_number"]) == (201, 2)


async def test_approvals_submit_decide_and_role_check(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    submitted = await s.post(
        "zhangwei", "/v1/approvals", {"subject_type": "opportunity", "subject_id": opp, "reason": "折扣 15% 超出权限"}
    )
    assert submitted.status_code == 201, submitted.text
    approval_id = submitted.json()["approval"]["approval_id"]

    [task] = await pending_tasks(s.client, s.as_, approval_id)
    url = f"/v1/approval-tasks/{task['task_id']}/approve"
    # The requester never decides their own request: the approver's task is not theirs.
    is_problem(await s.post("zhangwei", url, {"comment": "同意"}), 404)
    bad = await s.post(task["assignee"], url, {"comment": "同意", "channel": "fax"})
    assert [e["field"] for e in is_problem(bad, 422)["errors"]] == ["channel"]
    decided = await s.post(task["assignee"], url, {"comment": "同意"})
    assert decided.status_code == 200, decided.text
    fetched = await s.get("zhangwei", f"/v1/approvals/{approval_id}")
    assert fetched.json()["approval"]["status"] == "approved"


async def test_a_colleague_the_partner_and_another_tenant_reach_nothing_of_an_opportunity(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    floor = "技术方案：HX-280 ×2。底价 ¥1,180,000，不得低于此价。"
    uploaded = await s.post("zhangwei", "/v1/documents/versions", document(opp, floor, doc_type="技术方案"))
    assert uploaded.status_code == 201, uploaded.text
    version = uploaded.json()["version"]
    asked = await s.post("zhangwei", "/v1/approvals", {"subject_type": "opportunity", "subject_id": opp, "reason": "底价以下"})
    assert asked.status_code == 201, asked.text
    approval_id = asked.json()["approval"]["approval_id"]

    async def untouched() -> None:
        documents = (await s.get("zhangwei", "/v1/documents", opportunity_id=opp)).json()["documents"]
        assert [(d["document_id"], d["latest_version_number"]) for d in documents] == [(version["document_id"], 1)]
        approval = (await s.get("zhangwei", f"/v1/approvals/{approval_id}")).json()["approval"]
        assert (approval["status"], approval["decided_by"]) == ("pending", "")
        plans = await s.get("zhangwei", f"/v1/opportunities/{opp}/payment-plans")
        assert plans.status_code == 200, plans.text

    # A colleague (another rep), the manager of another team and a user of another tenant: all "not found".
    for user in ("lina", "zhoumin", "other-rep"):
        is_problem(await s.get(user, f"/v1/opportunities/{opp}"), 404)
        for reply in (
            await s.get(user, "/v1/documents", opportunity_id=opp),
            await s.get(user, f"/v1/documents/{version['document_id']}/versions"),
            await s.get(user, f"/v1/document-versions/{version['version_id']}", include_content="true"),
            await s.post(user, "/v1/documents/versions", new_version(version["document_id"], "改过的底价 ¥900,000")),
            await s.post(user, "/v1/documents/versions", document(opp, "我的文档")),
            await s.get(user, f"/v1/approvals/{approval_id}"),
            await s.get(user, f"/v1/opportunities/{opp}/payment-plans"),
            await s.get(user, f"/v1/opportunities/{opp}/receipts"),
        ):
            is_problem(reply, 404)
            assert "底价" not in reply.text, user
        if user != "zhoumin":
            is_problem(await s.post(user, "/v1/approvals", {"subject_type": "opportunity", "subject_id": opp}), 404)
    is_problem(await s.post("zhoumin", f"/v1/approvals/{approval_id}/decision", {"decision": "approve"}), 404)
    await untouched()

    # The partner (a distributor's user) gets nothing of documents, approvals or payments.
    for reply in (
        await s.get("zhaolei", "/v1/documents", opportunity_id=opp),
        await s.post("zhaolei", "/v1/documents/versions", document(opp, "代理商上传")),
        await s.post("zhaolei", "/v1/documents/versions", new_version(version["document_id"], "代理商改版")),
        await s.get("zhaolei", f"/v1/approvals/{approval_id}"),
        await s.post("zhaolei", "/v1/approvals", {"subject_type": "opportunity", "subject_id": opp}),
        await s.get("zhaolei", f"/v1/opportunities/{opp}/payment-plans"),
        await s.get("zhaolei", f"/v1/opportunities/{opp}/receipts"),
    ):
        is_problem(reply, 403)
    for reply in (
        await s.get("zhaolei", f"/v1/document-versions/{version['version_id']}", include_content="true"),
        await s.get("zhaolei", f"/v1/documents/{version['document_id']}/versions"),
    ):
        is_problem(reply, 404)
        assert "底价" not in reply.text
    await untouched()

    # The owner's manager, finance and the reviewer read; the reviewer adds nothing.
    for user in ("wangqiang", "liufang", "chenjing"):
        full = await s.get(user, f"/v1/document-versions/{version['version_id']}", include_content="true")
        assert base64.b64decode(full.json()["content_base64"]).decode() == floor, user
    is_problem(await s.post("chenjing", "/v1/documents/versions", new_version(version["document_id"], "评审意见")), 403)
    await untouched()


async def test_only_those_who_may_change_the_opportunity_satisfy_its_document_gate(stack: Stack) -> None:
    s = stack
    pipeline = await s.post("wangqiang", "/v1/pipelines", {
        "name": "注塑机项目",
        "stages": [
            {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
            {"name": "需求确认", "probability": 30, "forecast_category": "pipeline",
             "gate": {"required_documents": [GATE_DOCUMENT]}},
        ],
    })
    assert pipeline.status_code == 201, pipeline.text
    opp = await create_opportunity(s, pipeline_id=pipeline.json()["pipeline"]["pipeline_id"])

    async def move() -> httpx.Response:
        return await s.post("zhangwei", f"/v1/opportunities/{opp}/stage", {"stage": "需求确认"})

    problem = is_problem(await move(), 409)
    assert [(v["type"], v["subject"]) for v in problem["violations"]] == [("document", GATE_DOCUMENT)]
    # The partner's, a colleague's and another tenant's uploads are refused and so cannot open the gate.
    is_problem(await s.post("zhaolei", "/v1/documents/versions", document(opp, "代理商写的", doc_type=GATE_DOCUMENT)), 403)
    for user in ("lina", "other-rep"):
        is_problem(await s.post(user, "/v1/documents/versions", document(opp, "别人写的", doc_type=GATE_DOCUMENT)), 404)
    is_problem(await move(), 409)

    owners = await s.post("zhangwei", "/v1/documents/versions", document(opp, "客户需求：两台 HX-280", doc_type=GATE_DOCUMENT))
    assert owners.status_code == 201, owners.text
    moved = await move()
    assert moved.status_code == 200, moved.text
    assert moved.json()["opportunity"]["stage"] == "需求确认"
