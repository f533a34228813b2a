"""Per-replica throughput for the capacity note (deploy/README.md "Capacity"): one stack, one replica of
every service (bench.intake.local_stack; SQLite, or fresh PostgreSQL databases with BENCH_POSTGRES=1),
loaded through the gateway one path at a time:

- intake: POST /v1/leads, CAPACITY_CLIENTS clients back to back for BENCH_SECONDS (req/s);
- ranking: a burst of RANK_BURST leads on an auto-assign route (reps, route and formula as
  bench/assign_latency.py sets them up), until every one is ranked in pool_scores (lead.created
  ranked per second, counted from the burst's first POST; the burst's own intake time is printed);
- matching: MATCH_LINES credit lines naming MATCH_LINES due instalments' contract numbers, seeded into
  finance before the stack starts, matched and auto-confirmed by one POST /v1/matching/runs
  (statement lines matched and confirmed per second, counted in finance's database: receipts,
  ledger entries, events);
- approval inbox: a reviewer's inbox (GET /v1/approval-inbox, INBOX_TASKS open tasks in the tenant,
  INBOX_MINE of them the reviewer's, seeded) read by CAPACITY_CLIENTS clients (reads/s), and
  DECISIONS real requests submitted through the gateway, their manager's tasks approved by
  DECIDE_CLIENTS clients (decisions/s).

Beside each figure the CPU seconds every service process spent on it (/proc, user + system) per
operation, and each process's resident memory at the end: what sizing CPU and memory requests needs,
whatever else shares the machine. The baseline of every figure, same run: GET /v1/departments through the same gateway with the same
clients (auth, one gRPC call, one small read: what any request costs here)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import httpx
import sqlalchemy as sa
from crm_shared.deployables import DEPLOYABLES, WITH_DATABASE
from sqlalchemy.ext.asyncio import create_async_engine

from bench import approval
from bench.assign_latency import lead_body as ranked_lead_body
from bench.assign_latency import set_up as set_up_ranking
from bench.intake import backend, lead_body, local_stack, result
from bench.load import LoadResult, run_load
from bench.matching import seed_statement
from scripts.localstack import Stack, token

CLIENTS = int(os.environ.get("CAPACITY_CLIENTS", "8"))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
RANK_BURST = int(os.environ.get("CAPACITY_RANK_BURST", "500"))
MATCH_LINES = int(os.environ.get("CAPACITY_MATCH_LINES", "600"))
INBOX_TASKS = int(os.environ.get("CAPACITY_INBOX_TASKS", "10000"))
INBOX_MINE = int(os.environ.get("CAPACITY_INBOX_MINE", "2000"))
DECISIONS = int(os.environ.get("CAPACITY_DECISIONS", "40"))
DECIDE_CLIENTS = 4
DECIDE_MAX = 200  # of the manager's tasks (the submitted ones and seeded ones) approved, at most
TENANT, FINANCE, MANAGER, REP = "demo", "liufang", "wangqiang", "zhangwei"


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu(stack: Stack) -> dict[str, float]:
    """CPU seconds (user + system) each deployable's process has used so far."""
    out = {}
    for d in DEPLOYABLES:
        pid = stack.pid(d.name)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        out[d.name] = (int(fields[11]) + int(fields[12])) / _TICK
    return out


def _rss_mib(stack: Stack) -> dict[str, float]:
    out = {}
    for d in DEPLOYABLES:
        try:
            status = Path(f"/proc/{stack.pid(d.name)}/status").read_text()
        except OSError:
            continue
        kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        out[d.name] = kb / 1024
    return out


async def _sizes(stack: Stack) -> dict[str, float]:
    """Each backend's database size in MiB (PostgreSQL: pg_database_size; SQLite: the file and its WAL)."""
    out = {}
    for d in WITH_DATABASE:
        try:
            url = _url(stack, d.name)
        except KeyError:
            continue
        if url.startswith("sqlite"):
            path = Path(url.split(":///", 1)[1])
            out[d.name] = sum(f.stat().st_size for f in path.parent.glob(path.name + "*")) / 2**20
            continue
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                out[d.name] = (await conn.execute(sa.text("SELECT pg_database_size(current_database())"))).scalar_one() / 2**20
        finally:
            await engine.dispose()
    return out


async def _scalar(url: str, query: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(sa.text(query))).scalar_one()
    finally:
        await engine.dispose()


