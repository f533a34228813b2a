"""A peer that was down for a while and comes back (a process the local
runner or Kubernetes restarted) is called again within seconds."""

from __future__ import annotations

import asyncio
import time

import grpc
from crm_shared.grpc_client import open_channel
from crm_shared.grpc_server import LIVENESS
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from tests.support.infra import HeldPort


async def test_a_peer_back_after_a_long_outage_is_reached_within_seconds():
    # The peer-to-be's port, held (calls are refused) until it starts: nothing else can be given it meanwhile.
    peer = HeldPort()
    channel = open_channel(peer.address)
    stub = health_pb2_grpc.HealthStub(channel)

    async def reached() -> bool:
        try:
            await stub.Check(health_pb2.HealthCheckRequest(), timeout=1)
        except grpc.aio.AioRpcError:
            return False
        return True

    # Down for 50 s while callers keep trying: gRPC's own back-off would wait about 20 s more at this point.
    outage = time.monotonic()
    while time.monotonic() - outage < 50:
        assert not await reached()
        await asyncio.sleep(0.5)
    server = grpc.aio.server()
    servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    server.add_insecure_port(f"127.0.0.1:{peer.take()}")
    await server.start()
    # As every service's server does (crm_shared.grpc_server): channels call a replica reporting it.
    await servicer.set(LIVENESS, health_pb2.HealthCheckResponse.SERVING)
    back = time.monotonic()
    try:
        while not await reached():
            await asyncio.sleep(0.2)
        assert time.monotonic() - back < 7
    finally:
        await channel.close()
        await server.stop(0)
