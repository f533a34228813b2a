"""The web console's pages against a stack holding 10,000 leads and 2,000
opportunities: server time p95 per page (target under 150 ms) and how many
KB each page sends (paged lists: a page over 300 KB is flagged).

The whole stack on free ports, the web console included; the demo data
first (its pipeline), then through the public REST API only: 10,000 leads in
two 5,000-row CSV imports by the manager wangqiang (routed; most stay in
the pool: a rep holds at most his capacity, 30) and 2,000 opportunities of zhangwei
in the demo pipeline (8 threads). Each user signs in to the console through
the real flow (tests/browser/conftest.py signed_in_client).

Per page, as the role that uses it: 5 warm-up requests, then 60 sequential
ones, each followed by the gateway GET that page's data needs most (the
baseline, interleaved so load on the machine weighs on both alike). The
time is the round trip on loopback, an upper bound of the server's time;
the console's own crm_web_page_seconds histogram for the same route is read
from its /metrics before and after as a check (its p95 is a bucket's bound)."""

from __future__ import annotations

import csv
import io
import math
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from bench.imports import company
from bench.intake import backend, local_stack, result
from scripts.localstack import Stack, load_demo, token
from tests.browser.conftest import signed_in_client

N_LEADS, N_OPPORTUNITIES, FILE_ROWS = 10_000, 2_000, 5_000
WARM_UP, RUNS = 5, 60
TARGET_MS, HEAVY_KB = 150.0, 300.0
REP, MANAGER, FINANCE, PARTNER = "zhangwei", "wangqiang", "liufang", "zhaolei"
DISTRICTS = ["柯桥区", "越城区", "上虞区", "诸暨市"]


@dataclass
class Page:
    name: str
    user: str
    path: str  # the console's
    route: str  # its route template, the histogram's label
    baseline: str  # the gateway GET its data needs most
    params: dict[str, str] = field(default_factory=dict)  # the baseline's
    htmx: bool = False  # a section fragment, asked for as htmx asks


def lead_csv(importer: int) -> bytes:
    """FILE_ROWS new companies of 绍兴 (distinct phones; names without running numbers, whose shared
    digits would make the duplicate test merge them), as a CSV file."""
    rng = random.Random(100 + importer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["公司名称", "电话", "地址", "来源", "行业标签", "预算"])
    for i in range(FILE_ROWS):
        district = DISTRICTS[i % len(DISTRICTS)]
        writer.writerow([
            f"{company(rng)}{company(rng)[:2]}有限公司", f"139{importer}{i:07d}", f"浙江省绍兴市{district}{rng.randint(1, 999)}号",
            "展会扫码", "纺织机械", str(rng.randint(1, 500) * 1000),
        ])
    return out.getvalue().encode()


def seed(stack: Stack) -> dict[str, str]:
    """The demo data, the leads and the opportunities; the ids the pages need."""
    base = stack.gateway_url
    started = time.perf_counter()
    load_demo(stack)
    headers = {u: {"Authorization": f"Bearer {token(base, u)}"} for u in (REP, MANAGER)}
    accepted = 0
    # By the manager: a rep's import is his own leads, refused past his capacity (30).
    for k in range(math.ceil(N_LEADS / FILE_ROWS)):
        reply = httpx.post(f"{base}/v1/leads/import", files={"file": (f"leads-{k}.csv", lead_csv(k), "text/csv")},
                           headers=headers[MANAGER], timeout=600)
        reply.raise_for_status()
        body = reply.json()
        accepted += body["accepted"]
        print(f"web: import {k}: accepted {body['accepted']}, merged {body['merged']}, "
              f"rejected {body['rejected']}", file=sys.stderr)
    leads_s = time.perf_counter() - started
    pipelines = httpx.get(f"{base}/v1/pipelines", headers=headers[MANAGER], timeout=10).json()["pipelines"]
    pipeline_id = pipelines[0]["pipeline_id"]

    def create(i: int) -> None:
        rng = random.Random(i)
        body = {"customer_name": f"绍兴{company(rng)}{company(rng)[:2]}纺织有限公司", "name": f"织机改造 第{i}期",
                "amount": {"amount_minor": (i % 97 + 1) * 1_000_000, "currency": "CNY"}, "pipeline_id": pipeline_id}
        httpx.post(f"{base}/v1/opportunities", json=body, headers=headers[REP], timeout=60).raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(create, range(N_OPPORTUNITIES)))
    print(f"web: seeded {accepted} leads in {leads_s:.1f}s, {N_OPPORTUNITIES} opportunities in "
          f"{time.perf_counter() - started - leads_s:.1f}s", file=sys.stderr)
    customers = httpx.get(f"{base}/v1/customers", params={"owner_id": REP, "page_size": 200},
                          headers=headers[REP], timeout=10).json()["customers"]
    # The demo's customer: an opportunity with a proposal document, so its sections have rows.
    chosen = next((c for c in customers if "恒盛" in c.get("name", "")), customers[0])
    return {"pipeline_id": pipeline_id, "customer_id": chosen["customer_id"]}


