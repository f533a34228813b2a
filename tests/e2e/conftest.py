"""The whole system as `make run` starts it: NATS and every service as its
own process from the Procfile, on free ports, data in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.localstack import Stack, token
from tests.support.infra import free_port


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("stack")
    defaults = Stack(var=var)
    running = Stack(
        var=var,
        nats_port=free_port(),
        http_port=free_port(),
        grpc_ports={name: free_port() for name in defaults.grpc_ports},
        metrics_ports={name: free_port() for name in defaults.metrics_ports},
        clock_offset_file=var / "clock-offset",
        # Deadlines and timers are checked every second so moving the clock shows quickly.
        extra_env={
            "LEAD_ROUTING_SLA_CHECK_INTERVAL_S": "1",
            "OPPORTUNITY_TIMER_INTERVAL_S": "1",
        },
    )
    running.migrate()
    log = var / "stack.log"
    proc = running.start(log_file=log)
    try:
        running.wait_ready(proc)
    except BaseException:
        proc.terminate()
        print(Path(log).read_text()[-5000:])
        raise
    yield running
    proc.terminate()
    proc.wait(30)


class Api:
    """An authenticated client of the gateway for one demo user."""

    def __init__(self, stack: Stack, username: str) -> None:
        self.client = httpx.Client(
            base_url=stack.gateway_url,
            headers={"Authorization": f"Bearer {token(stack.gateway_url, username)}"},
            timeout=15,
        )

    def __getattr__(self, name: str):
        return getattr(self.client, name)


@pytest.fixture(scope="session")
def as_user(stack: Stack):
    cache: dict[str, Api] = {}

    def get(username: str) -> Api:
        if username not in cache:
            cache[username] = Api(stack, username)
        return cache[username]

    return get


@pytest.fixture(scope="session")
def advance_clock(stack: Stack):
    """Move every process's clock forward (cumulative), e.g. past a deadline."""
    offset = {"s": 0.0}

    def advance(seconds: float) -> None:
        assert stack.clock_offset_file
        offset["s"] += seconds
        stack.clock_offset_file.write_text(str(offset["s"]))

    return advance
