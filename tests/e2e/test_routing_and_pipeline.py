"""Lead routing and the pipeline across the real processes, as `make run`
starts them: a manager writes a route and the seed formula; a lead posted by
a rep is ranked, its best rep gets a push on the notification stream (SSE),
claims it and converts it; the first activity logged in the opportunity
service counts as the lead's first touch in lead-routing, so when time moves
past the deadline only the untouched lead is reclaimed; the opportunity then
walks the seed-000 pipeline, each gate refusing until it is met."""

from __future__ import annotations

import base64
import json
import queue
import threading
import time
from typing import Any

import httpx

from scripts.localstack import Stack, token, wait_for_opportunity
from tests.support.pipeline_seeds import MACHINERY

SEED_FORMULA = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def until(check, timeout: float = 20.0, interval: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not within {timeout}s (last: {last!r})")


class Notifications:
    """A rep's app: reads the SSE stream in a thread."""

    def __init__(self, stack: Stack, username: str) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.opened = threading.Event()
        self.headers = {"Authorization": f"Bearer {token(stack.gateway_url, username)}"}
        self.url = f"{stack.gateway_url}/v1/notifications/stream"
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with httpx.stream("GET", self.url, headers=self.headers, timeout=None) as response:
            assert response.status_code == 200
            self.opened.set()
            try:
                for line in response.iter_lines():
                    if line.startswith("data:"):
                        self.events.put(json.loads(line[5:]))
            except httpx.RemoteProtocolError:
                pass  # the stack stopping at the end of the module cuts the stream mid-chunk

    def next_about(self, title_part: str, timeout: float = 20.0, subject_id: str = "") -> dict[str, Any]:
        """The next notification whose title has title_part (and about subject_id, if given)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                note = self.events.get(timeout=left)
            except queue.Empty:
                break
            if title_part in note["title"] and subject_id in ("", note.get("subject_id")):
                return note
        raise AssertionError(f"no notification about {title_part!r} within {timeout}s")


def test_routed_pushed_claimed_touched_reclaimed_and_gated(stack: Stack, as_user, advance_clock) -> None:
    manager, zhang, lina = as_user("wangqiang"), as_user("zhangwei"), as_user("lina")

    # The manager's team and rules.
    for rep_id, name, region, native in (("zhangwei", "张伟", "柯桥区", "绍兴市"), ("lina", "李娜", "北仑区", "宁波市")):
        reply = manager.put(f"/v1/reps/{rep_id}", json={
            "name": name, "team": "华东一组", "manager_id": "wangqiang", "region": region,
            "native_place": native, "seniority": "senior", "capacity": 10, "daily_claim_limit": 5,
        })
        assert reply.status_code in (200, 201), reply.text
    routes = ok(manager.post("/v1/routing/routes", json={"routes": [
        {"route_id": "keqiao", "name": "柯桥老客户本地跟进", "condition": 'AND(区县="柯桥区",近3月订单数>=3)',
         "target": {"kind": "all"}, "rep_filter": "OR(籍贯=城市,籍贯=区县)", "sla_hours": 24, "cooldown_hours": 48},
        {"route_id": "rest", "name": "其余线索", "target": {"kind": "all"}, "sla_hours": 24, "cooldown_hours": 48},
    ]}), 201)
    ok(manager.post(f"/v1/routing/routes/versions/{routes['version']['version']}/activate"))
    formula = ok(manager.post("/v1/routing/formulas", json={"formula": SEED_FORMULA}), 201)
    ok(manager.post(f"/v1/routing/formulas/versions/{formula['version']['version']}/activate"))

    # A lead from the exhibition, entered by the manager, in 柯桥 with 60,000 元 bought in 6
    # months: it reaches 张伟 (score 100 ≥ 85) as a push.
    app = Notifications(stack, "zhangwei")
    assert app.opened.wait(10)
    lead = ok(manager.post("/v1/leads", json={
        "company_name": "绍兴柯桥恒盛纺织有限公司", "phone": "13805759001", "source": "展会扫码",
        "address": "浙江省绍兴市柯桥区柯桥街道", "industry_tags": ["纺织", "剑杆织机"], "orders_3m": 3,
        "purchases_6m": {"amount_minor": 6_000_000, "currency": "CNY"},
    }), 201)["lead"]
    assert lead["district"] == "柯桥区"
    push = app.next_about("恒盛纺织")
    assert push["subject_id"] == lead["lead_id"]

    # 李娜 is not local to 柯桥; 张伟 is, and claims it.
    refused = lina.post(f"/v1/leads/{lead['lead_id']}/claim")
    assert refused.status_code == 409, refused.text
    assert [v["type"] for v in refused.json()["violations"]] == ["route"]
    claimed = ok(zhang.post(f"/v1/leads/{lead['lead_id']}/claim"))["assignment"]
    assert claimed["rep_id"] == "zhangwei" and claimed["first_touch_due"]
    why = ok(zhang.get(f"/v1/leads/{lead['lead_id']}/explanation"))["explanation"]
    assert why["route_name"] == "柯桥老客户本地跟进" and why["score"] == 100

    # A second lead, claimed by 李娜 and never touched.
    other = ok(manager.post("/v1/leads", json={
        "company_name": "宁波北仑精密注塑有限公司", "phone": "13805749002", "source": "百度爱采购",
        "address": "浙江省宁波市北仑区", "industry_tags": ["注塑机"],
    }), 201)["lead"]
    until(lambda: lina.post(f"/v1/leads/{other['lead_id']}/claim").status_code == 200)

    # Conversion makes the customer and opportunity; the first call logged there is the first touch.
    ok(zhang.post(f"/v1/leads/{lead['lead_id']}/convert", json={
        "opportunity_name": "恒盛纺织 织机改造", "expected_amount": {"amount_minor": 120_000_000, "currency": "CNY"},
    }))
    opportunity = wait_for_opportunity(stack.gateway_url, dict(zhang.headers), lead["lead_id"])
    ok(zhang.post(f"/v1/customers/{opportunity['customer_id']}/activities", json={
        "kind": "call", "opportunity_id": opportunity["opportunity_id"], "summary": "首次电话，约下周到厂",
    }), 201)
    until(lambda: ok(zhang.get(f"/v1/leads/{lead['lead_id']}/explanation"))["explanation"]["assignment"][
        "first_touched_at"])

    # 25 hours later: 李娜's untouched lead is reclaimed and re-routed to the next candidate,
    # and she may not take it back; 张伟's touched lead stays his.
    advance_clock(25 * 3600)
    until(lambda: ok(manager.get(f"/v1/leads/{other['lead_id']}"))["lead"]["owner_id"] != "lina", timeout=30)
    rerouted = ok(manager.get(f"/v1/leads/{other['lead_id']}/explanation"))["explanation"]["assignment"]
    assert rerouted["mode"] == "reroute" and rerouted["rep_id"] == "zhangwei"
    ok(manager.post(f"/v1/leads/{other['lead_id']}/release", json={"reason": "张伟本周满负荷"}))
    cooled = lina.post(f"/v1/leads/{other['lead_id']}/claim")
    assert cooled.status_code == 409, cooled.text
    assert [v["type"] for v in cooled.json()["violations"]] == ["cooldown"]
    assert ok(zhang.get(f"/v1/leads/{lead['lead_id']}"))["lead"]["owner_id"] == "zhangwei"

    # The opportunity walks the seed-000 pipeline; each gate refuses, then allows.
    pipeline = ok(manager.post("/v1/pipelines", json=MACHINERY), 201)["pipeline"]
    opportunity_id = opportunity["opportunity_id"]
    ok(zhang.post(f"/v1/opportunities/{opportunity_id}/pipeline", json={"pipeline_id": pipeline["pipeline_id"]}))
    gate = zhang.post(f"/v1/opportunities/{opportunity_id}/stage", json={"stage": "方案提交"})
    assert gate.status_code == 409, gate.text
    unmet = {v["subject"] for v in gate.json()["violations"]}
    assert {"decision_maker", "客户需求分析文档"} <= unmet, gate.json()
    ok(zhang.patch(f"/v1/opportunities/{opportunity_id}", json={"decision_maker": "恒盛纺织 总经理 陈总"}))
    ok(zhang.post("/v1/documents/versions", json={
        "opportunity_id": opportunity_id, "doc_type": "客户需求分析文档", "title": "织机改造需求分析",
        "filename": "needs.txt", "content_type": "text/plain",
        "content_base64": base64.b64encode("需求分析 第1版".encode()).decode(),
    }), 201)
    moved = ok(zhang.post(f"/v1/opportunities/{opportunity_id}/stage", json={"stage": "方案提交"}))
    assert moved["opportunity"]["stage"] == "方案提交"
