"""Pipelines through the gateway, against the real opportunity,
document-versioning and approval services (in-process, real gRPC, real
NATS): the seed pipelines configured and walked with every gate refusing
(409 listing everything unmet, nothing changed) and then allowing; won,
lost, reopen and history; the board within each caller's scope; tasks and
the timers on a controllable clock."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
import sqlalchemy as sa
from crm.events.v1 import opportunity_pb2, rep_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.business_calendar import BUSINESS_TZ, business_day
from crm_shared.clock import FixedClock
from crm_shared.events import make_envelope, subject_for, unpack
from crm_shared.ids import new_id
from nats.js.api import DeliverPolicy
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.reps import reps
from opportunity.bootstrap import build
from opportunity.config import Settings

from tests.integration.gateway.conftest import other_backend
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.approvals import approve_all
from tests.support.infra import create_pg_database, drop_pg_database, eventually, migrate, pg_base_url, run_service
from tests.support.pipeline_seeds import CUSTOM_PARTS, EXPO, MACHINERY
from tests.support.subjects import reserve

TENANT = "demo"
TEAM = [("zhangwei", "华东一组", "wangqiang", "华东"), ("lina", "华东一组", "wangqiang", "华东"),
        ("zhaoliu", "华南组", "sunli", "华南")]


@dataclass
class Stack:
    client: httpx.AsyncClient
    opportunity: Any
    clock: FixedClock
    js: Any
    auth: dict[str, dict[str, str]]

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]


async def publish(js, type_: str, aggregate_id: str, payload) -> None:  # type: ignore[no-untyped-def]
    env = make_envelope(type_, TENANT, aggregate_id, payload, source="test", occurred_at=datetime.now(UTC))
    await js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})


@pytest.fixture
async def opportunity_db(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """Its own database (lead-routing, behind the gateway, has database_url), of the same kind."""
    if database_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'opportunity.db'}"
        return
    base = pg_base_url()
    assert base
    url = await create_pg_database(base)
    try:
        yield url
    finally:
        await drop_pg_database(url)


@pytest.fixture
async def stack(
    make_gateway, lead_routing, nats_url: str, opportunity_db: str, tmp_path: Path
) -> AsyncIterator[Stack]:
    database_url = opportunity_db
    clock = FixedClock(datetime.now(UTC))
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    # Documents and approvals ask opportunity who may see an opportunity, and its gates ask them.
    opportunity = reserve()
    async with (
        other_backend("document_versioning", nats_url, tmp_path, opportunity_addr=opportunity.address) as docs,
        other_backend("approval", nats_url, tmp_path, opportunity_addr=opportunity.address) as approval,
    ):
        await migrate("opportunity", database_url)
        async with run_service(
            build, Settings, nats_url=nats_url, database_url=database_url, clock=clock, grpc_port=opportunity.take(),
            document_versioning_addr=docs.address, approval_addr=approval.address, timer_interval_s=0.2,
            lead_routing_addr=lead_routing.address,
        ) as opp, make_gateway(
            opportunity_addr=opp.address, document_versioning_addr=docs.address, approval_addr=approval.address
        ) as client:
            # The rep directory as lead-routing announces it.
            for rep_id, team, manager, region in TEAM:
                await publish(js, "rep.profile_changed", rep_id, rep_pb2.RepProfileChanged(
                    rep_id=rep_id, name=rep_id, team=team, manager_id=manager, region=region, active=True))

            async def projected() -> bool:
                async with opp.runtime.db.sessions() as s:
                    n = await s.scalar(sa.select(sa.func.count()).select_from(reps).where(reps.c.tenant_id == TENANT))
                return n == len(TEAM)

            await eventually(projected)
            yield Stack(client, opp, clock, js, {})
    await nc.close()


async def create_pipeline(s: Stack, body: dict) -> dict:
    reply = await s.client.post("/v1/pipelines", json=body, headers=await s.as_("wangqiang"))
    assert reply.status_code == 201, reply.text
    return reply.json()["pipeline"]


async def create_opportunity(s: Stack, user: str = "zhangwei", **fields: Any) -> dict:
    body = {"customer_name": f"宁波注塑机厂{new_id()[-6:]}", "name": "二期产线改造"} | fields
    reply = await s.client.post("/v1/opportunities", json=body, headers=await s.as_(user))
    assert reply.status_code == 201, reply.text
    return reply.json()["opportunity"]


async def get_opportunity(s: Stack, opportunity_id: str, user: str = "zhangwei") -> dict:
    reply = await s.client.get(f"/v1/opportunities/{opportunity_id}", headers=await s.as_(user))
    assert reply.status_code == 200, reply.text
    return reply.json()["opportunity"]


async def move(s: Stack, opportunity_id: str, stage: str, user: str = "zhangwei") -> httpx.Response:
    return await s.client.post(
        f"/v1/opportunities/{opportunity_id}/stage", json={"stage": stage}, headers=await s.as_(user)
    )


FIELD_VALUES = {
    "amount": {"amount": {"amount_minor": 38_000_000, "currency": "CNY"}},
    "expected_close_date": {"expected_close_date": "2027-03-31"},
    "decision_maker": {"decision_maker": "采购总监 李总"},
    "contract_end_date": {"contract_end_date": "2028-03-31"},
    "product_line": {"product_line": "大型设备"},
}


async def satisfy(s: Stack, opportunity_id: str, violation: dict) -> None:
    """Do what a rep (and the manager, for an approval) would do."""
    rep = await s.as_("zhangwei")
    if violation["type"] == "field":
        reply = await s.client.patch(
            f"/v1/opportunities/{opportunity_id}", json=FIELD_VALUES[violation["subject"]], headers=rep
        )
    elif violation["type"] == "document":
        reply = await s.client.post("/v1/documents/versions", headers=rep, json={
            "opportunity_id": opportunity_id,
            "doc_type": violation["subject"],
            "title": violation["subject"],
            "filename": f"{violation['subject']}.pdf",
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(f"{violation['subject']} 扫描件".encode()).decode(),
        })
        assert reply.status_code == 201, reply.text
        return
    else:
        submitted = await s.client.post("/v1/approvals", headers=rep, json={
            "kind": violation["subject"], "subject_type": "opportunity", "subject_id": opportunity_id,
            "reason": "阶段推进审批"})
        assert submitted.status_code == 201, submitted.text
        approval_id = submitted.json()["approval"]["approval_id"]
        assert (await approve_all(s.client, s.as_, approval_id))["status"] == "approved"
        return
    assert reply.status_code == 200, reply.text


def expected_violations(stage: dict) -> set[tuple[str, str]]:
    gate = stage["gate"]
    return (
        {("field", f) for f in gate["required_fields"]}
        | {("document", d) for d in gate["required_documents"]}
        # A gate saying only requires_approval asks for a quote approval.
        | ({("approval", "quote")} if gate["requires_approval"] else set())
    )


@pytest.mark.parametrize("seed", [MACHINERY, CUSTOM_PARTS, EXPO], ids=["000", "002", "003"])
async def test_seed_pipeline_is_walked_with_every_gate_refusing_then_allowing(stack: Stack, seed: dict) -> None:
    s = stack
    # The tenant's admin first names the document types its gates ask for (the tenant's own, like 样件交付记录).
    admin = await s.as_("admin")
    for code in {d for st in seed["stages"] for d in st["gate"]["required_documents"]}:
        saved = await s.client.put(f"/v1/document-types/{code}", json={"name": code}, headers=admin)
        assert saved.status_code in (200, 201), saved.text
    is_problem(await s.client.post("/v1/pipelines", json=seed, headers=await s.as_("zhangwei")), 403)
    pipeline = await create_pipeline(s, seed)
    assert [st["name"] for st in pipeline["stages"]] == [st["name"] for st in seed["stages"]]
    listed = await s.client.get("/v1/pipelines", headers=await s.as_("lina"))
    assert [p["pipeline_id"] for p in listed.json()["pipelines"]] == [pipeline["pipeline_id"]]

    opp = await create_opportunity(s, pipeline_id=pipeline["pipeline_id"])
    first = seed["stages"][0]
    assert (opp["pipeline_id"], opp["stage"], opp["probability"], opp["status"], opp["product_line"]) == (
        pipeline["pipeline_id"], first["name"], first["probability"], "open", seed["product_line"]
    )
    opp_id = opp["opportunity_id"]

    for stage in seed["stages"][1:]:
        wanted = expected_violations(stage)
        if wanted:
            before = await get_opportunity(s, opp_id)
            problem = is_problem(await move(s, opp_id, stage["name"]), 409)
            assert {(v["type"], v["subject"]) for v in problem["violations"]} == wanted, problem
            after = await get_opportunity(s, opp_id)
            assert (after["stage"], after["probability"]) == (before["stage"], before["probability"])
            for violation in problem["violations"]:
                await satisfy(s, opp_id, violation)
        moved = await move(s, opp_id, stage["name"])
        assert moved.status_code == 200, moved.text
        body = moved.json()["opportunity"]
        assert (body["stage"], body["probability"], body["forecast_category"]) == (
            stage["name"], stage["probability"], stage["forecast_category"]
        )

    history = (await s.client.get(f"/v1/opportunities/{opp_id}/history", headers=await s.as_("zhangwei"))).json()
    assert [st["stage"] for st in history["stays"]] == [st["name"] for st in seed["stages"]]
    assert [st["entered_via"] for st in history["stays"]] == ["placed"] + ["moved"] * (len(seed["stages"]) - 1)
    assert all(st["left_at"] for st in history["stays"][:-1]) and history["stays"][-1]["left_at"] is None


async def test_skipping_forward_answers_every_skipped_gate_and_won_lost_reopen_keep_history(stack: Stack) -> None:
    s = stack
    pipeline = await create_pipeline(s, MACHINERY)
    sub = await s.js.subscribe("crm.opportunity.closed", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    opp = await create_opportunity(s, pipeline_id=pipeline["pipeline_id"])
    opp_id = opp["opportunity_id"]

    problem = is_problem(await move(s, opp_id, "合同签署"), 409)
    assert [(v["type"], v["subject"]) for v in problem["violations"]] == [
        ("field", "decision_maker"),
        ("document", "客户需求分析文档"),
        ("field", "amount"),
        ("field", "expected_close_date"),
        ("approval", "quote"),
    ]
    assert all(v["description"] for v in problem["violations"])
    assert (await get_opportunity(s, opp_id))["stage"] == "初步接触"
    history = (await s.client.get(f"/v1/opportunities/{opp_id}/history", headers=await s.as_("zhangwei"))).json()
    assert [st["stage"] for st in history["stays"]] == ["初步接触"]

    for violation in problem["violations"]:
        await satisfy(s, opp_id, violation)
    s.clock.advance(timedelta(hours=3))
    assert (await move(s, opp_id, "合同签署")).status_code == 200
    s.clock.advance(timedelta(hours=2))
    # Backward moves need no gate.
    back = await move(s, opp_id, "报价谈判")
    assert back.json()["opportunity"]["probability"] == 60

    is_problem(await s.client.post(f"/v1/opportunities/{opp_id}/lost", json={}, headers=await s.as_("zhangwei")), 422)
    lost = await s.client.post(
        f"/v1/opportunities/{opp_id}/lost", json={"reason": "客户预算冻结"}, headers=await s.as_("zhangwei")
    )
    assert lost.status_code == 200, lost.text
    assert (lost.json()["opportunity"]["status"], lost.json()["opportunity"]["close_reason"]) == ("lost", "客户预算冻结")
    is_problem(await move(s, opp_id, "合同签署"), 409)

    envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
    while unpack(envelope, opportunity_pb2.OpportunityClosed).opportunity_id != opp_id:
        envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
    closed = unpack(envelope, opportunity_pb2.OpportunityClosed)
    assert (closed.outcome, closed.reason, closed.owner_id, closed.customer_id) == (
        "lost", "客户预算冻结", "zhangwei", opp["customer_id"]
    )

    s.clock.advance(timedelta(days=1))
    reopened = await s.client.post(f"/v1/opportunities/{opp_id}/reopen", headers=await s.as_("zhangwei"))
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["opportunity"]["status"], reopened.json()["opportunity"]["stage"]) == ("open", "报价谈判")
    won = await s.client.post(
        f"/v1/opportunities/{opp_id}/won", json={"reason": "技术方案胜出"}, headers=await s.as_("zhangwei")
    )
    assert won.json()["opportunity"]["status"] == "won" and won.json()["opportunity"]["probability"] == 100

    history = (await s.client.get(f"/v1/opportunities/{opp_id}/history", headers=await s.as_("zhangwei"))).json()
    assert [(st["stage"], st["entered_via"], st["left_via"], st["reason"]) for st in history["stays"]] == [
        ("初步接触", "placed", "moved", ""),
        ("合同签署", "moved", "moved", ""),
        ("报价谈判", "moved", "lost", "客户预算冻结"),
        ("报价谈判", "reopened", "won", "技术方案胜出"),
    ]
    assert history["stays"][1]["seconds"] == 2 * 3600
    per_stage = {t["stage"]: t["seconds"] for t in history["time_per_stage"]}
    assert per_stage["初步接触"] >= 3 * 3600 and per_stage["合同签署"] == 2 * 3600
    # Another rep does not see it at all.
    is_problem(await s.client.get(f"/v1/opportunities/{opp_id}/history", headers=await s.as_("lina")), 404)
    is_problem(await move(s, opp_id, "初步接触", user="lina"), 404)


async def test_board_counts_and_amounts_per_stage_within_each_callers_scope(stack: Stack) -> None:
    s = stack
    pipeline = await create_pipeline(s, EXPO)
    pid = pipeline["pipeline_id"]
    amount = lambda yuan: {"amount_minor": yuan * 100, "currency": "CNY"}
    await create_opportunity(s, "zhangwei", pipeline_id=pid, amount=amount(100_000))
    second = await create_opportunity(s, "zhangwei", pipeline_id=pid, amount=amount(50_000))
    assert (await move(s, second["opportunity_id"], "技术顾问首次触达")).status_code == 200
    await create_opportunity(s, "lina", pipeline_id=pid, amount=amount(30_000))
    await create_opportunity(s, "wangqiang", pipeline_id=pid, amount=amount(20_000), owner_id="zhaoliu")

    async def board(user: str, **filters: str) -> dict[str, tuple[int, int]]:
        reply = await s.client.get("/v1/board", params={"pipeline_id": pid} | filters, headers=await s.as_(user))
        assert reply.status_code == 200, reply.text
        return {c["stage"]: (c["count"], c["amount"]["amount_minor"] // 100) for c in reply.json()["columns"]}

    assert (await board("zhangwei"))["扫码留资"] == (1, 100_000)
    assert (await board("zhangwei"))["技术顾问首次触达"] == (1, 50_000)
    assert (await board("lina"))["扫码留资"] == (1, 30_000)
    assert (await board("wangqiang"))["扫码留资"] == (2, 130_000)  # his team, not 华南组
    assert (await board("admin"))["扫码留资"] == (3, 150_000)
    assert (await board("admin", team="华南组"))["扫码留资"] == (1, 20_000)
    assert (await board("admin", region="华东"))["扫码留资"] == (2, 130_000)
    assert (await board("wangqiang", owner_id="lina"))["扫码留资"] == (1, 30_000)
    assert (await board("admin", product_line="别的产品线"))["扫码留资"] == (0, 0)
    weighted = await s.client.get("/v1/board", params={"pipeline_id": pid}, headers=await s.as_("zhangwei"))
    first = weighted.json()["columns"][0]
    assert first["weighted_amount"]["amount_minor"] == 100_000 * 100 * 5 // 100
    is_problem(await s.client.get("/v1/board", params={"pipeline_id": "nope"}, headers=await s.as_("admin")), 404)


async def notifications_for(js, recipient: str, kind: str):  # type: ignore[no-untyped-def]
    sub = await js.subscribe("crm.notification.requested", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)

    async def next_one() -> NotificationRequested:
        while True:
            env = Envelope.FromString((await sub.next_msg(timeout=15)).data)
            note = unpack(env, NotificationRequested)
            if env.tenant_id == TENANT and note.recipient_id == recipient and note.kind == kind:
                return note

    return next_one


async def test_timers_on_a_controllable_clock_make_tasks_once_and_flag_red(stack: Stack) -> None:
    s = stack
    t0 = s.clock.now()
    manager_note = await notifications_for(s.js, "wangqiang", "opportunity.no_activity")
    silent = await create_opportunity(s, "zhangwei")
    touched = await create_opportunity(s, "lina")
    contract_end = business_day(t0) + timedelta(days=40)
    renewing = await create_opportunity(s, "zhangwei", contract_end_date=contract_end.isoformat())
    # lina calls her customer within the day (activity.logged, as the activity log publishes it),
    # and plans a follow-up two hours later that she then misses.
    await publish(s.js, "activity.logged", new_id(), opportunity_pb2.ActivityLogged(
        activity_id=new_id(), customer_id=touched["customer_id"], opportunity_id=touched["opportunity_id"],
        kind="call", actor_id="lina"))
    async with s.opportunity.runtime.db.sessions() as session, session.begin():
        await session.execute(
            sa.update(customers).where(customers.c.customer_id == touched["customer_id"])
            .values(next_follow_up_at=t0 + timedelta(hours=2))
        )

    async def first_touch_cleared() -> bool:
        async with s.opportunity.runtime.db.sessions() as session:
            return await session.scalar(
                sa.text("SELECT first_touch_due_at IS NULL FROM opportunities WHERE opportunity_id = :id"),
                {"id": touched["opportunity_id"]},
            )

    await eventually(first_touch_cleared)

    async def tasks(user: str, **params: str) -> list[dict]:
        reply = await s.client.get("/v1/tasks", params=params, headers=await s.as_(user))
        assert reply.status_code == 200, reply.text
        return reply.json()["tasks"]

    s.clock.advance(timedelta(hours=23))
    s.clock.advance(timedelta(hours=4))  # 27 h after creation

    async def red_tasks() -> list[dict]:
        found = [t for t in await tasks("zhangwei") if t["rule"] == "no_activity_24h"]
        return found if len(found) == 2 else []

    made = await eventually(red_tasks)
    assert {t["opportunity_id"] for t in made} == {silent["opportunity_id"], renewing["opportunity_id"]}
    assert all(t["state"] == "open" and t["owner_id"] == "zhangwei" for t in made)
    silent_now = await get_opportunity(s, silent["opportunity_id"])
    assert silent_now["red"] and "no_activity_24h" in silent_now["flags"]
    note = await manager_note()
    assert note.subject_id in {silent["opportunity_id"], renewing["opportunity_id"]}

    async def follow_up_flagged() -> bool:
        opp = await get_opportunity(s, touched["opportunity_id"], "lina")
        return opp["flags"] == ["follow_up_late"]

    await eventually(follow_up_flagged)

    # Reps see their own tasks, the manager his team's; no one else's.
    assert [t["rule"] for t in await tasks("lina")] == []
    assert {t["task_id"] for t in await tasks("wangqiang") if t["rule"] == "no_activity_24h"} == {
        t["task_id"] for t in made
    }
    task_id = made[0]["task_id"]
    is_problem(await s.client.post(f"/v1/tasks/{task_id}/complete", headers=await s.as_("lina")), 404)
    done = await s.client.post(f"/v1/tasks/{task_id}/complete", headers=await s.as_("zhangwei"))
    assert done.status_code == 200 and done.json()["task"]["state"] == "done"
    is_problem(await s.client.post(f"/v1/tasks/{task_id}/complete", headers=await s.as_("zhangwei")), 409)
    assert [t["task_id"] for t in await tasks("zhangwei", state="done")] == [task_id]

    # Contract ends in 40 days: nothing yet; 11 days on it is within 30 -> one renewal task.
    s.clock.advance(timedelta(days=10))

    async def renewal() -> list[dict]:
        return [t for t in await tasks("zhangwei") if t["rule"] == "contract_renewal"]

    found = await eventually(renewal)
    assert [t["opportunity_id"] for t in found] == [renewing["opportunity_id"]]
    # Due at the start of the contract's last day in Asia/Shanghai (16:00 UTC the day before), on every database.
    due = datetime.combine(contract_end, time.min, BUSINESS_TZ).astimezone(UTC)
    assert datetime.fromisoformat(found[0]["due_at"].replace("Z", "+00:00")) == due

    # 30 days without interaction: a wake-up task per customer, the manager copied.
    copied = await notifications_for(s.js, "wangqiang", "task.copied")
    s.clock.advance(timedelta(days=20))

    async def wake_ups() -> list[dict]:
        found = [t for t in await tasks("wangqiang") if t["rule"] == "dormant_30d"]
        return found if len(found) == 3 else []

    woken = await eventually(wake_ups)
    assert {t["customer_id"] for t in woken} == {silent["customer_id"], touched["customer_id"], renewing["customer_id"]}
    assert (await copied()).subject_type == "task"

    # Reruns of the timers never double a task.
    (runs,) = [j for j in s.opportunity.runtime.jobs if j.name == "opportunity-timers"]
    for _ in range(3):
        await runs.run_once()
    all_tasks = await tasks("admin")
    keys = [(t["rule"], t["customer_id"], t["opportunity_id"]) for t in all_tasks]
    assert len(keys) == len(set(keys)) == 2 + 1 + 3
