"""Conversations through the gateway, against the real opportunity service
(in-process, real gRPC, real NATS, its own database): a 企业微信 export and a
call transcript each imported twice keep one copy; the messages are tagged
in Chinese, a tenant dictionary word jieba would otherwise split included;
the opportunity's needs completeness fills up; activity.tagged is announced;
a contact's 企业微信 id is read back; who may see and change what."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jieba
import nats
import pytest
from crm.events.v1 import signal_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import subject_for, unpack
from crm_shared.ids import new_id

from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.subjects import opportunity_service

COMPETITOR = "锐影X9"
CHAT_1 = f"我们预算大概五十万，也在看{COMPETITOR}。"
CHAT_2 = "报价单收到了，我们内部再比较一下。"


@dataclass
class Stack:
    client: httpx.AsyncClient
    js: object
    auth: dict[str, dict[str, str]]

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    nc = await nats.connect(nats_url)
    try:
        async with (
            opportunity_service(nats_url, database_url, tmp_path) as opps,
            make_gateway(opportunity_addr=opps.address) as client,
        ):
            yield Stack(client, nc.jetstream(), {})
    finally:
        await nc.close()


def line(msgid: str, sender: str, to: list[str], text: str | None, at: datetime, msgtype: str = "text") -> str:
    message: dict = {
        "msgid": msgid,
        "action": "send",
        "from": sender,
        "tolist": to,
        "roomid": "",
        "msgtime": int(at.timestamp() * 1000),
        "msgtype": msgtype,
    }
    if text is not None:
        message["text"] = {"content": text}
    return json.dumps(message, ensure_ascii=False)


async def test_an_export_and_a_transcript_imported_twice_keep_one_copy_tagged_with_the_tenant_dictionary(
    stack: Stack,
) -> None:
    s = stack
    rep = await s.as_("zhangwei")
    made = await s.client.post(
        "/v1/opportunities",
        json={"customer_name": f"宁波注塑机厂{new_id()[-6:]}", "name": "二期注塑机"},
        headers=rep,
    )
    assert made.status_code == 201, made.text
    opp = made.json()["opportunity"]
    customer_id = opp["customer_id"]
    contact = await s.client.post(
        f"/v1/customers/{customer_id}/contacts", json={"name": "李经理", "phone": "13912345678"}, headers=rep
    )
    assert contact.status_code == 201, contact.text
    contact_id = contact.json()["contact"]["contact_id"]
    wecom_id = f"wm{new_id()[-10:]}"
    put = await s.client.put(
        f"/v1/customers/{customer_id}/contacts/{contact_id}/wecom", json={"external_id": wecom_id}, headers=rep
    )
    assert put.status_code == 200, put.text
    other_tenant = await s.client.put(
        f"/v1/customers/{customer_id}/contacts/{contact_id}/wecom",
        json={"external_id": "wm-x"},
        headers=await s.as_("other-rep"),
    )
    is_problem(other_tenant, 404)
    # Read back by the owner and an admin; another rep and another tenant do not see the customer.
    for reader in (rep, await s.as_("admin")):
        read = await s.client.get(f"/v1/customers/{customer_id}/contact-channels", headers=reader)
        assert read.status_code == 200, read.text
        [channel] = read.json()["channels"]
        assert (channel["contact_id"], channel["channel"], channel["external_id"]) == (contact_id, "wecom", wecom_id)
        assert channel["set_by"] == opp["owner_id"] and datetime.fromisoformat(channel["set_at"]) <= datetime.now(UTC)
    for outsider in ("lina", "other-rep"):
        is_problem(
            await s.client.get(f"/v1/customers/{customer_id}/contact-channels", headers=await s.as_(outsider)), 404
        )

    # The tenant's dictionary keeps the competitor's model whole; plain jieba splits it.
    assert COMPETITOR not in jieba.lcut(CHAT_1)
    manager = await s.as_("wangqiang")
    settings = (await s.client.get("/v1/signal-settings/tagging", headers=manager)).json()
    assert settings["version"] == 0 and {"产品对比", "付款方式"} <= {g["tag"] for g in settings["keyword_groups"]}
    settings["dictionary"] = [{"word": COMPETITOR, "tag": "竞品"}]
    is_problem(await s.client.put("/v1/signal-settings/tagging", json=settings, headers=rep), 403)
    saved = await s.client.put("/v1/signal-settings/tagging", json=settings, headers=manager)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    is_problem(await s.client.put("/v1/signal-settings/tagging", json=settings, headers=manager), 409)

    sub = await s.js.subscribe(subject_for("activity.tagged"))  # type: ignore[attr-defined]

    now = datetime.now(UTC)
    export = "\n".join(
        [
            line(f"m1-{wecom_id}", wecom_id, ["zhangwei"], CHAT_1, now - timedelta(hours=3)),
            line(f"m2-{wecom_id}", "zhangwei", ["+86 139 1234 5678"], CHAT_2, now - timedelta(hours=2)),
            line(f"m3-{wecom_id}", wecom_id, ["zhangwei"], None, now - timedelta(hours=1), msgtype="image"),
            line(f"m4-{wecom_id}", "wm-nobody", ["zhangwei"], "你好", now - timedelta(hours=1)),
            "not json",
        ]
    ).encode()
    files = {"file": ("chat.jsonl", export, "application/jsonl")}
    first = await s.client.post("/v1/conversations/wecom-import", files=files, headers=rep)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["imported"], report.get("duplicates", 0)) == (2, 0)
    assert [(u["line"], u["reason"]) for u in report["unmatched"]] == [
        (3, "unsupported msgtype"),
        (4, "no contact or customer has this 企业微信 id or phone"),
        (5, "not a JSON object"),
    ]
    again = (await s.client.post("/v1/conversations/wecom-import", files=files, headers=rep)).json()
    assert (again.get("imported", 0), again["duplicates"]) == (0, 2)

    activities = (await s.client.get(f"/v1/customers/{customer_id}/activities", headers=rep)).json()["activities"]
    chats = [a for a in activities if a["kind"] == "chat"]
    assert [a["summary"] for a in chats] == [CHAT_1, CHAT_2]
    assert {a["opportunity_id"] for a in chats} == {opp["opportunity_id"]}  # the customer's one open opportunity
    # The imported messages extend the customer's hash chain as typed activities do, verified as read back.
    chain = (await s.client.get(f"/v1/customers/{customer_id}/activity-chain", headers=rep)).json()
    assert (chain["intact"], chain["entries"]) == (True, len(activities)), chain

    tags = (await s.client.get(f"/v1/customers/{customer_id}/activity-tags", headers=rep)).json()["items"]
    by_activity = {t["activity_id"]: {x["tag"]: x["words"] for x in t["tags"]} for t in tags}
    first_chat = by_activity[chats[0]["activity_id"]]
    assert first_chat["竞品"] == [COMPETITOR] and first_chat["预算"] == ["预算"]
    assert set(by_activity[chats[1]["activity_id"]]) >= {"报价", "产品对比"}

    needs = (await s.client.get(f"/v1/opportunities/{opp['opportunity_id']}/needs", headers=rep)).json()
    assert (needs["found"], needs["total"]) == (2, 4)
    assert [n["tag"] for n in needs["required"] if n.get("found")] == ["预算", "竞品"]

    transcript = {
        "source_id": f"call-{wecom_id}",
        "phone": "13912345678",
        "started_at": (now - timedelta(minutes=30)).isoformat(),
        "turns": [
            {"speaker": "rep", "text": "您好，我是张伟，想跟进一下注塑机的方案。"},
            {"speaker": "customer", "text": "方案我们看了，总经理下个月拍板，年底前要上线。"},
            {"speaker": "rep", "text": "好的，我安排技术演示。"},
        ],
    }
    call = await s.client.post("/v1/conversations/transcripts", json=transcript, headers=rep)
    assert call.status_code == 201, call.text
    called = call.json()
    assert called.get("duplicate", False) is False
    assert "全文 sha256=" in called["activity"]["summary"]
    assert {t["tag"] for t in called["analysis"]["tags"]} >= {"决策链", "时间节点", "技术演示"}
    repeat = (await s.client.post("/v1/conversations/transcripts", json=transcript, headers=rep)).json()
    assert repeat["duplicate"] is True and repeat["activity"]["activity_id"] == called["activity"]["activity_id"]
    activities = (await s.client.get(f"/v1/customers/{customer_id}/activities", headers=rep)).json()["activities"]
    assert [a["kind"] for a in activities].count("call") == 1

    needs = (await s.client.get(f"/v1/opportunities/{opp['opportunity_id']}/needs", headers=rep)).json()
    assert (needs["found"], needs["total"]) == (4, 4)

    summary = (await s.client.get(f"/v1/customers/{customer_id}/conversation-summary", headers=rep)).json()
    assert summary["activities"] == 3 and summary["sentences"]

    # activity.tagged was announced for each of the three activities, with their tags.
    announced: dict[str, set[str]] = {}
    while len(announced) < 3:
        msg = await sub.next_msg(timeout=10)
        envelope = Envelope()
        envelope.ParseFromString(msg.data)
        event = unpack(envelope, signal_pb2.ActivityTagged)
        if event.customer_id == customer_id:
            announced[event.activity_id] = {h.tag for h in event.tags}
    assert announced[chats[0]["activity_id"]] >= {"竞品", "预算"}
    assert {e for e in announced} == {
        chats[0]["activity_id"],
        chats[1]["activity_id"],
        called["activity"]["activity_id"],
    }

    # Another rep of the tenant, another tenant and a partner see nothing of it.
    for user, status in (("lina", 404), ("other-rep", 404), ("zhaolei", 403)):
        reply = await s.client.get(f"/v1/customers/{customer_id}/activity-tags", headers=await s.as_(user))
        is_problem(reply, status)
        reply = await s.client.get(f"/v1/opportunities/{opp['opportunity_id']}/needs", headers=await s.as_(user))
        is_problem(reply, status)
    message = {"source_id": "msg-1", "text": "预算够了"}
    is_problem(
        await s.client.post(f"/v1/customers/{customer_id}/messages", json=message, headers=await s.as_("lina")), 404
    )
    converted = await s.client.post(f"/v1/customers/{customer_id}/messages", json=message, headers=rep)
    assert converted.status_code == 201, converted.text
    assert {t["tag"] for t in converted.json()["analysis"]["tags"]} == {"预算"}
