"""Documents through the gateway (issue 12, "Versions"): three versions of a
technical proposal with structured fields (given as JSON, extracted from an
XLSX and a DOCX), a snapshot bound to an opportunity, the tenant's document
types, and who sees what. Every service in-process for real, the gateway over ASGI."""

from __future__ import annotations

import asyncio
import base64

from tests.integration.gateway import test_other_backends as backends
from tests.integration.gateway.test_gateway import is_problem
from tests.integration.gateway.test_other_backends import Stack, create_opportunity
from tests.support.document_files import make_xlsx
from tests.support.documents import DOCX, PROPOSAL_VERSIONS, XLSX

V1, V2, V3 = PROPOSAL_VERSIONS
# The services and the gateway, as the other backends' tests run them.
stack = backends.stack


def upload(opportunity_id: str = "", document_id: str = "", **fields: object) -> dict:
    content = fields.pop("content", b"")
    body: dict = {"filename": "技术方案.docx", "content_type": DOCX}
    if document_id:
        body["document_id"] = document_id
    else:
        body |= {
            "subject_type": "opportunity",
            "subject_id": opportunity_id,
            "doc_type": "技术方案",
            "title": "宁波华翔 注塑机改造技术方案",
        }
    return body | fields | {"content_base64": base64.b64encode(content).decode()}


async def versions(s: Stack, user: str, document_id: str) -> list[dict]:
    reply = await s.get(user, f"/v1/documents/{document_id}/versions")
    assert reply.status_code == 200, reply.text
    return reply.json()["versions"]


