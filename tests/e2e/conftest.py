"""The whole system as `make run` starts it: NATS and every service as its
own process from the Procfile under the stack's supervisor, on free ports
(started again on new ones if a port is taken before a process binds it),
data in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from scripts.localstack import Stack, start_stack, token
from tests.e2e.rollout import rollout  # noqa: F401 - the replicated stack the rolling-restart and drill tests share
from tests.support.infra import free_port


def stack_on_free_ports(var: Path, pick: Callable[[], int] = free_port) -> Stack:
    defaults = Stack(var=var)
    return Stack(
        var=var,
        nats_port=pick(),
        http_port=pick(),
        web_port=pick(),
        grpc_ports={name: pick() for name in defaults.grpc_ports},
        metrics_ports={name: pick() for name in defaults.metrics_ports},
        clock_offset_file=var / "clock-offset",
        # Deadlines and timers are checked every second so moving the clock shows quickly.
        extra_env={
            "LEAD_ROUTING_SLA_CHECK_INTERVAL_S": "1",
            # The protection window of deal registrations: reminders and lapses.
            "LEAD_ROUTING_PROTECTION_CHECK_INTERVAL_S": "1",
            "OPPORTUNITY_TIMER_INTERVAL_S": "1",
            # The overdue follow-ups (the access walk's owner gets a task on a red instalment).
            "FINANCE_RECONCILIATION_FOLLOW_UP_INTERVAL_S": "1",
        },
    )


@contextmanager
def running_stack(var: Path, make: Callable[[], Stack]) -> Iterator[Stack]:
    Stack(var=var).migrate()  # the databases under var/ do not depend on the ports
    log = var / "stack.log"
    try:
        running, proc = start_stack(make, log_file=log)
    except BaseException:
        print(log.read_text()[-5000:] if log.exists() else "no output")
        raise
    try:
        yield running
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("stack")
    with running_stack(var, lambda: stack_on_free_ports(var)) as running:
        yield running


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


# Tests that leave the shared stack changed in ways others would notice run last, in this order: the
# partner isolation walk and the every-route access walk add a second team and reps (so a reclaimed lead may be
# routed outside the first team), the signals flow moves the clock two days ahead (later tests take their dates from
# the wall clock) after saving the signal settings it needs over the walks', and the fuzzer writes whatever it generates.
RUN_LAST = ("test_partner_isolation.py", "test_access_every_route.py", "test_signals_flow.py", "test_fuzz.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return RUN_LAST.index(name) + 1 if item.path.parent == Path(__file__).parent and name in RUN_LAST else 0

    items.sort(key=rank)  # stable: every other test keeps its place
