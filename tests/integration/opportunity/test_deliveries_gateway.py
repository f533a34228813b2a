"""Delivery and acceptance recorded by sales on the opportunity, through the
gateway against real services (opportunity, document-versioning, approval,
finance-reconciliation over gRPC, their databases and JetStream): a contract
reviewed and signed for real gets its payment plan; the instalments waiting
on delivery and acceptance get their due dates from the opportunity's
records (a correction re-dates them); the event delivered again changes
nothing; bad input is refused naming the field and records nothing; who may
record and read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from crm.events.v1 import opportunity_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.business_calendar import business_day
from finance_reconciliation.entrypoints.consumers import DELIVERY_RECORDED_DURABLE
from nats.js.api import DeliverPolicy

from tests.integration.document_versioning.contract_stack import OWNER, Stack, contract, open_contract, open_stack
from tests.support.documents import PROPOSAL_VERSIONS
from tests.support.infra import eventually
from tests.support.signed_contracts import sign_draft

# 30% with the order, 40% 15 days after delivery, 20% 30 days after acceptance, 10% when the 12-month
# warranty from acceptance ends.
TERMS = (
    {"name": "预付款", "trigger": "advance", "days": 0, "percent_bp": 3000},
    {"name": "到货款", "trigger": "on_delivery", "days": 15, "percent_bp": 4000},
    {"name": "验收款", "trigger": "on_acceptance", "days": 30, "percent_bp": 2000},
    {"name": "质保金", "trigger": "retention", "days": 0, "percent_bp": 1000},
)
PROPOSAL = replace(PROPOSAL_VERSIONS[0], instalments=TERMS, warranty_months=12)


@pytest.fixture
async def stack(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(nats_url, database_url, tmp_path, finance=True) as s:
        yield s


async def signed_contract(s: Stack, opportunity_id: str, signed_on: date) -> dict:
    """A contract of the opportunity with PROPOSAL's terms, reviewed and signed by 法务."""
    c = await open_contract(s, opportunity_id)
    await sign_draft(s, c, PROPOSAL.fields(), "V1", signed_on)
    return await contract(s, c["contract_id"])


async def instalments(s: Stack, contract_id: str) -> dict[str, tuple[str, str]]:
    """name -> (due_on, state) of the contract's open plan, as finance reads it."""
    reply = await s.get("liufang", f"/v1/contracts/{contract_id}/payment-plans")
    assert reply.status_code == 200, reply.text
    plans = [p for p in reply.json().get("plans", []) if p["status"] == "open"]
    if not plans:
        return {}
    return {i["name"]: (i.get("due_on", ""), i["state"]) for i in plans[0]["instalments"]}


async def record(s: Stack, user: str, opportunity_id: str, body: dict):  # type: ignore[no-untyped-def]
    return await s.post(user, f"/v1/opportunities/{opportunity_id}/deliveries", body)


async def deliveries(s: Stack, opportunity_id: str, user: str = "zhangwei") -> list[dict]:
    reply = await s.get(user, f"/v1/opportunities/{opportunity_id}/deliveries")
    assert reply.status_code == 200, reply.text
    return reply.json().get("deliveries", [])


async def settled(s: Stack, contract_id: str, expected: dict[str, tuple[str, str]]) -> None:
    async def dated() -> bool:
        return await instalments(s, contract_id) == expected

    assert await eventually(dated), await instalments(s, contract_id)


