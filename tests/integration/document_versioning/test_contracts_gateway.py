"""Contracts through the gateway against real document-versioning,
approval and opportunity services: a contract taken through draft → under
review (the approval request naming its draft) → signed (the signed PDF with
date and parties, by a reviewer as 法务) → superseded by a signed amendment,
contract.signed carrying the instalments read from the real stream; the
e-signature callback with a good, a bad and a stale signature, a hash
mismatch, another tenant's secret and a body naming another tenant than its
header (the refused ones change nothing); who sees a contract."""

from __future__ import annotations

import secrets

from crm.events.v1 import contract_pb2
from crm_shared.business_calendar import business_day

from tests.integration.document_versioning.contract_stack import (
    OTHER_ESIGN_SECRET,
    OTHER_TENANT,
    OWNER,
    PEER,
    Stack,
    b64,
    contract,
    open_contract,
    review,
    sha256,
    signed_callback,
    stack_fixture,  # noqa: F401 - the fixture "stack"
    upload,
    upload_draft,
)
from tests.support.documents import PROPOSAL_VERSIONS, make_pdf


async def test_a_contract_from_draft_through_review_and_signing_to_superseded(stack: Stack) -> None:
    s = stack
    opportunity_id = await s.opps.create(OWNER)
    # The contract number (合同编号) is checked and kept upper-case; a number names one contract in the tenant.
    bad = await s.post(
        "zhangwei", "/v1/contracts", {"opportunity_id": opportunity_id, "title": "合同", "contract_number": "HT 2025"}
    )
    assert bad.status_code == 400 and "contract_number" in bad.text, bad.text
    c = await open_contract(s, opportunity_id, number="ht2025-018")
    assert c["state"] == "draft" and c["customer_id"] and c["opportunity_id"] == opportunity_id
    assert c["contract_number"] == "HT2025-018"
    taken = await s.post(
        "zhangwei",
        "/v1/contracts",
        {"opportunity_id": opportunity_id, "title": "合同", "contract_number": "HT2025-018"},
    )
    assert taken.status_code == 409 and "contract_number" in taken.text, taken.text
    assert [
        x["contract_id"]
        for x in (await s.get("zhangwei", "/v1/contracts", opportunity_id=opportunity_id)).json()["contracts"]
    ] == [c["contract_id"]]

    first = PROPOSAL_VERSIONS[0]
    draft = await upload_draft(s, c, first.fields())
    today = business_day(s.clock.now()).isoformat()
    pdf = make_pdf([["注塑机采购合同 签署版", "甲方盖章 乙方盖章"]])
    signing = {
        "version_id": draft["version_id"],
        "label": "V1",
        "signed_on": today,
        "parties": ["宁波华翔注塑有限公司", "本公司"],
        "filename": "contract-signed.pdf",
        "content_base64": b64(pdf),
    }
    # A draft nobody asked approval for is not signed.
    early = await s.post("chenjing", f"/v1/contracts/{c['contract_id']}/signatures", signing)
    assert early.status_code == 400 and "version_id" in early.text, early.text

    # Rejected first (back to draft), then asked again and approved.
    await review(s, c, draft["version_id"], approve=False)
    assert (await contract(s, c["contract_id"]))["state"] == "draft"
    approval_id = await review(s, c, draft["version_id"])
    reviewed = await contract(s, c["contract_id"])
    assert reviewed["state"] == "under_review"
    assert reviewed["versions"][0]["approval_id"] == approval_id

    # 法务 are reviewers and admins: the rep who owns the opportunity may not sign.
    refused = await s.post("zhangwei", f"/v1/contracts/{c['contract_id']}/signatures", signing)
    assert refused.status_code == 403, refused.text
    for bad, field in (
        ({"label": "第一版"}, "label"),
        ({"signed_on": "2099-01-01"}, "signed_on"),
        ({"parties": []}, "parties"),
        ({"content_base64": "not base64!"}, "content_base64"),
    ):
        refused = await s.post("chenjing", f"/v1/contracts/{c['contract_id']}/signatures", signing | bad)
        assert refused.status_code == 400 and field in refused.text, refused.text
    assert (await contract(s, c["contract_id"])) == reviewed  # refused input changes nothing
    signed = await s.post("chenjing", f"/v1/contracts/{c['contract_id']}/signatures", signing)
    assert signed.status_code == 200, signed.text
    body = signed.json()["contract"]
    assert body["state"] == "signed"
    in_force = body["in_force"]
    assert in_force["label"] == "V1" and in_force["signed_on"] == today and in_force["signed_via"] == "upload"
    assert in_force["signed_sha256"] == sha256(pdf) and in_force["signed_by"] == "chenjing"
    assert in_force["fields"]["total_minor"] == first.total_minor
    assert [e["model"] for e in in_force["fields"]["equipment"]] == ["HX-280", "MT-12"]

    # An amendment: a new draft of the same document with the third proposal's terms, reviewed and signed as V1.1.
    amended = PROPOSAL_VERSIONS[2]
    draft2 = await upload_draft(s, c, amended.fields(), document_id=draft["document_id"], text="补充协议")
    await review(s, c, draft2["version_id"])
    pdf2 = make_pdf([["补充协议 签署版"]])
    again = await s.post(
        "admin",
        f"/v1/contracts/{c['contract_id']}/signatures",
        signing
        | {
            "version_id": draft2["version_id"],
            "label": "V1.1",
            "content_base64": b64(pdf2),
        },
    )
    assert again.status_code == 200, again.text
    history = await contract(s, c["contract_id"], user="wangqiang")
    states = {v["version_id"]: v for v in history["versions"]}
    assert states[draft["version_id"]]["state"] == "superseded"
    assert states[draft["version_id"]]["superseded_by_version_id"] == draft2["version_id"]
    assert states[draft2["version_id"]]["state"] == "signed" and history["in_force"]["label"] == "V1.1"
    # The full history keeps each signed version's fields.
    assert states[draft["version_id"]]["fields"]["total_minor"] == first.total_minor
    assert states[draft2["version_id"]]["fields"]["total_minor"] == amended.total_minor
    force = await s.get("liufang", f"/v1/opportunities/{opportunity_id}/contract-in-force")
    assert force.status_code == 200, force.text
    assert force.json()["contract_id"] == c["contract_id"] and force.json()["version"]["label"] == "V1.1"

    # contract.signed carries what finance builds the payment plan from; contract.superseded names the successor.
    events = await s.events("contract.signed", c["contract_id"], contract_pb2.ContractSigned)
    assert [e.label for e in events] == ["V1", "V1.1"]
    assert {e.contract_number for e in events} == {"HT2025-018"}  # the number stays, the label changes
    v1 = events[0]
    assert v1.customer_id == c["customer_id"] and v1.opportunity_id == opportunity_id
    assert v1.total.amount_minor == first.total_minor and v1.total.currency == "CNY"
    assert [(i.trigger, i.percent_bp, i.days) for i in v1.instalments] == [
        ("advance", 3000, 0),
        ("on_acceptance", 6000, 30),
        ("retention", 1000, 365),
    ]
    assert [(e.model, e.quantity) for e in v1.equipment] == [("HX-280", 2), ("MT-12", 2)]
    assert v1.signed_on == today and list(v1.parties) == ["宁波华翔注塑有限公司", "本公司"]
    assert events[1].supersedes_version_id == draft["version_id"]
    (gone,) = await s.events("contract.superseded", c["contract_id"], contract_pb2.ContractSuperseded)
    assert gone.label == "V1" and gone.superseded_by_label == "V1.1" and len(gone.instalments) == 3
    assert gone.contract_number == "HT2025-018"


