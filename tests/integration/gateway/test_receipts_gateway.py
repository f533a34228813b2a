"""Receipts (回款单) through the gateway against real document-versioning,
approval, opportunity and finance-reconciliation (gRPC, migrated databases,
JetStream): contracts reviewed and signed by 法务 for real, their payment
plans from the real contract.signed. The seed-003 case (a receipt for V3.2's
second instalment while the opportunity is at V2.8: 409 with
请先更新商机合同版本 and the version in force; accepted once V3.2 is signed),
not due / already paid / wrong equipment list refused each by name and
recording nothing, an overpayment held for review then released or rejected
(and, with finance's hold off, refused beyond the tolerance naming the amount),
a reversal, a write-off and its reversal, a waiver, what another rep, another
tenant and a partner get; the lead source on every receipt and the ledger
check balanced after every test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm.events.v1.lead_pb2 import LeadConverted
from crm_shared.business_calendar import business_day
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id

from tests.integration.document_versioning.contract_stack import (
    OWNER,
    TENANT,
    Stack,
    open_contract,
    open_stack,
    review,
    upload_draft,
)
from tests.integration.gateway.test_gateway import is_problem
from tests.support.documents import PROPOSAL_VERSIONS
from tests.support.infra import eventually
from tests.support.signed_contracts import sign_approved, sign_draft

# Both first instalments fall due at signing; the retention waits for acceptance.
TERMS = (
    {"name": "预付款", "trigger": "advance", "days": 0, "percent_bp": 3000},
    {"name": "到货款", "trigger": "advance", "days": 0, "percent_bp": 6000},
    {"name": "质保金", "trigger": "retention", "days": 0, "percent_bp": 1000},
)
V28 = replace(PROPOSAL_VERSIONS[0], instalments=TERMS)  # HX-280 ×2, MT-12 ×2
V32 = replace(PROPOSAL_VERSIONS[2], instalments=TERMS)  # HX-280 ×2, MT-12 ×2, RB-5 ×1
FINANCE, REP, PEER, PARTNER, OTHER_TENANT = "liufang", "zhangwei", "lina", "zhaolei", "other-rep"
TOLERANCE = 100  # 分 over what is owed; beyond it a receipt is held for review


@pytest.fixture
async def stack(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    settings = {"overpayment_tolerance_minor": TOLERANCE, "overpayment_hold": True}
    async with open_stack(nats_url, database_url, tmp_path, finance=True, finance_settings=settings) as s:
        yield s
        await balanced(s)  # after every test, whatever it did


@pytest.fixture
async def refusing(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    """Finance without the hold: beyond the tolerance an overpayment is refused outright."""
    settings = {"overpayment_tolerance_minor": TOLERANCE, "overpayment_hold": False}
    async with open_stack(nats_url, database_url, tmp_path, finance=True, finance_settings=settings) as s:
        yield s
        await balanced(s)


async def balanced(s: Stack) -> dict:
    reply = await s.get(FINANCE, "/v1/finance/ledger-check")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body.get("balanced") is True, body
    return body


async def sign(s: Stack, c: dict, proposal, label: str, signed_on: date) -> dict:  # type: ignore[no-untyped-def]
    """A draft with the proposal's fields, reviewed and signed by 法务; the signed draft."""
    return await sign_draft(s, c, proposal.fields(), label, signed_on)


async def open_plan(s: Stack, contract_id: str, label: str) -> dict:
    """The contract's open plan once finance built it from contract.signed."""
    async def found() -> dict | None:
        reply = await s.get(FINANCE, f"/v1/contracts/{contract_id}/payment-plans")
        plans = [p for p in reply.json().get("plans", []) if p["status"] == "open"] if reply.status_code == 200 else []
        return plans[0] if plans and plans[0]["label"] == label else None

    assert await eventually(found), f"finance builds the plan of {label}"
    plan = await found()
    assert plan is not None
    return plan