class _Costs:
    """CPU ms per operation, per service, of each phase of the run."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.per_op: dict[str, dict[str, float]] = {}

    def measure(self, phase: str, run, count=lambda out: out[1]):
        before = _cpu(self.stack)
        out = run()
        after = _cpu(self.stack)
        n = max(1, count(out))
        self.per_op[phase] = {k: (after[k] - before.get(k, 0.0)) * 1000 / n for k in after
                              if after[k] - before.get(k, 0.0) > 0}
        return out

    def lines(self) -> str:
        return "\n".join(f"  {phase}: " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(costs.items(), key=lambda kv: -kv[1]))
                         + f" (total {sum(costs.values()):.1f} CPU ms per operation)"
                         for phase, costs in self.per_op.items())


def _url(stack: Stack, service: str) -> str:
    return stack.env()[f"{service.upper().replace('-', '_')}_DATABASE_URL"]


def _seed(stack: Stack) -> None:
    """Finance's statement lines and approval's open tasks, written before the services start."""
    asyncio.run(seed_statement(_url(stack, "finance-reconciliation"), TENANT, MATCH_LINES, datetime.now(UTC).date()))
    approval.INBOX_TASKS, approval.INBOX_MINE, approval.REPORT_TASKS = INBOX_TASKS, INBOX_MINE, 0
    asyncio.run(approval._seed(_url(stack, "approval"), datetime.now(UTC)))


async def _get_load(url: str, headers: dict[str, str], clients: int, duration: float) -> LoadResult:
    """bench.load.run_load for GETs: `clients` back to back for `duration` seconds."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            async with session.get(url, headers=headers) as response:
                await response.read()
                if response.status >= 300:
                    errors += 1
                    continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:
        await asyncio.gather(*(worker(session) for _ in range(clients)))
    return LoadResult(len(latencies), errors, time.perf_counter() - started, latencies)


def _baseline(base: str, headers: dict[str, str]) -> float:
    load = asyncio.run(_get_load(f"{base}/v1/departments", headers, CLIENTS, min(DURATION, 5.0)))
    return load.throughput


def _intake(base: str) -> tuple[float, int, int]:
    """(req/s, errors, leads posted with the warm-up)."""
    headers = {"Authorization": f"Bearer {token(base, REP)}"}
    warm = asyncio.run(run_load(f"{base}/v1/leads", lead_body, headers=headers, concurrency=CLIENTS, duration=1.0))
    load = asyncio.run(run_load(f"{base}/v1/leads", lead_body, headers=headers, concurrency=CLIENTS,
                                duration=DURATION))
    return load.throughput, load.errors, warm.requests + load.requests


async def _burst(base: str, headers: dict[str, str], n: int) -> list[str]:
    """n leads posted by CLIENTS clients as fast as they are taken; their ids."""
    ids: list[str] = []
    todo = iter(range(n))

    async def worker(session: aiohttp.ClientSession) -> None:
        for i in todo:
            async with session.post(f"{base}/v1/leads", json=ranked_lead_body(i), headers=headers) as response:
                body = await response.json()
                if response.status < 300:
                    ids.append(body["lead"]["lead_id"])

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CLIENTS)) as session:
        await asyncio.gather(*(worker(session) for _ in range(CLIENTS)))
    return ids