async def test_esignature_callback_and_who_sees_a_contract(stack: Stack) -> None:
    s = stack
    opportunity_id = await s.opps.create(OWNER)
    c = await open_contract(s, opportunity_id)
    draft = await upload_draft(s, c, PROPOSAL_VERSIONS[1].fields())
    await review(s, c, draft["version_id"])
    provider_document_id = f"FDD-{secrets.token_hex(4)}"
    sent = await s.post(
        "chenjing",
        f"/v1/contracts/{c['contract_id']}/esign-requests",
        {
            "version_id": draft["version_id"],
            "label": "V2",
            "provider": "fadada",
            "provider_document_id": provider_document_id,
        },
    )
    assert sent.status_code == 200, sent.text
    unknown = await s.post(
        "chenjing",
        f"/v1/contracts/{c['contract_id']}/esign-requests",
        {"version_id": draft["version_id"], "provider": "docusign", "provider_document_id": "D-1"},
    )
    assert unknown.status_code == 400 and "provider" in unknown.text
    assert sent.json()["contract"]["versions"][0]["state"] == "sent_for_signing"
    # The provider's signed file, uploaded as a version of the contract's document first.
    signed_pdf = make_pdf([["电子签章版 合同"]])
    await upload(
        s,
        "zhangwei",
        {"document_id": draft["document_id"], "filename": "signed-by-fadada.pdf", "content_type": "application/pdf"},
        signed_pdf,
    )
    callback = {
        "tenant_id": "demo",
        "provider_document_id": provider_document_id,
        "signed_sha256": sha256(signed_pdf),
        "signed_on": business_day(s.clock.now()).isoformat(),
        "parties": ["宁波华翔注塑有限公司", "本公司"],
    }
    before = await contract(s, c["contract_id"])

    raw, headers = signed_callback(callback, secret="not-the-secret")
    bad = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert bad.status_code == 401, bad.text
    raw, headers = signed_callback(callback, at=int(s.clock.now().timestamp()) - 3600)
    stale = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert stale.status_code == 401, stale.text
    raw, headers = signed_callback(callback)
    tampered = await s.client.post("/v1/esign/callback", content=raw.replace(b"FDD", b"XXX"), headers=headers)
    assert tampered.status_code == 401
    raw, headers = signed_callback(callback | {"signed_sha256": "0" * 64})
    mismatch = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert mismatch.status_code == 400 and "signed_sha256" in mismatch.text, mismatch.text

    # The other tenant's secret with the same provider (or a leak of it) signs nothing of this tenant's:
    # not as this tenant,
    raw, headers = signed_callback(callback, secret=OTHER_ESIGN_SECRET)
    as_demo = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert as_demo.status_code == 401 and "does not match" in as_demo.text, as_demo.text
    # not as itself with a body naming this tenant,
    raw, headers = signed_callback(callback, secret=OTHER_ESIGN_SECRET, tenant=OTHER_TENANT)
    naming_demo = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert naming_demo.status_code == 422, naming_demo.text
    assert [e["field"] for e in naming_demo.json()["errors"]] == ["tenant_id"]
    # and in its own tenant this contract's provider document id is nobody's.
    raw, headers = signed_callback(
        callback | {"tenant_id": OTHER_TENANT}, secret=OTHER_ESIGN_SECRET, tenant=OTHER_TENANT
    )
    in_other = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert in_other.status_code == 404, in_other.text
    # This tenant's own secret, its header naming another tenant than the body, is refused as well.
    raw, headers = signed_callback(callback, tenant=OTHER_TENANT)
    assert (await s.client.post("/v1/esign/callback", content=raw, headers=headers)).status_code == 401
    raw, headers = signed_callback(callback | {"tenant_id": OTHER_TENANT})
    body_other = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert body_other.status_code == 422 and body_other.json()["errors"][0]["field"] == "tenant_id"
    # A tenant without a secret for the provider, or a callback naming no tenant, is refused.
    raw, headers = signed_callback(callback | {"tenant_id": "acme"}, tenant="acme")
    unconfigured = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert unconfigured.status_code == 401 and "no secret is configured" in unconfigured.text
    raw, headers = signed_callback(callback)
    del headers["X-Esign-Tenant"]
    no_tenant = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert no_tenant.status_code == 401 and "x-esign-tenant" in no_tenant.text.lower()
    assert await contract(s, c["contract_id"]) == before  # nothing changed
    assert await s.events("contract.signed", c["contract_id"], contract_pb2.ContractSigned) == []

    raw, headers = signed_callback(callback)
    good = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert good.status_code == 200, good.text
    assert good.json() == {
        "contract_id": c["contract_id"],
        "version_id": draft["version_id"],
        "label": "V2",
        "state": "signed",
    }
    after = await contract(s, c["contract_id"])
    assert after["in_force"]["signed_via"] == "esign:fadada" and after["in_force"]["signed_sha256"] == sha256(
        signed_pdf
    )
    # The same callback again (a provider's retry) changes nothing and is answered alike.
    again = await s.client.post("/v1/esign/callback", content=raw, headers=headers)
    assert again.status_code == 200 and again.json() == good.json()
    assert await contract(s, c["contract_id"]) == after
    assert len(await s.events("contract.signed", c["contract_id"], contract_pb2.ContractSigned)) == 1

    # --- who sees a contract, on a contract of its own ---
    opportunity_id = await s.opps.create(OWNER)
    c = await open_contract(s, opportunity_id)
    path = f"/v1/contracts/{c['contract_id']}"
    for user in ("zhangwei", "wangqiang", "liufang", "chenjing", "admin"):
        assert (await s.get(user, path)).status_code == 200, user
    # Another rep, another tenant: as if it did not exist; a partner sees no contract at all.
    assert (await s.get("lina", path)).status_code == 404
    assert (await s.get("other-rep", path)).status_code == 404
    assert (await s.get("zhaolei", path)).status_code in (403, 404)
    assert (await s.post("lina", "/v1/contracts", {"opportunity_id": opportunity_id, "title": "x"})).status_code == 404
    listed = await s.get("lina", "/v1/contracts", opportunity_id=opportunity_id)
    assert listed.status_code == 404

    # Another rep cannot file a "draft" on this contract by naming an opportunity of their own: a contract's
    # documents are filed under the contract's opportunity, which they may not see.
    theirs = await s.opps.create(PEER)
    foreign = {
        "subject_type": "contract",
        "subject_id": c["contract_id"],
        "opportunity_id": theirs,
        "doc_type": "合同",
        "title": "伪造的合同",
        "filename": "fake.pdf",
        "content_type": "application/pdf",
    }
    refused = await s.post("lina", "/v1/documents/versions", foreign | {"content_base64": b64(make_pdf([["伪造"]]))})
    assert refused.status_code == 404, refused.text
    # The owner naming another opportunity for it is told which field is wrong.
    wrong = await s.post("zhangwei", "/v1/documents/versions", foreign | {"content_base64": b64(make_pdf([["草稿"]]))})
    assert wrong.status_code == 400 and "opportunity_id" in wrong.text, wrong.text
    draft = await upload_draft(s, c, PROPOSAL_VERSIONS[0].fields())
    await review(s, c, draft["version_id"])
    assert [v["version_id"] for v in (await contract(s, c["contract_id"]))["versions"]] == [draft["version_id"]]
