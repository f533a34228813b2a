"""Consumer throughput with one and with two replicas, same stack, same run,
on the event-heavy paths: lead.created ranked by lead-routing
(`lead-routing-rerank`, batches of up to LEAD_ROUTING_RERANK_BATCH_SIZE) and
lead.converted turned into an opportunity (`opportunity-lead-converted`, one
event per unit of work). Target: two replicas ≈ 2 × one.

One stack with two replicas of lead-routing and opportunity on fresh
PostgreSQL databases (replicas share a database server; SQLite is one file
per service). For each path and each replica count, a backlog is built with
the durable consumer paused (JetStream consumer pause), so the measurement is
the consumers draining it and nothing else: for one replica the other is
frozen (SIGSTOP) once its pending pulls have expired; the consumer is resumed
and the clock runs until the inbox holds a row for every event of the
backlog (the inbox row is written in the handler's own transaction). The
ratio is events/s with two replicas over events/s with one.

On a 2-core machine shared with other work the consumers are CPU-bound: the
result lines carry the load average so a ratio well below 2 can be read
against it."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import nats

from bench.intake import result
from scripts.localstack import Stack, load_rules, postgres_databases, start_stack, token
from tests.support.infra import free_port

RANKED = int(os.environ.get("BENCH_REPLICAS_RANKED", "15000"))  # lead.created per measurement: a drain of seconds
CONVERTED = int(os.environ.get("BENCH_REPLICAS_CONVERTED", "300"))  # lead.converted per measurement
BATCH = os.environ.get("BENCH_REPLICAS_BATCH", "500")  # lead-routing's ranking batch (its default): many per backlog
STREAM = "LEAD_ROUTING"
PATHS = {"lead-routing": "lead-routing-rerank", "opportunity": "opportunity-lead-converted"}
# the paths measured (all by default): BENCH_REPLICAS_ONLY=lead-routing measures the ranking alone
ONLY = [s for s in os.environ.get("BENCH_REPLICAS_ONLY", ",".join(PATHS)).split(",") if s]
_CHARS = "安宝昌诚达鼎丰富港海恒宏华辉佳嘉金锦久凯康朗力隆茂美明南鹏启庆荣瑞森盛顺泰腾通万旺伟祥新鑫兴旭耀益永裕源远悦泽振正志中卓"


@contextmanager
def replicated_stack() -> Iterator[tuple[Stack, dict[str, str]]]:
    with tempfile.TemporaryDirectory() as tmp, postgres_databases("bench_replicas") as urls:
        defaults = Stack(
            var=Path(tmp), replicas=dict.fromkeys(PATHS, 2), database_urls=urls,
            # No periodic re-rank beside the consumers (a frozen replica could hold the pool's lock).
            extra_env={"LEAD_ROUTING_RERANK_BATCH_SIZE": BATCH, "LEAD_ROUTING_RERANK_REQUEST_INTERVAL_S": "0"},
        )
        defaults.migrate()
        stack, proc = start_stack(lambda: defaults.with_ports(free_port), log_file=Path(tmp) / "stack.log",
                                  timeout=180)
        try:
            yield stack, urls
        finally:
            proc.terminate()
            proc.wait(60)


async def _scalar(url: str, sql: str, *args: object) -> int:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


def inbox_rows(urls: dict[str, str], service: str) -> int:
    return asyncio.run(_scalar(urls[service], "SELECT count(*) FROM inbox WHERE consumer = $1", PATHS[service]))


async def _consumer(stack: Stack, service: str, paused: bool | None = None) -> int:
    """Pause or resume a durable consumer (None: neither); its pending messages."""
    nc = await nats.connect(f"nats://127.0.0.1:{stack.nats_port}")
    try:
        durable = PATHS[service]
        if paused is not None:
            body = {"pause_until": "2099-01-01T00:00:00Z"} if paused else {}
            reply = await nc.request(f"$JS.API.CONSUMER.PAUSE.{STREAM}.{durable}", json.dumps(body).encode(), timeout=5)
            answer = json.loads(reply.data)
            assert "error" not in answer, answer
        info = await nc.jetstream().consumer_info(STREAM, durable)
        return info.num_pending + info.num_ack_pending
    finally:
        await nc.close()


def consumer(stack: Stack, service: str, paused: bool | None = None) -> int:
    return asyncio.run(_consumer(stack, service, paused))


def wait(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.2)


def names(n: int, rng: random.Random) -> list[str]:
    return ["".join(rng.sample(_CHARS, 5)) + "机械有限公司" for _ in range(n)]


IMPORT_ROWS = 5_000  # rows an import takes: a bigger backlog is several files


def import_pool_leads(stack: Stack, manager: dict[str, str], n: int, rng: random.Random) -> None:
    for start in range(0, n, IMPORT_ROWS):
        rows = ["公司名称,电话,地址,来源,近6月采购金额"]
        rows += [f"{name},139{rng.randrange(10**8):08d},浙江省宁波市北仑区,展会扫码,8万"
                 for name in names(min(IMPORT_ROWS, n - start), rng)]
        file = io.BytesIO("\n".join(rows).encode())
        response = httpx.post(f"{stack.gateway_url}/v1/leads/import", headers=manager, timeout=300,
                              files={"file": ("leads.csv", file, "text/csv")})
        response.raise_for_status()


def convert_own_leads(stack: Stack, rep: dict[str, str], n: int, rng: random.Random) -> None:
    def one(name: str) -> None:
        with httpx.Client(base_url=stack.gateway_url, headers=rep, timeout=60) as client:
            lead = {"company_name": name, "phone": f"137{rng.randrange(10**8):08d}", "source": "百度爱采购",
                    "province": "浙江省", "city": "绍兴市", "district": "柯桥区"}
            created = client.post("/v1/leads", json=lead)
            assert created.status_code == 201, created.text
            converted = client.post(f"/v1/leads/{created.json()['lead']['lead_id']}/convert",
                                    json={"opportunity_name": f"{name} 设备更新",
                                          "expected_amount": {"amount_minor": 50_000_000, "currency": "CNY"}})
            assert converted.status_code == 200, converted.text

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, names(n, rng)))


@contextmanager
def frozen(stack: Stack, process: str | None) -> Iterator[None]:
    """`process` stopped (SIGSTOP) for the block, after its pending pulls expired (1 s fetches)."""
    pid = stack.pid(process) if process else None
    if pid:
        os.kill(pid, signal.SIGSTOP)
        time.sleep(2.5)
    try:
        yield
    finally:
        if pid:
            os.kill(pid, signal.SIGCONT)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(stack: Stack, urls: dict[str, str], service: str, replicas: int, build: Callable[[], None]) -> dict:
    """How the consumer of `service` drains a backlog with `replicas` of it running:
    events/s, and the CPU time its replicas used per event and per second of the drain."""
    wait(lambda: consumer(stack, service) == 0, 300, f"{PATHS[service]} idle before the backlog")
    consumer(stack, service, paused=True)
    before = inbox_rows(urls, service)
    build()
    # Everything published: the backlog stops growing.
    previous = -1
    while (pending := consumer(stack, service)) != previous:
        previous = pending
        time.sleep(1.5)
    target = before + pending
    pids = [stack.pid(f"{service}-{n}") for n in range(1, replicas + 1)]
    with frozen(stack, f"{service}-2" if replicas == 1 else None):
        cpu = sum(map(cpu_seconds, pids))
        started = time.monotonic()
        consumer(stack, service, paused=False)
        wait(lambda: inbox_rows(urls, service) >= target, 600, f"{PATHS[service]} drained")
        seconds = time.monotonic() - started
        cpu = sum(map(cpu_seconds, pids)) - cpu
    drained = {"rate": pending / seconds, "cpu_ms_per_event": 1000 * cpu / pending, "cores": cpu / seconds,
               "load_average": os.getloadavg()[0]}
    print(f"replicas {service} x{replicas}: {pending} events in {seconds:.2f}s = {drained['rate']:.1f}/s; "
          f"CPU per event {drained['cpu_ms_per_event']:.1f} ms, cores busy {drained['cores']:.2f} "
          f"(load average {drained['load_average']:.1f})", file=sys.stderr)
    return drained


def bench_replicas() -> list[dict]:
    rng = random.Random(14)
    out: list[dict] = []
    with replicated_stack() as (stack, urls):
        base = stack.gateway_url
        manager = {"Authorization": f"Bearer {token(base, 'wangqiang')}"}
        rep = {"Authorization": f"Bearer {token(base, 'zhangwei')}"}
        team = {"team": "华东一组", "manager_id": "wangqiang", "languages": ["普通话"], "capacity": 30,
                "daily_claim_limit": 5}
        for rep_id, region, home in (("zhangwei", "柯桥区", "绍兴市"), ("lina", "北仑区", "宁波市")):
            profile = {"name": rep_id, "region": region, "native_place": home, "industries": ["机械"],
                       "seniority": "senior"}
            httpx.put(f"{base}/v1/reps/{rep_id}", json=team | profile, headers=manager, timeout=10).raise_for_status()
        load_rules(base, manager)
        for service, build, name in (
            ("lead-routing", lambda: import_pool_leads(stack, manager, RANKED, rng), "lead_created_ranking"),
            ("opportunity", lambda: convert_own_leads(stack, rep, CONVERTED, rng), "lead_converted_opportunity"),
        ):
            if service not in ONLY:
                continue
            one = drain(stack, urls, service, 1, build)
            two = drain(stack, urls, service, 2, build)
            # The CPU the replicas got (cores busy) tells a machine too busy to give a second replica
            # its own core from a path that does not scale.
            out.append(result(f"replicas_{name}_2_over_1", two["rate"], "ev/s", one["rate"])
                       | {"one": one, "two": two})
    return out


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        for line in bench_replicas():
            print(line)
