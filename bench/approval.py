"""Approval speed (issue 11), the whole stack on free ports, through the gateway:

- submit-and-resolve: a rep submits a request whose policy starts a stage
  of two parallel steps (a named manager and a department's members): the
  subject's access and facts, the policy choice, the approvers resolved, the
  tasks, timers, events and notices written. p50/p99 over N_SUBMITS, each on
  a new opportunity. Baseline, interleaved: the same rep's GET of a request.
- inbox: an approver's first page (and deeper pages by token) while the
  tenant has INBOX_TASKS open tasks (INBOX_MINE of them the approver's),
  seeded directly into approval's SQLite. p99; the issue asks < 100 ms.
  Baseline: GET /v1/departments (auth, gRPC, one small read).
- bottleneck report over REPORT_TASKS decided tasks in the period, every
  dimension; the issue asks < 1 s (median of REPORT_CALLS). Baseline: the same report over a kind
  with no tasks (the same round trip, nothing to aggregate)."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from bench.claim import ok, percentile, timed
from bench.intake import local_stack, result
from scripts.localstack import token

N_SUBMITS = int(os.environ.get("BENCH_APPROVAL_SUBMITS", "60"))
INBOX_TASKS = int(os.environ.get("BENCH_APPROVAL_INBOX_TASKS", "10000"))
INBOX_MINE = int(os.environ.get("BENCH_APPROVAL_INBOX_MINE", "2000"))
REPORT_TASKS = int(os.environ.get("BENCH_APPROVAL_REPORT_TASKS", "100000"))
INBOX_CALLS = 200
REPORT_CALLS = 7
TENANT = "demo"
APPROVER = "liufang"


def _auth(base: str, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(base, user)}"}


def _set_up_policy(admin: httpx.Client) -> None:
    dept = ok(admin.post("/v1/departments", json={
        "name": "技术部", "head_id": "chenjing",
        "members": [{"user_id": "chenjing", "role": "reviewer"}, {"user_id": "zhoumin", "role": "manager"}],
    })).json()["department"]["department_id"]
    ok(admin.post("/v1/approval-policies", json={
        "kind": "quote", "name": "报价审批", "is_default": True,
        "stages": [{"name": "评审", "steps": [
            {"name": "主管", "approvers": {"kind": "user", "value": "wangqiang"},
             "sla": [{"impact": "", "working_minutes": 480, "reminders": 1, "outcome": "escalate",
                      "target": {"kind": "user", "value": "admin"}}]},
            {"name": "技术评审", "approvers": {"kind": "department_members", "value": dept}},
        ]}],
    }))


def bench_submit(base: str) -> list[dict]:
    with httpx.Client(base_url=base, headers=_auth(base, "admin"), timeout=60) as admin:
        _set_up_policy(admin)
    submits, reads = [], []
    with httpx.Client(base_url=base, headers=_auth(base, "zhangwei"), timeout=60) as rep:
        for i in range(N_SUBMITS + 5):
            opp = ok(rep.post("/v1/opportunities", json={
                "customer_name": f"宁波海天注塑机配套厂{i}", "name": f"二期产线改造 {i}"})).json()["opportunity"]
            took, reply = timed(rep.post, "/v1/approvals", json={
                "kind": "quote", "subject_type": "opportunity", "subject_id": opp["opportunity_id"],
                "reason": "报价低于指导价 8%"})
            approval_id = reply.json()["approval"]["approval_id"]
            read, _ = timed(rep.get, f"/v1/approvals/{approval_id}")
            if i >= 5:  # warm-up
                submits.append(took * 1000)
                reads.append(read * 1000)
    base_p50 = statistics.median(reads)
    return [
        result("approval submit+resolve p50 (ms)", statistics.median(submits), "ms", base_p50),
        result("approval submit+resolve p99 (ms)", percentile(submits, 99), "ms", percentile(reads, 99)),
    ]


async def _seed(db_url: str, now: datetime) -> None:
    """INBOX_TASKS open tasks (INBOX_MINE of them the approver's) and REPORT_TASKS decided ones, in bulk."""
    from approval.domain.policy import ApproverRule, SlaRule
    from crm_shared.clock import SystemClock
    from crm_shared.db import Database

    from tests.support.approval_rows import insert, plan, request, sla_step, task

    rng = random.Random(2)
    rule = SlaRule("", 480, 1, "escalate", ApproverRule("user", "admin"))
    p = plan(TENANT, sla_step("finance", APPROVER, rule), sla_step("tech", "chenjing", rule),
             sla_step("sales", "wangqiang", rule), policy_id="bench-policy")
    others = ["wangqiang", "chenjing", "zhoumin", "admin"]
    db = Database(db_url, "approval", SystemClock())
    try:
        requests, tasks = [], []
        for n in range(INBOX_TASKS):
            r = request(TENANT, p, at=now - timedelta(hours=rng.randrange(1, 400)), impact_scope=rng.choice(["", "涉及停产"]))
            requests.append(r)
            who = APPROVER if n < INBOX_MINE else rng.choice(others)
            due = r.requested_at + timedelta(hours=rng.randrange(1, 100)) if rng.random() < 0.9 else None
            tasks.append(task(r, "finance", who, started_at=r.requested_at, due_at=due))
        await insert(db, requests, tasks)
        steps = [("finance", APPROVER, "财务部", 8 * 3600), ("tech", "chenjing", "技术部", 3600),
                 ("sales", "wangqiang", None, 1800)]
        requests, tasks = [], []
        for n in range(REPORT_TASKS // len(steps)):
            r = request(TENANT, p, status="approved", at=now - timedelta(days=25))
            requests.append(r)
            for step_id, who, dept, scale in steps:
                working = rng.randrange(0, 2 * scale)
                decided = now - timedelta(days=rng.randrange(1, 20), minutes=rng.randrange(0, 600))
                tasks.append(task(r, step_id, who, department_id=dept, status="approved", decided_at=decided,
                                  due_at=decided + timedelta(hours=rng.choice((-2, 2))), dwell=working * 3,
                                  dwell_working=working))
            if len(tasks) >= 30_000:
                await insert(db, requests, tasks)
                requests, tasks = [], []
        await insert(db, requests, tasks)
    finally:
        await db.dispose()


def _timed_calls(n: int, call: Callable[[], httpx.Response]) -> list[float]:
    out = []
    for _ in range(n):
        took, _ = timed(call)
        out.append(took * 1000)
    return out


def bench_reads(base: str, db_url: str) -> list[dict]:
    now = datetime.now(UTC)
    started = time.perf_counter()
    asyncio.run(_seed(db_url, now))
    seeded_s = time.perf_counter() - started
    results = []
    with httpx.Client(base_url=base, headers=_auth(base, APPROVER), timeout=60) as me:
        first = ok(me.get("/v1/approval-inbox")).json()
        assert len(first["items"]) == 50, "the approver's inbox should be full"
        tokens = [""]
        page = first
        for _ in range(5):  # a few pages deep, as someone scrolling would
            tokens.append(page["next_page_token"])
            page = ok(me.get("/v1/approval-inbox", params={"page_token": tokens[-1]})).json()
        calls = iter(range(10**9))

        def inbox() -> httpx.Response:
            return me.get("/v1/approval-inbox", params={"page_token": tokens[next(calls) % len(tokens)]})

        _timed_calls(10, inbox)
        inbox_ms, base_ms = [], []
        for _ in range(INBOX_CALLS):
            inbox_ms += _timed_calls(1, inbox)
            base_ms += _timed_calls(1, lambda: me.get("/v1/departments"))
        results.append(result(f"approval inbox p99, {INBOX_TASKS} open (ms)", percentile(inbox_ms, 99), "ms",
                              percentile(base_ms, 99)))
        overdue = _timed_calls(50, lambda: me.get("/v1/approval-inbox", params={"overdue": "true"}))
        results.append(result("approval inbox overdue-only p99 (ms)", percentile(overdue, 99), "ms",
                              percentile(base_ms, 99)))
    with httpx.Client(base_url=base, headers=_auth(base, "admin"), timeout=60) as admin:
        period = {"decided_from": (now - timedelta(days=30)).isoformat(), "decided_to": now.isoformat()}
        report = ok(admin.get("/v1/approval-reports/bottlenecks", params=period)).json()
        assert int(report["tasks"]) >= REPORT_TASKS // 3 * 3, report.get("tasks")
        # About half the seeded decisions came after their deadline: the report counts them overdue.
        assert sum(int(r.get("overdue", 0)) for r in report.get("rows", [])) > 0, report.get("rows", [])[:3]
        report_ms = _timed_calls(REPORT_CALLS, lambda: admin.get("/v1/approval-reports/bottlenecks", params=period))
        empty = _timed_calls(REPORT_CALLS, lambda: admin.get("/v1/approval-reports/bottlenecks",
                                                             params=period | {"kind": "promotion"}))
        # The median of the calls: one slow call on a busy machine says little about the report.
        results.append(result(f"approval bottleneck report p50, {int(report['tasks'])} tasks (ms)",
                              statistics.median(report_ms), "ms", statistics.median(empty)))
        results.append(result("approval bottleneck report max (ms)", max(report_ms), "ms", max(empty)))
    results.append(result("approval bench seeding (s)", seeded_s, "s", 0.0))
    return results


def bench_approval() -> list[dict]:
    with local_stack() as stack:
        base = stack.gateway_url
        db_url = f"sqlite+aiosqlite:///{stack.var / 'approval'}.db"
        return bench_submit(base) + bench_reads(base, db_url)