async def _ranked(url: str, lead_ids: list[str]) -> int:
    """How many of the leads lead-routing has ranked (their row in pool_scores)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            have = 0
            for start in range(0, len(lead_ids), 500):
                have += (await conn.execute(
                    sa.text("SELECT COUNT(DISTINCT lead_id) FROM pool_scores WHERE lead_id IN :ids")
                    .bindparams(sa.bindparam("ids", expanding=True)), {"ids": lead_ids[start: start + 500]},
                )).scalar_one()
            return have
    finally:
        await engine.dispose()


def _ranking(stack: Stack) -> tuple[float, float, int, int]:
    """(leads ranked per second, the burst's own intake seconds, ranked, posted)."""
    base = stack.gateway_url
    set_up_ranking(base, {"Authorization": f"Bearer {token(base, MANAGER)}"})
    headers = {"Authorization": f"Bearer {token(base, REP)}"}
    url = _url(stack, "lead-routing")
    started = time.perf_counter()
    ids = asyncio.run(_burst(base, headers, RANK_BURST))
    posted = time.perf_counter() - started
    deadline = started + 600
    while (done := asyncio.run(_ranked(url, ids))) < len(ids) and time.perf_counter() < deadline:
        time.sleep(0.2)
    return done / (time.perf_counter() - started), posted, done, len(ids)


def _matching(stack: Stack) -> tuple[float, int, float]:
    """(lines matched and confirmed per second, confirmed, seconds) of runs over the seeded lines, counted in
    finance's database: a run longer than the gateway's batch deadline (503) is cancelled with its batch in
    flight, and the next run confirms what it left."""
    base = stack.gateway_url
    headers = {"Authorization": f"Bearer {token(base, FINANCE)}"}
    url = _url(stack, "finance-reconciliation")
    query = "SELECT COUNT(*) FROM statement_lines WHERE status = 'matched'"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        started = time.perf_counter()
        reply = pool.submit(httpx.post, f"{base}/v1/matching/runs", headers=headers, json={}, timeout=1_800)
        while (done := asyncio.run(_scalar(url, query))) < MATCH_LINES and time.perf_counter() < started + 1_200:
            if reply.done():
                if reply.result().status_code not in (200, 503):
                    reply.result().raise_for_status()
                # Past the deadline the call is cancelled with the batch in flight: the next run confirms the
                # confident suggestions left waiting (as the periodic job would).
                reply = pool.submit(httpx.post, f"{base}/v1/matching/runs", headers=headers, json={}, timeout=1_800)
            time.sleep(0.5)
        took = time.perf_counter() - started
    return done / took, done, took


def _decisions(base: str) -> tuple[float, int]:
    """(decisions per second, decided): DECISIONS requests submitted, then up to DECIDE_MAX of the manager's
    tasks (theirs and the seeded ones) approved."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token(base, 'admin')}"}, timeout=60) as c:
        approval._set_up_policy(c)
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token(base, REP)}"}, timeout=60) as rep:
        for i in range(DECISIONS):
            opp = rep.post("/v1/opportunities", json={"customer_name": f"容量压测客户{i}", "name": f"产线 {i}"})
            opp.raise_for_status()
            rep.post("/v1/approvals", json={
                "kind": "quote", "subject_type": "opportunity", "subject_id": opp.json()["opportunity"]["opportunity_id"],
                "reason": "报价低于指导价 8%"}).raise_for_status()
    headers = {"Authorization": f"Bearer {token(base, MANAGER)}"}
    tasks: list[str] = []
    with httpx.Client(base_url=base, headers=headers, timeout=60) as me:
        page_token = ""
        while True:
            page = me.get("/v1/approval-inbox", params={"page_token": page_token} if page_token else {})
            page.raise_for_status()
            tasks += [item["task_id"] for item in page.json()["items"]]
            page_token = page.json().get("next_page_token", "")
            if not page_token:
                break

    async def decide() -> int:
        todo = iter(tasks[:DECIDE_MAX])
        ok = 0

        async def worker(session: aiohttp.ClientSession) -> None:
            nonlocal ok
            for task_id in todo:
                async with session.post(f"{base}/v1/approval-tasks/{task_id}/approve", headers=headers,
                                        json={"comment": "同意"}) as response:
                    await response.read()
                    ok += response.status < 300

        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=DECIDE_CLIENTS)) as session:
            await asyncio.gather(*(worker(session) for _ in range(DECIDE_CLIENTS)))
        return ok

    started = time.perf_counter()
    decided = asyncio.run(decide())
    return decided / (time.perf_counter() - started), decided


def bench_capacity() -> list[dict]:
    db = backend()
    env = {"FINANCE_RECONCILIATION_MATCHING_INTERVAL_S": "0"}  # the run is started by the bench, not the job
    with local_stack(seed=_seed, **env) as stack:
        base = stack.gateway_url
        reads = {"Authorization": f"Bearer {token(base, FINANCE)}"}
        costs = _Costs(stack)
        baseline = _baseline(base, reads)
        inbox = costs.measure("inbox read", lambda: asyncio.run(
            _get_load(f"{base}/v1/approval-inbox", reads, CLIENTS, DURATION)), lambda load: load.requests)
        assert inbox.errors == 0, f"{inbox.errors} inbox reads failed"
        decided_rate, decided = costs.measure("approval decision (and its submit)", lambda: _decisions(base))
        match_rate, confirmed, match_s = costs.measure("statement line matched + confirmed", lambda: _matching(stack))
        intake_rate, intake_errors, _ = costs.measure("lead intake (no routing rules set yet)", lambda: _intake(base),
                                                      lambda out: out[2])
        assert intake_errors == 0, f"{intake_errors} intake requests failed"
        rank_rate, burst_s, done, posted = costs.measure("lead intake + ranking on an auto-assign route",
                                                         lambda: _ranking(stack), lambda out: out[3])
        rss = _rss_mib(stack)
        sizes = asyncio.run(_sizes(stack))
        leads = asyncio.run(_scalar(_url(stack, "lead-routing"), "SELECT COUNT(*) FROM leads"))
    print(
        f"capacity ({db}, one replica each, {CLIENTS} clients): intake {intake_rate:.1f} req/s; "
        f"ranking {done}/{posted} leads ranked, {rank_rate:.1f}/s (their intake took {burst_s:.1f}s); "
        f"matching {confirmed}/{MATCH_LINES} lines confirmed in {match_s:.1f}s; "
        f"inbox {inbox.throughput:.1f} reads/s (p50 {inbox.p50 * 1000:.0f} ms); "
        f"{decided} decisions, {decided_rate:.1f}/s; baseline GET /v1/departments {baseline:.1f} req/s\n"
        f"CPU ms per operation by process:\n{costs.lines()}\n"
        "resident memory at the end (MiB): " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()) + "\n"
        f"databases at the end (MiB; {leads} leads, {MATCH_LINES} contracts and lines, {INBOX_TASKS} open tasks): "
        + ", ".join(f"{k} {v:.1f}" for k, v in sizes.items()),
        file=sys.stderr,
    )
    assert confirmed == MATCH_LINES and done == posted, (confirmed, done, posted)
    return [
        result(f"capacity_{db}_intake_req_per_s", intake_rate, "req/s", baseline),
        result(f"capacity_{db}_ranking_leads_per_s", rank_rate, "1/s", baseline),
        result(f"capacity_{db}_matching_lines_per_s", match_rate, "1/s", baseline),
        result(f"capacity_{db}_inbox_reads_per_s", inbox.throughput, "req/s", baseline),
        result(f"capacity_{db}_approval_decisions_per_s", decided_rate, "1/s", baseline),
    ]
