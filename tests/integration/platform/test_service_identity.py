"""Services authenticate their callers: a call straight to a service's port
proves who it is with a service token, or gets UNAUTHENTICATED and nothing
else — whatever its metadata claims (real gRPC, real database and NATS)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import grpc
import jwt
import pytest
from crm.approval.v1 import approval_pb2, approval_pb2_grpc
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared import identity
from crm_shared.context import Caller
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from lead_routing.bootstrap import build
from lead_routing.config import Settings

from tests.support.infra import migrate, run_service

VICTIM = "tenant-victim"
REP = Caller(VICTIM, "rep-1", "rep")
ADMIN = Caller(VICTIM, "admin", "admin")
FORGED = (("x-tenant-id", VICTIM), ("x-user-id", "admin"), ("x-role", "system"), ("x-trace-id", ""))


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


def token(key: str | None = None, **overrides: object) -> tuple[tuple[str, str], ...]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": "opportunity",
        "aud": identity.INTERNAL_AUDIENCE,
        "sub": "opportunity",
        "tenant": VICTIM,
        "role": "system",
        "iat": now,
        "exp": now + 60,
    } | overrides
    signed = jwt.encode(claims, key or os.environ[identity.KEY_ENV], algorithm="HS256")
    return (("authorization", f"Bearer {signed}"),)


async def refused(call, request, metadata) -> grpc.aio.AioRpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call(request, metadata=metadata)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED, err.value.details()
    return err.value


async def test_forged_metadata_without_a_token_gets_nothing(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    lead = (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="绍兴柯桥恒盛纺织有限公司", phone="13805751234", source="展会扫码"),
            metadata=REP.metadata(),
        )
    ).lead
    error = await refused(stub.GetLead, pb.GetLeadRequest(lead_id=lead.lead_id), FORGED)
    assert lead.lead_id not in (error.details() or "") and "恒盛" not in (error.details() or "")
    await refused(stub.ListLeads, pb.ListLeadsRequest(), FORGED)
    await refused(stub.ListLeads, pb.ListLeadsRequest(), ())
    # A write with forged metadata changes nothing.
    await refused(stub.IngestLead, pb.IngestLeadRequest(company_name="冒名公司", phone="13900000000", source="x"), FORGED)
    listed = await stub.ListLeads(pb.ListLeadsRequest(), metadata=ADMIN.metadata())
    assert [x.company_name for x in listed.leads] == ["绍兴柯桥恒盛纺织有限公司"]


async def test_bad_signature_expiry_audience_and_gateway_as_system_are_refused(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    lead = (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="宁波北仑精密注塑有限公司", phone="13805748642", source="百度爱采购"),
            metadata=REP.metadata(),
        )
    ).lead
    ask = pb.GetLeadRequest(lead_id=lead.lead_id)
    # A backend service's own token is accepted...
    assert (await stub.GetLead(ask, metadata=token())).lead.lead_id == lead.lead_id
    # ...but not one signed with another key, expired, for another audience,
    # from an unknown issuer, living too long, or the gateway claiming system.
    now = int(time.time())
    for metadata in (
        token(key="another-key-of-at-least-32-bytes!!"),
        token(iat=now - 600, exp=now - 540),
        token(aud="crm-api"),
        token(iss="web"),
        token(exp=now + 100 * 365 * 24 * 3600),
        token(iss="gateway", sub="zhangwei"),
        (("authorization", "Bearer not-a-token"),),
        (("authorization", token()[0][1].removeprefix("Bearer ")),),
    ):
        await refused(stub.GetLead, ask, metadata + FORGED)


async def test_no_domain_error_hides_a_missing_token(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    await refused(stub.GetLead, pb.GetLeadRequest(lead_id="no-such-lead"), FORGED)
    await refused(stub.IngestLead, pb.IngestLeadRequest(company_name=" "), FORGED)


async def test_health_and_reflection_stay_open_for_probes(service) -> None:
    health = health_pb2_grpc.HealthStub(service.channel)
    reply = await health.Check(health_pb2.HealthCheckRequest(service="liveness"))
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    reflect = reflection_pb2_grpc.ServerReflectionStub(service.channel)
    answers = reflect.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = [s.name async for a in answers for s in a.list_services_response.service]
    assert "crm.lead_routing.v1.LeadRoutingService" in names


async def test_a_service_calling_another_carries_its_own_identity(nats_url: str, tmp_path: Path) -> None:
    from approval.bootstrap import build as build_approval
    from approval.config import Settings as ApprovalSettings

    url = f"sqlite+aiosqlite:///{tmp_path / 'approval.db'}"
    await migrate("approval", url)
    async with run_service(build_approval, ApprovalSettings, nats_url=nats_url, database_url=url) as approval:
        stub = approval_pb2_grpc.ApprovalServiceStub(approval.channel)
        ask = approval_pb2.GetLatestApprovalRequest(subject_type="opportunity", subject_id="opp-1")
        system = Caller(VICTIM, "opportunity", "system")
        with identity.acting_as("opportunity"):
            assert not (await stub.GetLatestApproval(ask, metadata=system.metadata())).HasField("approval")
        # The gateway may forward users, never act as the system.
        with identity.acting_as("gateway"):
            await refused(stub.GetLatestApproval, ask, system.metadata())


async def test_streaming_rpcs_are_served_to_an_authenticated_caller_only() -> None:
    """Server and client streams (document content) authenticate as unary calls do;
    a bidirectional stream (none is served) is refused rather than served unauthenticated."""
    from crm_shared.grpc_server import GrpcServer, current_caller

    Ask, Said = health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse
    codec = {"request_deserializer": Ask.FromString, "response_serializer": Said.SerializeToString}

    async def server_stream(request, context):  # type: ignore[no-untyped-def]
        for _ in range(2):
            yield Said(status=Said.SERVING if current_caller().user_id == "admin" else Said.UNKNOWN)

    async def client_stream(requests, context):  # type: ignore[no-untyped-def]
        services = [r.service async for r in requests]
        return Said(status=Said.SERVING if services == ["a", "b"] and current_caller().role == "admin" else Said.UNKNOWN)

    async def both(requests, context):  # type: ignore[no-untyped-def]
        yield Said(status=Said.SERVING)

    server = GrpcServer("lead-routing", "127.0.0.1", 0)
    handlers = {
        "Out": grpc.unary_stream_rpc_method_handler(server_stream, **codec),
        "In": grpc.stream_unary_rpc_method_handler(client_stream, **codec),
        "Both": grpc.stream_stream_rpc_method_handler(both, **codec),
    }
    server.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("crm.test.v1.Numbers", handlers),))
    await server.start()
    wire = {"request_serializer": Ask.SerializeToString, "response_deserializer": Said.FromString}

    async def asks():  # type: ignore[no-untyped-def]
        yield Ask(service="a")
        yield Ask(service="b")

    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            out = channel.unary_stream("/crm.test.v1.Numbers/Out", **wire)
            into = channel.stream_unary("/crm.test.v1.Numbers/In", **wire)
            assert [m.status async for m in out(Ask(), metadata=ADMIN.metadata())] == [Said.SERVING] * 2
            assert (await into(asks(), metadata=ADMIN.metadata())).status == Said.SERVING
            for unauthenticated in (FORGED, ()):
                with pytest.raises(grpc.aio.AioRpcError) as err:
                    _ = [m async for m in out(Ask(), metadata=unauthenticated)]
                assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
                with pytest.raises(grpc.aio.AioRpcError) as err:
                    await into(asks(), metadata=unauthenticated)
                assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
            call = channel.stream_stream("/crm.test.v1.Numbers/Both", **wire)(iter(()), metadata=ADMIN.metadata())
            with pytest.raises(grpc.aio.AioRpcError) as err:
                _ = [m async for m in call]
            assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
    finally:
        await server.stop(grace=0)
