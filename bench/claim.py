"""Claim latency: a rep takes one lead from the pool through the gateway
(POST /v1/leads/{id}/claim -> gRPC -> the active rules, the lead ranked
against every rep, the claim checks -> assignment, explanation and event
written -> commit).

The whole stack on free ports; over REST a manager sets up N_REPS rep
profiles, N_ROUTES routes (a condition and a rep filter each, no
auto-assign) and a scoring formula with rep terms, then posts N_LEADS
unowned leads. Two reps claim them one at a time, one client, no
concurrency: p50/p99 over every claim. Baselines, interleaved with the
claims so load on the machine weighs on all alike: the bare FastAPI
endpoint (bench.bare_app) and the same rep's GET of the same lead through
the gateway (auth, gRPC, one read: what a claim costs on top of a round trip).
Only the public REST API is used, so it runs unchanged on any version."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from bench.intake import local_stack, result, wait_published
from scripts.localstack import token
from tests.support.infra import free_port, wait_port

N_REPS = int(os.environ.get("BENCH_CLAIM_REPS", "300"))
N_LEADS = int(os.environ.get("BENCH_CLAIM_LEADS", "400"))
WARM_UP = 10
SETTLE_S = 3.0
MANAGER = "wangqiang"
CLAIMERS = ("zhangwei", "lina")  # the demo tenant's reps of wangqiang
FORMULA = (
    "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
    '+历史转化率*10+IF(CONTAINS(擅长行业,"注塑机"),5,0)-在手线索数/100'
)
PLACES = [
    ("浙江省", "绍兴市", "柯桥区"),
    ("浙江省", "绍兴市", "越城区"),
    ("浙江省", "杭州市", "余杭区"),
    ("浙江省", "宁波市", "北仑区"),
    ("江苏省", "苏州市", "吴江区"),
    ("广东省", "佛山市", "顺德区"),
]
SOURCES = ["展会扫码", "百度爱采购", "抖音本地推", "官网表单", "伙伴报备", "手工录入"]
INDUSTRIES = ["注塑机", "纺织机械", "数控机床", "包装机械", "激光切割", "空压机"]
TEAMS = ["浙江一组", "浙江二组", "江苏组", "广东组"]
# Every rep filter lets a key account through, so both claimers may take every lead.
KEY = '职级="key_account"'


def routes() -> list[dict]:
    """N_ROUTES routes of the kinds a sales director writes: source x industry,
    region, size; each with a rep filter; the last takes the rest."""
    out = []
    for k, source in enumerate(SOURCES):
        industry = INDUSTRIES[k % len(INDUSTRIES)]
        out.append(
            {
                "name": f"{source}·{industry}",
                "target": {"kind": "all"},
                "condition": f'AND(来源="{source}",CONTAINS(行业标签,"{industry}"))',
                "rep_filter": f'OR({KEY},CONTAINS(擅长行业,"{industry}"))',
            }
        )
    for _, city, district in PLACES:
        out.append(
            {
                "name": f"{district}本地",
                "target": {"kind": "team", "team": TEAMS[0]},
                "condition": f'AND(区县="{district}",近3月订单数>=4)',
                "rep_filter": f'OR({KEY},销售员所在地=行政区划,籍贯="{city}")',
            }
        )
    for k, floor in enumerate((5e8, 1e8, 5e7, 1e7)):
        out.append(
            {
                "name": f"年营业额≥{floor:.0f}",
                "target": {"kind": "key_account" if k < 2 else "all"},
                "condition": f"AND(年营业额>={floor:.0f},预算>=100000)",
                "rep_filter": f'OR({KEY},AND(职级<>"junior",容量-在手线索数>=5))',
            }
        )
    out.append(
        {
            "name": "大额采购",
            "target": {"kind": "all"},
            "condition": "近6月采购金额>=80000",
            "rep_filter": f"OR({KEY},历史转化率>=0.2)",
        }
    )
    out.append(
        {
            "name": "抖音·附近成交",
            "target": {"kind": "all"},
            "condition": 'AND(来源="抖音本地推",纬度>0)',
            # IF, not OR: a rep with no won customers has DISTANCE #N/A, which OR passes on.
            "rep_filter": f"IF({KEY},TRUE,DISTANCE(纬度,经度,近3月成交客户位置)<=50)",
        }
    )
    out.append(
        {
            "name": "官网询盘·高预算",
            "target": {"kind": "all"},
            "condition": 'AND(来源="官网表单",预算>=500000)',
            "rep_filter": f'OR({KEY},职级="senior")',
        }
    )
    out.append({"name": "其余线索", "target": {"kind": "all"}, "rep_filter": f'OR({KEY},团队<>"")'})
    return [r | {"route_id": f"r{k}", "sla_hours": 24} for k, r in enumerate(out)]


N_ROUTES = len(routes())  # 20


def rep_body(k: int) -> dict:
    _, city, district = PLACES[k % len(PLACES)]
    return {
        "name": f"销售{k}",
        "manager_id": MANAGER,
        "team": TEAMS[k % len(TEAMS)],
        "region": district,
        "native_place": city,
        "industries": INDUSTRIES[k % 3 : k % 3 + 2],
        "seniority": ("junior", "senior", "key_account")[k % 3],
        "capacity": 200,
        "daily_claim_limit": 50,
    }


def claimer_body(name: str) -> dict:
    return {
        "name": name,
        "manager_id": MANAGER,
        "team": TEAMS[0],
        "region": "柯桥区",
        "native_place": "绍兴市",
        "industries": INDUSTRIES,
        "seniority": "key_account",
        "capacity": 10_000,
        "daily_claim_limit": 1_000,
    }


def lead_body(i: int) -> dict:
    """Lead i, the same in every run; spread so that most routes get some."""
    rng = random.Random(i)
    province, city, district = rng.choice(PLACES)

    def yuan(low: float, high: float) -> dict:
        return {"amount_minor": round(10 ** rng.uniform(low, high)) * 100, "currency": "CNY"}

    return {
        "company_name": f"认领客户{uuid.uuid4().hex[:16]}",  # unlike each other: no duplicate merges
        "phone": f"137{uuid.uuid4().int % 10**8:08d}",
        "source": rng.choice(SOURCES),
        "province": province,
        "city": city,
        "district": district,
        "industry_tags": rng.sample(INDUSTRIES, rng.randint(1, 2)),
        "latitude": rng.uniform(29.5, 31.5),
        "longitude": rng.uniform(119.5, 121.5),
        "budget": yuan(3.5, 6.5),
        "annual_revenue": yuan(5, 9.5),
        "purchases_6m": yuan(3, 5.2),
        "orders_3m": rng.randint(0, 5),
    }


def ok(reply: httpx.Response) -> httpx.Response:
    if reply.is_error:
        raise RuntimeError(f"{reply.request.method} {reply.request.url.path}: {reply.status_code} {reply.text[:500]}")
    return reply


def set_up(c: httpx.Client) -> list[str]:
    """Reps, rules and leads; the leads' ids. A manager's leads stay unowned."""

    def put(rep_id: str, body: dict) -> None:
        ok(c.put(f"/v1/reps/{rep_id}", json=body))

    def post(i: int) -> str:
        return ok(c.post("/v1/leads", json=lead_body(i))).json()["lead"]["lead_id"]

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(put, CLAIMERS, map(claimer_body, CLAIMERS)))
        list(pool.map(put, [f"bench-rep-{k}" for k in range(N_REPS)], map(rep_body, range(N_REPS))))
    for kind, body in (("routes", {"routes": routes()}), ("formulas", {"formula": FORMULA})):
        saved = ok(c.post(f"/v1/routing/{kind}", json=body))
        ok(c.post(f"/v1/routing/{kind}/versions/{saved.json()['version']['version']}/activate"))
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(post, range(N_LEADS)))


def timed(send: Callable[..., httpx.Response], *args: Any, **kwargs: Any) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    reply = send(*args, **kwargs)
    took = time.perf_counter() - started
    return took, ok(reply)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def bench_claim() -> list[dict]:
    with local_stack() as stack:
        bare_port = free_port()
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(bare_port), "--log-level", "warning"]
        )
        try:
            wait_port(bare_port)
            base = stack.gateway_url
            manager = {"Authorization": f"Bearer {token(base, MANAGER)}"}
            with httpx.Client(base_url=base, headers=manager, timeout=60) as c:
                t0 = time.perf_counter()
                lead_ids = set_up(c)
                setup_s = time.perf_counter() - t0
            # Claims start on a quiet stack: the intakes' events out and the
            # re-rank the new rules asked for (a job every second) done.
            wait_published(stack, manager)
            time.sleep(SETTLE_S)
            reps = [
                httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token(base, u)}"}, timeout=30)
                for u in CLAIMERS
            ]
            bare_c = httpx.Client(base_url=f"http://127.0.0.1:{bare_port}", timeout=30)
            claims, gets, bares = [], [], []
            hit: set[str] = set()  # the routes the claimed leads were on
            try:
                for i, lead_id in enumerate(lead_ids):
                    rep = reps[i % len(reps)]
                    b, _ = timed(bare_c.post, "/v1/leads", json=lead_body(i))
                    g, _ = timed(rep.get, f"/v1/leads/{lead_id}")
                    k, claimed = timed(rep.post, f"/v1/leads/{lead_id}/claim")
                    hit.add(claimed.json()["assignment"].get("route_id", ""))
                    if i >= WARM_UP:
                        bares.append(b)
                        gets.append(g)
                        claims.append(k)
            finally:
                for client in (*reps, bare_c):
                    client.close()
        finally:
            bare.terminate()
            bare.wait(10)
    ms = 1000
    print(
        f"claim: {len(claims)} claims by {len(CLAIMERS)} reps, one at a time ({WARM_UP} more to warm up), "
        f"{N_ROUTES} routes ({len(hit)} matched), {N_REPS + len(CLAIMERS)} reps, {N_LEADS} leads (set up in {setup_s:.1f} s); "
        f"p50 claim {statistics.median(claims) * ms:.1f} ms, get {statistics.median(gets) * ms:.1f} ms, "
        f"bare {statistics.median(bares) * ms:.2f} ms",
        file=sys.stderr,
    )
    return [
        result("lead_claim_gateway_p50", statistics.median(claims) * ms, "ms", statistics.median(bares) * ms),
        result("lead_claim_gateway_p99", percentile(claims, 99) * ms, "ms", percentile(bares, 99) * ms),
        result(
            "lead_claim_gateway_p50 vs get lead", statistics.median(claims) * ms, "ms", statistics.median(gets) * ms
        ),
        result("lead_claim_gateway_p99 vs get lead", percentile(claims, 99) * ms, "ms", percentile(gets, 99) * ms),
    ]
