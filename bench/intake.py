"""Lead intake through the gateway (POST -> gRPC -> commit -> outbox ->
JetStream) against a bare FastAPI endpoint, same load, same run, at 8 and
32 clients. BENCH_POSTGRES=1 runs the services on fresh PostgreSQL databases."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.load import LoadResult, run_load
from scripts.localstack import Stack, postgres_databases, start_stack, token
from tests.support.infra import free_port, wait_port

CLIENTS = tuple(int(n) for n in os.environ.get("BENCH_CLIENTS", "8,32").split(","))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
POSTGRES = os.environ.get("BENCH_POSTGRES") == "1"


def lead_body(i: int) -> dict:
    return {"company_name": f"压测客户{i}有限公司", "phone": f"1380013{i % 10000:04d}", "source": "网站表单"}


def measure(url: str, headers: dict[str, str], clients: int) -> LoadResult:
    asyncio.run(run_load(url, lead_body, headers=headers, concurrency=clients, duration=1.0))  # warm-up
    return asyncio.run(run_load(url, lead_body, headers=headers, concurrency=clients, duration=DURATION))


def result(name: str, value: float, unit: str, baseline: float) -> dict:
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": value / baseline if baseline else 0.0,
    }


def backend() -> str:
    """Which database the services ran on, for a result's name."""
    return "postgres" if POSTGRES else "sqlite"


@contextmanager
def local_stack(seed: Callable[[Stack], None] | None = None, **extra_env: str) -> Iterator[Stack]:
    """The whole stack (scripts/localstack.py) on free ports in a temporary
    directory, migrated and ready (on fresh PostgreSQL databases with
    BENCH_POSTGRES=1); seed(stack) fills its databases before it starts;
    stopped on exit."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as cleanup:
        urls = cleanup.enter_context(postgres_databases("bench")) if POSTGRES else {}
        defaults = Stack(var=Path(tmp), database_urls=urls, extra_env=dict(extra_env))
        defaults.migrate()
        if seed is not None:
            seed(defaults)
        # Started again on new ports if one picked is taken before its process binds it.
        stack, proc = start_stack(lambda: defaults.with_ports(free_port), log_file=Path(tmp) / "stack.log")
        try:
            yield stack
        finally:
            proc.terminate()
            proc.wait(30)


@contextmanager
def bare_endpoint() -> Iterator[str]:
    """bench/bare_app.py under uvicorn, as the gateway is served: its intake URL."""
    port = free_port()
    bare = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port), "--log-level", "warning"]
    )
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}/v1/leads"
    finally:
        bare.terminate()
        bare.wait(10)


def bench_lead_intake() -> list[dict]:
    out: list[dict] = []
    with local_stack() as stack, bare_endpoint() as bare_url:
        headers = {"Authorization": f"Bearer {token(stack.gateway_url, 'zhangwei')}"}
        for clients in CLIENTS:
            # Bare and gateway back to back at each load, so both see the machine alike.
            base = measure(bare_url, {}, clients)
            crm = measure(f"{stack.gateway_url}/v1/leads", headers, clients)
            assert crm.errors == 0, f"{crm.errors} intake requests failed"
            published = wait_published(stack, headers)  # background work drained before the next load
            print(
                f"intake {clients} clients ({backend()}): {crm.requests} leads in {crm.seconds:.1f}s, "
                f"{published} published; bare: {base.requests}",
                file=sys.stderr,
            )
            name = f"lead_intake_{backend()}_{clients}c"
            out += [
                result(f"{name}_throughput", crm.throughput, "req/s", base.throughput),
                result(f"{name}_p50", crm.p50 * 1000, "ms", base.p50 * 1000),
                result(f"{name}_p99", crm.percentile(99) * 1000, "ms", base.percentile(99) * 1000),
            ]
    return out


def wait_published(stack: Stack, headers: dict[str, str]) -> str:
    """Wait until lead-routing's outbox is empty (every intake reached JetStream)."""
    url = f"http://127.0.0.1:{stack.metrics_ports['lead-routing']}/metrics"
    deadline = time.monotonic() + 120
    depth = "?"
    while time.monotonic() < deadline:
        for line in httpx.get(url, timeout=5).text.splitlines():
            if line.startswith("crm_outbox_depth{"):
                depth = line.rsplit(" ", 1)[1]
        if depth == "0.0":
            return "all"
        time.sleep(0.5)
    return f"outbox depth still {depth}"