def receipt(c: dict, version_id: str, instalment: dict, minor: int, proposal=V28, **kw) -> dict:  # type: ignore[no-untyped-def]
    return {"contract_id": c["contract_id"], "contract_version_id": version_id,
            "instalment_id": instalment["instalment_id"], "amount": {"amount_minor": minor, "currency": "CNY"},
            "payer_name": "宁波华翔注塑有限公司",
            "equipment": [{"model": e.model, "quantity": e.quantity} for e in proposal.equipment]} | kw


def owed(instalment: dict) -> int:
    return int(instalment["amount"]["amount_minor"])


async def receipts(s: Stack, opportunity_id: str, user: str = FINANCE) -> list[dict]:
    reply = await s.get(user, f"/v1/opportunities/{opportunity_id}/receipts")
    assert reply.status_code == 200, reply.text
    return reply.json().get("receipts", [])


async def signed_contract(s: Stack) -> tuple[str, dict, dict, dict]:
    """The owner's opportunity with V2.8 signed ten days ago: (opportunity id, contract, its draft, plan)."""
    opportunity_id = await s.opps.create(OWNER)
    c = await open_contract(s, opportunity_id)
    draft = await sign(s, c, V28, "V2.8", business_day(s.clock.now()) - timedelta(days=10))
    return opportunity_id, c, draft, await open_plan(s, c["contract_id"], "V2.8")


async def test_seed_003_a_receipt_for_v32_while_the_opportunity_is_at_v28(stack: Stack) -> None:
    s = stack
    opportunity_id, c, signed, plan = await signed_contract(s)
    v28 = signed["version_id"]
    first, second, retention = plan["instalments"]
    paid = await s.post(FINANCE, "/v1/receipts", receipt(c, v28, first, owed(first)))
    assert paid.status_code == 201, paid.text
    assert paid.json()["receipt"]["status"] == "recorded" and paid.json()["receipt"]["lead_source"] == "direct"

    # V3.2 is drafted and approved but not signed: finance pays its second instalment anyway.
    draft = await upload_draft(s, c, V32.fields(), document_id=signed["document_id"], text="合同 V3.2")
    await review(s, c, draft["version_id"])
    locked = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, draft["version_id"], second, owed(second),
                                                                      proposal=V32)), 409)
    by_type = {v["type"]: v["description"] for v in locked["violations"]}
    assert "请先更新商机合同版本" in by_type["contract_version"] and "V2.8" in by_type["contract_version"]

    # On the version in force: already paid, not due and a wrong equipment list, each named.
    again = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, v28, first, 100)), 409)
    assert [v["type"] for v in again["violations"]] == ["instalment"] and "already paid" in again["detail"]
    waiting = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, v28, retention, 100)), 409)
    assert "not due" in waiting["violations"][0]["description"]
    rows = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, v28, second, 100, proposal=V32)), 409)
    assert [v["type"] for v in rows["violations"]] == ["equipment"] and "RB-5" in rows["violations"][0]["description"]
    assert len(await receipts(s, opportunity_id)) == 1  # the refused ones recorded nothing
    await balanced(s)

    # V3.2 signed: now the receipt for its second instalment is accepted; V2.8's receipt carried over.
    v32 = draft["version_id"]
    await sign_approved(s, c, v32, "V3.2", business_day(s.clock.now()))
    new = await open_plan(s, c["contract_id"], "V3.2")
    assert new["instalments"][0]["paid"]["amount_minor"] == owed(first)  # carried, though the amounts differ
    stale = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, v28, second, owed(second))), 409)
    assert "已被替代" in stale["violations"][0]["description"] and "V3.2" in stale["violations"][0]["description"]
    accepted = await s.post(FINANCE, "/v1/receipts", receipt(c, v32, new["instalments"][1],
                                                             owed(new["instalments"][1]), proposal=V32))
    assert accepted.status_code == 201, accepted.text
    listed = await receipts(s, opportunity_id, user=REP)  # the owner reads their own
    assert [(r["contract_version_id"], r["lead_source"]) for r in listed] == [(v28, "direct"), (v32, "direct")]
    await balanced(s)


