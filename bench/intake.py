"""Lead intake through the gateway (POST -> gRPC -> commit -> outbox ->
JetStream) against a bare FastAPI endpoint, same load, same run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.load import LoadResult, run_load
from scripts.localstack import Stack, start_stack, token
from tests.support.infra import free_port, wait_port

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))


def lead_body(i: int) -> dict:
    return {"company_name": f"压测客户{i}有限公司", "phone": f"1380013{i % 10000:04d}", "source": "网站表单"}


def measure(url: str, headers: dict[str, str]) -> LoadResult:
    asyncio.run(run_load(url, lead_body, headers=headers, concurrency=CONCURRENCY, duration=1.0))  # warm-up
    return asyncio.run(run_load(url, lead_body, headers=headers, concurrency=CONCURRENCY, duration=DURATION))


def result(name: str, value: float, unit: str, baseline: float) -> dict:
    return {"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": value / baseline if baseline else 0.0}


@contextmanager
def local_stack(**extra_env: str) -> Iterator[Stack]:
    """The whole stack (scripts/localstack.py) on free ports in a temporary
    directory, migrated and ready; stopped on exit."""
    with tempfile.TemporaryDirectory() as tmp:
        defaults = Stack(var=Path(tmp))

        def on_free_ports() -> Stack:
            return Stack(
                var=Path(tmp),
                nats_port=free_port(),
                http_port=free_port(),
                grpc_ports={name: free_port() for name in defaults.grpc_ports},
                metrics_ports={name: free_port() for name in defaults.metrics_ports},
                extra_env=dict(extra_env),
            )

        defaults.migrate()
        # Started again on new ports if one picked is taken before its process binds it.
        stack, proc = start_stack(on_free_ports, log_file=Path(tmp) / "stack.log")
        try:
            yield stack
        finally:
            proc.terminate()
            proc.wait(30)


def bench_lead_intake() -> list[dict]:
    with local_stack() as stack:
        bare_port = free_port()
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(bare_port), "--log-level", "warning"]
        )
        try:
            wait_port(bare_port)
            headers = {"Authorization": f"Bearer {token(stack.gateway_url, 'zhangwei')}"}
            base = measure(f"http://127.0.0.1:{bare_port}/v1/leads", {})
            crm = measure(f"{stack.gateway_url}/v1/leads", headers)
            assert crm.errors == 0, f"{crm.errors} intake requests failed"
            published = wait_published(stack, headers)
        finally:
            bare.terminate()
            bare.wait(10)
    print(f"intake: {crm.requests} leads in {crm.seconds:.1f}s, {published} published; bare: {base.requests}", file=sys.stderr)
    return [
        result("lead_intake_gateway_throughput", crm.throughput, "req/s", base.throughput),
        result("lead_intake_gateway_p50", crm.p50 * 1000, "ms", base.p50 * 1000),
        result("lead_intake_gateway_p99", crm.percentile(99) * 1000, "ms", base.percentile(99) * 1000),
    ]


def wait_published(stack: Stack, headers: dict[str, str]) -> str:
    """Wait until lead-routing's outbox is empty (every intake reached JetStream)."""
    url = f"http://127.0.0.1:{stack.metrics_ports['lead-routing']}/metrics"
    deadline = time.monotonic() + 60
    depth = "?"
    while time.monotonic() < deadline:
        for line in httpx.get(url, timeout=5).text.splitlines():
            if line.startswith("crm_outbox_depth{"):
                depth = line.rsplit(" ", 1)[1]
        if depth == "0.0":
            return "all"
        time.sleep(1)
    return f"outbox depth still {depth}"
