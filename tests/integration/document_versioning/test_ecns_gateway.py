"""Engineering change notices through the gateway (seed 002), against real
document-versioning and opportunity services: 工程部 (a reviewer) publishes
an ECN naming HX-280; exactly the open orders whose equipment list has it
get a 24 h confirmation task for their account manager — not the order
without it, not the lost one, and the won one through its signed contract;
on a controllable clock the unanswered task turns red and the owner's
manager is told once; the answers make the ECN's progress; who may do what."""

from __future__ import annotations

from datetime import datetime, timedelta

import nats
import sqlalchemy as sa
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm.events.v1.opportunity_pb2 import OpportunityDeliveryRecorded
from crm_shared.business_calendar import business_day
from crm_shared.db import outbox_table
from crm_shared.events import unpack
from crm_shared.ids import new_id
from document_versioning.entrypoints.delivery_consumers import DURABLE as DELIVERIES_DURABLE
from nats.js.api import DeliverPolicy
from prometheus_client import REGISTRY

from tests.integration.document_versioning.contract_stack import (
    OWNER,
    PEER,
    Stack,
    b64,
    open_contract,
    review,
    stack_fixture,  # noqa: F401 - the fixture "stack"
    upload,
)
from tests.integration.opportunity.test_deliveries_gateway import record, signed_contract
from tests.support.documents import PROPOSAL_VERSIONS, make_pdf
from tests.support.infra import eventually

ECN = {
    "number": "ECN-2026-031",
    "title": "HX-280 液压站更换为伺服泵",
    "change": "HX-280 液压站由定量泵改为伺服泵，接口尺寸不变，交期 +7 天。",
    "effective_date": "2026-12-15",
    "affected_models": ["hx-280 "],
    "filename": "ECN-2026-031.pdf",
}


async def proposal(s: Stack, user: str, opportunity_id: str, fields: dict) -> dict:
    body = {
        "opportunity_id": opportunity_id,
        "doc_type": "技术方案",
        "title": "注塑机改造技术方案",
        "filename": "proposal.pdf",
        "content_type": "application/pdf",
        "fields": fields,
    }
    return await upload(s, user, body, make_pdf([[f"方案 {opportunity_id}"]]))


def without_hx280(fields: dict) -> dict:
    equipment = [e for e in fields["equipment"] if e["model"] != "HX-280"]
    total = sum(e["quantity"] * e["unit_price_minor"] for e in equipment)
    return fields | {"equipment": equipment, "total_minor": total}


