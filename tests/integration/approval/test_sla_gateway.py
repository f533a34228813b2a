"""Seed 002 through the gateway with a clock the test moves: a request that
涉及停产 (major impact) not handled within 2 working hours goes up to the
生产部 head; a normal one is reminded (催办) after 8 working hours, then goes
up. Submitted on a Friday afternoon, so the night and the weekend must not
count. The inbox shows the time left in working minutes; the outbox, the
team view and the bottleneck report read the same requests; a partner and
another tenant see nothing (real gateway, approval, opportunity,
document-versioning, lead-routing; real NATS)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.clock import FixedClock

from tests.integration.approval.test_engine_gateway import department, detail, policy, statuses, submit
from tests.integration.gateway.conftest import gateway_db, lead_routing, make_gateway, other_backend  # noqa: F401
from tests.integration.gateway.test_gateway import is_problem
from tests.integration.gateway.test_other_backends import TEAMS, TENANT, Stack, create_opportunity
from tests.support.infra import eventually
from tests.support.subjects import opportunity_service, reserve

FRIDAY = datetime(2026, 12, 4, 16, 30, tzinfo=BUSINESS_TZ)  # 16:30 in Shanghai


@pytest.fixture
async def clocked(make_gateway, nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[tuple]:  # noqa: F811
    clock = FixedClock(FRIDAY.astimezone(UTC))
    opportunity = reserve()
    async with (
        other_backend("document_versioning", nats_url, tmp_path, opportunity_addr=opportunity.address) as docs,
        other_backend("approval", nats_url, tmp_path, opportunity_addr=opportunity.address,
                      document_versioning_addr=docs.address, clock=clock, sla_interval_s=3600) as approval,
        opportunity_service(nats_url, database_url, tmp_path, opportunity,
                            document_versioning_addr=docs.address, approval_addr=approval.address) as opps,
    ):
        await opps.announce_reps(TENANT, TEAMS)
        async with make_gateway(opportunity_addr=opps.address, document_versioning_addr=docs.address,
                                approval_addr=approval.address) as client:
            (job,) = [j for j in approval.runtime.jobs if j.name == "approval-sla"]
            yield Stack(client, opps), clock, job


def sla(dept: str) -> list[dict]:
    head = {"kind": "department_head", "value": dept}
    return [{"impact": "涉及停产", "working_minutes": 120, "outcome": "escalate", "target": head},
            {"impact": "", "working_minutes": 480, "reminders": 1, "outcome": "escalate", "target": head}]


async def inbox(s: Stack, user: str, **params) -> list[dict]:
    reply = await s.get(user, "/v1/approval-inbox", **params)
    assert reply.status_code == 200, reply.text
    return reply.json().get("items", [])


def actions(d: dict) -> list[str]:
    return [h["action"] for h in d["history"]]


async def test_seed_002_major_impact_goes_to_the_department_head_after_two_working_hours(clocked) -> None:
    s, clock, job = clocked
    prod = await department(s, "生产部", "zhoumin", "chenjing")
    await policy(s, "contract", [{"step_id": "生产评审", "name": "生产部评审",
                                  "approvers": {"kind": "user", "value": "chenjing"}, "sla": sla(prod)}])
    major = (await submit(s, "contract", impact_scope="涉及停产"))["approval_id"]
    normal = (await submit(s, "contract", subject_id=await create_opportunity(s)))["approval_id"]

    # The inbox, most urgent first: 2 working hours left of the major one (1.5 h today, 0.5 h on Monday).
    items = await inbox(s, "chenjing")
    assert [(i["approval_id"], i["working_minutes_left"], i["impact_scope"]) for i in items] == [
        (major, 120, "涉及停产"), (normal, 480, "")]
    assert items[0]["due_at"].startswith("2026-12-07T01:30:00")  # Monday 09:30 in Shanghai
    assert [i["approval_id"] for i in await inbox(s, "chenjing", impact_scope="涉及停产")] == [major]

    # Friday night and the whole weekend pass: 64 wall-clock hours, 1.5 working hours.
    clock.advance(timedelta(hours=64, minutes=59))  # Monday 09:29
    await job.run_once()
    assert statuses(await detail(s, major)) == [("chenjing", "pending")]
    assert [i["working_minutes_left"] for i in await inbox(s, "chenjing")] == [1, 361]  # the lunch hour does not count either

    clock.advance(timedelta(minutes=2))  # Monday 09:31: the major one is overdue
    await job.run_once()
    await job.run_once()  # a second run changes nothing
    d = await detail(s, major)
    assert statuses(d) == [("chenjing", "transferred"), ("zhoumin", "pending")]
    assert actions(d).count("escalated") == 1
    assert [i["approval_id"] for i in await inbox(s, "chenjing")] == [normal]
    [up] = await inbox(s, "zhoumin")
    assert (up["approval_id"], up["escalated"], up["original_assignee"]) == (major, True, "chenjing")

    # The normal one: reminded after 8 working hours (Monday 16:30), then up after another 8 (Tuesday 16:30).
    clock.advance(timedelta(hours=7))  # Monday 16:31
    await job.run_once()
    d = await detail(s, normal)
    assert actions(d).count("sla_reminded") == 1 and statuses(d) == [("chenjing", "pending")]
    [left] = await inbox(s, "chenjing")
    assert (left["overdue"], left["reminders"]) == (True, 1)
    assert [i["approval_id"] for i in await inbox(s, "chenjing", overdue=True)] == [normal]
    clock.advance(timedelta(days=1))  # Tuesday 16:31
    await job.run_once()
    assert statuses(await detail(s, normal))[-1] == ("zhoumin", "pending")

    # The requester's outbox and the manager's team view show both, waiting on the head.
    reply = await s.get("zhangwei", "/v1/approval-outbox")
    assert reply.status_code == 200, reply.text
    assert {(i["approval_id"], tuple(i["waiting_on"])) for i in reply.json()["items"]} == {
        (major, ("zhoumin",)), (normal, ("zhoumin",))}

    async def team() -> set[str]:
        reply = await s.get("wangqiang", "/v1/approval-team")
        assert reply.status_code == 200, reply.text
        return {i["approval_id"] for i in reply.json().get("items", [])}

    async def whole_team() -> bool:
        return {major, normal} <= await team()

    assert await eventually(whole_team)
    other_team = await s.get("zhoumin", "/v1/approval-team")
    assert other_team.status_code == 200 and other_team.json().get("items", []) == []

    # The head approves both; the report puts the delay in 生产部评审, with the two escalations.
    for approval_id in (major, normal):
        task_id = next(t["task_id"] for t in (await detail(s, approval_id))["tasks"] if t["status"] == "pending")
        reply = await s.post("zhoumin", f"/v1/approval-tasks/{task_id}/approve", {"comment": "同意"})
        assert reply.status_code == 200, reply.text
    clock.advance(timedelta(minutes=1))
    reply = await s.get("admin", "/v1/approval-reports/bottlenecks", dimension="approver",
                        decided_from="2026-12-01T00:00:00Z")
    assert reply.status_code == 200, reply.text
    report = reply.json()
    rows = {r["approver"]: r for r in report["rows"]}
    assert rows["chenjing"]["escalations"] == 2 and rows["chenjing"]["overdue"] == 2
    assert rows["chenjing"]["count"] == 2 and int(rows["chenjing"]["median_working_seconds"]) > 120 * 60
    assert int(report["tasks"]) == 4

    # Who may not: a rep is refused the report and the team view, a partner everything, another tenant sees none.
    is_problem(await s.get("zhangwei", "/v1/approval-reports/bottlenecks"), 403)
    is_problem(await s.get("zhangwei", "/v1/approval-team"), 403)
    for url in ("/v1/approval-inbox", "/v1/approval-outbox", "/v1/approval-team", "/v1/approval-reports/bottlenecks"):
        is_problem(await s.get("zhaolei", url), 403)
    assert (await inbox(s, "other-rep")) == []
    # Bad input names its field and changes nothing.
    problem = is_problem(await s.get("admin", "/v1/approval-reports/bottlenecks", dimension="x"), 422)
    assert "dimension" in str(problem)
    problem = is_problem(await s.get("zhoumin", "/v1/approval-inbox", page_token="nope"), 400)
    assert "page_token" in str(problem)
    problem = is_problem(await s.get("admin", "/v1/approval-reports/bottlenecks",
                                     decided_from="2026-12-09T00:00:00Z", decided_to="2026-12-01T00:00:00Z"), 400)
    assert "decided_from" in str(problem)
