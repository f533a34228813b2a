"""Intake -> assignment visible through the gateway, under load.

The whole stack on free ports; over REST a manager sets up rep profiles, an
auto_assign route and the seed formula. Then `concurrency` clients each post
a lead and poll `GET /v1/leads/{id}` until `owner_id` is set (POST -> gRPC ->
commit -> outbox -> JetStream -> lead-routing ranks and assigns -> commit ->
the GET sees it), back to back for a fixed time: p50/p99 of that and the
throughput. Baseline, same run, same concurrency: plain intake (POST only)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid

import aiohttp
import httpx

from bench.intake import local_stack, result
from bench.load import LoadResult, run_load
from scripts.localstack import token

SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
CONCURRENCY = int(os.environ.get("BENCH_ASSIGN_CONCURRENCY", "8"))
DURATION = float(os.environ.get("BENCH_ASSIGN_SECONDS", "8"))
POLL_S = 0.02
N_REPS = 20
PLACES = [("浙江省", "绍兴市", "柯桥区"), ("浙江省", "杭州市", "余杭区"), ("浙江省", "宁波市", "北仑区"), ("江苏省", "苏州市", "吴江区")]


def lead_body(i: int) -> dict:
    province, city, district = PLACES[i % len(PLACES)]
    return {
        "company_name": f"客户{uuid.uuid4().hex[:16]}",  # unlike each other: no duplicate merges
        "phone": f"139{uuid.uuid4().int % 10**8:08d}",
        "source": "官网表单",
        "province": province,
        "city": city,
        "district": district,
        "purchases_6m": {"amount_minor": (i * 7919 % 100_000) * 100, "currency": "CNY"},
    }


def set_up(base: str, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=base, headers=headers, timeout=30) as c:
        for k in range(N_REPS):
            r = c.put(
                f"/v1/reps/bench-rep-{k}",
                json={"name": f"销售{k}", "region": PLACES[k % len(PLACES)][2], "capacity": 10_000},
            )
            r.raise_for_status()
        routes = [{"route_id": "web", "name": "官网询盘直派", "target": {"kind": "all"}, "auto_assign": True}]
        for kind, body in (("routes", {"routes": routes}), ("formulas", {"formula": SEED})):
            saved = c.post(f"/v1/routing/{kind}", json=body)
            saved.raise_for_status()
            c.post(f"/v1/routing/{kind}/versions/{saved.json()['version']['version']}/activate").raise_for_status()


async def post_until_assigned(base: str, headers: dict[str, str], concurrency: int, duration: float) -> LoadResult:
    """Closed loop: each client posts a lead, polls it until it has an owner, repeats."""
    latencies: list[float] = []
    errors = counter = 0
    deadline = time.perf_counter() + duration

    async def one(session: aiohttp.ClientSession, i: int) -> float | None:
        started = time.perf_counter()
        async with session.post(f"{base}/v1/leads", json=lead_body(i), headers=headers) as r:
            if r.status != 201:
                return None
            lead_id = (await r.json())["lead"]["lead_id"]
        while time.perf_counter() - started < 30:
            async with session.get(f"{base}/v1/leads/{lead_id}", headers=headers) as r:
                if r.status == 200 and (await r.json())["lead"].get("owner_id"):
                    return time.perf_counter() - started
            await asyncio.sleep(POLL_S)
        return None

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors, counter
        while time.perf_counter() < deadline:
            counter += 1
            took = await one(session, counter)
            if took is None:
                errors += 1
            else:
                latencies.append(took)

    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return LoadResult(len(latencies), errors, time.perf_counter() - started, latencies)


def bench_assign_latency() -> list[dict]:
    with local_stack() as stack:
        base = stack.gateway_url
        headers = {"Authorization": f"Bearer {token(base, 'wangqiang')}"}  # a manager's leads stay unowned
        set_up(base, headers)
        asyncio.run(post_until_assigned(base, headers, CONCURRENCY, 1.0))  # warm-up
        assigned = asyncio.run(post_until_assigned(base, headers, CONCURRENCY, DURATION))
        intake = asyncio.run(run_load(f"{base}/v1/leads", lead_body, headers=headers, concurrency=CONCURRENCY, duration=DURATION))
    print(
        f"assign-latency: {assigned.requests} leads assigned in {assigned.seconds:.1f}s ({assigned.errors} not), "
        f"concurrency {CONCURRENCY}; plain intake {intake.requests} ({intake.errors} failed)",
        file=sys.stderr,
    )
    return [
        result("intake_to_owner_visible_p50", assigned.p50 * 1000, "ms", intake.p50 * 1000),
        result("intake_to_owner_visible_p99", assigned.percentile(99) * 1000, "ms", intake.percentile(99) * 1000),
        result("intake_to_owner_visible_throughput", assigned.throughput, "req/s", intake.throughput),
    ]
