"""REST over document-versioning and approval (run in-process for real)."""

from __future__ import annotations

import base64
from pathlib import Path

from tests.integration.gateway.test_gateway import is_problem, login
from tests.integration.gateway.conftest import other_backend


async def test_documents_upload_list_and_content(make_gateway, nats_url: str, tmp_path: Path) -> None:
    async with other_backend("document_versioning", nats_url, tmp_path) as docs:
        async with make_gateway(document_versioning_addr=docs.address) as client:
            auth = await login(client, "zhangwei")
            body = {
                "opportunity_id": "opp-1",
                "doc_type": "proposal",
                "title": "宁波注塑机 报价单",
                "filename": "报价单.pdf",
                "content_type": "application/pdf",
                "content_base64": base64.b64encode("第一版".encode()).decode(),
            }
            bad = await client.post("/v1/documents/versions", json=body | {"content_base64": "不是base64"}, headers=auth)
            assert [e["field"] for e in is_problem(bad, 400)["errors"]] == ["content_base64"]

            created = await client.post("/v1/documents/versions", json=body, headers=auth)
            assert created.status_code == 201, created.text
            version = created.json()["version"]
            listed = await client.get("/v1/documents", params={"opportunity_id": "opp-1"}, headers=auth)
            assert [d["document_id"] for d in listed.json()["documents"]] == [version["document_id"]]
            versions = await client.get(f"/v1/documents/{version['document_id']}/versions", headers=auth)
            assert [v["version_id"] for v in versions.json()["versions"]] == [version["version_id"]]

            meta = await client.get(f"/v1/document-versions/{version['version_id']}", headers=auth)
            assert "content_base64" not in meta.json()
            full = await client.get(
                f"/v1/document-versions/{version['version_id']}", params={"include_content": "true"}, headers=auth
            )
            assert base64.b64decode(full.json()["content_base64"]).decode() == "第一版"


async def test_approvals_submit_decide_and_role_check(make_gateway, nats_url: str, tmp_path: Path) -> None:
    async with other_backend("approval", nats_url, tmp_path) as approval:
        async with make_gateway(approval_addr=approval.address) as client:
            rep = await login(client, "zhangwei")
            submitted = await client.post(
                "/v1/approvals",
                json={"subject_type": "opportunity", "subject_id": "opp-1", "reason": "折扣 15% 超出权限"},
                headers=rep,
            )
            assert submitted.status_code == 201, submitted.text
            approval_id = submitted.json()["approval"]["approval_id"]

            decision = {"decision": "approve", "comment": "同意"}
            is_problem(await client.post(f"/v1/approvals/{approval_id}/decision", json=decision, headers=rep), 403)
            manager = await login(client, "wangqiang")
            url = f"/v1/approvals/{approval_id}/decision"
            maybe = await client.post(url, json={"decision": "maybe"}, headers=manager)
            assert [e["field"] for e in is_problem(maybe, 422)["errors"]] == ["decision"]
            decided = await client.post(f"/v1/approvals/{approval_id}/decision", json=decision, headers=manager)
            assert decided.status_code == 200, decided.text
            fetched = await client.get(f"/v1/approvals/{approval_id}", headers=rep)
            assert fetched.json()["approval"]["status"] == "approved"
