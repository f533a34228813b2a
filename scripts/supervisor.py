"""The process supervisor of the local stack (`make run`, the end-to-end
tests): runs every process of a Procfile, prints their output with a
time and name prefix, and restarts a process that exits, as Kubernetes
restarts a container, while the others keep running.

Restarts back off: 1 s after the first exit, then 2, 4, 8, 16 and 30 s at
most between two starts, without giving up (a process that keeps failing
is retried every 30 s until it starts or the stack is stopped). A process
that ran 60 s or more before it exited counts as having run well: its next
restart is again after 1 s. Every exit is logged with the process, its exit
code (or signal) and when it restarts.

A process that cannot bind its port on its first start (another program has
it) stops the whole stack with exit code 75: waiting would not free the
port, and the caller can start again on other ports. The same failure on a
restart is an ordinary exit and is retried.

SIGINT or SIGTERM stops every process (SIGTERM, then SIGKILL after 10 s),
those named with --stop-last (NATS) once all the others have stopped;
another one a second or more later kills them at once. Each process runs in a session of its
own so a Ctrl-C in the terminal reaches only the supervisor, and on Linux
each is told to stop when the supervisor dies.

Usage: python scripts/supervisor.py --procfile Procfile [--cwd DIR] [--pid-dir DIR] [--stop-last NAME]
                                   [--scale NAME=N] [--process-env FILE]
The environment is passed to every process; --pid-dir holds <name>.pid
while a process runs. --scale runs N replicas of a Procfile process, named
<name>-1 .. <name>-N (each restarted on its own); --process-env is a JSON
file {"<process>": {"VAR": "value"}} of variables one process gets on top
of the environment (each replica's own ports)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import datetime
import json
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from honcho.colour import get_colours
from honcho.environ import parse_procfile
from honcho.printer import Message, Printer

EXIT_PORT_IN_USE = 75  # EX_TEMPFAIL: start again, on other ports
SYSTEM = "system"
# What gRPC, uvicorn, prometheus_client (OSError 98) and nats-server print when the port is taken.
BIND_FAILURE = re.compile(r"address already in use|failed to bind", re.IGNORECASE)


@dataclass(frozen=True)
class Backoff:
    """When a process that exited starts again."""

    first_s: float = 1.0
    factor: float = 2.0
    cap_s: float = 30.0
    # A process that ran this long before it exited had been running well.
    healthy_after_s: float = 60.0

    def failures(self, previous: int, ran_s: float) -> int:
        """Exits in a row after one more exit of a process that ran ran_s seconds."""
        return 1 if ran_s >= self.healthy_after_s else previous + 1

    def delay(self, failures: int) -> float:
        """Seconds between the n-th exit in a row (n >= 1) and the next start."""
        return min(self.cap_s, self.first_s * self.factor ** max(failures - 1, 0))


def describe_exit(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"exit code {code}, killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _die_with_parent_hook() -> Callable[[], None] | None:
    """On Linux, a child asks the kernel for SIGTERM when the supervisor dies
    (even by SIGKILL), so no service is left holding a port."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return hook