async def test_an_overpayment_is_held_for_review_then_released_or_rejected(stack: Stack) -> None:
    s = stack
    _, c, draft, plan = await signed_contract(s)
    version = draft["version_id"]
    first, second, _ = plan["instalments"]
    inside = await s.post(FINANCE, "/v1/receipts", receipt(c, version, first, owed(first) + TOLERANCE))
    assert inside.json()["receipt"]["status"] == "recorded", inside.text  # within the tolerance
    over = await s.post(FINANCE, "/v1/receipts", receipt(c, version, second, owed(second) + TOLERANCE + 1))
    assert over.status_code == 201 and over.json()["receipt"]["status"] == "held", over.text
    held_id = over.json()["receipt"]["receipt_id"]
    before = await balanced(s)

    # Finance's list of held receipts, a page at a time; nobody else's business.
    listed = await s.get(FINANCE, "/v1/receipts/held", page_size=200)
    assert held_id in [r["receipt_id"] for r in listed.json()["receipts"]], listed.text
    for user in (REP, PARTNER):
        assert (await s.get(user, "/v1/receipts/held")).status_code == 403
    is_problem(await s.get(FINANCE, "/v1/receipts/held", page_token="made-up"), 400)
    plan_now = await open_plan(s, c["contract_id"], "V2.8")
    assert plan_now["instalments"][1]["paid"]["amount_minor"] == 0  # held: nothing applied yet

    # Released with a note: posted now, the instalment paid, announced as recorded again.
    is_problem(await s.post(FINANCE, f"/v1/receipts/{held_id}/release", {"note": " "}), 400)
    released = await s.post(FINANCE, f"/v1/receipts/{held_id}/release", {"note": "客户多付运费，同意入账"})
    assert released.status_code == 200, released.text
    body = released.json()["receipt"]
    assert (body["status"], body["reviewed_by"], body["review_note"]) == ("recorded", FINANCE, "客户多付运费，同意入账")
    plan_now = await open_plan(s, c["contract_id"], "V2.8")
    assert plan_now["instalments"][1]["state"] == "paid"
    assert plan_now["instalments"][1]["paid"]["amount_minor"] == owed(second) + TOLERANCE + 1
    after = await balanced(s)
    assert int(after["received"]["amount_minor"]) - int(before["received"]["amount_minor"]) == owed(second) + 101
    events = await s.events("payment.receipt_recorded", held_id, finance_pb2.ReceiptRecorded)
    assert [e.status for e in events] == ["held", "recorded"]
    twice = is_problem(await s.post(FINANCE, f"/v1/receipts/{held_id}/release", {"note": "再来"}), 409)
    assert twice["violations"][0]["type"] == "receipt"

    # Another overpayment, on another contract, rejected: nothing posted, and it cannot be released after.
    _, c2, draft2, plan2 = await signed_contract(s)
    version2 = draft2["version_id"]
    held2 = (await s.post(FINANCE, "/v1/receipts", receipt(c2, version2, plan2["instalments"][0],
                                                           owed(plan2["instalments"][0]) * 2))).json()["receipt"]
    assert held2["status"] == "held"
    rejected = await s.post(FINANCE, f"/v1/receipts/{held2['receipt_id']}/rejection", {"note": "重复打款，退回客户"})
    assert rejected.status_code == 200 and rejected.json()["receipt"]["status"] == "rejected", rejected.text
    is_problem(await s.post(FINANCE, f"/v1/receipts/{held2['receipt_id']}/release", {"note": "x"}), 409)
    is_problem(await s.post(FINANCE, f"/v1/receipts/{held2['receipt_id']}/reversal", {"reason": "x"}), 409)
    assert (await open_plan(s, c2["contract_id"], "V2.8"))["instalments"][0]["paid"]["amount_minor"] == 0
    # A rep may not review; another tenant's finance does not find the receipt.
    assert (await s.post(REP, f"/v1/receipts/{held2['receipt_id']}/rejection", {"note": "x"})).status_code == 403
    assert (await s.post(OTHER_TENANT, f"/v1/receipts/{held_id}/release", {"note": "x"})).status_code in (403, 404)
    await balanced(s)


