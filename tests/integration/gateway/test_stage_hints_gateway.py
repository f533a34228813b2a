"""Stage hints through the gateway, against the real opportunity service
(in-process, real gRPC, real NATS, its own database): activity.tagged carrying
报价 shows a hint on the opportunity; applying it is refused by the stage's
gate (412 naming the unmet gate, the opportunity not moved, the hint kept as
refused); with auto_move on, a gated hint is refused the same way and an
ungated one moves the opportunity as the system; the settings' versions and
who may see and change what."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from crm.events.v1 import signal_pb2
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id

from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service

TENANT = "demo"
PIPELINE = {
    "name": "模具",
    "product_line": "模具",
    "stages": [
        {"name": "初步接触", "probability": 10, "forecast_category": "pipeline"},
        {"name": "样件制作", "probability": 30, "forecast_category": "pipeline"},
        {
            "name": "报价谈判",
            "probability": 60,
            "forecast_category": "best_case",
            "gate": {"required_fields": ["amount"]},
        },
        {"name": "合同签署", "probability": 90, "forecast_category": "commit"},
    ],
}


@dataclass
class Stack:
    client: httpx.AsyncClient
    js: Any
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
            opportunity_service(nats_url, database_url, tmp_path, stage_hint_interval_s=0.2) as opps,
            make_gateway(opportunity_addr=opps.address) as client,
        ):
            yield Stack(client, nc.jetstream(), {})
    finally:
        await nc.close()


async def tagged(s: Stack, opp: dict, tags: dict[str, list[str]]) -> str:
    """activity.tagged as the tagging of an activity on the opportunity announces it."""
    activity_id = new_id()
    event = signal_pb2.ActivityTagged(
        activity_id=activity_id,
        customer_id=opp["customer_id"],
        opportunity_id=opp["opportunity_id"],
        kind="visit",
        actor_id="zhangwei",
        tags=[signal_pb2.TagHit(tag=t, words=w) for t, w in tags.items()],
        source="app",
    )
    event.occurred_at.FromDatetime(datetime.now(UTC))
    env = make_envelope("activity.tagged", TENANT, activity_id, event, source="test", occurred_at=datetime.now(UTC))
    await s.js.publish(subject_for("activity.tagged"), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})
    return activity_id


async def placed_opportunity(s: Stack, pipeline_id: str) -> dict:
    body = {"customer_name": f"宁波模具厂{new_id()[-6:]}", "name": "一期模具", "pipeline_id": pipeline_id}
    reply = await s.client.post("/v1/opportunities", json=body, headers=await s.as_("zhangwei"))
    assert reply.status_code == 201, reply.text
    opp = reply.json()["opportunity"]
    assert opp["stage"] == "初步接触", opp
    return opp


async def hints_of(s: Stack, opp: dict, user: str = "zhangwei") -> list[dict]:
    reply = await s.client.get(f"/v1/opportunities/{opp['opportunity_id']}/stage-hints", headers=await s.as_(user))
    assert reply.status_code == 200, reply.text
    return reply.json()["items"]


async def stage_of(s: Stack, opp: dict) -> str:
    reply = await s.client.get(f"/v1/opportunities/{opp['opportunity_id']}", headers=await s.as_("zhangwei"))
    assert reply.status_code == 200, reply.text
    return reply.json()["opportunity"]["stage"]


async def test_a_hint_is_shown_and_a_gated_hint_is_refused_by_its_gate(stack: Stack) -> None:
    s = stack
    created = await s.client.post("/v1/pipelines", json=PIPELINE, headers=await s.as_("wangqiang"))
    assert created.status_code == 201, created.text
    pipeline_id = created.json()["pipeline"]["pipeline_id"]
    opp = await placed_opportunity(s, pipeline_id)

    activity_id = await tagged(s, opp, {"报价": ["报价", "报个价"], "预算": ["预算"]})

    async def shown() -> bool:
        return len(await hints_of(s, opp)) == 1

    await eventually(shown)
    [hint] = await hints_of(s, opp)
    assert (hint["tag"], hint["suggested_stage"], hint["activity_id"], hint["state"]) == (
        "报价",
        "报价谈判",
        activity_id,
        "shown",
    )
    assert hint["words"] == ["报价", "报个价"] and hint["unmet"] == [] and hint["decided_at"] is None

    # Another rep, another tenant and a partner do not reach it.
    url = f"/v1/opportunities/{opp['opportunity_id']}/stage-hints"
    is_problem(await s.client.get(url, headers=await s.as_("lina")), 404)
    is_problem(await s.client.get(url, headers=await s.as_("other-rep")), 404)
    is_problem(await s.client.get(url, headers=await s.as_("zhaolei")), 403)
    is_problem(await s.client.post(f"{url}/{hint['hint_id']}/apply", headers=await s.as_("lina")), 404)
    is_problem(await s.client.post(f"{url}/{hint['hint_id']}/apply", headers=await s.as_("liufang")), 403)

    # Applied by the rep: the gate of 报价谈判 asks for the amount, so 412 and nothing moves.
    refused = is_problem(await s.client.post(f"{url}/{hint['hint_id']}/apply", headers=await s.as_("zhangwei")), 412)
    assert [u["gate"] for u in refused["unmet"]] == ["field:amount"]
    assert [(v["type"], v["subject"]) for v in refused["violations"]] == [("field", "amount")]
    assert await stage_of(s, opp) == "初步接触"
    [kept] = await hints_of(s, opp)
    assert (kept["state"], [u["gate"] for u in kept["unmet"]]) == ("refused", ["field:amount"])
    assert kept["decided_by"] == "zhangwei"

    # The amount filled, the same hint applies: the rep's own move.
    filled = await s.client.patch(
        f"/v1/opportunities/{opp['opportunity_id']}",
        json={"amount": {"amount_minor": 38_000_000, "currency": "CNY"}},
        headers=await s.as_("zhangwei"),
    )
    assert filled.status_code == 200, filled.text
    applied = await s.client.post(f"{url}/{hint['hint_id']}/apply", headers=await s.as_("zhangwei"))
    assert applied.status_code == 200, applied.text
    assert (applied.json()["state"], applied.json()["unmet"]) == ("applied", [])
    assert await stage_of(s, opp) == "报价谈判"
    is_problem(await s.client.post(f"{url}/{hint['hint_id']}/dismiss", headers=await s.as_("zhangwei")), 409)


async def test_auto_move_goes_through_the_gates_as_the_system(stack: Stack) -> None:
    s = stack
    created = await s.client.post("/v1/pipelines", json=PIPELINE, headers=await s.as_("wangqiang"))
    assert created.status_code == 201, created.text
    pipeline_id = created.json()["pipeline"]["pipeline_id"]

    settings_url = "/v1/signal-settings/stage-hints"
    first = await s.client.get(settings_url, headers=await s.as_("zhangwei"))
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 0 and first.json()["auto_move"] is False
    assert [(r["tag"], r["stage"]) for r in first.json()["rules"]] == [("报价", "报价谈判"), ("样品", "样件制作")]
    is_problem(await s.client.get(settings_url, headers=await s.as_("zhaolei")), 403)
    body = {"version": 0, "auto_move": True, "rules": first.json()["rules"]}
    is_problem(await s.client.put(settings_url, json=body, headers=await s.as_("zhangwei")), 403)
    bad = is_problem(
        await s.client.put(
            settings_url, json=body | {"rules": [{"tag": "", "stage": "x"}]}, headers=await s.as_("wangqiang")
        ),
        422,
    )
    assert bad["errors"][0]["field"] == "rules[0].tag"
    assert first.json()["max_age_days"] == 14
    for days in (0, 366, "两周"):
        too = is_problem(
            await s.client.put(settings_url, json=body | {"max_age_days": days}, headers=await s.as_("wangqiang")), 422
        )
        assert [e["field"] for e in too["errors"]] == ["max_age_days"]
    saved = await s.client.put(settings_url, json=body, headers=await s.as_("wangqiang"))
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.json()["auto_move"], saved.json()["max_age_days"]) == (1, True, 14)
    is_problem(await s.client.put(settings_url, json=body, headers=await s.as_("admin")), 409)

    # A gated hint: refused by its gate, the unmet gate kept on it, the opportunity where it was.
    opp = await placed_opportunity(s, pipeline_id)
    await tagged(s, opp, {"报价": ["报价"]})

    async def decided() -> bool:
        return [h["state"] for h in await hints_of(s, opp)] == ["refused"]

    await eventually(decided)
    [hint] = await hints_of(s, opp)
    assert ([u["gate"] for u in hint["unmet"]], hint["decided_by"]) == (["field:amount"], "stage-hints")
    assert await stage_of(s, opp) == "初步接触"

    # An ungated one moves the opportunity through the stage-move handler.
    other = await placed_opportunity(s, pipeline_id)
    await tagged(s, other, {"样品": ["打样", "样品"]})

    async def moved() -> bool:
        return await stage_of(s, other) == "样件制作"

    await eventually(moved)
    [applied] = await hints_of(s, other)
    assert (applied["suggested_stage"], applied["state"]) == ("样件制作", "applied")
    history = await s.client.get(
        f"/v1/opportunities/{other['opportunity_id']}/history", headers=await s.as_("zhangwei")
    )
    assert history.status_code == 200, history.text
    assert any(stay["stage"] == "样件制作" and stay["entered_by"] == "stage-hints" for stay in history.json()["stays"])
