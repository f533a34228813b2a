"""A service killed with SIGKILL after committing a change but before
publishing its event publishes it when it starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import grpc
import nats
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from nats.js.api import DeliverPolicy

from tests.support.infra import NatsServer, migrate, reported_ports

REP = Caller("tenant-a", "rep-1", "rep")


def start_lead_routing(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lead_routing"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


async def test_killed_between_commit_and_publish_publishes_on_restart(tmp_path: Path, database_url: str):
    await migrate("lead-routing", database_url)
    server = NatsServer(tmp_path / "nats")
    server.start()
    # Port 0: the process binds free ports and writes them to the ports file.
    ports_file = tmp_path / "lead-routing-ports.json"
    env = {
        **os.environ,
        "LEAD_ROUTING_NATS_URL": server.url,
        "LEAD_ROUTING_DATABASE_URL": database_url,
        "LEAD_ROUTING_GRPC_HOST": "127.0.0.1",
        "LEAD_ROUTING_GRPC_PORT": "0",
        "LEAD_ROUTING_METRICS_PORT": "0",
        "LEAD_ROUTING_PORTS_FILE": str(ports_file),
    }
    log = tmp_path / "lead-routing.log"
    proc = start_lead_routing(env, log)
    try:
        port = reported_ports(ports_file, proc)["grpc"]
        # With NATS away the change commits but its event cannot leave the outbox...
        server.stop()
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            lead = (
                await pb_grpc.LeadRoutingServiceStub(channel).IngestLead(
                    pb.IngestLeadRequest(company_name="嘉兴海宁经编厂", phone="13757312345", source="展会扫码"),
                    metadata=REP.metadata(),
                )
            ).lead
        # ...and the process dies before it could.
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

        server.start()
        proc = start_lead_routing(env, log)
        nc = await nats.connect(server.url)
        sub = await nc.jetstream().subscribe("crm.lead.created", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL)
        msg = await sub.next_msg(timeout=30)
        assert Envelope.FromString(msg.data).aggregate_id == lead.lead_id
        await nc.close()
    finally:
        proc.terminate()
        proc.wait(10)
        server.stop()