class Supervisor:
    def __init__(
        self,
        processes: dict[str, str],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        output: TextIO = sys.stdout,
        backoff: Backoff = Backoff(),
        pid_dir: Path | None = None,
        kill_wait_s: float = 10.0,
        stop_last: frozenset[str] = frozenset(),
        process_env: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.processes = processes
        # Variables one process gets on top of `env` (a replica's own ports).
        self.process_env = process_env or {}
        # Stopped only once every other process has stopped (e.g. NATS, which the others drain into).
        self.stop_last = stop_last
        self.others_stopped = asyncio.Event()
        self.env = env
        self.cwd = cwd
        self.backoff = backoff
        self.pid_dir = pid_dir
        self.kill_wait_s = kill_wait_s
        self.printer = Printer(output, width=max(len(name) for name in [SYSTEM, *processes]))
        self.colours = dict(zip(processes, get_colours(), strict=False))
        self.children: dict[str, asyncio.subprocess.Process] = {}
        self.stopping = asyncio.Event()
        self.port_in_use: str | None = None
        self._first_signal: float | None = None
        self._preexec = _die_with_parent_hook()

    def say(self, text: str, name: str = SYSTEM) -> None:
        self.printer.write(Message("line", text, datetime.datetime.now(), name, self.colours.get(name)))

    async def run(self, handle_signals: bool = True) -> int:
        """Until stop() or SIGINT/SIGTERM: 0, or EXIT_PORT_IN_USE."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM) if handle_signals else ():
            loop.add_signal_handler(sig, self._on_signal, sig)
        if self.pid_dir:
            self.pid_dir.mkdir(parents=True, exist_ok=True)
        keepers = {name: asyncio.create_task(self._keep(name, cmd), name=name) for name, cmd in self.processes.items()}
        await asyncio.gather(*(task for name, task in keepers.items() if name not in self.stop_last))
        self.others_stopped.set()
        await asyncio.gather(*keepers.values())
        if self.port_in_use:
            self.say(f"stopped: {self.port_in_use}")
            return EXIT_PORT_IN_USE
        return 0

    def stop(self) -> None:
        self.stopping.set()

    def _on_signal(self, sig: signal.Signals) -> None:
        now = asyncio.get_running_loop().time()
        if self._first_signal is None:
            self._first_signal = now
            self.say(f"{sig.name} received, stopping every process")
            self.stop()
            return
        # A Ctrl-C reaches both `make run` and the supervisor, and the runner
        # passes it on: only a signal a second later means "kill them now".
        if now - self._first_signal < 1.0:
            return
        for name, child in list(self.children.items()):
            self.say(f"sending SIGKILL to {name} (pid {child.pid})")
            self._send(child, signal.SIGKILL)

    @staticmethod
    def _send(child: asyncio.subprocess.Process, sig: signal.Signals) -> None:
        # Each child leads its own process group (start_new_session).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, sig)

    def _env_of(self, name: str) -> dict[str, str] | None:
        extra = self.process_env.get(name)
        if not extra:
            return self.env
        return {**(os.environ if self.env is None else self.env), **extra}

    def _pid_file(self, name: str) -> Path | None:
        return self.pid_dir / f"{name}.pid" if self.pid_dir else None

    async def _keep(self, name: str, cmd: str) -> None:
        """Run one process until the stack stops, starting it again after each exit."""
        loop = asyncio.get_running_loop()
        starts = failures = 0
        while not self.stopping.is_set():
            started = loop.time()
            child = await asyncio.create_subprocess_shell(
                cmd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                env=self._env_of(name),
                cwd=self.cwd,
                start_new_session=True,
                preexec_fn=self._preexec,
                limit=1 << 20,
            )
            starts += 1
            self.children[name] = child
            pid_file = self._pid_file(name)
            if pid_file:
                pid_file.write_text(f"{child.pid}\n")
            self.say(f"{name} started (pid={child.pid})" + (f", restart {starts - 1}" if starts > 1 else ""))
            tail: deque[str] = deque(maxlen=40)
            code = await self._wait(name, child, tail)
            del self.children[name]
            if pid_file:
                with contextlib.suppress(FileNotFoundError):
                    pid_file.unlink()
            ran = loop.time() - started
            if self.stopping.is_set():
                self.say(f"{name} stopped ({describe_exit(code)})")
                return
            busy = next((line for line in tail if BIND_FAILURE.search(line)), None)
            if starts == 1 and busy:
                self.port_in_use = f"{name} could not bind its port on its first start: {busy.strip()}"
                self.say(f"{name} exited ({describe_exit(code)}): a port it needs is in use; stopping every process")
                self.stop()
                return
            failures = self.backoff.failures(failures, ran)
            delay = self.backoff.delay(failures)
            at = datetime.datetime.now() + datetime.timedelta(seconds=delay)
            self.say(
                f"{name} exited ({describe_exit(code)}) after {ran:.1f} s; "
                f"restarting in {delay:g} s at {at:%H:%M:%S} ({failures} in a row)"
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), timeout=delay)

    async def _wait(self, name: str, child: asyncio.subprocess.Process, tail: deque[str]) -> int:
        """Print the child's output until it exits; stop it when the stack stops."""
        assert child.stdout
        pump = asyncio.create_task(self._pump(name, child.stdout, tail))
        exited = asyncio.create_task(child.wait())
        stopping = asyncio.create_task(self.stopping.wait())
        try:
            await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not exited.done() and name in self.stop_last:
                others = asyncio.create_task(self.others_stopped.wait())
                await asyncio.wait({exited, others}, return_when=asyncio.FIRST_COMPLETED)
                others.cancel()
            if not exited.done():
                self.say(f"sending SIGTERM to {name} (pid {child.pid})")
                self._send(child, signal.SIGTERM)
                try:
                    await asyncio.wait_for(asyncio.shield(exited), timeout=self.kill_wait_s)
                except TimeoutError:
                    self.say(f"{name} still running after {self.kill_wait_s:g} s: sending SIGKILL (pid {child.pid})")
                    self._send(child, signal.SIGKILL)
            code = await exited
        finally:
            stopping.cancel()
        # The last lines (a grandchild could hold the pipe open: do not wait for ever).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(pump, timeout=2)
        return code

    async def _pump(self, name: str, stream: asyncio.StreamReader, tail: deque[str]) -> None:
        while True:
            try:
                raw = await stream.readline()
            except ValueError:  # a line longer than the limit: take what is there
                raw = await stream.read(1 << 20)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\n")
            tail.append(line)
            self.say(line, name)


def read_procfile(path: Path) -> dict[str, str]:
    return dict(parse_procfile(path.read_text()).processes)


def scale(processes: dict[str, str], replicas: dict[str, int]) -> dict[str, str]:
    """The processes with `replicas[name]` copies of each one named there
    (<name>-1 .. <name>-N when N > 1), in the Procfile's order."""
    unknown = set(replicas) - set(processes)
    if unknown:
        raise ValueError(f"no such process in the Procfile: {', '.join(sorted(unknown))}")
    scaled: dict[str, str] = {}
    for name, cmd in processes.items():
        count = replicas.get(name, 1)
        if count < 1:
            raise ValueError(f"{name}: replicas must be 1 or more, not {count}")
        if count == 1:
            scaled[name] = cmd
        else:
            scaled.update({f"{name}-{n}": cmd for n in range(1, count + 1)})
    return scaled


def _replicas(value: str) -> tuple[str, int]:
    name, sep, count = value.partition("=")
    if not sep or not count.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not NAME=N")
    return name, int(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procfile", type=Path, required=True)
    parser.add_argument("--cwd", type=Path, default=None)
    parser.add_argument("--pid-dir", type=Path, default=None)
    parser.add_argument("--stop-last", action="append", default=[], help="a process stopped after all the others")
    parser.add_argument("--scale", action="append", type=_replicas, default=[], help="NAME=N: N replicas of NAME")
    parser.add_argument("--process-env", type=Path, default=None, help="JSON {process: {VAR: value}}")
    args = parser.parse_args(argv)
    process_env = json.loads(args.process_env.read_text()) if args.process_env else {}
    supervisor = Supervisor(
        scale(read_procfile(args.procfile), dict(args.scale)),
        env=dict(os.environ),
        cwd=args.cwd,
        pid_dir=args.pid_dir,
        stop_last=frozenset(args.stop_last),
        process_env=process_env,
    )
    return asyncio.run(supervisor.run())


if __name__ == "__main__":
    sys.exit(main())
