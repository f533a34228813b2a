"""Services bind port 0 and report the port they got, so two tests (or two
runs side by side) cannot be handed the same port; a port already served
makes the second server fail instead of sharing the calls."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from approval.bootstrap import build
from approval.config import Settings
from crm_shared.grpc_server import GrpcServer
from crm_shared.metrics import serve_metrics
from tests.support.infra import NatsServer, migrate, run_service


async def test_in_process_services_bind_port_zero_and_report_their_ports(
    nats_url: str, database_url: str, tmp_path: Path
):
    await migrate("approval", database_url)
    ports_file = tmp_path / "ports" / "approval.json"
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as first, run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, ports_file=str(ports_file)
    ) as second:
        grpc_ports = {first.runtime.grpc.port, second.runtime.grpc.port}
        metrics_ports = {first.runtime.metrics.port, second.runtime.metrics.port}
        assert first.runtime.settings.grpc_port == 0 and first.runtime.settings.metrics_port == 0
        assert len(grpc_ports | metrics_ports) == 4 and 0 not in grpc_ports | metrics_ports
        # The gRPC port reported is the one that serves...
        health = await health_pb2_grpc.HealthStub(second.channel).Check(
            health_pb2.HealthCheckRequest(service="liveness"), timeout=5
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        # ...and so is the metrics port.
        async with httpx.AsyncClient() as client:
            metrics = await client.get(f"http://127.0.0.1:{second.runtime.metrics.port}/metrics", timeout=5)
        assert metrics.status_code == 200 and "crm_outbox_depth" in metrics.text
        # A process started with a ports file says which ports it got.
        assert json.loads(ports_file.read_text()) == {
            "grpc": second.runtime.grpc.port,
            "metrics": second.runtime.metrics.port,
        }
        metrics_port = second.runtime.metrics.port
    # Stopping the service frees its metrics port (for a server: SO_REUSEADDR passes the closed connections).
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", metrics_port))
        s.listen()


def test_metrics_on_port_zero_serve_on_the_port_reported():
    server = serve_metrics(0, "127.0.0.1")
    try:
        assert server.port != 0
        assert httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=5).status_code == 200
    finally:
        server.stop()


async def test_a_grpc_port_already_served_fails_the_second_bind():
    first = GrpcServer("first", "127.0.0.1", 0)
    await first.start()
    try:
        second = GrpcServer("second", "127.0.0.1", first.port)
        with pytest.raises(RuntimeError, match="Failed to bind"):
            await second.start()
        async with grpc.aio.insecure_channel(f"127.0.0.1:{first.port}") as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service="liveness"), timeout=5
            )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        await first.stop(grace=0)


async def test_nats_binds_a_free_port_and_keeps_it_across_restarts(tmp_path: Path):
    import nats

    server = NatsServer(tmp_path / "nats")
    server.start()
    try:
        port = server.port
        assert port
        nc = await nats.connect(server.url)
        await nc.close()
        server.stop()
        server.start()
        assert server.port == port
        nc = await asyncio.wait_for(nats.connect(server.url), 10)
        await nc.close()
    finally:
        server.stop()
