"""Signals across the real processes, as `make run` starts them: a 企业微信
export imported through the gateway whose messages ask for a quote, a product
comparison and the payment terms is tagged (报价, 产品对比, 付款方式), a stage
hint 报价谈判 appears on the customer's open opportunity (from activity.tagged,
nothing published by hand), and the customer becomes 高意向 with the rep told;
then the 48-hour proposal countdown on the moved clock: the rep is reminded
(a task and a notification) and the manager copied, while a second customer
whose 技术方案 was uploaded on its opportunity in time is not reminded.

It moves the shared stack's clock by two days, so it runs after the access
walks (tests/e2e/conftest.py RUN_LAST), and it saves the tenant's signal
settings it relies on (the walks save their own)."""

from __future__ import annotations

import base64
import json
import random
from datetime import datetime, timedelta
from typing import Any

from scripts.localstack import Stack
from tests.e2e.test_routing_and_pipeline import Notifications, ok, until

HOUR = 3600
PIPELINE = {
    "name": "注塑机（信号）",
    "product_line": "注塑机",
    "stages": [
        {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
        {"name": "报价谈判", "probability": 60, "forecast_category": "best_case"},
        {"name": "合同签署", "probability": 90, "forecast_category": "commit"},
    ],
}
KEYWORD_GROUPS = [
    {"tag": "报价", "words": ["报价", "报价单", "报个价"]},
    {"tag": "产品对比", "words": ["对比", "对比表", "比较"]},
    {"tag": "付款方式", "words": ["账期", "分期", "付款方式"]},
]
INTENT = {
    "signals": [
        {"name": "索要产品对比表", "condition": 'CONTAINS(标签,"产品对比")'},
        {"name": "预约技术演示", "condition": 'OR(类型="demo",动作="预约技术演示")'},
        {"name": "询问付款账期", "condition": 'CONTAINS(标签,"付款方式")'},
    ],
    "rule": {"min_signals": 2, "window_days": 14, "signals": []},
    "proposal_hours": 48,
    "proposal_doc_types": ["技术方案", "报价单"],
}
CHATS = [
    "您好，麻烦发一份产品对比表，我们要和别家比较一下。",
    "请报个价，报价单发我邮箱。",
    "付款方式怎么安排？账期能给多久？",
]


def save_settings(manager: Any, url: str, body: dict) -> None:
    """The settings as this test needs them, over whatever version is stored."""
    ok(manager.put(url, json=body | {"version": ok(manager.get(url))["version"]}))


def customer_with_wecom(rep: Any, pipeline_id: str) -> tuple[dict, str]:
    """A new opportunity in the pipeline, and the 企业微信 id of its customer's contact."""
    suffix = f"{random.randrange(10**8):08d}"
    opp = ok(
        rep.post(
            "/v1/opportunities",
            json={
                "customer_name": f"宁波信号注塑机厂{suffix}",
                "name": "二期注塑机",
                "pipeline_id": pipeline_id,
            },
        ),
        201,
    )["opportunity"]
    contact = ok(
        rep.post(f"/v1/customers/{opp['customer_id']}/contacts", json={"name": "李经理", "phone": f"139{suffix}"}), 201
    )["contact"]
    wecom_id = f"wm-signals-{suffix}"
    ok(
        rep.put(
            f"/v1/customers/{opp['customer_id']}/contacts/{contact['contact_id']}/wecom", json={"external_id": wecom_id}
        )
    )
    return opp, wecom_id


def export(wecom_id: str, texts: list[str], start: datetime) -> bytes:
    """A 企业微信 会话存档 export: the customer's messages to zhangwei, a minute apart."""
    lines = [
        json.dumps(
            {
                "msgid": f"{wecom_id}-{n}",
                "action": "send",
                "from": wecom_id,
                "tolist": ["zhangwei"],
                "roomid": "",
                "msgtime": int((start + timedelta(minutes=n)).timestamp() * 1000),
                "msgtype": "text",
                "text": {"content": text},
            },
            ensure_ascii=False,
        )
        for n, text in enumerate(texts)
    ]
    return "\n".join(lines).encode()


def imported(rep: Any, content: bytes, count: int) -> None:
    files = {"file": ("chat.jsonl", content, "application/jsonl")}
    report = ok(rep.post("/v1/conversations/wecom-import", files=files))
    assert (report["imported"], report["unmatched"]) == (count, []), report


def high_intent(rep: Any, opp: dict) -> dict:
    def entered() -> dict | None:
        found = ok(rep.get(f"/v1/customers/{opp['customer_id']}/intent"))
        return found if found["high_intent"] else None

    return until(entered, timeout=30)


def test_an_import_tags_hints_and_raises_high_intent_and_the_late_proposal_is_reminded(
    stack: Stack, as_user, advance_clock
) -> None:
    manager, zhang = as_user("wangqiang"), as_user("zhangwei")
    reply = manager.put(
        "/v1/reps/zhangwei",
        json={
            "name": "张伟",
            "team": "华东一组",
            "manager_id": "wangqiang",
            "region": "柯桥区",
            "native_place": "绍兴市",
            "seniority": "senior",
            "capacity": 10,
            "daily_claim_limit": 5,
        },
    )
    assert reply.status_code in (200, 201), reply.text
    save_settings(
        manager,
        "/v1/signal-settings/tagging",
        {"keyword_groups": KEYWORD_GROUPS, "required_tags": ["报价", "付款方式"]},
    )
    save_settings(
        manager,
        "/v1/signal-settings/stage-hints",
        {"auto_move": False, "rules": [{"tag": "报价", "stage": "报价谈判"}]},
    )
    save_settings(manager, "/v1/signal-settings/intent", INTENT)
    pipeline_id = ok(manager.post("/v1/pipelines", json=PIPELINE), 201)["pipeline"]["pipeline_id"]
    rep_app, manager_app = Notifications(stack, "zhangwei"), Notifications(stack, "wangqiang")
    assert rep_app.opened.wait(10) and manager_app.opened.wait(10)

    # Customer A writes on 企业微信: a comparison, a quote, the payment terms.
    late, late_wecom = customer_with_wecom(zhang, pipeline_id)
    customer_id = late["customer_id"]
    imported(zhang, export(late_wecom, CHATS, stack.now() - timedelta(minutes=10)), 3)

    # The tags, with the words that matched.
    chats = [a for a in ok(zhang.get(f"/v1/customers/{customer_id}/activities"))["activities"] if a["kind"] == "chat"]
    assert [a["summary"] for a in chats] == CHATS
    assert {a["opportunity_id"] for a in chats} == {late["opportunity_id"]}
    tags = {
        t["activity_id"]: {x["tag"]: x["words"] for x in t["tags"]}
        for t in ok(zhang.get(f"/v1/customers/{customer_id}/activity-tags"))["items"]
    }
    assert "产品对比" in tags[chats[0]["activity_id"]]
    assert set(tags[chats[1]["activity_id"]]["报价"]) >= {"报价单"}
    assert "付款方式" in tags[chats[2]["activity_id"]]

    # The quote asked for shows the hint 报价谈判 on the open opportunity; the stage itself is not moved.
    hints_url = f"/v1/opportunities/{late['opportunity_id']}/stage-hints"
    [hint] = until(lambda: ok(zhang.get(hints_url))["items"], timeout=30)
    assert (hint["tag"], hint["suggested_stage"], hint["state"], hint["activity_id"]) == (
        "报价",
        "报价谈判",
        "shown",
        chats[1]["activity_id"],
    )
    assert ok(zhang.get(f"/v1/opportunities/{late['opportunity_id']}"))["opportunity"]["stage"] == "初步接触"

    # Two signals within the window: 高意向, the rep told, the manager's board shows it, the countdown runs.
    found = high_intent(zhang, late)
    assert sorted(h["name"] for h in found["signals"]) == ["索要产品对比表", "询问付款账期"]
    assert found["opportunity_id"] == late["opportunity_id"]
    since = datetime.fromisoformat(found["since"])
    assert datetime.fromisoformat(found["countdown"]["due_at"]) == since + timedelta(hours=48)
    assert found["countdown"]["state"] == "running"
    told = rep_app.next_about("高意向", timeout=30, subject_id=customer_id)
    assert "提交方案" in told["body"]
    board = until(lambda: [i for i in ok(manager.get("/v1/high-intents"))["items"] if i["customer_id"] == customer_id])
    assert board[0]["opportunity_id"] == late["opportunity_id"]

    # Customer B: a comparison and a booked demo, then the 技术方案 uploaded on its opportunity in time.
    in_time, in_time_wecom = customer_with_wecom(zhang, pipeline_id)
    imported(zhang, export(in_time_wecom, CHATS[:1], stack.now() - timedelta(minutes=5)), 1)
    ok(
        zhang.post(
            f"/v1/customers/{in_time['customer_id']}/intent-actions",
            json={"action": "预约技术演示", "opportunity_id": in_time["opportunity_id"]},
        ),
        201,
    )
    assert high_intent(zhang, in_time)["countdown"]["state"] == "running"
    ok(
        zhang.post(
            "/v1/documents/versions",
            json={
                "opportunity_id": in_time["opportunity_id"],
                "doc_type": "技术方案",
                "title": "二期注塑机 技术方案",
                "filename": "proposal.txt",
                "content_type": "text/plain",
                "content_base64": base64.b64encode("二期注塑机 技术方案 第1版".encode()).decode(),
            },
        ),
        201,
    )
    until(
        lambda: ok(zhang.get(f"/v1/customers/{in_time['customer_id']}/intent"))["countdown"]["state"] == "met",
        timeout=30,
    )

    # Past 48 hours: A's rep is reminded with a task and a notification, the manager copied; B is not.
    advance_clock(48 * HOUR + 15 * 60)

    def reminders(customer: str) -> list[dict]:
        tasks = ok(zhang.get("/v1/tasks", params={"state": "open", "customer_id": customer}))["tasks"]
        return [t for t in tasks if t["rule"] == "intent_proposal"]

    [task] = until(lambda: reminders(customer_id), timeout=30)
    assert task["owner_id"] == "zhangwei" and task["opportunity_id"] == late["opportunity_id"]
    assert task["title"].startswith("提交方案")
    overdue = rep_app.next_about("方案超时", timeout=30, subject_id=customer_id)
    assert "技术方案/报价单" in overdue["body"]
    copied = manager_app.next_about("（抄送）方案超时", timeout=30, subject_id=customer_id)
    assert copied["kind"] == "intent.proposal_overdue"
    late_intent = ok(zhang.get(f"/v1/customers/{customer_id}/intent"))
    assert late_intent["countdown"]["state"] == "overdue"

    # The sweep that reminded A saw B's met countdown: no task, B still met, no reminder about B.
    assert reminders(in_time["customer_id"]) == []
    assert ok(zhang.get(f"/v1/customers/{in_time['customer_id']}/intent"))["countdown"]["state"] == "met"
    while not rep_app.events.empty():
        note = rep_app.events.get_nowait()
        assert not (note["title"].startswith("方案超时") and note["subject_id"] == in_time["customer_id"]), note
