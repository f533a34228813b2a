"""The local stack's supervisor with real processes: one that exits is
started again with back-off while the others keep running; stopping ends
them all; a port taken on the first start stops the stack."""

from __future__ import annotations

import asyncio
import io
import os
import re
import socket
import sys
from pathlib import Path

from scripts.supervisor import EXIT_PORT_IN_USE, Backoff, Supervisor
from tests.support.infra import eventually

PY = sys.executable
STEADY = f'exec {PY} -c "import time; print(\'up\', flush=True); time.sleep(600)"'
DIES = f'exec {PY} -c "import sys; print(\'dying\', flush=True); sys.exit(3)"'


def pid(pid_dir: Path, name: str) -> int | None:
    try:
        return int((pid_dir / f"{name}.pid").read_text())
    except (FileNotFoundError, ValueError):
        return None


def alive(process_id: int) -> bool:
    try:
        os.kill(process_id, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_process_that_exits_is_restarted_with_back_off_and_the_others_keep_running(tmp_path: Path):
    out = io.StringIO()
    supervisor = Supervisor(
        {"steady": STEADY, "dies": DIES},
        output=out,
        backoff=Backoff(first_s=0.2, factor=2, cap_s=0.8),
        pid_dir=tmp_path / "run",
        kill_wait_s=5,
    )
    running = asyncio.create_task(supervisor.run(handle_signals=False))
    steady = await eventually(lambda: pid(tmp_path / "run", "steady"))
    await eventually(lambda: out.getvalue().count("dies started") >= 4, timeout=15)
    log = out.getvalue()
    # Each exit says which process, its exit code, and when it starts again; the delays double up to the cap.
    exits = re.findall(r"dies exited \(exit code 3\) after [\d.]+ s; restarting in ([\d.]+) s at \d\d:\d\d:\d\d", log)
    assert exits[:3] == ["0.2", "0.4", "0.8"]
    assert "dies started (pid=" in log and ", restart 3" in log
    # The other process was never touched.
    assert pid(tmp_path / "run", "steady") == steady and alive(steady)
    assert "steady exited" not in log

    supervisor.stop()
    assert await asyncio.wait_for(running, 15) == 0
    assert not alive(steady)
    assert "steady stopped" in out.getvalue()
    assert not list((tmp_path / "run").glob("*.pid"))


async def test_a_port_taken_on_the_first_start_stops_the_stack_with_its_own_exit_code(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        binds = (
            f"exec {PY} -c \"import socket; s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen()\""
        )
        out = io.StringIO()
        supervisor = Supervisor({"steady": STEADY, "server": binds}, output=out, pid_dir=tmp_path / "run")
        code = await asyncio.wait_for(supervisor.run(handle_signals=False), 20)
    assert code == EXIT_PORT_IN_USE
    log = out.getvalue()
    assert "server exited (exit code 1): a port it needs is in use; stopping every process" in log
    assert "Address already in use" in log and "steady stopped" in log
    assert "restarting" not in log


async def test_a_process_named_to_stop_last_is_stopped_after_every_other(tmp_path: Path):
    # "slow" takes a second to stop; "broker" must still run until it has.
    slow = (
        f"exec {PY} -c \"import signal, sys, time; "
        "signal.signal(signal.SIGTERM, lambda *a: (time.sleep(1), print('slow done', flush=True), sys.exit(0))); "
        "print('up', flush=True); time.sleep(600)\""
    )
    out = io.StringIO()
    supervisor = Supervisor(
        {"broker": STEADY, "slow": slow}, output=out, pid_dir=tmp_path / "run", stop_last=frozenset({"broker"})
    )
    running = asyncio.create_task(supervisor.run(handle_signals=False))
    await eventually(lambda: out.getvalue().count("| up") == 2)
    supervisor.stop()
    assert await asyncio.wait_for(running, 15) == 0
    log = out.getvalue()
    assert log.index("slow stopped") < log.index("sending SIGTERM to broker") < log.index("broker stopped")
