"""The stack as `make run` starts it: a call straight to a service's port
with forged caller metadata gets UNAUTHENTICATED and nothing else; a call
carrying a token signed with the stack's key is served (every process got
the same key); the gateway still reaches every service."""

from __future__ import annotations

import os

import grpc
import httpx
import jwt

from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared import identity
from crm_shared.context import Caller
from scripts.localstack import Stack

FORGED = (("x-tenant-id", "demo"), ("x-user-id", "admin"), ("x-role", "system"), ("x-trace-id", ""))


async def test_a_direct_call_proves_who_it_is_or_gets_nothing(stack: Stack, as_user) -> None:
    created = as_user("zhangwei").post(
        "/v1/leads", json={"company_name": "杭州萧山华达机电设备厂", "phone": "13967112399", "source": "抖音本地推"}
    )
    assert created.status_code in (200, 201), created.text
    lead_id = created.json()["lead"]["lead_id"]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{stack.grpc_ports['lead-routing']}") as channel:
        stub = pb_grpc.LeadRoutingServiceStub(channel)
        for metadata in (
            FORGED,
            FORGED + (("authorization", "Bearer " + jwt.encode({"sub": "x"}, "k" * 40, algorithm="HS256")),),
        ):
            try:
                reply = await stub.GetLead(pb.GetLeadRequest(lead_id=lead_id), metadata=metadata)
            except grpc.aio.AioRpcError as error:
                assert error.code() == grpc.StatusCode.UNAUTHENTICATED
                assert "华达" not in (error.details() or "")
            else:
                raise AssertionError(f"a forged caller was served: {reply}")
        # The stack's processes got the key this session set (the same mechanism, no bypass).
        assert os.environ[identity.KEY_ENV]
        admin = Caller("demo", "admin", "admin")
        served = await stub.GetLead(pb.GetLeadRequest(lead_id=lead_id), metadata=admin.metadata())
        assert served.lead.company_name == "杭州萧山华达机电设备厂"
    ready = httpx.get(f"{stack.gateway_url}/readyz", timeout=5)
    assert ready.status_code == 200, ready.text
