"""The gateway's graceful shutdown, served by uvicorn over a real socket with
a real gRPC backend: on SIGTERM /readyz answers 503 at once, the request in
flight is answered, and once the drain delay is over no new connection is
taken."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx
import pytest
import uvicorn
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.grpc_server import GrpcServer
from gateway.bootstrap import create_app
from gateway.config import Settings
from gateway.drain import DrainingServer

from tests.support.infra import migrate, refused_address, serve_uvicorn


class SlowLeads(pb_grpc.LeadRoutingServiceServicer):
    def __init__(self) -> None:
        self.called = asyncio.Event()

    async def GetLead(self, request, context):  # type: ignore[no-untyped-def]
        self.called.set()
        await asyncio.sleep(1.0)
        return pb.GetLeadResponse(lead=pb.Lead(lead_id=request.lead_id))


async def test_sigterm_turns_readiness_off_then_finishes_requests_in_flight(tmp_path: Path) -> None:
    leads = SlowLeads()
    backend = GrpcServer("lead-routing", "127.0.0.1", 0)
    backend.add(pb_grpc.add_LeadRoutingServiceServicer_to_server, leads, "crm.lead_routing.v1.LeadRoutingService")
    await backend.start()
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", url)
    app = create_app(Settings(
        dev_auth=True, database_url=url, lead_routing_addr=f"127.0.0.1:{backend.port}",
        opportunity_addr=refused_address(), approval_addr=refused_address(),
        document_versioning_addr=refused_address(), finance_reconciliation_addr=refused_address(),
    ))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, timeout_graceful_shutdown=5)
    server = DrainingServer(config, app, drain_delay_s=0.5)
    task, port = await serve_uvicorn(server)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            login = await client.post("/v1/auth/token", json={"username": "zhangwei", "password": "demo"})
            rep = {"Authorization": f"Bearer {login.json()['access_token']}"}
            in_flight = asyncio.ensure_future(client.get("/v1/leads/lead-1", headers=rep))
            await asyncio.wait_for(leads.called.wait(), 10)

            server.handle_exit(signal.SIGTERM, None)
            async with httpx.AsyncClient(base_url=base, timeout=5) as prober:
                ready = await prober.get("/readyz")
            assert ready.status_code == 503 and ready.json()["not_ready"] == ["draining"]
            answered = await in_flight
            assert answered.status_code == 200 and answered.json()["lead"]["lead_id"] == "lead-1"
        await asyncio.wait_for(task, 10)
        with pytest.raises(httpx.ConnectError):
            async with httpx.AsyncClient(base_url=base, timeout=2) as late:
                await late.get("/healthz")
    finally:
        if not task.done():
            server.should_exit = True
            await task
        await backend.stop(0)
