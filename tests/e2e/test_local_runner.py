"""The local runner as `make run` uses it: a backend process that dies is
started again and serves through the gateway while every other process
keeps running; a port chosen for the stack that another program holds does
not make the start fail."""

from __future__ import annotations

import os
import re
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from scripts.localstack import Stack
from scripts.supervisor import read_procfile
from tests.e2e.conftest import running_stack, stack_on_free_ports

PROCESSES = list(read_procfile(Path(__file__).resolve().parents[2] / "Procfile"))


def eventually(check: Callable[[], object], timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout}s")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def status(api, path: str) -> int:
    try:
        return api.get(path).status_code
    except httpx.HTTPError:
        return 0


def test_a_backend_killed_with_sigkill_comes_back_and_the_others_stay_up(stack: Stack, as_user) -> None:
    rep = as_user("zhangwei")
    assert status(rep, "/v1/leads") == 200
    pids = {name: stack.pid(name) for name in PROCESSES}
    assert all(pids.values()), pids
    killed = pids["lead-routing"]
    log_file = stack.var / "stack.log"
    before = len(log_file.read_text())

    os.kill(killed, signal.SIGKILL)
    eventually(lambda: not alive(killed), timeout=10)

    # While it is down, the gateway stays up and the other services answer through it.
    assert status(rep, "/healthz") == 200
    assert status(rep, "/v1/opportunities") == 200

    # It is started again (a new process) and serves leads through the gateway again.
    restarted = eventually(lambda: (pid := stack.pid("lead-routing")) and pid != killed and pid)
    eventually(lambda: status(rep, "/v1/leads") == 200)
    created = rep.post(
        "/v1/leads",
        json={"company_name": "嘉兴秀洲恒达织造有限公司", "phone": "13857398765", "source": "展会扫码",
              "province": "浙江省", "city": "嘉兴市", "district": "秀洲区"},
    )
    assert created.status_code == 201, created.text
    eventually(lambda: httpx.get(f"{stack.gateway_url}/readyz", timeout=5).status_code == 200)

    # No other process was stopped or restarted.
    for name, pid in pids.items():
        if name != "lead-routing":
            assert stack.pid(name) == pid and alive(pid), name
    assert alive(restarted)
    log = log_file.read_text()[before:]
    assert re.search(r"lead-routing exited \(exit code -9, killed by SIGKILL\) after [\d.]+ s; restarting in 1 s at ", log)
    assert re.search(rf"lead-routing started \(pid={restarted}\), restart \d+", log)
    assert [line for line in log.splitlines() if " exited (" in line and "lead-routing exited" not in line] == []


@pytest.mark.timeout(420)
def test_a_busy_port_chosen_for_the_stack_does_not_fail_the_start(tmp_path_factory: pytest.TempPathFactory) -> None:
    var = tmp_path_factory.mktemp("busy-port-stack")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        attempts: list[Stack] = []

        def make() -> Stack:
            # The first ports chosen include one that another program holds, as
            # when a parallel test binds a port between our pick and our bind.
            stack = stack_on_free_ports(var)
            if not attempts:
                stack.grpc_ports["approval"] = busy
            attempts.append(stack)
            return stack

        with running_stack(var, make) as running:
            assert len(attempts) >= 2
            assert busy not in running.ports()
            ready = httpx.get(f"{running.gateway_url}/readyz", timeout=5)
            assert ready.status_code == 200, ready.text
            log = (var / "stack.log").read_text()
            assert "approval could not bind its port on its first start" in log
            assert "starting again on other ports" in log