PIPELINE = {
    "name": "ECN 测试管线",
    "product_line": "注塑机",
    "stages": [
        {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
        {"name": "报价谈判", "probability": 60, "forecast_category": "best_case"},
    ],
}


async def close(s: Stack, opportunity_id: str, outcome: str) -> None:
    """Won or lost: placed in a pipeline without gates first, as closing asks."""
    made = await s.post("wangqiang", "/v1/pipelines", PIPELINE | {"name": f"ECN 测试管线 {opportunity_id[-8:]}"})
    assert made.status_code == 201, made.text
    body = {"pipeline_id": made.json()["pipeline"]["pipeline_id"]}
    placed = await s.post("zhangwei", f"/v1/opportunities/{opportunity_id}/pipeline", body)
    assert placed.status_code == 200, placed.text
    reason = {"reason": "签约" if outcome == "won" else "客户预算取消"}
    closed = await s.post("zhangwei", f"/v1/opportunities/{opportunity_id}/{outcome}", reason)
    assert closed.status_code == 200, closed.text


ESCALATIONS = {"service": "opportunity", "job": "opportunity-ecn-escalations", "outcome": "ok"}


def escalation_runs() -> float:
    """Completed runs of opportunity's escalation job in this process (crm_shared.lease counts them)."""
    return REGISTRY.get_sample_value("crm_job_runs_total", ESCALATIONS) or 0.0


async def escalation_runs_settled(s: Stack, *, after: float) -> None:
    """Waits until the job has run twice more — so at least one run began after `after` was read —
    and opportunity's outbox holds nothing unpublished: whatever those runs told is on the stream."""

    async def settled() -> bool:
        if escalation_runs() < after + 2:
            return False
        async with s.opps.svc.runtime.db.sessions() as session:
            pending = await session.scalar(
                sa.select(sa.func.count()).select_from(outbox_table).where(outbox_table.c.published_at.is_(None))
            )
        return pending == 0

    await eventually(settled)


async def ecn_view(s: Stack, ecn_id: str, user: str = "chenjing") -> dict:
    reply = await s.get(user, f"/v1/ecns/{ecn_id}")
    assert reply.status_code == 200, reply.text
    return reply.json()


async def test_an_ecn_reaches_exactly_the_open_orders_with_the_model(stack: Stack) -> None:
    s = stack
    fields = PROPOSAL_VERSIONS[0].fields()  # HX-280 and MT-12
    affected = await s.opps.create(OWNER, name="华翔 二期注塑机")
    unaffected = await s.opps.create(PEER, name="恒盛 模温机")
    lost = await s.opps.create(OWNER, name="已丢单的注塑机")
    changed = await s.opps.create(OWNER, name="换型后的方案")
    await proposal(s, "zhangwei", affected, fields)
    await proposal(s, "lina", unaffected, without_hx280(fields))
    await proposal(s, "zhangwei", lost, fields)
    # Only the latest version decides: HX-280 was in the first proposal, not in the second.
    first = await proposal(s, "zhangwei", changed, fields)
    await upload(
        s,
        "zhangwei",
        {"document_id": first["document_id"], "filename": "proposal-v2.pdf", "fields": without_hx280(fields)},
        make_pdf([["方案 第二版"]]),
    )
    await close(s, lost, "lost")
    # A won order whose signed contract lists HX-280 (not yet fully delivered).
    won = await s.opps.create(OWNER, name="已签约的注塑机")
    c = await open_contract(s, won)
    draft = await upload(
        s,
        "zhangwei",
        {
            "subject_type": "contract",
            "subject_id": c["contract_id"],
            "opportunity_id": won,
            "doc_type": "合同",
            "title": "采购合同",
            "filename": "contract.pdf",
            "content_type": "application/pdf",
            "fields": fields,
        },
        make_pdf([["合同"]]),
    )
    await review(s, c, draft["version_id"])
    signing = {
        "version_id": draft["version_id"],
        "label": "V3.2",
        "signed_on": business_day(s.clock.now()).isoformat(),
        "parties": ["宁波华翔注塑有限公司", "本公司"],
        "filename": "signed.pdf",
        "content_base64": b64(make_pdf([["签署版"]])),
    }
    assert (await s.post("chenjing", f"/v1/contracts/{c['contract_id']}/signatures", signing)).status_code == 200
    await close(s, won, "won")

    # 工程部 publishes (a reviewer); a rep may not.
    notice = ECN | {"content_base64": b64(make_pdf([["工程变更通知 ECN-2026-031"]]))}
    assert (await s.post("zhangwei", "/v1/ecns", notice)).status_code == 403
    published = await s.post("chenjing", "/v1/ecns", notice)
    assert published.status_code == 201, published.text
    ecn = published.json()["ecn"]
    assert ecn["affected_models"] == ["hx-280"]
    # Candidates by equipment list: the affected order, the lost one (opportunity drops it) and the contract's.
    by_order = {o["opportunity_id"]: o for o in ecn["orders"]}
    assert set(by_order) == {affected, lost, won}
    assert by_order[won]["contract_id"] == c["contract_id"] and by_order[won]["contract_label"] == "V3.2"
    again = await s.post("chenjing", "/v1/ecns", notice)
    assert again.status_code == 409  # one number, one notice

    published_at = s.clock.now()

    async def tasks() -> list[dict]:
        view = await ecn_view(s, ecn["ecn_id"])
        return view["tasks"] if len(view["tasks"]) == 2 else []

    found = {t["opportunity_id"]: t for t in await eventually(tasks)}
    assert set(found) == {affected, won}  # exactly the open orders with the model
    task = found[affected]
    assert task["owner_id"] == "zhangwei" and task["state"] == "open" and not task["overdue"]
    assert "ECN-2026-031" in task["title"] and "hx-280" in task["title"]
    due = datetime.fromisoformat(task["due_at"])
    assert abs(due - (published_at + timedelta(hours=24))) < timedelta(minutes=1)
    assert found[won]["contract_id"] == c["contract_id"] and "V3.2" in found[won]["title"]
    view = await ecn_view(s, ecn["ecn_id"])
    assert (view["confirmed"], view["outstanding"], view["overdue"]) == (0, 2, 0)
    # The owner's own view has their tasks; another rep sees none of them, and no rep or manager the
    # orders across the tenant (工程部, finance and admins do).
    own = await ecn_view(s, ecn["ecn_id"], "zhangwei")
    assert len(own["tasks"]) == 2 and own["ecn"]["orders"] == []
    peer = await ecn_view(s, ecn["ecn_id"], "lina")
    assert peer["tasks"] == [] and peer["ecn"]["orders"] == []
    assert (await ecn_view(s, ecn["ecn_id"], "wangqiang"))["ecn"]["orders"] == []
    assert len((await ecn_view(s, ecn["ecn_id"], "liufang"))["ecn"]["orders"]) == 3

    # One answered in time; the other left for 25 h turns red and the manager hears of it once.
    answered = await s.post("zhangwei", f"/v1/tasks/{found[won]['task_id']}/ecn-answer", {"answer": "accepted"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["task"]["answer"] == "accepted" and answered.json()["task"]["state"] == "done"
    refused = await s.post("lina", f"/v1/tasks/{task['task_id']}/ecn-answer", {"answer": "rejected"})
    assert refused.status_code == 404
    bad = await s.post("zhangwei", f"/v1/tasks/{task['task_id']}/ecn-answer", {"answer": "maybe"})
    assert bad.status_code == 422 and "answer" in bad.text
    s.clock.advance(timedelta(hours=25))

    async def red() -> dict:
        view = await ecn_view(s, ecn["ecn_id"])
        late = next(t for t in view["tasks"] if t["task_id"] == task["task_id"])
        return view if late["overdue"] and late["escalated_at"] else {}

    view = await eventually(red)
    assert (view["confirmed"], view["outstanding"], view["overdue"]) == (1, 1, 1)

    async def told() -> list:
        sent = await s.events("notification.requested", "wangqiang", NotificationRequested)
        return [n for n in sent if n.kind == "task.overdue" and n.subject_id == task["task_id"]]

    assert len(await eventually(told)) == 1
    s.clock.advance(timedelta(hours=1))
    await escalation_runs_settled(s, after=escalation_runs())
    assert len(await told()) == 1  # told once

    late = await s.post(
        "zhangwei", f"/v1/tasks/{task['task_id']}/ecn-answer", {"answer": "needs_quote", "note": "要报价"}
    )
    assert late.status_code == 200, late.text
    view = await ecn_view(s, ecn["ecn_id"])
    assert (view["confirmed"], view["outstanding"], view["overdue"]) == (2, 0, 0)
    assert {t["answer"] for t in view["tasks"]} == {"accepted", "needs_quote"}

    # --- ECNs are internal material ---
    notice = ECN | {"number": "ECN-2026-032", "content_base64": b64(make_pdf([["ECN"]]))}
    published = await s.post("admin", "/v1/ecns", notice)
    assert published.status_code == 201, published.text
    ecn_id = published.json()["ecn"]["ecn_id"]
    for user in ("zhangwei", "wangqiang", "liufang", "chenjing"):
        assert (await s.get(user, f"/v1/ecns/{ecn_id}")).status_code == 200, user
        assert ecn_id in (await s.get(user, "/v1/ecns")).text
    assert (await s.get("zhaolei", f"/v1/ecns/{ecn_id}")).status_code == 403
    assert (await s.get("other-rep", f"/v1/ecns/{ecn_id}")).status_code == 404
    assert ecn_id not in (await s.get("other-rep", "/v1/ecns")).text
    bad = await s.post(
        "chenjing", "/v1/ecns", notice | {"number": "ECN-X", "affected_models": [], "effective_date": "soon"}
    )
    assert bad.status_code == 400 and "affected_models" in bad.text and "effective_date" in bad.text


async def drained(s: Stack, stream: str, durable: str) -> None:
    """The service's durable consumer has handled everything on its stream so far."""

    async def done() -> bool:
        info = await s.js.consumer_info(stream, durable)
        return info.num_pending == 0 and info.num_ack_pending == 0

    assert await eventually(done)


async def handled(s: Stack, contract_id: str, records: int) -> list[Envelope]:
    """Once opportunity has published the contract's `records` delivery records (its outbox relays them)
    and documents has handled everything on the stream: those events, in publishing order."""

    async def published() -> list[Envelope]:
        found = await delivery_events(s, contract_id)
        return found if len(found) == records else []

    events = await eventually(published)
    await drained(s, "OPPORTUNITY", DELIVERIES_DURABLE)
    return events


async def delivery_events(s: Stack, contract_id: str) -> list[Envelope]:
    """opportunity.delivery_recorded of the contract, in the order opportunity published them."""
    sub = await s.js.subscribe(
        "crm.opportunity.delivery_recorded", deliver_policy=DeliverPolicy.ALL, ordered_consumer=True
    )
    found = []
    try:
        while True:
            try:
                env = Envelope.FromString((await sub.next_msg(timeout=0.5)).data)
            except nats.errors.TimeoutError:
                return found
            if unpack(env, OpportunityDeliveryRecorded).contract_id == contract_id:
                found.append(env)
    finally:
        await sub.unsubscribe()


async def test_an_ecn_asks_only_the_orders_not_yet_delivered_and_lists_the_delivered_ones(stack: Stack) -> None:
    """Two won orders whose signed contracts list HX-280: the one whose goods sales recorded as delivered
    (corrected once, its events delivered again) is on the ECN as delivered with the corrected day and gets
    no confirmation task; the other's owner gets one, as before."""
    s = stack
    today = business_day(s.clock.now())
    waiting = await s.opps.create(OWNER, name="待发货的注塑机")
    shipped = await s.opps.create(OWNER, name="已发货的注塑机")
    waiting_c = await signed_contract(s, waiting, today - timedelta(days=20))
    shipped_c = await signed_contract(s, shipped, today - timedelta(days=20))
    for opportunity_id in (waiting, shipped):
        await close(s, opportunity_id, "won")
    cid = shipped_c["contract_id"]
    delivered = {"contract_id": cid, "kind": "delivery", "on": (today - timedelta(days=6)).isoformat()}
    assert (await record(s, "zhangwei", shipped, delivered)).status_code == 201
    corrected = today - timedelta(days=5)
    fixed = await record(s, "wangqiang", shipped, delivered | {"on": corrected.isoformat(), "note": "签收单日期"})
    assert fixed.status_code == 201, fixed.text

    # Redelivery: the first record's event again under its own id (the inbox drops it), and again as if it
    # had never been handled (a fresh id, its own older time): the correction stays in force either way.
    first, _ = await handled(s, cid, 2)
    replayed = Envelope.FromString(first.SerializeToString())
    replayed.event_id = new_id()
    for env in (first, replayed):
        await s.js.publish(
            "crm.opportunity.delivery_recorded", env.SerializeToString(), headers={"Nats-Msg-Id": f"again-{new_id()}"}
        )
    await drained(s, "OPPORTUNITY", DELIVERIES_DURABLE)

    notice = ECN | {"number": "ECN-2026-040", "content_base64": b64(make_pdf([["工程变更通知 ECN-2026-040"]]))}
    published = await s.post("chenjing", "/v1/ecns", notice)
    assert published.status_code == 201, published.text
    ecn = published.json()["ecn"]
    by_order = {o["opportunity_id"]: o for o in ecn["orders"]}
    assert set(by_order) == {waiting, shipped}
    assert (by_order[shipped]["delivered"], by_order[shipped]["delivered_on"]) == (True, corrected.isoformat())
    assert by_order[shipped]["contract_id"] == cid and by_order[shipped]["accepted_on"] == ""
    assert (by_order[waiting]["delivered"], by_order[waiting]["delivered_on"]) == (False, "")
    assert by_order[waiting]["contract_id"] == waiting_c["contract_id"]

    async def tasks() -> list[dict]:
        return (await ecn_view(s, ecn["ecn_id"]))["tasks"]

    await eventually(tasks)
    await drained(s, "DOCUMENT_VERSIONING", "opportunity-ecn-published")
    [task] = await tasks()  # the order not yet delivered, only
    assert (task["opportunity_id"], task["owner_id"], task["state"]) == (waiting, "zhangwei", "open")
    view = await ecn_view(s, ecn["ecn_id"])
    assert (view["confirmed"], view["outstanding"], view["overdue"]) == (0, 1, 0)
    # Read back later, the ECN says what it said when published.
    again = {o["opportunity_id"]: o for o in view["ecn"]["orders"]}
    assert again[shipped]["delivered"] and not again[waiting]["delivered"]

    # An acceptance recorded later is the contract's state for the next ECN, not a rewrite of this one.
    accepted = {"contract_id": cid, "kind": "acceptance", "on": today.isoformat()}
    assert (await record(s, "zhangwei", shipped, accepted)).status_code == 201
    await handled(s, cid, 5)  # the two records, the two redeliveries, the acceptance
    later = ECN | {"number": "ECN-2026-041", "content_base64": b64(make_pdf([["ECN-2026-041"]]))}
    next_ecn = (await s.post("chenjing", "/v1/ecns", later)).json()["ecn"]
    order = next(o for o in next_ecn["orders"] if o["opportunity_id"] == shipped)
    assert (order["delivered_on"], order["accepted_on"]) == (corrected.isoformat(), today.isoformat())
    as_published = {o["opportunity_id"]: o for o in (await ecn_view(s, ecn["ecn_id"]))["ecn"]["orders"]}
    assert as_published[shipped]["accepted_on"] == ""