def pages(ids: dict[str, str]) -> list[Page]:
    cid, pid = ids["customer_id"], ids["pipeline_id"]
    customer = f"/customers/{cid}"
    out = [
        Page("home", REP, "/", "/", "/healthz"),
        Page("leads", REP, "/leads", "/leads", "/v1/leads", {"page_size": "20"}),
        Page("pool", REP, "/pool", "/pool", "/v1/pool", {"page_size": "20"}),
        Page("tasks", REP, "/tasks", "/tasks", "/v1/tasks", {"owner_id": REP}),
        Page("board", MANAGER, f"/board?pipeline_id={pid}", "/board", "/v1/board", {"pipeline_id": pid}),
        Page("dashboard", MANAGER, "/dashboard", "/dashboard", "/v1/board", {"pipeline_id": pid}),
        Page("customers", REP, "/customers", "/customers", "/v1/customers", {"page_size": "20"}),
        Page("customer", REP, customer, "/customers/{customer_id}", f"/v1/customers/{cid}"),
    ]
    sections = {
        "contacts": (f"/v1/customers/{cid}/contacts", {}),
        "notes": (f"/v1/customers/{cid}/notes", {}),
        "activities": (f"/v1/customers/{cid}/activities", {}),
        "documents": ("/v1/opportunities", {"customer_id": cid, "page_size": "50"}),
        "approvals": ("/v1/opportunities", {"customer_id": cid, "page_size": "50"}),
        "payments": (f"/v1/customers/{cid}/payment-stats", {}),
    }
    out += [Page(f"customer_{s}", REP, f"{customer}/{s}", f"/customers/{{customer_id}}/{s}", path, params, htmx=True)
            for s, (path, params) in sections.items()]
    return out + [
        Page("approvals", MANAGER, "/approvals", "/approvals", "/v1/approval-inbox", {"page_size": "50"}),
        Page("routing", MANAGER, "/routing", "/routing", "/v1/routing/active"),
        Page("finance_aging", FINANCE, "/finance/aging", "/finance/aging", "/v1/finance/aging", {"page_size": "50"}),
        Page("partner_registrations", PARTNER, "/partner/registrations", "/partner/registrations",
             "/v1/partner/registrations", {"page_size": "20"}),
    ]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def histogram(metrics: str, route: str) -> dict[float, float]:
    """Cumulative bucket counts of crm_web_page_seconds for the route (status 200), by upper bound."""
    out: dict[float, float] = {}
    for line in metrics.splitlines():
        if line.startswith("crm_web_page_seconds_bucket{") and f'route="{route}"' in line and 'status="200"' in line:
            le = line.split('le="', 1)[1].split('"', 1)[0]
            out[float(le)] = out.get(float(le), 0.0) + float(line.rsplit(" ", 1)[1])
    return out


def bucket_p95(before: dict[float, float], after: dict[float, float]) -> float:
    """The upper bound of the bucket holding the 95th percentile of the requests between the two reads, in ms."""
    delta = {le: after.get(le, 0.0) - before.get(le, 0.0) for le in after}
    total = delta.get(math.inf, 0.0)
    for le in sorted(delta):
        if total and delta[le] >= 0.95 * total:
            return le * 1000
    return math.nan


def measure(console: httpx.Client, gateway: httpx.Client, web_url: str, page: Page) -> dict:
    headers = {"HX-Request": "true"} if page.htmx else {}
    for _ in range(WARM_UP):
        console.get(page.path, headers=headers).raise_for_status()
        gateway.get(page.baseline, params=page.params).raise_for_status()
    before = histogram(httpx.get(f"{web_url}/metrics", timeout=10).text, page.route)
    web, base, size = [], [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        reply = console.get(page.path, headers=headers)
        web.append(time.perf_counter() - started)
        reply.raise_for_status()
        assert "/login" not in str(reply.url), f"{page.name}: signed out"
        size = len(reply.content)
        started = time.perf_counter()
        gateway.get(page.baseline, params=page.params).raise_for_status()
        base.append(time.perf_counter() - started)
    after = histogram(httpx.get(f"{web_url}/metrics", timeout=10).text, page.route)
    return {"web": p95(web) * 1000, "base": p95(base) * 1000, "hist": bucket_p95(before, after), "kb": size / 1024,
            "p50": statistics.median(web) * 1000}


def bench_web() -> list[dict]:
    out: list[dict] = []
    with local_stack() as stack:
        ids = seed(stack)
        base = stack.gateway_url
        consoles = {u: signed_in_client(stack.web_url, u)[0] for u in (REP, MANAGER, FINANCE, PARTNER)}
        gateways = {u: httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token(base, u)}"}, timeout=30)
                    for u in consoles}
        try:
            for page in pages(ids):
                m = measure(consoles[page.user], gateways[page.user], stack.web_url, page)
                flags = [f for f, bad in (("OVER 150 ms", m["web"] >= TARGET_MS), ("OVER 300 KB", m["kb"] > HEAVY_KB))
                         if bad]
                print(f"web {page.name:<24} {page.user:<9} p95 {m['web']:7.1f} ms (p50 {m['p50']:6.1f}; histogram "
                      f"≤{m['hist']:.0f} ms)  gateway {page.baseline} p95 {m['base']:6.1f} ms  {m['kb']:7.1f} KB  "
                      + " ".join(flags), file=sys.stderr)
                out += [
                    result(f"web_{backend()}_{page.name}_p95", m["web"], "ms", m["base"]),
                    result(f"web_{backend()}_{page.name}_kb", m["kb"], "KB", HEAVY_KB),
                ]
        finally:
            for c in [*consoles.values(), *gateways.values()]:
                c.close()
    with open("/proc/loadavg") as f:
        print(f"web: load average {f.read().strip()}", file=sys.stderr)
    return out