async def test_without_the_hold_an_overpayment_beyond_the_tolerance_is_refused_naming_the_amount(
    refusing: Stack,
) -> None:
    s = refusing
    opportunity_id, c, draft, plan = await signed_contract(s)
    version = draft["version_id"]
    first, second, _ = plan["instalments"]
    before = await balanced(s)
    over = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, version, first, owed(first) + TOLERANCE + 1)),
                      409)
    assert [v["type"] for v in over["violations"]] == ["amount"], over
    assert f"tolerance {TOLERANCE}" in over["violations"][0]["description"]
    # Refused: nothing recorded, held or posted.
    assert await receipts(s, opportunity_id) == []
    listed = await s.get(FINANCE, "/v1/receipts/held")
    assert listed.status_code == 200 and listed.json().get("receipts", []) == [], listed.text
    assert (await open_plan(s, c["contract_id"], "V2.8"))["instalments"][0]["paid"]["amount_minor"] == 0
    assert (await balanced(s))["received"] == before["received"]
    # Within the tolerance it is recorded, as with the hold.
    inside = await s.post(FINANCE, "/v1/receipts", receipt(c, version, second, owed(second) + TOLERANCE))
    assert inside.status_code == 201 and inside.json()["receipt"]["status"] == "recorded", inside.text
    assert [r["amount"]["amount_minor"] for r in await receipts(s, opportunity_id)] == [owed(second) + TOLERANCE]


async def test_a_reversal_a_write_off_and_a_waiver(stack: Stack) -> None:
    s = stack
    opportunity_id, c, draft, plan = await signed_contract(s)
    version = draft["version_id"]
    first, second, retention = plan["instalments"]

    # A part payment, then the rest written off: the instalment is paid, the ledger has the write-off.
    short = await s.post(FINANCE, "/v1/receipts", receipt(c, version, first, owed(first) - 1_000))
    assert short.status_code == 201, short.text
    wrong = is_problem(await s.post(FINANCE, f"/v1/instalments/{first['instalment_id']}/write-off",
                                    {"amount": {"amount_minor": 999, "currency": "CNY"}, "reason": "尾差"}), 409)
    assert wrong["violations"][0]["type"] == "amount" and "1000" in wrong["violations"][0]["description"]
    is_problem(await s.post(FINANCE, f"/v1/instalments/{first['instalment_id']}/write-off",
                            {"amount": {"amount_minor": -5, "currency": "CNY"}, "reason": "尾差"}), 422)
    for user in (REP, PARTNER):
        assert (await s.post(user, f"/v1/instalments/{first['instalment_id']}/write-off",
                             {"amount": {"amount_minor": 1_000, "currency": "CNY"}, "reason": "尾差"})).status_code == 403
    outsider = await s.post(OTHER_TENANT, f"/v1/instalments/{first['instalment_id']}/write-off",
                            {"amount": {"amount_minor": 1_000, "currency": "CNY"}, "reason": "尾差"})
    assert outsider.status_code in (403, 404)
    written = await s.post(FINANCE, f"/v1/instalments/{first['instalment_id']}/write-off",
                           {"amount": {"amount_minor": 1_000, "currency": "CNY"}, "reason": "客户承担的银行手续费"})
    assert written.status_code == 201, written.text
    write_off = written.json()["write_off"]
    assert (write_off["status"], write_off["written_by"]) == ("active", FINANCE)
    now = await open_plan(s, c["contract_id"], "V2.8")
    assert (now["instalments"][0]["state"], now["instalments"][0]["written_off"]["amount_minor"]) == ("paid", 1_000)
    check = await balanced(s)
    assert int(check["written_off"]["amount_minor"]) == 1_000

    # The write-off reversed: the instalment owes the 1 000 分 again; twice is refused.
    back = await s.post(FINANCE, f"/v1/write-offs/{write_off['write_off_id']}/reversal", {"reason": "客户同意补付"})
    assert back.status_code == 200 and back.json()["write_off"]["status"] == "reversed", back.text
    now = await open_plan(s, c["contract_id"], "V2.8")
    assert now["instalments"][0]["state"] == "partly_paid"
    is_problem(await s.post(FINANCE, f"/v1/write-offs/{write_off['write_off_id']}/reversal", {"reason": "x"}), 409)
    await balanced(s)

    # The receipt reversed: a reversing entry; the instalment unpaid again.
    reversed_ = await s.post(FINANCE, f"/v1/receipts/{short.json()['receipt']['receipt_id']}/reversal",
                             {"reason": "银行退票"})
    assert reversed_.status_code == 200 and reversed_.json()["receipt"]["status"] == "reversed", reversed_.text
    now = await open_plan(s, c["contract_id"], "V2.8")
    assert now["instalments"][0]["paid"]["amount_minor"] == 0 and now["instalments"][0]["state"] == "overdue"
    await balanced(s)

    # A waiver: no longer owed, who and why kept; a receipt for it is refused naming the waiver.
    is_problem(await s.post(FINANCE, f"/v1/instalments/{second['instalment_id']}/waiver", {"reason": ""}), 400)
    assert (await s.post(REP, f"/v1/instalments/{second['instalment_id']}/waiver",
                         {"reason": "x"})).status_code == 403
    waived = await s.post(FINANCE, f"/v1/instalments/{second['instalment_id']}/waiver", {"reason": "质量问题折让"})
    assert waived.status_code == 200, waived.text
    shown = waived.json()["instalment"]
    assert (shown["state"], shown["waived_by"], shown["waive_reason"]) == ("waived", FINANCE, "质量问题折让")
    refused = is_problem(await s.post(FINANCE, "/v1/receipts", receipt(c, version, second, 100)), 409)
    assert "waived" in refused["violations"][0]["description"]
    is_problem(await s.post(FINANCE, f"/v1/instalments/{second['instalment_id']}/waiver", {"reason": "再来"}), 409)
    unknown = await s.post(FINANCE, "/v1/instalments/no-such-instalment/waiver", {"reason": "x"})
    assert unknown.status_code == 404
    # Another rep sees none of it; the owner does.
    assert (await s.get(PEER, f"/v1/opportunities/{opportunity_id}/receipts")).status_code == 404
    assert len(await receipts(s, opportunity_id, user=REP)) == 1
    events = await s.events("payment.instalment_waived", second["instalment_id"], finance_pb2.InstalmentWaived)
    assert [(e.reason, e.waived.amount_minor) for e in events] == [("质量问题折让", owed(second))]
    assert retention["state"] == "not_due"
    await balanced(s)


