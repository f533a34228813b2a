"""High intent through the gateway, against the real opportunity and
document-versioning services (in-process, real gRPC, real NATS, their own
databases) on a controllable clock: a message asking for a product comparison
and an explicit 预约技术演示 make the customer 高意向 — its intent shows the
countdown, the manager's high-intent list names the opportunity, the rep is
sent the tool pack (the knowledge entries tagged for the signal, industry and
stage, and only those) — one signal does not, two signals 15 days apart do
not; the conversion report counts the episode and its win; a partner and
another tenant see nothing. An imported 企业微信 archive whose two signal
messages are two months old raises neither high intent nor a stage hint (its
times are the messages' own), the same messages this week do."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm.events.v1.signal_pb2 import ActivityTagged
from crm_shared.clock import FixedClock
from crm_shared.events import stream_for, subject_for, unpack
from crm_shared.ids import new_id
from nats.js.api import DeliverPolicy

from tests.integration.gateway.conftest import opportunity_with_documents
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually

TENANT = "demo"
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
INDUSTRY = "注塑机"
PIPELINE = {
    "name": "注塑机",
    "product_line": "注塑机",
    "stages": [
        {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
        {"name": "方案提交", "probability": 40, "forecast_category": "pipeline"},
        {"name": "合同签署", "probability": 90, "forecast_category": "commit"},
    ],
}
# title -> tags of the knowledge base's entries; the first two fit the customer's situation.
KNOWLEDGE = {
    "注塑机 竞品对比话术": {"signals": ["索要产品对比表"], "industries": [INDUSTRY]},
    "宁波本地客户案例": {"signals": ["高意向"], "stages": ["初步接触"]},
    "纺织机械 分期协议模板": {"signals": ["高意向"], "industries": ["纺织机械"]},
    "合同签署 审批清单": {"signals": ["预约技术演示"], "stages": ["合同签署"]},
}
COMPARISON = "客户索要产品对比表，想和锐影的机型比较一下区别。"


@dataclass
class Stack:
    client: httpx.AsyncClient
    clock: FixedClock
    js: Any
    auth: dict[str, dict[str, str]]

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
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    nc = await nats.connect(nats_url)
    try:
        async with opportunity_with_documents(
            make_gateway, nats_url, database_url, tmp_path, TEAMS, tenant=TENANT, clock=clock, tool_pack_interval_s=0.2
        ) as client:
            yield Stack(client, clock, nc.jetstream(), {})
    finally:
        await nc.close()


async def knowledge_base(s: Stack) -> dict[str, str]:
    """The entries filed and tagged by the manager; title -> document id."""
    ids = {}
    for title, tags in KNOWLEDGE.items():
        body = {
            "subject_type": "knowledge",
            "subject_id": "销售知识库",
            "doc_type": "知识库",
            "title": title,
            "filename": f"{new_id()[-6:]}.txt",
            "content_type": "text/plain",
            "content_base64": base64.b64encode(f"{title}：要点与话术".encode()).decode(),
        }
        filed = await s.post("wangqiang", "/v1/documents/versions", body)
        assert filed.status_code == 201, filed.text
        ids[title] = filed.json()["version"]["document_id"]
        tagged = await s.client.put(f"/v1/knowledge/{ids[title]}/tags", json=tags, headers=await s.as_("wangqiang"))
        assert tagged.status_code == 200, tagged.text
    return ids


async def opportunity(s: Stack, pipeline_id: str) -> dict:
    """zhangwei's opportunity in the pipeline (amount filled, so a win passes the gates), its customer an 注塑机 maker."""
    body = {
        "customer_name": f"宁波注塑机厂{new_id()[-6:]}",
        "name": "二期注塑机",
        "pipeline_id": pipeline_id,
        "amount": {"amount_minor": 48_000_000, "currency": "CNY"},
    }
    made = await s.post("zhangwei", "/v1/opportunities", body)
    assert made.status_code == 201, made.text
    opp = made.json()["opportunity"]
    patched = await s.client.patch(
        f"/v1/customers/{opp['customer_id']}", json={"industry": INDUSTRY}, headers=await s.as_("zhangwei")
    )
    assert patched.status_code == 200, patched.text
    return opp


async def pipeline(s: Stack) -> str:
    created = await s.post("wangqiang", "/v1/pipelines", PIPELINE)
    assert created.status_code == 201, created.text
    return created.json()["pipeline"]["pipeline_id"]


