"""approval's SLA job, inbox, outbox and bottleneck report on a real
database (SQLite and PostgreSQL) and real gRPC, with a clock the test moves:
timers survive a restart of the service, a job run twice (or two replicas
at once) reminds and escalates once, the inbox pages by urgency, and the
report's figures on a generated history equal those computed here with the
statistics module. Another tenant and a partner see nothing."""

from __future__ import annotations

import asyncio
import random
import statistics
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import grpc
import nats
import pytest
import sqlalchemy as sa
from approval.adapters.orm import approval_history, approval_tasks
from approval.bootstrap import build
from approval.config import Settings
from approval.domain.policy import ApproverRule, SlaRule
from approval.service_layer.uow import ApprovalUnitOfWork
from crm.approval.v1 import inbox_pb2 as pb
from crm.approval.v1 import inbox_pb2_grpc as pb_grpc
from crm.events.v1 import rep_pb2
from crm_shared.business_calendar import BUSINESS_TZ, BusinessCalendar
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.convert import timestamp
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id
from google.protobuf.json_format import MessageToDict
from prometheus_client import REGISTRY

from tests.support.approval_rows import insert, plan, request, sla_step, task
from tests.support.infra import RunningService, eventually, migrate, run_service

TENANT = "tenant-a"
FRIDAY_EVENING = datetime(2026, 12, 4, 17, 0, tzinfo=BUSINESS_TZ)  # Friday 17:00 in Shanghai
APPROVER = Caller(TENANT, "fin-1", "finance")
ADMIN = Caller(TENANT, "admin", "admin")
PARTNER = Caller(TENANT, "partner-1", "partner")
OTHER_TENANT = Caller("tenant-b", "fin-1", "finance")  # the same user id in another tenant
NORMAL = SlaRule("", 480, 2, "escalate", ApproverRule("user", "boss"))


@asynccontextmanager
async def approval(nats_url: str, database_url: str, clock: FixedClock) -> AsyncIterator[RunningService]:
    # The job's own loop runs at start only (a long interval): the test runs it when it moves the clock.
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url, clock=clock,
                           sla_interval_s=3600) as svc:
        yield svc


def job(svc: RunningService):
    (periodic,) = [j for j in svc.runtime.jobs if j.name == "approval-sla"]
    return periodic


def job_runs() -> float:
    """Runs of the SLA job on this process's replicas so far (done or skipped for the lease)."""
    return sum(REGISTRY.get_sample_value("crm_job_runs_total", {"service": "approval", "job": "approval-sla",
                                                                 "outcome": outcome}) or 0
               for outcome in ("ok", "skipped"))


async def history(svc: RunningService, task_id: str) -> list[str]:
    async with svc.runtime.db.sessions() as s:
        rows = await s.execute(sa.select(approval_history.c.action).where(approval_history.c.task_id == task_id)
                               .order_by(approval_history.c.at))
        return [r[0] for r in rows]


async def tasks_of(svc: RunningService, approval_id: str) -> list[tuple[str, str, bool]]:
    async with svc.runtime.db.sessions() as s:
        rows = await s.execute(sa.select(approval_tasks.c.assignee, approval_tasks.c.status, approval_tasks.c.escalated)
                               .where(approval_tasks.c.approval_id == approval_id).order_by(approval_tasks.c.started_at))
        return [(a, b, bool(c)) for a, b, c in rows]


async def open_task_with_timer(svc: RunningService, rule: SlaRule, started: datetime, assignee: str = "fin-1"):
    """A pending request whose one task has the rule's first deadline armed, as the engine leaves it."""
    p = plan(TENANT, sla_step("finance", assignee, rule))
    r = request(TENANT, p, at=started)
    due = BusinessCalendar().add_working_time(started, timedelta(minutes=rule.working_minutes))
    t = task(r, "finance", assignee, started_at=started, due_at=due)
    await insert(svc.runtime.db, [r], [t])
    async with ApprovalUnitOfWork(svc.runtime.db) as uow:
        await uow.timers.schedule(TENANT, r.approval_id, t.task_id, due)
        await uow.commit()
    return r, t, due