async def test_a_receipt_carries_the_source_of_the_lead_its_opportunity_came_from(stack: Stack) -> None:
    s = stack
    lead_id = new_id()
    converted = LeadConverted(
        lead_id=lead_id, company_name="绍兴柯桥纺织机械有限公司", contact_name="王经理", phone="+8657585123456",
        province="浙江省", city="绍兴市", district="柯桥区", owner_id=REP, opportunity_name="织机升级",
        expected_amount=Money(amount_minor=50_000_000, currency="CNY"), source="抖音",
    )
    event = make_envelope("lead.converted", TENANT, lead_id, converted, source="lead-routing",
                          occurred_at=datetime.now(UTC))
    await s.js.publish(subject_for("lead.converted"), event.SerializeToString(), headers={"Nats-Msg-Id": event.event_id})

    async def opportunity() -> str:  # opportunity creates it from the same event lead-routing published
        reply = await s.get(REP, "/v1/opportunities", lead_id=lead_id)
        found = reply.json().get("opportunities", []) if reply.status_code == 200 else []
        return found[0]["opportunity_id"] if found else ""

    opportunity_id = await eventually(opportunity)
    assert opportunity_id, "the converted lead's opportunity"
    c = await open_contract(s, opportunity_id)
    draft = await sign(s, c, V28, "V1", business_day(s.clock.now()) - timedelta(days=2))
    first = (await open_plan(s, c["contract_id"], "V1"))["instalments"][0]

    async def tagged() -> bool:  # finance hears lead.converted on its own consumer
        reply = await s.post(FINANCE, "/v1/receipts", receipt(c, draft["version_id"], first, 1_000))
        assert reply.status_code == 201, reply.text
        return reply.json()["receipt"]["lead_source"] == "抖音"

    assert await eventually(tagged)
    sources = {r["lead_source"] for r in await receipts(s, opportunity_id)}
    assert "抖音" in sources and sources <= {"抖音", "direct"}