async def call(s: Stack, opp: dict, summary: str) -> str:
    logged = await s.post(
        "zhangwei",
        f"/v1/customers/{opp['customer_id']}/activities",
        {"kind": "call", "opportunity_id": opp["opportunity_id"], "summary": summary},
    )
    assert logged.status_code == 201, logged.text
    return logged.json()["activity"]["activity_id"]


async def demo(s: Stack, opp: dict) -> str:
    acted = await s.post(
        "zhangwei",
        f"/v1/customers/{opp['customer_id']}/intent-actions",
        {"action": "预约技术演示", "opportunity_id": opp["opportunity_id"], "note": "下周三到厂演示"},
    )
    assert acted.status_code == 201, acted.text
    assert acted.json()["kind"] == "demo"
    return acted.json()["activity_id"]


async def intent_of(s: Stack, opp: dict, user: str = "zhangwei") -> dict:
    reply = await s.get(user, f"/v1/customers/{opp['customer_id']}/intent")
    assert reply.status_code == 200, reply.text
    return reply.json()


async def signals_seen(s: Stack, opp: dict, *activity_ids: str) -> dict:
    """The customer's intent once each activity's signal has been evaluated."""

    async def seen() -> dict | None:
        found = await intent_of(s, opp)
        return found if set(activity_ids) <= {h["activity_id"] for h in found["signals"]} else None

    return await eventually(seen)


async def notifications(js: Any, recipient: str, kind: str):  # type: ignore[no-untyped-def]
    sub = await js.subscribe("crm.notification.requested", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)

    async def next_one() -> NotificationRequested:
        while True:
            env = Envelope.FromString((await sub.next_msg(timeout=15)).data)
            note = unpack(env, NotificationRequested)
            if env.tenant_id == TENANT and note.recipient_id == recipient and note.kind == kind:
                return note

    return next_one


