"""What the rolling-restart and failure-drill tests share: one stack of two
replicas of every deployable on PostgreSQL (started once for both), a client
that balances over the gateway replicas as a load balancer would, bursts of
leads under an Idempotency-Key each, restarting or killing one replica and
waiting until it is back and ready, and counting what a burst caused.

The load balancer: each request goes to the next gateway replica; one that
could not be sent or got no response at all (connection refused, reset or
closed before the answer) is sent to the other replica with the same
Idempotency-Key, as Envoy's `retry_on: connect-failure,reset` or nginx's
`proxy_next_upstream error` (with `non_idempotent`, safe here because the key
makes the gateway run a request once) do. An HTTP answer, any status, is
passed to the client as it is: the client sees every 5xx."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import asyncpg
import grpc
import httpx
import pytest
from crm_shared.deployables import BACKENDS, GATEWAY, WITH_DATABASE
from crm_shared.events import subject_for
from grpc_health.v1 import health_pb2, health_pb2_grpc

from scripts.localstack import Instance, Stack, postgres_databases, start_stack, token
from tests.support import replicated
from tests.support.infra import free_port
from tests.support.replicated import eventually, postgres

# The gateway and every backend; the web console runs once and is not restarted: the bursts go
# through the gateways, and it keeps nothing of its own (sessions live in cookies) that a restart
# could lose or do twice.
REPLICAS = {d.name: 2 for d in WITH_DATABASE}
MANAGER = "wangqiang"  # a manager's leads go to the pool: no owner, no capacity to run out of
# Tries of one request across the gateway replicas (the balancer's), and how long it keeps at one.
BALANCER_TRIES = 6
BALANCER_DEADLINE_S = 60.0
ROLLOUT_ENV = {
    # A request left unfinished by a killed gateway may be taken over after this long (default 120 s).
    "GATEWAY_IDEMPOTENCY_LOCK_S": "15",
    # A backend replica told to stop reports NOT_SERVING, and its callers' channels (health-checking
    # it) stop sending it calls, for this long before it refuses new ones.
    **{f"{b.env_prefix}_DRAIN_DELAY_S": "1" for b in BACKENDS},
}


@dataclass
class Rollout:
    stack: Stack
    urls: dict[str, str]  # deployable -> its PostgreSQL database
    burst: int = 0  # bursts so far, so each burst's phones are its own


@pytest.fixture(scope="session")
def rollout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rollout]:
    server = postgres()
    if server is None:
        pytest.skip("no PostgreSQL server answers (TEST_DATABASE_URL or CRM_POSTGRES_SERVER)")
    var = tmp_path_factory.mktemp("rollout")
    log = var / "stack.log"
    with postgres_databases("rollout", server) as urls:
        base = Stack(var=var, replicas=REPLICAS, database_urls=urls, extra_env=ROLLOUT_ENV)
        base.migrate()
        try:
            stack, proc = start_stack(lambda: base.with_ports(free_port), log_file=log, timeout=180)
        except BaseException:
            print(log.read_text()[-5000:] if log.exists() else "no output")
            raise
        try:
            yield Rollout(stack, urls)
        finally:
            proc.terminate()
            proc.wait(60)


def query(r: Rollout, service: str, sql: str, *args: object) -> list[asyncpg.Record]:
    return replicated.query(r.urls, service, sql, *args)


def count(r: Rollout, service: str, sql: str, *args: object) -> int:
    return replicated.count(r.urls, service, sql, *args)


def settled(r: Rollout) -> bool:
    """Every outbox row published and every durable consumer with nothing pending or unacked."""
    return replicated.settled(r.stack, r.urls)


def is_ready(stack: Stack, instance: Instance) -> bool:
    """A gateway replica's /readyz answers 200, a backend replica's gRPC health SERVING."""
    if instance.deployable is GATEWAY:
        try:
            return httpx.get(f"http://127.0.0.1:{instance.http_port}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    with grpc.insecure_channel(f"127.0.0.1:{instance.grpc_port}") as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        except grpc.RpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def replace_replica(stack: Stack, instance: Instance, sig: signal.Signals, timeout: float = 60.0) -> float:
    """Send `sig` to one replica; the supervisor starts it again. Returns once
    the new process is ready, with the seconds that took."""
    started = time.monotonic()
    old = stack.pid(instance.process)
    assert old, f"{instance.process} is not running"
    os.kill(old, sig)
    eventually(lambda: stack.pid(instance.process) not in (None, old), timeout, f"{instance.process} started again")
    eventually(lambda: is_ready(stack, instance), timeout, f"{instance.process} ready again")
    return time.monotonic() - started


@dataclass
class Balancer:
    """A load balancer in front of the gateway replicas (the module's docstring)."""

    urls: list[str]
    headers: dict[str, str]
    # What the balancer absorbed: (the exception, gateway URL) per request sent again.
    failovers: list[tuple[str, str]] = field(default_factory=list)
    _next: Iterator[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)

    def _client(self, url: str) -> httpx.Client:
        clients = self._local.__dict__.setdefault("clients", {})
        if url not in clients:
            clients[url] = httpx.Client(base_url=url, timeout=30)
        return clients[url]

    def post(self, path: str, body: dict, key: str) -> httpx.Response:
        with self._lock:
            n = next(self._next)
        deadline = time.monotonic() + BALANCER_DEADLINE_S
        for attempt in range(BALANCER_TRIES):
            url = self.urls[(n + attempt) % len(self.urls)]
            try:
                return self._client(url).post(path, json=body, headers=self.headers | {"Idempotency-Key": key})
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                with self._lock:
                    self.failovers.append((type(exc).__name__, url))
                if attempt == BALANCER_TRIES - 1 or time.monotonic() > deadline:
                    raise
                time.sleep(0.1 * attempt)
        raise AssertionError("unreachable")

    def close(self) -> None:
        for client in self._local.__dict__.get("clients", {}).values():
            client.close()


def balancer(stack: Stack) -> Balancer:
    return Balancer(stack.gateway_urls, {"Authorization": f"Bearer {token(stack.gateway_url, MANAGER)}"})


def lead(burst: int, i: int) -> dict:
    """A lead no other lead duplicates: its own phone, and no city (similar
    names are looked for within a city only)."""
    return {"company_name": f"滚动发布第{burst}批{i:04d}号客户", "phone": f"13{burst % 10}{i:08d}", "source": "展会扫码"}


@dataclass
class Burst:
    """Leads sent by `clients` threads through the balancer until `done()` and
    at least `minimum` are sent: at full speed up to `minimum`, then a trickle
    (so the last restarts are under load too without the burst growing much)."""

    r: Rollout
    minimum: int
    clients: int = 4
    trickle_s: float = 1.0  # between two requests of one client once `minimum` are sent
    answers: dict[int, httpx.Response] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    def run(self, done: Callable[[], bool], send: Callable[[Balancer, int], httpx.Response]) -> Balancer:
        self.r.burst += 1
        lb = balancer(self.r.stack)
        counter = itertools.count()
        lock = threading.Lock()

        def client() -> None:
            while True:
                with lock:
                    i = next(counter)
                if i >= self.minimum and done():
                    return
                started = time.monotonic()
                try:
                    answer = send(lb, i)
                except httpx.HTTPError as exc:
                    with lock:
                        self.errors[i] = repr(exc)
                    continue
                with lock:
                    self.answers[i] = answer
                if i >= self.minimum:
                    time.sleep(max(0.0, self.trickle_s - (time.monotonic() - started)))

        threads = [threading.Thread(target=client) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        self._threads = threads
        return lb

    def join(self, lb: Balancer) -> None:
        for thread in self._threads:
            thread.join(300)
        lb.close()


def created_events(r: Rollout) -> int:
    return count(r, "lead-routing", "SELECT count(*) FROM outbox WHERE subject = $1", subject_for("lead.created"))


def check_nothing_lost_or_doubled(r: Rollout, lead_ids: list[str], phones: list[str], created_before: int,
                                  leads_before: int) -> None:
    """Every acknowledged lead exists, once: one lead per phone sent, one
    lead.created each, each ranked (its lead.created handled), and every
    event each lead-routing consumer takes handled (its inbox)."""
    eventually(lambda: settled(r), 120, "the burst settled (outbox published, consumers idle)")
    assert len(set(lead_ids)) == len(lead_ids) == len(phones)  # no two requests answered with one lead
    assert count(r, "lead-routing", "SELECT count(*) FROM leads WHERE lead_id = ANY($1)", lead_ids) == len(lead_ids)
    assert count(r, "lead-routing", "SELECT count(*) FROM leads") - leads_before == len(lead_ids)
    assert created_events(r) - created_before == len(lead_ids)
    eventually(lambda: count(r, "lead-routing", "SELECT count(*) FROM lead_routes WHERE lead_id = ANY($1)",
                             lead_ids) == len(lead_ids), 120, "every lead of the burst ranked")
    taken = [subject_for(t) for t in ("lead.created", "lead.merged", "rep.profile_changed")]
    published = count(r, "lead-routing", "SELECT count(*) FROM outbox WHERE subject = ANY($1)", taken)
    assert count(r, "lead-routing", "SELECT count(*) FROM inbox WHERE consumer = 'lead-routing-rerank'") == published