async def test_the_instalments_waiting_on_delivery_are_dated_by_the_opportunitys_records(stack: Stack) -> None:
    s = stack
    today = business_day(s.clock.now())
    day = today - timedelta(days=20)
    opportunity_id = await s.opps.create(OWNER)
    c = await signed_contract(s, opportunity_id, day)
    cid = c["contract_id"]
    await settled(s, cid, {"预付款": (day.isoformat(), "overdue"), "到货款": ("", "not_due"),
                           "验收款": ("", "not_due"), "质保金": ("", "not_due")})

    delivered, accepted = today - timedelta(days=16), today - timedelta(days=10)
    made = await record(s, "zhangwei", opportunity_id,
                        {"contract_id": cid, "kind": "delivery", "on": delivered.isoformat(), "note": "客户已签收"})
    assert made.status_code == 201, made.text
    shown = made.json()["delivery"]
    assert (shown["kind"], shown["on"], shown["recorded_by"], shown["note"]) == (
        "delivery", delivered.isoformat(), "zhangwei", "客户已签收")
    # Their manager records the acceptance.
    assert (await record(s, "wangqiang", opportunity_id,
                         {"contract_id": cid, "kind": "acceptance", "on": accepted.isoformat()})).status_code == 201
    retention = date(accepted.year + 1, accepted.month, accepted.day) if (accepted.month, accepted.day) != (2, 29) \
        else date(accepted.year + 1, 2, 28)
    on_delivery = delivered + timedelta(days=15)
    await settled(s, cid, {
        "预付款": (day.isoformat(), "overdue"),
        "到货款": (on_delivery.isoformat(), "overdue" if on_delivery < today else "due"),
        "验收款": ((accepted + timedelta(days=30)).isoformat(), "not_due"),
        "质保金": (retention.isoformat(), "not_due"),
    })
    listed = await deliveries(s, opportunity_id)
    assert [(d["kind"], d["on"], d["recorded_by"]) for d in listed] == [
        ("acceptance", accepted.isoformat(), "wangqiang"), ("delivery", delivered.isoformat(), "zhangwei")]

    # The delivery corrected: the date last recorded is the one in force.
    corrected = today - timedelta(days=12)
    assert (await record(s, "zhangwei", opportunity_id,
                         {"contract_id": cid, "kind": "delivery", "on": corrected.isoformat()})).status_code == 201
    now_due = corrected + timedelta(days=15)
    expected = {
        "预付款": (day.isoformat(), "overdue"),
        "到货款": (now_due.isoformat(), "overdue" if now_due < today else "due" if now_due == today else "not_due"),
        "验收款": ((accepted + timedelta(days=30)).isoformat(), "not_due"),
        "质保金": (retention.isoformat(), "not_due"),
    }
    await settled(s, cid, expected)

    # The first delivery's event delivered again (a consumer's redelivery): nothing changes.
    first = await first_event(s, cid)
    await s.js.publish("crm.opportunity.delivery_recorded", first.SerializeToString(),
                       headers={"Nats-Msg-Id": f"again-{first.event_id}"})

    async def drained() -> bool:
        info = await s.js.consumer_info("OPPORTUNITY", DELIVERY_RECORDED_DURABLE)
        return info.num_pending == 0 and info.num_ack_pending == 0

    assert await eventually(drained)
    assert await instalments(s, cid) == expected


async def first_event(s: Stack, contract_id: str) -> Envelope:
    sub = await s.js.subscribe("crm.opportunity.delivery_recorded", deliver_policy=DeliverPolicy.ALL,
                               ordered_consumer=True)
    try:
        while True:
            env = Envelope.FromString((await sub.next_msg(timeout=5)).data)
            payload = events.OpportunityDeliveryRecorded()
            env.payload.Unpack(payload)
            if payload.contract_id == contract_id:
                return env
    finally:
        await sub.unsubscribe()


async def test_bad_records_are_refused_naming_the_field_and_record_nothing(stack: Stack) -> None:
    s = stack
    today = business_day(s.clock.now())
    opportunity_id = await s.opps.create(OWNER)
    other_id = await s.opps.create(OWNER, name="另一个商机")
    c = await open_contract(s, opportunity_id)
    theirs = await open_contract(s, other_id)
    good = {"contract_id": c["contract_id"], "kind": "delivery", "on": (today - timedelta(days=3)).isoformat()}
    for bad, field, status in (
        ({"kind": "shipped"}, "kind", 422),
        ({"on": "2026/11/30"}, "on", 400),
        ({"on": (today + timedelta(days=1)).isoformat()}, "on", 400),
        ({"note": "备" * 501}, "note", 422),
        ({"contract_id": theirs["contract_id"]}, "contract_id", 400),
        ({"contract_id": "no-such-contract"}, "contract_id", 400),
    ):
        refused = await record(s, "zhangwei", opportunity_id, good | bad)
        assert refused.status_code == status and field in refused.text, (bad, refused.text)
    assert (await record(s, "zhangwei", opportunity_id, good)).status_code == 201
    # An acceptance before the delivery.
    early = await record(s, "zhangwei", opportunity_id,
                         good | {"kind": "acceptance", "on": (today - timedelta(days=4)).isoformat()})
    assert early.status_code == 400 and "on" in early.text, early.text
    assert [d["kind"] for d in await deliveries(s, opportunity_id)] == ["delivery"]


async def test_who_records_and_reads_deliveries(stack: Stack) -> None:
    s = stack
    today = business_day(s.clock.now())
    opportunity_id = await s.opps.create(OWNER)
    c = await open_contract(s, opportunity_id)
    body = {"contract_id": c["contract_id"], "kind": "delivery", "on": today.isoformat()}
    # Finance and reviewers read the opportunity but do not record; a colleague and another tenant do not see it.
    for user, status in (("liufang", 403), ("chenjing", 403), ("zhaolei", 403), ("lina", 404), ("other-rep", 404)):
        assert (await record(s, user, opportunity_id, body)).status_code == status, user
    assert await deliveries(s, opportunity_id) == []
    assert (await record(s, "admin", opportunity_id, body)).status_code == 201
    assert [d["recorded_by"] for d in await deliveries(s, opportunity_id, "liufang")] == ["admin"]
    for user in ("lina", "other-rep"):
        assert (await s.get(user, f"/v1/opportunities/{opportunity_id}/deliveries")).status_code == 404, user
