"""Issue 11's stories that cross services, through the gateway (real gateway,
opportunity, approval, document-versioning, NATS and databases):

- seed 000: an order's contract stage needs the technical review by 技术部 and
  生产部 in parallel (all must approve, both opinions kept) and a contract
  approval; an approved quote does not open a gate asking for a contract.
- seed 003: a technical proposal's approval is bound to the version it was
  submitted with: a newer version voids a pending request (which frees the
  fields it locked), stales an approved one, and no gate accepts the stale one.
- the subject lock: while a quote is pending, the amount its policy locks
  cannot change (409 naming the approval and the field, nothing changed);
  other fields can; recalling the request frees it.

(The >2x regional average policy is A2's test_policies_gateway.py; the engine's
actions are A1's test_engine_gateway.py.)"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from tests.integration.approval.test_engine_gateway import act, department, department_step, detail, policy, user_step
from tests.integration.gateway.conftest import gateway_db, lead_routing, make_gateway  # noqa: F401 (fixtures)
from tests.integration.gateway.test_gateway import is_problem
from tests.integration.gateway.test_other_backends import Stack, stack  # noqa: F401 (fixture)
from tests.support.infra import eventually

REP, MANAGER = "zhangwei", "wangqiang"  # wangqiang manages zhangwei


async def patch(s: Stack, opportunity_id: str, body: dict, user: str = REP) -> httpx.Response:
    return await s.client.patch(f"/v1/opportunities/{opportunity_id}", json=body, headers=await s.as_(user))


async def move(s: Stack, opportunity_id: str, stage: str) -> httpx.Response:
    return await s.post(REP, f"/v1/opportunities/{opportunity_id}/stage", {"stage": stage})


async def opportunity(s: Stack, **fields: Any) -> dict:
    body = {
        "customer_name": "宁波海天注塑机配套厂",
        "name": "二期产线改造",
        "amount": {"amount_minor": 88_000_000, "currency": "CNY"},
    } | fields
    reply = await s.post(REP, "/v1/opportunities", body)
    assert reply.status_code == 201, reply.text
    return reply.json()["opportunity"]


def pipeline_body(gate: dict, name: str = "注塑机整线") -> dict:
    return {
        "name": name,
        "product_line": "注塑机",
        "stages": [
            {"name": "需求确认", "probability": 20, "forecast_category": "pipeline"},
            {"name": "合同签署", "probability": 90, "forecast_category": "commit", "gate": gate},
        ],
    }


async def pipeline(s: Stack, contract_gate: list[str]) -> str:
    reply = await s.post(MANAGER, "/v1/pipelines", pipeline_body({"approval_kinds": contract_gate}))
    assert reply.status_code == 201, reply.text
    [_, signing] = reply.json()["pipeline"]["stages"]
    assert signing["gate"]["approval_kinds"] == contract_gate and signing["gate"]["requires_approval"]
    return reply.json()["pipeline"]["pipeline_id"]


async def submit(s: Stack, kind: str, opportunity_id: str, **fields: Any) -> dict:
    reply = await s.post(
        REP,
        "/v1/approvals",
        {"kind": kind, "subject_type": "opportunity", "subject_id": opportunity_id, "reason": "二期产线改造"} | fields,
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["approval"]


async def upload(s: Stack, opportunity_id: str, text: str, document_id: str = "") -> dict:
    reply = await s.post(
        REP,
        "/v1/documents/versions",
        {
            "document_id": document_id,
            "opportunity_id": "" if document_id else opportunity_id,
            "doc_type": "" if document_id else "技术方案",
            "title": "" if document_id else "注塑机整线技术方案",
            "filename": "技术方案.pdf",
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(text.encode()).decode(),
        },
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["version"]


def gate_refusals(reply: httpx.Response) -> list[tuple[str, str, str]]:
    problem = is_problem(reply, 409)
    return [(v["type"], v["subject"], v["description"]) for v in problem["violations"]]


async def test_seed_000_contract_gate_needs_the_cross_functional_review_and_a_contract_approval(
    stack: Stack,  # noqa: F811
) -> None:
    s = stack
    tech = await department(s, "技术部", "chenjing")
    prod = await department(s, "生产部", "zhoumin")
    await policy(s, "technical_proposal", [department_step("技术评审", tech), department_step("生产评审", prod)])
    await policy(s, "quote", [user_step("主管", MANAGER)])
    await policy(s, "contract", [user_step("财务", "liufang")])
    opp = (await opportunity(s, pipeline_id=await pipeline(s, ["technical_proposal", "contract"])))["opportunity_id"]

    # A kind that does not exist is refused naming the field; the old flag asks for a quote.
    bad = await s.post(MANAGER, "/v1/pipelines", pipeline_body({"approval_kinds": ["boss_says_yes"]}, "坏"))
    assert [e["field"] for e in is_problem(bad, 422)["errors"]] == ["stages[1].gate.approval_kinds[0]"]
    legacy = await s.post(MANAGER, "/v1/pipelines", pipeline_body({"requires_approval": True}, "旧"))
    assert legacy.json()["pipeline"]["stages"][1]["gate"]["approval_kinds"] == ["quote"]

    refused = gate_refusals(await move(s, opp, "合同签署"))
    assert [(t, k) for t, k, _ in refused] == [("approval", "technical_proposal"), ("approval", "contract")]
    assert all("missing" in why for _, _, why in refused)

    # 跨职能评审: both departments at once, all must approve, both opinions kept.
    review = (await submit(s, "technical_proposal", opp))["approval_id"]
    pending = gate_refusals(await move(s, opp, "合同签署"))
    assert ("approval", "technical_proposal") in [(t, k) for t, k, _ in pending]
    assert any(k == "technical_proposal" and "pending" in why and review in why for _, k, why in pending)
    assert (await act(s, review, "chenjing", comment="工艺可行"))["approval"]["status"] == "pending"
    assert (await act(s, review, "zhoumin", comment="产能可排"))["approval"]["status"] == "approved"
    opinions = {(h["actor"], h["comment"]) for h in (await detail(s, review))["history"] if h["action"] == "approved"}
    assert opinions == {("chenjing", "工艺可行"), ("zhoumin", "产能可排")}

    # An approved quote is not the contract approval the gate asks for.
    quote = (await submit(s, "quote", opp))["approval_id"]
    await act(s, quote, MANAGER, comment="同意")
    assert [(t, k) for t, k, _ in gate_refusals(await move(s, opp, "合同签署"))] == [("approval", "contract")]

    # A rejected contract approval says so; a new, approved one opens the gate.
    rejected = (await submit(s, "contract", opp))["approval_id"]
    await act(s, rejected, "liufang", "reject", comment="回款条件不清")
    [(_, _, why)] = gate_refusals(await move(s, opp, "合同签署"))
    assert "rejected" in why and rejected in why
    approved = (await submit(s, "contract", opp))["approval_id"]
    await act(s, approved, "liufang", comment="同意")
    moved = await move(s, opp, "合同签署")
    assert moved.status_code == 200, moved.text
    assert moved.json()["opportunity"]["stage"] == "合同签署"

    # Opportunity records every decision from approval.decided, with its kind.
    async def recorded() -> bool:
        got = (await s.get(REP, f"/v1/opportunities/{opp}")).json()["opportunity"]["approvals"]
        return {(a["approval_id"], a["decision"], a["kind"]) for a in got} == {
            (review, "approved", "technical_proposal"),
            (quote, "approved", "quote"),
            (rejected, "rejected", "contract"),
            (approved, "approved", "contract"),
        }

    await eventually(recorded)


async def test_seed_003_a_newer_version_voids_a_pending_approval_and_stales_an_approved_one(
    stack: Stack,  # noqa: F811
) -> None:
    s = stack
    tech = await department(s, "技术部", "chenjing")
    await policy(s, "technical_proposal", [department_step("技术评审", tech)], locked_fields=["product_line"])
    opp = (await opportunity(s, pipeline_id=await pipeline(s, ["technical_proposal"])))["opportunity_id"]
    v1 = await upload(s, opp, "技术方案 V1：双色注塑，锁模力 800 吨")
    line = {"product_line": "双色注塑机"}

    # Pending on V1 when V2 arrives: voided, naming both versions.
    pending = await submit(
        s, "technical_proposal", opp, document_version_id=v1["version_id"], document_sha256=v1["sha256"]
    )
    [lock] = is_problem(await patch(s, opp, line), 409)["violations"]
    assert (lock["subject"], pending["approval_id"] in lock["description"]) == ("product_line", True)
    v2 = await upload(s, opp, "技术方案 V2：锁模力 1000 吨", document_id=v1["document_id"])

    async def voided() -> bool:
        return (await detail(s, pending["approval_id"]))["approval"]["status"] == "voided"

    await eventually(voided)
    history = (await detail(s, pending["approval_id"]))["history"]
    assert any(h["action"] == "voided" for h in history)
    [(_, kind, why)] = gate_refusals(await move(s, opp, "合同签署"))
    assert kind == "technical_proposal" and "missing" in why
    # Voided, it no longer locks the product line.
    assert (await patch(s, opp, line)).status_code == 200

    # Approved on V2, then V3 uploaded: stale, and the gate refuses it as stale.
    bound = (
        await submit(s, "technical_proposal", opp, document_version_id=v2["version_id"], document_sha256=v2["sha256"])
    )["approval_id"]
    assert (await act(s, bound, "chenjing", comment="同意 V2"))["approval"]["status"] == "approved"
    await upload(s, opp, "技术方案 V3：改用伺服泵", document_id=v1["document_id"])

    async def stale() -> bool:
        return (await detail(s, bound))["approval"]["stale"] is True

    await eventually(stale)
    assert (await detail(s, bound))["approval"]["status"] == "approved"
    [(_, kind, why)] = gate_refusals(await move(s, opp, "合同签署"))
    assert kind == "technical_proposal" and "stale" in why and bound in why
    assert (await s.get(REP, f"/v1/opportunities/{opp}")).json()["opportunity"]["stage"] == "需求确认"


async def test_the_subject_lock_refuses_locked_fields_while_pending_and_recall_frees_them(
    stack: Stack,  # noqa: F811
) -> None:
    s = stack
    await policy(s, "quote", [user_step("主管", MANAGER)], locked_fields=["amount", "expected_close_date"])
    opp = (await opportunity(s))["opportunity_id"]
    quote = (await submit(s, "quote", opp))["approval_id"]

    problem = is_problem(
        await patch(
            s, opp, {"amount": {"amount_minor": 66_000_000, "currency": "CNY"}, "name": "二期产线改造（降价）"}
        ),
        409,
    )
    assert [(v["type"], v["subject"]) for v in problem["violations"]] == [("approval_lock", "amount")]
    assert quote in problem["violations"][0]["description"] and quote in problem["detail"]
    got = (await s.get(REP, f"/v1/opportunities/{opp}")).json()["opportunity"]
    assert (got["name"], got["amount"]["amount_minor"]) == ("二期产线改造", 88_000_000)

    # Fields it does not lock change; the locked amount sent unchanged is no change.
    same = await patch(s, opp, {"amount": {"amount_minor": 88_000_000, "currency": "CNY"}, "decision_maker": "李总"})
    assert same.status_code == 200, same.text
    # Another rep hears the opportunity is not there at all, as before.
    is_problem(await patch(s, opp, {"amount": {"amount_minor": 1, "currency": "CNY"}}, user="lina"), 404)

    recalled = await s.post(REP, f"/v1/approvals/{quote}/recall", {"comment": "客户要求调整报价"})
    assert recalled.status_code == 200, recalled.text
    freed = await patch(s, opp, {"amount": {"amount_minor": 66_000_000, "currency": "CNY"}})
    assert freed.status_code == 200, freed.text
    assert freed.json()["opportunity"]["amount"]["amount_minor"] == 66_000_000