async def test_three_versions_of_a_proposal_carry_their_fields_and_chain(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    # v1: the uploader's JSON beside a DOCX.
    first = await s.post(
        "zhangwei",
        "/v1/documents/versions",
        upload(opp, content=V1.docx(), fields=V1.fields(), change_summary=V1.change_summary),
    )
    assert first.status_code == 201, first.text
    v1 = first.json()["version"]
    document_id = v1["document_id"]
    # v2: extracted from an XLSX equipment list (型号/描述/数量/单价, 交期, 质保).
    second = await s.post(
        "wangqiang",
        "/v1/documents/versions",
        upload(
            document_id=document_id,
            content=V2.xlsx(),
            filename="设备清单-v2.xlsx",
            content_type=XLSX,
            change_summary=V2.change_summary,
        ),
    )
    assert second.status_code == 201, second.text
    v2 = second.json()["version"]
    # v3: extracted from the DOCX's table and its "交期 45 天".
    third = await s.post(
        "zhangwei",
        "/v1/documents/versions",
        upload(
            document_id=document_id, content=V3.docx(), filename="技术方案-v3.docx", change_summary=V3.change_summary
        ),
    )
    assert third.status_code == 201, third.text
    v3 = third.json()["version"]

    assert [v["version_number"] for v in (v1, v2, v3)] == [1, 2, 3]
    assert [v["parent_version_id"] for v in (v1, v2, v3)] == ["", v1["version_id"], v2["version_id"]]
    assert [v["created_by"] for v in (v1, v2, v3)] == ["zhangwei", "wangqiang", "zhangwei"]
    assert v3["change_summary"] == "交期改为 45 天，增加机械手"
    assert (v1["subject_type"], v1["subject_id"], v1["opportunity_id"]) == ("opportunity", opp, opp)

    f1, f2, f3 = (v["fields"] for v in (v1, v2, v3))
    assert (f1["source"], f2["source"], f3["source"]) == ("uploader", "xlsx", "docx")
    assert [int(f["total_minor"]) for f in (f1, f2, f3)] == [143_000_000, 139_000_000, 151_000_000]
    # The price change, the changed term, the added row.
    assert [int(r["unit_price_minor"]) for r in f1["equipment"] if r["model"] == "HX-280"] == [68_000_000]
    assert [int(r["unit_price_minor"]) for r in f2["equipment"] if r["model"] == "HX-280"] == [66_000_000]
    assert [f["delivery_lead_time_days"] for f in (f1, f2, f3)] == [30, 30, 45]
    assert [r["model"] for r in f3["equipment"]] == ["HX-280", "MT-12", "RB-5"]
    assert [i["percent_bp"] for i in f1["instalments"]] == [3000, 6000, 1000]

    # One version with its fields; the list by number, a page at a time.
    one = await s.get("liufang", f"/v1/document-versions/{v2['version_id']}")
    assert one.json()["version"]["fields"] == f2
    page = await s.get("zhangwei", f"/v1/documents/{document_id}/versions", page_size=2)
    assert [v["version_number"] for v in page.json()["versions"]] == [1, 2]
    rest = await s.get(
        "zhangwei", f"/v1/documents/{document_id}/versions", page_size=2, page_token=page.json()["next_page_token"]
    )
    assert ([v["version_number"] for v in rest.json()["versions"]], rest.json()["next_page_token"]) == ([3], "")
    listed = await s.get("zhangwei", "/v1/documents", subject_type="opportunity", subject_id=opp)
    assert [(d["document_id"], d["latest_version_number"]) for d in listed.json()["documents"]] == [(document_id, 3)]


async def test_bad_fields_are_refused_naming_the_field_and_store_nothing(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    created = await s.post("zhangwei", "/v1/documents/versions", upload(opp, content=V1.docx(), fields=V1.fields()))
    document_id = created.json()["version"]["document_id"]
    wrong_total = V2.fields() | {"total_minor": V2.total_minor + 100}
    short_terms = V2.fields() | {"instalments": [{"name": "预付款", "trigger": "advance", "percent_bp": 3000}]}
    bad_trigger = V2.fields() | {"instalments": [{"name": "全款", "trigger": "someday", "percent_bp": 10000}]}
    for fields, named in (
        (wrong_total, "fields.total_minor"),
        (short_terms, "fields.instalments"),
        (bad_trigger, "fields.instalments[0].trigger"),
    ):
        reply = await s.post(
            "zhangwei", "/v1/documents/versions", upload(document_id=document_id, content=V2.docx(), fields=fields)
        )
        assert named in [e["field"] for e in is_problem(reply, 400)["errors"]], reply.text
    # A sheet whose 合计 disagrees with its rows is refused too (extracted fields are checked alike).
    sheet = make_xlsx(
        [["型号", "描述", "数量", "单价"], ["HX-280", "注塑机", 2, 660_000], ["合计", None, None, 1_000_000]]
    )
    reply = await s.post(
        "zhangwei",
        "/v1/documents/versions",
        upload(document_id=document_id, content=sheet, filename="清单.xlsx", content_type=XLSX),
    )
    assert "fields.total_minor" in [e["field"] for e in is_problem(reply, 400)["errors"]]
    # A row without its model is the gateway's to refuse (shape).
    shapeless = V2.fields() | {"equipment": [{"quantity": 1}]}
    reply = await s.post(
        "zhangwei", "/v1/documents/versions", upload(document_id=document_id, content=b"y", fields=shapeless)
    )
    assert is_problem(reply, 422)["errors"]
    unknown_type = await s.post(
        "zhangwei", "/v1/documents/versions", upload(opp, content=b"x", doc_type="不存在的类型")
    )
    assert [e["field"] for e in is_problem(unknown_type, 400)["errors"]] == ["doc_type"]
    no_fields_type = await s.post(
        "zhangwei", "/v1/documents/versions", upload(opp, content=b"x", doc_type="客户需求分析文档", fields=V1.fields())
    )
    assert [e["field"] for e in is_problem(no_fields_type, 400)["errors"]] == ["fields"]
    assert [v["version_number"] for v in await versions(s, "zhangwei", document_id)] == [1]
    listed = await s.get("zhangwei", "/v1/documents", opportunity_id=opp)
    assert len(listed.json()["documents"]) == 1


async def test_a_snapshot_binds_a_version_to_its_opportunity(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    other_opp = await create_opportunity(s, name="三期")
    v1 = (await s.post("zhangwei", "/v1/documents/versions", upload(opp, content=V1.docx()))).json()["version"]
    v2 = (
        await s.post("zhangwei", "/v1/documents/versions", upload(document_id=v1["document_id"], content=V2.docx()))
    ).json()["version"]
    url = f"/v1/document-versions/{v2['version_id']}/snapshots"
    shown = await s.post("zhangwei", url, {"opportunity_id": opp, "purpose": "shown_to_customer", "note": "现场演示"})
    assert shown.status_code == 201, shown.text
    snapshot = shown.json()["snapshot"]
    assert (snapshot["version_number"], snapshot["sha256"], snapshot["created_by"]) == (2, v2["sha256"], "zhangwei")
    again = await s.post("zhangwei", url, {"opportunity_id": opp, "purpose": "shown_to_customer"})
    assert (again.status_code, again.json()["existing"], again.json()["snapshot"]["snapshot_id"]) == (
        200,
        True,
        snapshot["snapshot_id"],
    )
    # Two first freezes racing: one snapshot, answered to both.
    submitted, raced = await asyncio.gather(
        *(
            s.post(
                "wangqiang",
                f"/v1/document-versions/{v1['version_id']}/snapshots",
                {"opportunity_id": opp, "purpose": "submitted_for_approval"},
            )
            for _ in range(2)
        )
    )
    assert sorted((submitted.status_code, raced.status_code)) == [200, 201], (submitted.text, raced.text)
    assert submitted.json()["snapshot"]["snapshot_id"] == raced.json()["snapshot"]["snapshot_id"]
    # Not this opportunity's document: refused naming opportunity_id.
    elsewhere = await s.post("zhangwei", url, {"opportunity_id": other_opp, "purpose": "shown_to_customer"})
    assert [e["field"] for e in is_problem(elsewhere, 400)["errors"]] == ["opportunity_id"]
    bad = await s.post("zhangwei", url, {"opportunity_id": opp, "purpose": "emailed"})
    assert [e["field"] for e in is_problem(bad, 422)["errors"]] == ["purpose"]

    listing = f"/v1/opportunities/{opp}/document-snapshots"
    for reader in ("zhangwei", "wangqiang", "liufang", "chenjing", "admin"):
        seen = await s.get(reader, listing)
        assert [(x["purpose"], x["version_number"]) for x in seen.json()["snapshots"]] == [
            ("submitted_for_approval", 1),
            ("shown_to_customer", 2),
        ], reader
    only = await s.get("zhangwei", listing, purpose="shown_to_customer")
    assert [x["snapshot_id"] for x in only.json()["snapshots"]] == [snapshot["snapshot_id"]]
    for outsider in ("lina", "zhoumin", "other-rep"):
        is_problem(await s.get(outsider, listing), 404)
        is_problem(await s.post(outsider, url, {"opportunity_id": opp, "purpose": "shown_to_customer"}), 404)
    is_problem(await s.get("zhaolei", listing), 403)
    for reader in ("liufang", "chenjing"):
        is_problem(await s.post(reader, url, {"opportunity_id": opp, "purpose": "submitted_for_approval"}), 403)
    assert len((await s.get("admin", listing)).json()["snapshots"]) == 2


async def test_who_sees_documents_follows_the_opportunity(stack: Stack) -> None:
    s = stack
    opp = await create_opportunity(s)
    v1 = (await s.post("zhangwei", "/v1/documents/versions", upload(opp, content=V1.docx()))).json()["version"]
    document_id, version_id = v1["document_id"], v1["version_id"]
    # The owner, their manager, finance, reviewers and the admin read.
    for reader in ("zhangwei", "wangqiang", "liufang", "chenjing", "admin"):
        assert (await s.get(reader, f"/v1/document-versions/{version_id}")).status_code == 200, reader
        listed = await s.get(reader, "/v1/documents", opportunity_id=opp)
        assert [d["document_id"] for d in listed.json()["documents"]] == [document_id], reader
    # A colleague, another team's manager, another tenant: not found, as if nothing existed.
    for outsider in ("lina", "zhoumin", "other-rep"):
        is_problem(await s.get(outsider, f"/v1/document-versions/{version_id}"), 404)
        is_problem(await s.get(outsider, f"/v1/documents/{document_id}/versions"), 404)
        is_problem(await s.get(outsider, "/v1/documents", opportunity_id=opp), 404)
        is_problem(
            await s.post(outsider, "/v1/documents/versions", upload(document_id=document_id, content=b"planted")), 404
        )
    # The partner gets nothing at all.
    is_problem(await s.get("zhaolei", f"/v1/document-versions/{version_id}"), 404)
    is_problem(await s.get("zhaolei", "/v1/documents", opportunity_id=opp), 403)
    is_problem(await s.post("zhaolei", "/v1/documents/versions", upload(opp, content=b"x")), 403)
    # Finance and reviewers add nothing; the manager may.
    for reader in ("liufang", "chenjing"):
        is_problem(await s.post(reader, "/v1/documents/versions", upload(document_id=document_id, content=b"v2")), 403)
    assert (
        await s.post("wangqiang", "/v1/documents/versions", upload(document_id=document_id, content=b"v2"))
    ).status_code == 201
    assert [v["created_by"] for v in await versions(s, "admin", document_id)] == ["zhangwei", "wangqiang"]

    # A document on the opportunity's customer follows who may see that customer.
    customer_id = (await s.get("zhangwei", f"/v1/opportunities/{opp}")).json()["opportunity"]["customer_id"]
    on_customer = await s.post(
        "zhangwei",
        "/v1/documents/versions",
        upload(
            subject_type="customer", subject_id=customer_id, doc_type="客户需求确认书", title="需求确认", content=b"ok"
        ),
    )
    assert on_customer.status_code == 201, on_customer.text
    assert (on_customer.json()["version"]["subject_type"], on_customer.json()["version"]["opportunity_id"]) == (
        "customer",
        "",
    )
    for reader in ("zhangwei", "wangqiang", "liufang"):
        listed = await s.get(reader, "/v1/documents", subject_type="customer", subject_id=customer_id)
        assert len(listed.json()["documents"]) == 1, reader
    for outsider in ("lina", "zhoumin", "other-rep"):
        is_problem(await s.get(outsider, "/v1/documents", subject_type="customer", subject_id=customer_id), 404)


async def test_document_types_are_the_tenants(stack: Stack) -> None:
    s = stack
    seeded = (await s.get("liufang", "/v1/document-types")).json()["types"]
    assert [t["code"] for t in seeded][:7] == [
        "客户需求分析文档",
        "技术方案",
        "报价单",
        "技术协议",
        "合同",
        "客户需求确认书",
        "ECN",
    ]
    assert all(t["seeded"] for t in seeded)
    is_problem(await s.get("zhaolei", "/v1/document-types"), 403)
    is_problem(
        await s.client.put("/v1/document-types/图纸", json={"name": "图纸"}, headers=await s.as_("wangqiang")), 403
    )
    added = await s.client.put(
        "/v1/document-types/图纸", json={"name": "设备图纸", "carries_fields": False}, headers=await s.as_("admin")
    )
    assert (added.status_code, added.json()["type"]["code"], added.json()["created"]) == (201, "图纸", True)
    renamed = await s.client.put("/v1/document-types/图纸", json={"name": "总装图纸"}, headers=await s.as_("admin"))
    assert (renamed.status_code, renamed.json()["type"]["name"]) == (200, "总装图纸")
    types = (await s.get("zhangwei", "/v1/document-types")).json()["types"]
    assert [t["code"] for t in types] == [t["code"] for t in seeded] + ["图纸"]
    opp = await create_opportunity(s)
    drawing = await s.post(
        "zhangwei",
        "/v1/documents/versions",
        upload(opp, content=b"%PDF", doc_type="图纸", filename="总装图.pdf", content_type="application/pdf"),
    )
    assert drawing.status_code == 201, drawing.text
    other = (await s.get("other-rep", "/v1/document-types")).json()["types"]
    assert "图纸" not in [t["code"] for t in other]
