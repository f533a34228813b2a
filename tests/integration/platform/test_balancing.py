"""A peer given several replicas' addresses spreads its calls over them
(round robin) and, when one goes away, carries on with the others."""

from __future__ import annotations

import grpc
from crm_shared.grpc_client import Peer
from grpc_health.v1 import health_pb2, health_pb2_grpc


class Named(health_pb2_grpc.HealthServicer):
    """A health service that says which replica answered."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def Check(self, request, context):
        await context.send_initial_metadata((("replica", self.name),))
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


async def _replica(name: str) -> tuple[grpc.aio.Server, int]:
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(Named(name), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port


async def test_calls_spread_over_the_replicas_and_skip_one_that_went_away() -> None:
    (first, first_port), (second, second_port) = await _replica("first"), await _replica("second")
    peer = Peer("lead-routing", f"127.0.0.1:{first_port},127.0.0.1:{second_port}", timeout_s=2)
    stub = peer.stub(health_pb2_grpc.HealthStub)

    async def who() -> str:
        call = stub.Check(health_pb2.HealthCheckRequest(), timeout=2)
        replica = dict(await call.initial_metadata())["replica"]
        await call
        return replica

    try:
        answers = [await who() for _ in range(20)]
        assert {answers.count("first"), answers.count("second")} <= set(range(8, 13)), answers
        await second.stop(grace=1)
        assert [await who() for _ in range(20)] == ["first"] * 20
    finally:
        await peer.close()
        await first.stop(0)
        await second.stop(0)
