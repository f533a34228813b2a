"""Contact depth (CDI) and the follow-up heat map through the gateway, against
the real opportunity service (in-process, real gRPC, real NATS, its own
database) on a controllable clock. A small hand-built history: customer A
(zhangwei, 战略, 浙江) has a call and a demo this week, 预算 and 竞品 in its
records, one follow-up met 2 h late and one left open past its 24 h grace
(red, turned by the sweep as time passes); C (zhangwei, 重点, 浙江) had a call 8
days ago; B (lina, 普通, 江苏) was never contacted. The expected CDI, groups and
heat map cells are worked out here from the definitions (docs/adr/0013). An
activity posted through the gateway changes A's CDI within the stated
freshness; a partner, finance and another tenant see nothing; bad settings are
400 naming the field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from crm_shared.clock import FixedClock

from tests.integration.gateway.test_customers_gateway import fresh_code
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service, reserve

TENANT = "demo"
TEAMS = {"zhangwei": "wangqiang", "lina": "wangqiang", "wuhao": "zhoumin"}
# The seed promises under 3 minutes; in this stack the consumer answers in seconds.
FRESH_WITHIN_S = 15.0
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@dataclass
class Stack:
    client: httpx.AsyncClient
    clock: FixedClock
    auth: dict[str, dict[str, str]]

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def get(self, user: str, url: str, **params: Any) -> httpx.Response:
        return await self.client.get(url, params=params, headers=await self.as_(user))

    async def send(self, method: str, user: str, url: str, body: dict) -> httpx.Response:
        return await self.client.request(method, url, json=body, headers=await self.as_(user))


@pytest.fixture
async def stack(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    async with (
        opportunity_service(
            nats_url, database_url, tmp_path, reserve(), clock=clock, contact_depth_interval_s=0.3
        ) as opps,
        make_gateway(opportunity_addr=opps.address) as client,
    ):
        await opps.announce_reps(TENANT, TEAMS)
        yield Stack(client, clock, {})


async def customer(s: Stack, owner: str, tier: str, province: str) -> str:
    body = {
        "name": f"{province}客户{fresh_code()[-5:]}",
        "credit_code": fresh_code(),
        "value_tier": tier,
        "location": {"province": province},
    }
    made = await s.send("POST", owner, "/v1/customers", body)
    assert made.status_code == 201, made.text
    return made.json()["customer"]["customer_id"]


async def log(
    s: Stack, user: str, customer_id: str, kind: str, summary: str, at: datetime, plan: datetime | None = None
) -> str:
    body: dict[str, Any] = {"kind": kind, "summary": summary, "occurred_at": at.isoformat()}
    if plan is not None:
        body["next_follow_up_at"] = plan.isoformat()
    logged = await s.send("POST", user, f"/v1/customers/{customer_id}/activities", body)
    assert logged.status_code == 201, logged.text
    return logged.json()["activity"]["activity_id"]


async def cdi_of(s: Stack, user: str, customer_id: str) -> dict:
    found = await s.get(user, f"/v1/customers/{customer_id}/cdi")
    assert found.status_code == 200, found.text
    return found.json()


def weighted(*factors: float | None) -> float:
    """The CDI by its definition with the default equal weights: the mean of the applicable factors × 100."""
    applicable = [f for f in factors if f is not None]
    return round(sum(applicable) / len(applicable) * 100, 1) if applicable else 0.0


async def test_cdi_groups_drill_down_freshness_heat_map_and_access(stack: Stack) -> None:
    s = stack
    t0 = s.clock.now()
    a = await customer(s, "zhangwei", "战略", "浙江")
    b = await customer(s, "lina", "普通", "江苏")
    c = await customer(s, "zhangwei", "重点", "浙江")
    await log(s, "zhangwei", c, "call", "例行回访，客户一切正常", t0 - 6 * DAY)
    # A: a call two days back planning a follow-up in 1 h ...
    call = await log(s, "zhangwei", a, "call", "客户说今年预算五十万", t0 - 2 * DAY, plan=t0 + HOUR)
    # ... met 3 h later by a demo (2 h late, within the 24 h grace), which plans the next one for t0 + 1 day ...
    s.clock.advance(3 * HOUR)
    demo = await log(s, "zhangwei", a, "demo", "现场演示，客户提到竞品锐影", s.clock.now(), plan=t0 + DAY)

    # (the consumer has seen the demo before time moves on) ...
    async def seen() -> bool:
        return len((await cdi_of(s, "zhangwei", a))["touches"]) == 2

    await eventually(seen, timeout=FRESH_WITHIN_S)
    # ... which nobody meets: 25 h past due it is red, by time alone (the sweep).
    s.clock.advance(t0 + 2 * DAY + HOUR - s.clock.now())

    async def red() -> dict | None:
        found = await cdi_of(s, "zhangwei", a)
        return found if found["red"] else None

    got = await eventually(red, timeout=FRESH_WITHIN_S)
    # coverage: call + demo within 7 days = 2 kinds of the 2 needed; needs: 预算 and 竞品 of 4; closure: 0 of 2 on time.
    assert (got["coverage"], got["needs"], got["closure"]) == (
        {"value": 1.0, "applicable": True},
        {"value": 2 / 4, "applicable": True},
        {"value": 0.0, "applicable": True},
    )
    assert got["cdi"] == weighted(1.0, 0.5, 0.0)
    assert sorted((t["activity_id"], t["kind"]) for t in got["touches"]) == sorted([(call, "call"), (demo, "demo")])
    assert {t["tag"]: t["activity_id"] for t in got["tags"]} == {
        "预算": call,
        "决策链": "",
        "时间节点": "",
        "竞品": demo,
    }
    assert [(p["activity_id"], p["state"], p["met_by"]) for p in got["plans"]] == [
        (call, "late", demo),
        (demo, "red", ""),
    ]
    assert (got["plans_due"], got["plans_on_time"], got["owner_id"], got["value_tier"]) == (2, 0, "zhangwei", "战略")

    # B and C are computed by the sweep too: no touch in the window, no tags, no plans → 0.
    async def swept() -> dict | None:
        listed = await s.get("admin", "/v1/indexes/cdi/customers", page_size=10)
        return listed.json() if {i["cdi"] for i in listed.json()["items"]} == {got["cdi"], 0.0} else None

    everyone = await eventually(swept, timeout=FRESH_WITHIN_S)
    cdi = {i["customer_id"]: i["cdi"] for i in everyone["items"]}
    assert cdi == {a: got["cdi"], b: 0.0, c: 0.0}

    # Groups: a manager sees the team, a rep their own; another manager's team has none of these.
    def groups(reply: httpx.Response) -> list[tuple]:
        assert reply.status_code == 200, reply.text
        return [(g["key"], g["average_cdi"], g["customers"], g["red"]) for g in reply.json()["items"]]

    a_cdi = got["cdi"]
    assert groups(await s.get("wangqiang", "/v1/indexes/cdi", group_by="rep")) == [
        ("lina", 0.0, 1, 0),
        ("zhangwei", round((a_cdi + 0.0) / 2, 1), 2, 1),
    ]
    assert groups(await s.get("zhangwei", "/v1/indexes/cdi", group_by="rep")) == [
        ("zhangwei", round((a_cdi + 0.0) / 2, 1), 2, 1)
    ]
    assert groups(await s.get("admin", "/v1/indexes/cdi", group_by="region")) == [
        ("江苏", 0.0, 1, 0),
        ("浙江", round((a_cdi + 0.0) / 2, 1), 2, 1),
    ]
    assert sorted(groups(await s.get("admin", "/v1/indexes/cdi", group_by="tier"))) == sorted(
        [("战略", a_cdi, 1, 1), ("重点", 0.0, 1, 0), ("普通", 0.0, 1, 0)]
    )
    assert groups(await s.get("zhoumin", "/v1/indexes/cdi", group_by="rep")) == []
    drill = await s.get("wangqiang", "/v1/indexes/cdi/customers", group_by="rep", key="zhangwei", sort="-cdi")
    assert [i["customer_id"] for i in drill.json()["items"]] == [a, c] and drill.json()["total"] == 2
    reds = await s.get("wangqiang", "/v1/indexes/cdi/customers", red_only="true")
    assert [i["customer_id"] for i in reds.json()["items"]] == [a]

    # The heat map: A contacted today (0-7), C 8 days ago (8-30), B never (90+).
    heat = await s.get("admin", "/v1/indexes/follow-up-heat-map")
    assert heat.status_code == 200, heat.text
    rows = {r["tier"]: {cell["bucket"]: cell["customers"] for cell in r["cells"]} for r in heat.json()["rows"]}
    assert {t: {k: n for k, n in cells.items() if n} for t, cells in rows.items()} == {
        "战略": {"0-7": 1},
        "重点": {"8-30": 1},
        "普通": {"90+": 1},
    }
    total = heat.json()["total"]
    assert (total["total"], total["untouched_share"]) == (3, 1 / 3)
    cell = await s.get("wangqiang", "/v1/indexes/follow-up-heat-map/customers", bucket="90+", tier="普通")
    assert [(i["customer_id"], i["last_contact_at"]) for i in cell.json()["items"]] == [(b, None)]
    own = await s.get("zhangwei", "/v1/indexes/follow-up-heat-map")
    assert own.json()["total"]["total"] == 2 and own.json()["total"]["untouched_share"] == 0.0

    # Freshness: a call naming 决策链 and 时间节点 completes A's needs; it meets the red plan too late (still red).
    await log(s, "zhangwei", a, "call", "总经理拍板，下个月交付", s.clock.now())

    async def complete() -> dict | None:
        found = await cdi_of(s, "zhangwei", a)
        return found if found["needs"]["value"] == 1.0 else None

    fresh = await eventually(complete, timeout=FRESH_WITHIN_S)
    assert fresh["cdi"] == weighted(1.0, 1.0, 0.0) and fresh["red"] is True

    # Settings: defaults, a bad value names its field (400), a good one is saved by version.
    settings = await s.get("wangqiang", "/v1/indexes/cdi/settings")
    assert settings.json()["version"] == 0 and settings.json()["touch_min_kinds"] == 2
    for body, field in (
        ({"version": 0, "touch_min_kinds": 4}, "touch_min_kinds"),
        ({"version": 0, "touch_kinds": ["note"]}, "touch_kinds"),
        ({"version": 0, "weights": {"coverage": -1}}, "weights.coverage"),
        ({"version": 0, "lookback_days": 0}, "lookback_days"),
    ):
        refused = is_problem(await s.send("PUT", "wangqiang", "/v1/indexes/cdi/settings", body), 400)
        assert field in {e["field"] for e in refused["errors"]}, refused
    is_problem(await s.send("PUT", "zhangwei", "/v1/indexes/cdi/settings", {"version": 0}), 403)
    saved = await s.send("PUT", "wangqiang", "/v1/indexes/cdi/settings", {"version": 0, "touch_min_kinds": 3})
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.json()["touch_min_kinds"]) == (1, 3)

    # Access: a rep reads only their own customer; finance and a partner are refused; another tenant finds nothing.
    is_problem(await s.get("zhangwei", f"/v1/customers/{b}/cdi"), 404)
    for user in ("zhaolei", "liufang"):
        is_problem(await s.get(user, f"/v1/customers/{a}/cdi"), 403)
        is_problem(await s.get(user, "/v1/indexes/cdi"), 403)
        is_problem(await s.get(user, "/v1/indexes/follow-up-heat-map"), 403)
    is_problem(await s.get("other-rep", f"/v1/customers/{a}/cdi"), 404)
    elsewhere = await s.get("other-rep", "/v1/indexes/cdi/customers")
    assert elsewhere.status_code == 200 and elsewhere.json() == {"items": [], "total": 0}
    assert (await s.get("other-rep", "/v1/indexes/follow-up-heat-map")).json()["total"]["total"] == 0