async def test_reminders_then_escalation_survive_a_restart_and_happen_once(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    clock = FixedClock(FRIDAY_EVENING.astimezone(UTC))
    async with approval(nats_url, database_url, clock) as svc:
        r, t, due = await open_task_with_timer(svc, NORMAL, clock.now())
        # 8 working hours from Friday 17:00: 1 h on Friday, 7 h on Monday.
        assert due == datetime(2026, 12, 7, 17, 0, tzinfo=BUSINESS_TZ)
        clock.advance(timedelta(days=2, hours=23))  # Monday 16:00: the weekend did not count
        await job(svc).run_once()
        assert await history(svc, t.task_id) == []
        clock.advance(timedelta(hours=1, minutes=1))
        await job(svc).run_once()
        await job(svc).run_once()  # run again: the same reminder is not sent twice
        assert await history(svc, t.task_id) == ["sla_reminded"]
        # The job's metrics: one open task of the tenant, overdue; one reminder sent.
        assert REGISTRY.get_sample_value("crm_approval_tasks_open", {"tenant": TENANT}) == 1
        assert REGISTRY.get_sample_value("crm_approval_tasks_overdue", {"tenant": TENANT}) == 1
        assert REGISTRY.get_sample_value("crm_approval_sla_reminders_total", {"tenant": TENANT}) >= 1

    # The service restarts (a new replica on the same database): the timer is still armed.
    runs = job_runs()
    async with approval(nats_url, database_url, clock) as svc:
        # The replica's own run at start is over before the clock moves (else it could send the reminder below).
        await eventually(lambda: job_runs() > runs)
        clock.advance(timedelta(days=1))  # Tuesday 17:01: the second reminder's time
        # Two replicas at once (bypassing the lease): one of them sends it.
        sla = job(svc).job.__self__  # the SlaJob whose run() the lease runs
        async with ApprovalUnitOfWork(svc.runtime.db) as uow:
            [timer] = await uow.timers.due(clock.now(), 10)
        outcomes = await asyncio.gather(sla.fire(timer), sla.fire(timer))
        assert sorted(outcomes) == ["lost", "reminded"]
        assert await history(svc, t.task_id) == ["sla_reminded", "sla_reminded"]
        # Reminders spent: the next period escalates, once, to the rule's target.
        clock.advance(timedelta(days=1))
        async with ApprovalUnitOfWork(svc.runtime.db) as uow:
            [timer] = await uow.timers.due(clock.now(), 10)
        outcomes = await asyncio.gather(sla.fire(timer), sla.fire(timer))
        assert "escalate" in outcomes
        await job(svc).run_once()
        assert await history(svc, t.task_id) == ["sla_reminded", "sla_reminded", "escalated"]
        assert await tasks_of(svc, r.approval_id) == [("fin-1", "transferred", True), ("boss", "pending", True)]
        # The boss's task has a deadline of its own; the first task's timer is closed.
        async with ApprovalUnitOfWork(svc.runtime.db) as uow:
            first = await uow.timers.get(TENANT, t.task_id)
        assert first is not None and first.status == "done"
        assert REGISTRY.get_sample_value("crm_approval_sla_outcomes_total", {"tenant": TENANT, "outcome": "escalate"}) >= 1
        # The boss decides: the dwell histogram counts the decisions the job saw after its last refresh.
        before = REGISTRY.get_sample_value("crm_approval_task_dwell_working_hours_count", {"kind": "contract"}) or 0
        async with svc.runtime.db.sessions() as s, s.begin():
            await s.execute(sa.update(approval_tasks).where(approval_tasks.c.assignee == "boss").values(
                status="approved", decided_at=clock.now() + timedelta(seconds=1), dwell_seconds=60,
                dwell_working_seconds=60))
        clock.advance(timedelta(seconds=2))
        await job(svc).run_once()
        after = REGISTRY.get_sample_value("crm_approval_task_dwell_working_hours_count", {"kind": "contract"})
        assert after == before + 1
        assert REGISTRY.get_sample_value("crm_approval_tasks_open", {"tenant": TENANT}) == 0


async def test_a_task_decided_before_its_deadline_is_never_reminded(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    clock = FixedClock(FRIDAY_EVENING.astimezone(UTC))
    async with approval(nats_url, database_url, clock) as svc:
        _, t, _ = await open_task_with_timer(svc, NORMAL, clock.now())
        async with svc.runtime.db.sessions() as s, s.begin():
            await s.execute(sa.update(approval_tasks).where(approval_tasks.c.task_id == t.task_id)
                            .values(status="approved", decided_at=clock.now()))
        clock.advance(timedelta(days=5))
        await job(svc).run_once()
        assert await history(svc, t.task_id) == []
        async with ApprovalUnitOfWork(svc.runtime.db) as uow:
            assert (await uow.timers.get(TENANT, t.task_id)).status == "cancelled"


async def test_auto_approve_and_an_outcome_of_none(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    clock = FixedClock(FRIDAY_EVENING.astimezone(UTC))
    async with approval(nats_url, database_url, clock) as svc:
        r, t, _ = await open_task_with_timer(svc, SlaRule("", 60, 0, "auto_approve"), clock.now())
        _, quiet, _ = await open_task_with_timer(svc, SlaRule("", 60, 1, "none"), clock.now())
        clock.advance(timedelta(hours=1, minutes=1))  # Friday 18:01: both an hour of working time past start
        await job(svc).run_once()
        await job(svc).run_once()
        assert await tasks_of(svc, r.approval_id) == [("fin-1", "approved", False)]
        async with ApprovalUnitOfWork(svc.runtime.db) as uow:
            assert (await uow.approvals.get(TENANT, r.approval_id)).status == "approved"
        assert await history(svc, t.task_id) == ["auto_approved", "approved"]  # by the system, once
        assert await history(svc, quiet.task_id) == ["sla_reminded"]
        clock.advance(timedelta(days=2, hours=15, minutes=57))  # Monday 09:58: the reminder's hour is not over
        await job(svc).run_once()
        assert await history(svc, quiet.task_id) == ["sla_reminded"]
        clock.advance(timedelta(minutes=3))  # Monday 10:01
        await job(svc).run_once()
        await job(svc).run_once()
        assert await history(svc, quiet.task_id) == ["sla_reminded", "sla_expired"]


def stub(svc: RunningService) -> pb_grpc.ApprovalInboxServiceStub:
    return pb_grpc.ApprovalInboxServiceStub(svc.channel)


async def pages(call: Callable, request_of: Callable[[str], object], caller: Caller) -> list:
    items, token = [], ""
    while True:
        reply = await call(request_of(token), metadata=caller.metadata())
        items += list(reply.items)
        token = reply.next_page_token
        if not token:
            return items


async def test_the_inbox_pages_by_urgency_and_shows_no_one_elses_tasks(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
    clock = FixedClock(now)
    async with approval(nats_url, database_url, clock) as svc:
        p = plan(TENANT, sla_step("finance", "fin-1", NORMAL))
        requests, tasks = [], []
        dues = [now + timedelta(hours=h) for h in (5, -3, 1, 30, 1, -20)] + [None, None]
        for n, due in enumerate(dues):
            r = request(TENANT, p, impact_scope="涉及停产" if n % 2 else "", kind="contract" if n < 6 else "quote",
                        at=now - timedelta(days=1))
            requests.append(r)
            tasks.append(task(r, "finance", "fin-1", due_at=due, started_at=now - timedelta(days=1)))
        # Not in fin-1's inbox: another's task, a decided one, one of an ended request, another tenant's.
        other = request(TENANT, p)
        ended = request(TENANT, p, status="recalled")
        foreign = request("tenant-b", plan("tenant-b", sla_step("finance", "fin-1", NORMAL)))
        requests += [other, ended, foreign]
        tasks += [task(other, "finance", "fin-2", due_at=now), task(requests[0], "finance", "fin-1", status="approved"),
                  task(ended, "finance", "fin-1", due_at=now), task(foreign, "finance", "fin-1", due_at=now)]
        await insert(svc.runtime.db, requests, tasks)

        call = stub(svc).ListInbox
        got = await pages(call, lambda tok: pb.ListInboxRequest(page_size=3, page_token=tok), APPROVER)
        mine = tasks[:8]
        expected = sorted(mine, key=lambda t: (t.due_at is None, t.due_at or now, t.task_id))
        assert [i.task_id for i in got] == [t.task_id for t in expected]
        first = got[0]
        assert (first.overdue, first.has_due, first.kind, first.amount_minor) == (True, True, "contract", 100_000_00)
        # 20 wall-clock hours ago (Sunday 14:00): Monday's first working hour is all that passed.
        assert first.working_minutes_left == -60
        # 30 h ahead (Tuesday 16:00): 7 working hours on Monday, 6 on Tuesday.
        assert [i.working_minutes_left for i in got if i.has_due][-1] == 13 * 60
        assert not got[-1].has_due and not got[-1].overdue

        overdue = await pages(call, lambda tok: pb.ListInboxRequest(page_size=1, page_token=tok, overdue_only=True),
                              APPROVER)
        assert {i.task_id for i in overdue} == {tasks[1].task_id, tasks[5].task_id}
        major = await pages(call, lambda tok: pb.ListInboxRequest(page_token=tok, impact_scope="涉及停产"), APPROVER)
        assert {i.task_id for i in major} == {t.task_id for n, t in enumerate(mine) if n % 2}
        quotes = await call(pb.ListInboxRequest(kind="quote"), metadata=APPROVER.metadata())
        assert {i.task_id for i in quotes.items} == {tasks[6].task_id, tasks[7].task_id}

        # Another tenant's fin-1 sees only their own; a partner is refused; bad input names its field.
        foreign_inbox = await call(pb.ListInboxRequest(), metadata=OTHER_TENANT.metadata())
        assert [i.task_id for i in foreign_inbox.items] == [tasks[-1].task_id]
        for bad, caller in ((pb.ListInboxRequest(), PARTNER), (pb.ListInboxRequest(kind="nope"), APPROVER),
                            (pb.ListInboxRequest(page_token="x"), APPROVER)):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await call(bad, metadata=caller.metadata())
            assert err.value.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.INVALID_ARGUMENT)

        # The outbox: the requester's own requests, newest first, with whom each waits on.
        outbox = await stub(svc).ListOutbox(pb.ListOutboxRequest(status="pending"),
                                            metadata=Caller(TENANT, "zhangwei", "rep").metadata())
        assert len(outbox.items) == 9 and all(i.requested_by == "zhangwei" for i in outbox.items)
        assert [i.approval_id for i in outbox.items][-1] == other.approval_id  # the oldest last
        assert list(outbox.items[-1].waiting_on) == ["fin-2"]
        by_id = {i.approval_id: i for i in outbox.items}
        assert list(by_id[requests[0].approval_id].waiting_on) == ["fin-1"]
        assert by_id[requests[1].approval_id].overdue and not by_id[requests[0].approval_id].overdue
        nobody = await stub(svc).ListOutbox(pb.ListOutboxRequest(), metadata=Caller(TENANT, "lina", "rep").metadata())
        assert list(nobody.items) == []


async def announce(nats_url: str, svc: RunningService, managers: dict[str, str]) -> None:
    """Rep profiles as lead-routing publishes them (rep id -> manager id), on the real stream; waits until projected."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for rep_id, manager_id in managers.items():
            payload = rep_pb2.RepProfileChanged(rep_id=rep_id, name=rep_id, team=f"{manager_id}组",
                                                manager_id=manager_id, region="浙江省", active=True)
            env = make_envelope("rep.profile_changed", TENANT, rep_id, payload, source="test",
                                occurred_at=datetime.now(UTC))
            await js.publish(subject_for("rep.profile_changed"), env.SerializeToString(),
                             headers={"Nats-Msg-Id": env.event_id})
    finally:
        await nc.close()

    async def projected() -> bool:
        async with ApprovalUnitOfWork(svc.runtime.db) as uow:
            return all([await uow.profiles.get(TENANT, rep) for rep in managers])

    await eventually(projected)


def check_rows(reply, counted: list) -> None:
    """The report's figures against the statistics module over the tasks it should count."""
    assert reply.tasks == len(counted)
    assert reply.total_working_seconds == sum(t.dwell_working_seconds for t in counted)
    total = reply.total_working_seconds
    for row in (r for r in reply.rows if r.dimension == "step"):
        mine = [t for t in counted if t.step_id == row.step_id]
        working = [t.dwell_working_seconds for t in mine]
        wall = [t.dwell_seconds for t in mine]
        assert row.count == len(mine)
        assert row.median_working_seconds == round(statistics.median(working))
        assert row.p90_working_seconds == round(statistics.quantiles(working, n=10, method="inclusive")[8])
        assert row.median_seconds == round(statistics.median(wall))
        assert row.p90_seconds == round(statistics.quantiles(wall, n=10, method="inclusive")[8])
        assert row.share_of_delay_percent == pytest.approx(100 * sum(working) / total, abs=0.01)
        assert row.overdue == sum(t.due_at <= t.decided_at for t in mine)
    approvers = {r.approver: r.count for r in reply.rows if r.dimension == "approver"}
    assert approvers == {who: n for who in {t.assignee for t in counted} if (n := sum(t.assignee == who for t in counted))}


async def test_bottleneck_figures_match_an_independent_computation(nats_url: str, database_url: str) -> None:
    await migrate("approval", database_url)
    now = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    clock = FixedClock(now)
    rng = random.Random(11)
    # A manager's team, as lead-routing's rep profiles say: two reps; a rep of another team.
    suffix = new_id()[-6:]
    manager, team, outsider = f"mgr-{suffix}", [f"zhang-{suffix}", f"li-{suffix}"], f"wang-{suffix}"
    async with approval(nats_url, database_url, clock) as svc:
        await announce(nats_url, svc, {team[0]: manager, team[1]: manager, outsider: f"mgr-other-{suffix}"})
        p = plan(TENANT, sla_step("sales", "mgr-1", NORMAL), sla_step("finance", "fin-1", NORMAL),
                 sla_step("tech", "tech-1", NORMAL))
        # The tenant waits on finance; the manager's team (and the manager's own requests) on tech.
        tenant_wide = {"sales": (["mgr-1"], None, 3600), "finance": (["fin-1", "fin-2"], "财务部", 8 * 3600),
                       "tech": (["tech-1"], "技术部", 1800)}
        teams = {"sales": (["mgr-1"], None, 3600), "finance": (["fin-1", "fin-2"], "财务部", 3600),
                 "tech": (["tech-1"], "技术部", 16 * 3600)}
        requesters = [*team, manager] * 15 + [outsider] * 100 + ["zhaoliu"] * 155  # zhaoliu: no profile
        requests, tasks = [], []
        for requester in requesters:
            r = request(TENANT, p, status="approved", at=now - timedelta(days=20), requested_by=requester)
            requests.append(r)
            people = teams if requester in (*team, manager) else tenant_wide
            for step, (who, dept, scale) in people.items():
                working = rng.randrange(0, 2 * scale)
                decided = now - timedelta(days=rng.randrange(1, 15), minutes=rng.randrange(0, 600))
                due = decided - timedelta(hours=1) if rng.random() < 0.3 else decided + timedelta(hours=1)
                tasks.append(task(r, step, rng.choice(who), department_id=dept, status="approved",
                                  decided_at=decided, due_at=due, dwell=working * 3 + rng.randrange(0, 100),
                                  dwell_working=working))
        # Outside the period, skipped, or another tenant's: not counted.
        old = request(TENANT, p, status="approved", requested_by=team[0])
        foreign = request("tenant-b", plan("tenant-b", sla_step("finance", "fin-1", NORMAL)), status="approved",
                          requested_by=team[0])
        requests += [old, foreign]
        tasks += [task(old, "finance", "fin-1", status="approved", decided_at=now - timedelta(days=40), dwell=9**6,
                       dwell_working=9**6),
                  task(requests[0], "finance", "fin-1", status="skipped", decided_at=now - timedelta(days=2),
                       dwell=0, dwell_working=0),
                  task(foreign, "finance", "fin-1", status="approved", decided_at=now - timedelta(days=2),
                       dwell=9**6, dwell_working=9**6)]
        await insert(svc.runtime.db, requests, tasks)

        counted = tasks[:900]
        period = pb.GetBottleneckReportRequest(decided_from=timestamp(now - timedelta(days=30)),
                                               decided_to=timestamp(now))
        reply = await stub(svc).GetBottleneckReport(period, metadata=ADMIN.metadata())
        check_rows(reply, counted)
        steps = [r for r in reply.rows if r.dimension == "step"]
        assert steps[0].step_id == "finance" and steps[0].share_of_delay_percent > 50  # where the tenant waits
        departments = {r.department_id: r.count for r in reply.rows if r.dimension == "department"}
        assert departments == {"财务部": 300, "技术部": 300, "": 300}

        # The manager sees their team's requests and their own (45 of them), and that their team waits on tech.
        mine = await stub(svc).GetBottleneckReport(period, metadata=Caller(TENANT, manager, "manager").metadata())
        by_team = {r.approval_id for r in requests[: len(requesters)] if r.requested_by in (*team, manager)}
        assert len(by_team) == 45
        check_rows(mine, [t for t in counted if t.approval_id in by_team])
        team_steps = [r for r in mine.rows if r.dimension == "step"]
        assert team_steps[0].step_id == "tech" and team_steps[0].share_of_delay_percent > 80
        assert {r.department_id: r.count for r in mine.rows if r.dimension == "department"} == {
            "技术部": 45, "财务部": 45, "": 45}

        # One dimension; a bad one or a backwards period is refused naming the field; a partner sees nothing.
        only = await stub(svc).GetBottleneckReport(pb.GetBottleneckReportRequest(dimension="department"),
                                                   metadata=ADMIN.metadata())
        assert {r.dimension for r in only.rows} == {"department"}
        for bad, caller in (
            (pb.GetBottleneckReportRequest(dimension="x"), ADMIN),
            (pb.GetBottleneckReportRequest(decided_from=timestamp(now), decided_to=timestamp(now)), ADMIN),
            (pb.GetBottleneckReportRequest(), PARTNER),
            (pb.GetBottleneckReportRequest(), APPROVER),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub(svc).GetBottleneckReport(bad, metadata=caller.metadata())
            assert err.value.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.PERMISSION_DENIED)
        # A manager no profile names (no team, no requests of their own) sees nothing.
        team_less = await stub(svc).GetBottleneckReport(pb.GetBottleneckReportRequest(),
                                                        metadata=Caller(TENANT, f"mgr-none-{suffix}", "manager").metadata())
        assert team_less.tasks == 0 and MessageToDict(team_less).get("rows", []) == []
