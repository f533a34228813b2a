"""The gateway's backend calls over two real gRPC replicas of a backend, one
stopped while calls are in flight on it: a read is answered by the other
replica (the gateway tries it again), a write without an Idempotency-Key
fails 503 and is not run twice, and a replica that drains (stops with a
grace period) answers what it was already doing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.grpc_server import GrpcServer
from gateway.adapters.backends import Backends
from gateway.adapters.stubs import lead_routing
from gateway.problems import Problem
from gateway.retry import mark_safe, unmark

CALLER = Caller("t1", "manager-1", "manager")
CALLS = 6


class Replica(pb_grpc.LeadRoutingServiceServicer):
    """Answers with its name; `hold` keeps its calls waiting (until it is stopped)."""

    def __init__(self, name: str, hold: bool) -> None:
        self.name = name
        self.hold = hold
        self.calls = 0
        self.called = asyncio.Event()
        self.server = GrpcServer("lead-routing", "127.0.0.1", 0)
        self.server.add(pb_grpc.add_LeadRoutingServiceServicer_to_server, self, "crm.lead_routing.v1.LeadRoutingService")

    async def _answer(self) -> pb.Lead:
        self.calls += 1
        self.called.set()
        if self.hold:
            await asyncio.sleep(1.0)
        return pb.Lead(lead_id=self.name)

    async def GetLead(self, request, context):  # type: ignore[no-untyped-def]
        return pb.GetLeadResponse(lead=await self._answer())

    async def IngestLead(self, request, context):  # type: ignore[no-untyped-def]
        return pb.IngestLeadResponse(lead=await self._answer())


@pytest.fixture
async def replicas() -> AsyncIterator[tuple[Replica, Replica, Backends]]:
    going, staying = Replica("going", hold=True), Replica("staying", hold=False)
    for replica in (going, staying):
        await replica.server.start()
        await replica.server.set_serving(True)
    addresses = f"127.0.0.1:{going.server.port},127.0.0.1:{staying.server.port}"
    backends = Backends({"lead-routing": addresses}, 10.0, 1.0)
    try:
        yield going, staying, backends
    finally:
        await backends.close()
        for replica in (going, staying):
            await replica.server.stop(0)


async def outcomes(  # type: ignore[no-untyped-def]
    backends: Backends, method, request, going: Replica, staying: Replica, grace: float, safe: bool
) -> list[str]:
    """CALLS calls at once (round robin puts some on `going`); `going` stopped while it holds them."""

    async def one() -> str:
        token = mark_safe(safe)
        try:
            return (await backends.call(method, request, CALLER)).lead.lead_id
        except Problem as problem:
            return str(problem.status)
        finally:
            unmark(token)

    # Connect to both replicas first, so the calls spread over them.
    await asyncio.gather(*(backends.call(lead_routing.GetLead, pb.GetLeadRequest(lead_id="x"), CALLER)
                           for _ in range(4)), return_exceptions=True)
    going.calls = staying.calls = 0
    calls = [asyncio.ensure_future(one()) for _ in range(CALLS)]
    await asyncio.wait_for(going.called.wait(), 5)
    await asyncio.sleep(0.1)  # the calls have gone out
    await going.server.stop(grace)
    return list(await asyncio.gather(*calls))


async def test_a_read_cut_off_by_a_replica_going_away_is_answered_by_the_other(replicas) -> None:  # type: ignore[no-untyped-def]
    going, staying, backends = replicas
    answers = await outcomes(backends, lead_routing.GetLead, pb.GetLeadRequest(lead_id="x"), going, staying, 0, safe=True)
    assert going.calls >= 1
    assert answers == ["staying"] * CALLS


async def test_a_write_without_a_key_cut_off_fails_and_is_not_run_again(replicas) -> None:  # type: ignore[no-untyped-def]
    going, staying, backends = replicas
    answers = await outcomes(backends, lead_routing.IngestLead, pb.IngestLeadRequest(), going, staying, 0, safe=False)
    assert going.calls >= 1
    assert answers.count("503") == going.calls  # each cut-off write failed, none retried
    assert answers.count("staying") == CALLS - going.calls == staying.calls


async def test_a_draining_replica_answers_the_calls_it_holds(replicas) -> None:  # type: ignore[no-untyped-def]
    going, staying, backends = replicas
    answers = await outcomes(backends, lead_routing.IngestLead, pb.IngestLeadRequest(), going, staying, 5, safe=False)
    assert going.calls >= 1
    assert sorted(answers) == sorted(["going"] * going.calls + ["staying"] * (CALLS - going.calls))
