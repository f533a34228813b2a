"""Backend calls that fail UNAVAILABLE are tried again, on requests safe to
retry only (reads, POSTs under an Idempotency-Key), a bounded number of
times within the call's deadline, and not at all once a backend's retry
budget is spent (an outage does not triple the load)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest
from crm_shared.context import Caller
from gateway.adapters.backends import Backends
from gateway.adapters.stubs import lead_routing
from gateway.problems import Problem
from gateway.retry import RetryBudget, RetryPolicy, mark_safe, unmark

from tests.unit.gateway.surface import gateway, token


def failure(code: grpc.StatusCode) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details=f"fake {code.name}")


class FlakyStub:
    """Fails the first `failures` calls of each method with `code`, then answers."""

    def __init__(self, failures: int, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE) -> None:
        self.failures = failures
        self.code = code
        self.timeouts: list[float] = []

    def __getattr__(self, name: str) -> Any:
        async def method(request: Any, *, metadata: Any, timeout: float) -> Any:
            self.timeouts.append(timeout)
            if len(self.timeouts) <= self.failures:
                raise failure(self.code)
            return getattr(lead_routing, name).response()

        return method


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def backends_with(stub: FlakyStub, policy: RetryPolicy, timeout_s: float = 10.0) -> Backends:
    # No real replica behind the fake stub: a retry does not wait for one to be ready.
    backends = Backends({"lead-routing": "127.0.0.1:1"}, timeout_s, 1.0, retry=policy, ready_wait_s=0)
    peer, _ = backends.stubs[lead_routing.GetLead.service]
    backends.stubs[lead_routing.GetLead.service] = (peer, stub)
    return backends


def policy(clock: Clock, jitter: float = 1.0, **options: Any) -> RetryPolicy:
    return RetryPolicy(jitter=lambda: jitter, sleep=clock.sleep, clock=clock, **options)


CALLER = Caller("t", "u", "rep")


@pytest.fixture
def safe():  # type: ignore[no-untyped-def]
    token = mark_safe()
    yield
    unmark(token)


@pytest.mark.usefixtures("safe")
async def test_a_safe_call_is_tried_again_with_jittered_backoff_within_its_deadline() -> None:
    clock, stub = Clock(), FlakyStub(failures=2)
    backends = backends_with(stub, policy(clock, jitter=0.5))
    await backends.call(lead_routing.GetLead, object(), CALLER)
    assert len(stub.timeouts) == 3
    assert clock.sleeps == [0.025, 0.05]  # half (the jitter) of 50 ms, then of 100 ms
    # One deadline for all tries: each gets what is left of it.
    assert stub.timeouts == [10.0, pytest.approx(10.0 - 0.025), pytest.approx(10.0 - 0.075)]


@pytest.mark.usefixtures("safe")
async def test_at_most_three_tries_then_the_backend_is_unavailable() -> None:
    stub = FlakyStub(failures=99)
    backends = backends_with(stub, policy(Clock()))
    with pytest.raises(Problem) as refused:
        await backends.call(lead_routing.GetLead, object(), CALLER)
    assert len(stub.timeouts) == 3
    assert refused.value.status == 503


@pytest.mark.usefixtures("safe")
async def test_other_failures_are_not_retried() -> None:
    for code in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.INTERNAL):
        stub = FlakyStub(failures=1, code=code)
        with pytest.raises(Problem):
            await backends_with(stub, policy(Clock())).call(lead_routing.GetLead, object(), CALLER)
        assert len(stub.timeouts) == 1, code


async def test_an_unsafe_call_is_tried_once() -> None:
    stub = FlakyStub(failures=1)
    with pytest.raises(Problem):
        await backends_with(stub, policy(Clock())).call(lead_routing.IngestLead, object(), CALLER)
    assert len(stub.timeouts) == 1


@pytest.mark.usefixtures("safe")
async def test_no_retry_whose_backoff_would_end_past_the_deadline() -> None:
    clock, stub = Clock(), FlakyStub(failures=1)
    backends = backends_with(stub, policy(clock, base_backoff_s=0.4), timeout_s=0.3)
    with pytest.raises(Problem):
        await backends.call(lead_routing.GetLead, object(), CALLER)
    assert len(stub.timeouts) == 1 and clock.sleeps == []


@pytest.mark.usefixtures("safe")
async def test_in_an_outage_the_budget_stops_retries() -> None:
    stub = FlakyStub(failures=10_000)
    backends = backends_with(stub, policy(Clock(), budget=lambda: RetryBudget(max_tokens=10)))
    for _ in range(100):
        with pytest.raises(Problem):
            await backends.call(lead_routing.GetLead, object(), CALLER)
    # 10 tokens, one taken per failed try, retries while more than 5 remain:
    # after the first five failed tries (3 of them retries) one try per request.
    assert len(stub.timeouts) == 103


def test_the_budget_refills_with_answers() -> None:
    budget = RetryBudget(max_tokens=10)
    for _ in range(5):
        budget.failed()
    assert not budget.allows_retry()
    budget.succeeded()
    assert budget.allows_retry()
    for _ in range(1000):
        budget.succeeded()
    assert budget.tokens == budget.max_tokens


async def test_reads_and_keyed_posts_are_retried_through_http_other_writes_not(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        app = client._transport.app  # type: ignore[attr-defined]
        clock = Clock()
        rep = await token(client, "zhangwei")
        lead = {"company_name": "绍兴柯桥恒盛纺织有限公司", "phone": "13805751234", "source": "展会扫码"}

        stub = FlakyStub(failures=1)
        app.state.backends = backends_with(stub, policy(clock))
        assert (await client.get("/v1/leads/lead-1", headers=rep)).status_code == 200
        assert len(stub.timeouts) == 2

        stub = FlakyStub(failures=1)
        app.state.backends = backends_with(stub, policy(clock))
        refused = await client.post("/v1/leads", json=lead, headers=rep)
        assert refused.status_code == 503, refused.text
        assert len(stub.timeouts) == 1  # a write without a key is not run twice

        stub = FlakyStub(failures=1)
        app.state.backends = backends_with(stub, policy(clock))
        keyed = await client.post("/v1/leads", json=lead, headers=rep | {"Idempotency-Key": "lead-1"})
        assert keyed.status_code in (200, 201), keyed.text
        assert len(stub.timeouts) == 2