async def test_two_signals_make_the_customer_high_intent_with_the_tool_pack_and_the_report_counts_it(
    stack: Stack,
) -> None:
    s = stack
    ids = await knowledge_base(s)
    opp = await opportunity(s, await pipeline(s))
    customer_id = opp["customer_id"]
    told = await notifications(s.js, "zhangwei", "intent.high")

    # One signal: the comparison asked for in a call. Seen, not high intent.
    asked = await call(s, opp, COMPARISON)
    one = await signals_seen(s, opp, asked)
    assert (one["high_intent"], one["countdown"], one["tool_pack"]) == (False, None, [])
    assert [h["name"] for h in one["signals"]] == ["索要产品对比表"]
    listed = await s.get("wangqiang", "/v1/high-intents")
    assert customer_id not in {i["customer_id"] for i in listed.json()["items"]}

    # The second, an explicit action in the app: 高意向, the countdown from then.
    booked = await demo(s, opp)

    async def high() -> dict | None:
        found = await intent_of(s, opp)
        return found if found["high_intent"] else None

    found = await eventually(high)
    assert found["opportunity_id"] == opp["opportunity_id"]
    assert sorted((h["name"], h["activity_id"]) for h in found["signals"]) == sorted(
        [("索要产品对比表", asked), ("预约技术演示", booked)]
    )
    since = datetime.fromisoformat(found["since"])
    assert since == s.clock.now()
    assert found["countdown"]["state"] == "running"
    assert datetime.fromisoformat(found["countdown"]["due_at"]) == since + timedelta(hours=48)

    # The rep is sent the pack: the entries for the signal and industry, and for 高意向 at this stage;
    # neither another industry's nor another stage's.
    fitting = {ids["注塑机 竞品对比话术"], ids["宁波本地客户案例"]}
    note = await told()
    assert (note.subject_type, note.subject_id) == ("customer", customer_id)
    assert note.title.startswith("高意向") and "工具包" in note.body
    linked = {d for d in ids.values() if f"/v1/documents/{d}" in note.body}
    assert linked == fitting

    async def packed() -> dict | None:
        found = await intent_of(s, opp)
        return found if found["tool_pack"] else None

    pack = (await eventually(packed))["tool_pack"]
    assert {e["document_id"] for e in pack} == fitting
    assert {e["title"] for e in pack} == {"注塑机 竞品对比话术", "宁波本地客户案例"}

    # The manager's board names the customer and the opportunity; another team's manager, the peer rep do not see it.
    board = await s.get("wangqiang", "/v1/high-intents")
    assert board.status_code == 200, board.text
    [item] = [i for i in board.json()["items"] if i["customer_id"] == customer_id]
    assert (item["opportunity_id"], item["opportunity_name"], item["owner_id"], item["proposal_state"]) == (
        opp["opportunity_id"],
        "二期注塑机",
        "zhangwei",
        "running",
    )
    assert sorted(item["signals"]) == ["索要产品对比表", "预约技术演示"]
    for user in ("lina", "zhoumin"):
        seen = await s.get(user, "/v1/high-intents", state="all")
        assert seen.status_code == 200, seen.text
        assert customer_id not in {i["customer_id"] for i in seen.json()["items"]}
    is_problem(await s.get("lina", f"/v1/customers/{customer_id}/intent"), 404)

    # The conversion report counts the episode, and its win.
    report = await s.get("wangqiang", "/v1/reports/intent-conversion")
    assert report.status_code == 200, report.text
    assert [(r["key"], r["entered"], r["won"]) for r in report.json()["items"]] == [("zhangwei", 1, 0)]
    won = await s.post("zhangwei", f"/v1/opportunities/{opp['opportunity_id']}/won", {"reason": "演示后签约"})
    assert won.status_code == 200, won.text
    by_team = await s.get("wangqiang", "/v1/reports/intent-conversion", group_by="team")
    assert [(r["key"], r["entered"], r["won"], r["rate"]) for r in by_team.json()["items"]] == [
        ("wangqiang", 1, 1, 1.0)
    ]
    assert (by_team.json()["total"]["entered"], by_team.json()["total"]["won"]) == (1, 1)
    later = (s.clock.now() + timedelta(days=1)).isoformat()
    empty = await s.get("admin", "/v1/reports/intent-conversion", **{"from": later})
    assert empty.json()["total"]["entered"] == 0
    is_problem(await s.get("zhangwei", "/v1/reports/intent-conversion"), 403)
    open_board = await s.get("wangqiang", "/v1/high-intents")
    assert customer_id not in {i["customer_id"] for i in open_board.json()["items"]}

    # A partner is refused every intent route; another tenant finds nothing.
    url = f"/v1/customers/{customer_id}/intent"
    action = {"action": "预约技术演示"}
    is_problem(await s.get("zhaolei", url), 403)
    is_problem(await s.get("zhaolei", "/v1/high-intents"), 403)
    is_problem(await s.get("zhaolei", "/v1/reports/intent-conversion"), 403)
    is_problem(await s.post("zhaolei", f"{url}-actions", action), 403)
    is_problem(await s.get("other-rep", url), 404)
    is_problem(await s.post("other-rep", f"{url}-actions", action), 404)
    elsewhere = await s.get("other-rep", "/v1/high-intents", state="all")
    assert elsewhere.status_code == 200, elsewhere.text
    assert elsewhere.json()["items"] == []


async def test_two_signals_further_apart_than_the_window_are_not_high_intent(stack: Stack) -> None:
    s = stack
    opp = await opportunity(s, await pipeline(s))
    asked = await call(s, opp, COMPARISON)
    await signals_seen(s, opp, asked)

    # Fifteen days later (the window is 14): the demo alone is in the window.
    s.clock.advance(timedelta(days=15))
    booked = await demo(s, opp)
    apart = await signals_seen(s, opp, booked)
    assert apart["high_intent"] is False
    assert [h["name"] for h in apart["signals"]] == ["预约技术演示"]
    board = await s.get("wangqiang", "/v1/high-intents", state="all")
    assert opp["customer_id"] not in {i["customer_id"] for i in board.json()["items"]}

    # A payment-terms question within the window of the demo does make it.
    paying = await call(s, opp, "客户问付款方式，能否分期，尾款账期多久。")

    async def high() -> dict | None:
        found = await intent_of(s, opp)
        return found if found["high_intent"] else None

    found = await eventually(high)
    assert sorted((h["name"], h["activity_id"]) for h in found["signals"]) == sorted(
        [("预约技术演示", booked), ("询问付款账期", paying)]
    )


