"""Anomaly flags through the gateway against the real opportunity service
(real gRPC, NATS, database) on a controllable clock: seven months of
generated activity histories (one rep steady, one bulk-entering at month
end) logged through the gateway, the scan raising the month-end flag once
with the statistic the test works out by hand, the manager's task and
notification, dismissing with a reason, and nobody else seeing anything;
an imported archive weeks old keeps its messages' times and raises no
backdating flag, while a rep's typed late entries do."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import nats
import pytest
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import FixedClock
from crm_shared.events import unpack
from crm_shared.ids import new_id
from nats.js.api import DeliverPolicy

from tests.integration.gateway.test_customers_gateway import fresh_code
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.subjects import opportunity_service

SH = ZoneInfo("Asia/Shanghai")
MONTHS = [(2026, 5), (2026, 6), (2026, 7), (2026, 8), (2026, 9), (2026, 10), (2026, 11)]
PER_MONTH = 10
# Activities of each month logged in its last three calendar days (Shanghai), per rep.
AT_MONTH_END = {"zhangwei": [1, 1, 2, 1, 1, 2, 1], "lina": [1, 2, 1, 1, 2, 1, 7]}


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


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    clock = FixedClock(datetime(2026, 5, 1, 0, 30, tzinfo=SH).astimezone(UTC))
    nc = await nats.connect(nats_url)
    try:
        async with (
            opportunity_service(nats_url, database_url, tmp_path, clock=clock) as opps,
            make_gateway(opportunity_addr=opps.address) as client,
        ):
            await opps.announce_reps("demo", {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"})
            yield Stack(client, clock, nc.jetstream(), {})
    finally:
        await nc.close()


def _days_in(year: int, month: int) -> int:
    nxt = datetime(year + (month == 12), month % 12 + 1, 1)
    return (nxt - datetime(year, month, 1)).days


def _plan() -> list[tuple[datetime, str]]:
    """(when, rep) of every activity, in time order: each rep's month-end
    ones spread over the last three days, the rest over days 2..last-3."""
    plan = []
    for i, (year, month) in enumerate(MONTHS):
        last = _days_in(year, month)
        for rep, late in AT_MONTH_END.items():
            for n in range(PER_MONTH):
                if n < late[i]:
                    day, hour = last - 2 + n % 3, 9 + n // 3
                else:
                    day, hour = 2 + n, 10 if rep == "zhangwei" else 11
                plan.append((datetime(year, month, day, hour, n % 60, tzinfo=SH).astimezone(UTC), rep))
    return sorted(plan)


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


async def _customer(s: Stack, rep: str) -> str:
    body = {
        "name": f"{rep} 的客户",
        "credit_code": fresh_code(),
        "location": {"province": "浙江省", "city": "宁波市", "district": "北仑区"},
    }
    reply = await s.client.post("/v1/customers", json=body, headers=await s.as_(rep))
    assert reply.status_code == 201, reply.text
    return reply.json()["customer"]["customer_id"]


async def test_month_end_flag_raised_once_listed_for_the_manager_dismissed_and_seen_by_nobody_else(
    stack: Stack,
) -> None:
    s = stack
    # Thresholds are tenant data: a manager lowers the minimum count (our histories have 10 a month).
    defaults = await s.client.get("/v1/signal-settings/anomalies", headers=await s.as_("zhangwei"))
    assert defaults.status_code == 200 and defaults.json()["version"] == 0 and defaults.json()["month_end_k"] == 3.0
    is_problem(
        await s.client.put(
            "/v1/signal-settings/anomalies",
            json={"version": 0, "month_end_min_count": 5},
            headers=await s.as_("zhangwei"),
        ),
        403,
    )
    is_problem(await s.client.get("/v1/signal-settings/anomalies", headers=await s.as_("zhaolei")), 403)
    bad = await s.client.put(
        "/v1/signal-settings/anomalies",
        json={"version": 0, "month_end_min_share": 2.0},
        headers=await s.as_("wangqiang"),
    )
    assert [e["field"] for e in is_problem(bad, 400)["errors"]] == ["month_end_min_share"]
    put = await s.client.put(
        "/v1/signal-settings/anomalies", json={"version": 0, "month_end_min_count": 5}, headers=await s.as_("wangqiang")
    )
    assert put.status_code == 200, put.text
    assert (put.json()["version"], put.json()["month_end_min_count"], put.json()["month_end_k"]) == (1, 5, 3.0)
    stale = await s.client.put(
        "/v1/signal-settings/anomalies", json={"version": 0, "month_end_k": 2.0}, headers=await s.as_("admin")
    )
    is_problem(stale, 409)

    customers = {rep: await _customer(s, rep) for rep in AT_MONTH_END}
    for when, rep in _plan():
        s.clock.advance(when - s.clock.now())
        reply = await s.client.post(
            f"/v1/customers/{customers[rep]}/activities",
            json={"kind": "call", "summary": "电话沟通需求"},
            headers=await s.as_(rep),
        )
        assert reply.status_code == 201, reply.text

    # December 2nd in Shanghai: November is the last completed month.
    s.clock.advance(datetime(2026, 12, 2, 10, 0, tzinfo=SH).astimezone(UTC) - s.clock.now())
    sub = await s.js.subscribe("crm.notification.requested", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    is_problem(await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("lina")), 403)
    scanned = await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("wangqiang"))
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["raised"]["month_end"] == 1 and scanned.json()["total"] == 1
    again = await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("admin"))
    assert again.json()["total"] == 0

    listed = await s.client.get("/v1/anomaly-flags", headers=await s.as_("wangqiang"))
    assert listed.status_code == 200, listed.text
    [flag] = listed.json()["items"]
    assert (flag["kind"], flag["rep_id"], flag["subject_type"], flag["state"]) == ("month_end", "lina", "rep", "open")
    # The statistic by hand: lina's share of each month recorded in its last three days.
    shares = [n / PER_MONTH for n in AT_MONTH_END["lina"]]
    history = shares[:-1]
    med = _median(history)
    mad = _median([abs(h - med) for h in history])
    ev = flag["evidence"]
    assert ev["month"] == "2026-11" and ev["share"] == pytest.approx(shares[-1])
    assert ev["median"] == pytest.approx(med) and ev["mad"] == pytest.approx(mad)
    assert ev["threshold"] == pytest.approx(med + 3 * mad) and shares[-1] > med + 3 * mad
    assert (ev["at_month_end"], ev["activities"], ev["min_count"]) == (7, PER_MONTH, 5)
    # The steady rep, by the same arithmetic, stays under the line.
    steady = [n / PER_MONTH for n in AT_MONTH_END["zhangwei"]]
    steady_med = _median(steady[:-1])
    assert steady[-1] <= steady_med + 3 * _median([abs(h - steady_med) for h in steady[:-1]])

    # The manager is told and gets a task.
    while True:
        env = Envelope.FromString((await sub.next_msg(timeout=15)).data)
        note = unpack(env, NotificationRequested)
        if note.kind == "anomaly.flagged":
            break
    assert (env.tenant_id, note.recipient_id, note.subject_id) == ("demo", "wangqiang", flag["flag_id"])
    tasks = await s.client.get("/v1/tasks", params={"state": "open"}, headers=await s.as_("wangqiang"))
    mine = [t for t in tasks.json()["tasks"] if t["rule"] == "anomaly_flag"]
    assert len(mine) == 1 and mine[0]["owner_id"] == "wangqiang" and "月末集中录入" in mine[0]["title"]

    # Nobody else sees it: the flagged rep, a rep, a partner, another tenant (403); another team's manager (none).
    for user in ("lina", "zhangwei", "zhaolei", "other-rep"):
        is_problem(await s.client.get("/v1/anomaly-flags", headers=await s.as_(user)), 403)
    assert (await s.client.get("/v1/anomaly-flags", headers=await s.as_("zhoumin"))).json()["items"] == []
    url = f"/v1/anomaly-flags/{flag['flag_id']}/dismiss"
    is_problem(await s.client.post(url, json={"reason": "看过了"}, headers=await s.as_("zhoumin")), 404)
    is_problem(await s.client.post(url, json={"reason": "看过了"}, headers=await s.as_("other-rep")), 403)
    admin = await s.client.get("/v1/anomaly-flags", params={"kind": "month_end"}, headers=await s.as_("admin"))
    assert [f["flag_id"] for f in admin.json()["items"]] == [flag["flag_id"]]

    # Dismissed with a reason, kept.
    blank = await s.client.post(url, json={"reason": "   "}, headers=await s.as_("wangqiang"))
    assert [e["field"] for e in is_problem(blank, 400)["errors"]] == ["reason"]
    done = await s.client.post(url, json={"reason": "月底集中拜访展会客户，已核实"}, headers=await s.as_("wangqiang"))
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["state"], body["dismissed_by"], body["reason"]) == (
        "dismissed",
        "wangqiang",
        "月底集中拜访展会客户，已核实",
    )
    assert body["dismissed_at"].startswith("2026-12-02")
    assert (await s.client.get("/v1/anomaly-flags", headers=await s.as_("wangqiang"))).json()["items"] == []
    kept = await s.client.get("/v1/anomaly-flags", params={"state": "dismissed"}, headers=await s.as_("wangqiang"))
    assert [f["reason"] for f in kept.json()["items"]] == ["月底集中拜访展会客户，已核实"]
    is_problem(await s.client.post(url, json={"reason": "again"}, headers=await s.as_("wangqiang")), 409)
    # A rerun does not raise it again.
    assert (await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("wangqiang"))).json()["total"] == 0


async def test_an_opportunity_longer_in_a_stage_than_its_allowed_days_is_flagged_stuck(stack: Stack) -> None:
    s = stack
    body = {
        "name": "注塑机销售",
        "stages": [
            {"name": "初步接触", "probability": 10, "forecast_category": "pipeline", "max_days": 3},
            {"name": "报价谈判", "probability": 60, "forecast_category": "best_case"},
        ],
    }
    bad = await s.client.post(
        "/v1/pipelines", headers=await s.as_("wangqiang"), json=body | {"stages": [body["stages"][0] | {"max_days": 0}]}
    )
    assert [e["field"] for e in is_problem(bad, 422)["errors"]] == ["stages[0].max_days"]
    created = await s.client.post("/v1/pipelines", json=body, headers=await s.as_("wangqiang"))
    assert created.status_code == 201, created.text
    pipeline = created.json()["pipeline"]
    assert [st["max_days"] for st in pipeline["stages"]] == [3, None]
    read = await s.client.get(f"/v1/pipelines/{pipeline['pipeline_id']}", headers=await s.as_("zhangwei"))
    assert [st["max_days"] for st in read.json()["pipeline"]["stages"]] == [3, None]

    opened = await s.client.post(
        "/v1/opportunities",
        headers=await s.as_("zhangwei"),
        json={"customer_name": "宁波注塑机厂", "name": "二期产线改造", "pipeline_id": pipeline["pipeline_id"]},
    )
    assert opened.status_code == 201, opened.text
    opp_id = opened.json()["opportunity"]["opportunity_id"]

    s.clock.advance(timedelta(days=2, hours=23))
    scanned = await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("wangqiang"))
    assert scanned.json()["raised"]["stuck"] == 0
    s.clock.advance(timedelta(hours=2))
    scanned = await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("wangqiang"))
    assert scanned.json()["raised"]["stuck"] == 1
    [flag] = (
        await s.client.get("/v1/anomaly-flags", params={"kind": "stuck"}, headers=await s.as_("wangqiang"))
    ).json()["items"]
    assert (flag["subject_type"], flag["subject_id"], flag["rep_id"]) == ("opportunity", opp_id, "zhangwei")
    assert flag["evidence"]["stage"] == "初步接触" and flag["evidence"]["max_days"] == 3
    assert flag["evidence"]["over"] == ["max_days"] and flag["evidence"]["days_in_stage"] == pytest.approx(3.0, abs=0.1)


def _wecom_line(msgid: str, sender: str, to: list[str], text: str, at: datetime) -> str:
    message = {
        "msgid": msgid,
        "action": "send",
        "from": sender,
        "tolist": to,
        "msgtime": int(at.timestamp() * 1000),
        "msgtype": "text",
        "text": {"content": text},
    }
    return json.dumps(message, ensure_ascii=False)


async def test_an_imported_old_archive_raises_no_backdating_flag_a_reps_typed_late_entries_do(stack: Stack) -> None:
    s = stack
    s.clock.advance(datetime(2026, 6, 15, 10, 0, tzinfo=SH).astimezone(UTC) - s.clock.now())
    now = s.clock.now()
    # zhangwei imports the customer's 企业微信 archive of five weeks ago: the messages keep their own times.
    customer_id = await _customer(s, "zhangwei")
    rep = await s.as_("zhangwei")
    made = await s.client.post(f"/v1/customers/{customer_id}/contacts", json={"name": "李经理"}, headers=rep)
    assert made.status_code == 201, made.text
    wecom_id = f"wm{new_id()[-10:]}"
    put = await s.client.put(
        f"/v1/customers/{customer_id}/contacts/{made.json()['contact']['contact_id']}/wecom",
        json={"external_id": wecom_id},
        headers=rep,
    )
    assert put.status_code == 200, put.text
    weeks_ago = now - timedelta(weeks=5)
    lines = [
        _wecom_line(f"old-{wecom_id}-{n}", wecom_id, ["zhangwei"], f"交期问题 {n}", weeks_ago + timedelta(hours=n))
        for n in range(6)
    ]
    lines.append(_wecom_line(f"ancient-{wecom_id}", wecom_id, ["zhangwei"], "三年前", now - timedelta(days=3 * 365)))
    files = {"file": ("chat.jsonl", "\n".join(lines).encode(), "application/jsonl")}
    imported = await s.client.post("/v1/conversations/wecom-import", files=files, headers=rep)
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == 6
    assert [(u["line"], u["reason"]) for u in imported.json()["unmatched"]] == [
        (7, "msgtime: is more than 730 days ago")
    ]
    logged = (await s.client.get(f"/v1/customers/{customer_id}/activities", headers=rep)).json()["activities"]
    assert sorted(datetime.fromisoformat(a["occurred_at"]) for a in logged) == [
        weeks_ago + timedelta(hours=n) for n in range(6)
    ]

    # A rep's own entries typed three days late still count; one more than the minimum (3) flags.
    is_problem(
        await s.client.post(
            f"/v1/customers/{customer_id}/activities",
            headers=rep,
            json={"kind": "call", "summary": "补录", "occurred_at": weeks_ago.isoformat()},
        ),
        400,
    )
    lina_customer = await _customer(s, "lina")
    typed = []
    for n in range(4):
        reply = await s.client.post(
            f"/v1/customers/{lina_customer}/activities",
            headers=await s.as_("lina"),
            json={"kind": "call", "summary": f"电话沟通 {n}", "occurred_at": (now - timedelta(days=3)).isoformat()},
        )
        assert reply.status_code == 201, reply.text
        typed.append(reply.json()["activity"]["activity_id"])

    scanned = await s.client.post("/v1/anomaly-flags/scan", headers=await s.as_("wangqiang"))
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["raised"]["backdating"] == 1 and scanned.json()["total"] == 1
    [flag] = (
        await s.client.get("/v1/anomaly-flags", params={"kind": "backdating"}, headers=await s.as_("wangqiang"))
    ).json()["items"]
    assert (flag["rep_id"], flag["evidence"]["count"]) == ("lina", 4)
    assert sorted(flag["evidence"]["activity_ids"]) == sorted(typed)