QUOTE_PIPELINE = {
    "name": "注塑机报价",
    "product_line": "注塑机",
    "stages": [
        {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
        {"name": "报价谈判", "probability": 60, "forecast_category": "best_case"},
        {"name": "合同签署", "probability": 90, "forecast_category": "commit"},
    ],
}
PAYMENT_AND_QUOTE = "客户问付款方式，能否分期，尾款账期多久，请尽快报价。"


def wecom_line(msgid: str, sender: str, text: str, at: datetime) -> str:
    return json.dumps(
        {
            "msgid": msgid,
            "action": "send",
            "from": sender,
            "tolist": ["zhangwei"],
            "roomid": "",
            "msgtime": int(at.timestamp() * 1000),
            "msgtype": "text",
            "text": {"content": text},
        },
        ensure_ascii=False,
    )


async def test_an_archive_two_months_old_raises_no_high_intent_nor_stage_hint_the_same_messages_today_do(
    stack: Stack,
) -> None:
    s = stack
    created = await s.post("wangqiang", "/v1/pipelines", QUOTE_PIPELINE)
    assert created.status_code == 201, created.text
    opp = await opportunity(s, created.json()["pipeline"]["pipeline_id"])
    customer_id = opp["customer_id"]
    contact = await s.post("zhangwei", f"/v1/customers/{customer_id}/contacts", {"name": "李经理"})
    assert contact.status_code == 201, contact.text
    wecom_id = f"wm{new_id()[-10:]}"
    linked = await s.client.put(
        f"/v1/customers/{customer_id}/contacts/{contact.json()['contact']['contact_id']}/wecom",
        json={"external_id": wecom_id},
        headers=await s.as_("zhangwei"),
    )
    assert linked.status_code == 200, linked.text
    tagged = await s.js.subscribe(
        subject_for("activity.tagged"), ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )

    async def imported(prefix: str, at: datetime) -> dict[str, str]:
        """The two signal messages (a comparison asked for; payment terms and a quote 3 days later) as an
        export dated `at`, their activity ids by text once both are tagged and both consumers have read them."""
        export = "\n".join(
            [
                wecom_line(f"{prefix}-1-{wecom_id}", wecom_id, COMPARISON, at),
                wecom_line(f"{prefix}-2-{wecom_id}", wecom_id, PAYMENT_AND_QUOTE, at + timedelta(days=3)),
            ]
        ).encode()
        files = {"file": ("chat.jsonl", export, "application/jsonl")}
        reply = await s.client.post("/v1/conversations/wecom-import", files=files, headers=await s.as_("zhangwei"))
        assert reply.status_code == 200, reply.text
        assert reply.json()["imported"] == 2, reply.text
        ids: dict[str, str] = {}
        while len(ids) < 2:
            event = unpack(Envelope.FromString((await tagged.next_msg(timeout=15)).data), ActivityTagged)
            if event.customer_id == customer_id:
                assert event.occurred_at.ToDatetime(tzinfo=UTC) in (at, at + timedelta(days=3))
                ids["quote" if "报价" in {t.tag for t in event.tags} else "comparison"] = event.activity_id
        stream = stream_for(subject_for("activity.tagged"))
        for durable in ("opportunity-intent-signals", "opportunity-stage-hints"):
            await eventually(lambda durable=durable: drained(s.js, durable, stream))
        return ids

    async def hints() -> list[dict]:
        listed = await s.get("zhangwei", f"/v1/opportunities/{opp['opportunity_id']}/stage-hints")
        assert listed.status_code == 200, listed.text
        return listed.json()["items"]

    # Two months back (within 14 days of each other, as the rule counts them then): history, nothing today.
    await imported("old", s.clock.now() - timedelta(days=60))
    old = await intent_of(s, opp)
    assert (old["high_intent"], old["countdown"], old["signals"]) == (False, None, [])
    board = await s.get("wangqiang", "/v1/high-intents", state="all")
    assert customer_id not in {i["customer_id"] for i in board.json()["items"]}
    assert await hints() == []

    # The same messages this week: 高意向 on these two, and the 报价 hint on the open opportunity.
    today = await imported("new", s.clock.now() - timedelta(days=3, hours=2))

    async def high() -> dict | None:
        found = await intent_of(s, opp)
        return found if found["high_intent"] else None

    found = await eventually(high)
    assert sorted((h["name"], h["activity_id"]) for h in found["signals"]) == sorted(
        [("索要产品对比表", today["comparison"]), ("询问付款账期", today["quote"])]
    )
    assert found["countdown"]["state"] == "running"
    [hint] = await hints()
    assert (hint["activity_id"], hint["tag"], hint["suggested_stage"], hint["state"]) == (
        today["quote"],
        "报价",
        "报价谈判",
        "shown",
    )


async def drained(js: Any, durable: str, stream: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0
