"""lead-routing as a real process would run: gRPC, database, outbox to JetStream."""

from __future__ import annotations

import grpc
import nats
import pytest

from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.support.infra import migrate, run_service

REP = Caller("tenant-a", "rep-1", "rep")
OTHER_TENANT = Caller("tenant-b", "rep-9", "rep")


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


async def test_ingested_lead_is_stored_and_published(service, nats_url: str) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe("crm.lead.created", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW)

    created = await stub.IngestLead(
        pb.IngestLeadRequest(company_name="绍兴柯桥纺织机械有限公司", phone="0575-8512 3456", source="展会扫码"),
        metadata=REP.metadata(),
    )
    assert created.lead.phone == "+8657585123456"
    msg = await sub.next_msg(timeout=10)
    envelope = Envelope.FromString(msg.data)
    assert msg.headers["Nats-Msg-Id"] == envelope.event_id
    event = unpack(envelope, lead_pb2.LeadCreated)
    assert (envelope.tenant_id, event.lead_id) == ("tenant-a", created.lead.lead_id)

    fetched = await stub.GetLead(pb.GetLeadRequest(lead_id=created.lead.lead_id), metadata=REP.metadata())
    assert fetched.lead.company_name == "绍兴柯桥纺织机械有限公司"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetLead(pb.GetLeadRequest(lead_id=created.lead.lead_id), metadata=OTHER_TENANT.metadata())
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    await nc.close()


async def test_bad_lead_is_refused_with_every_field_named_and_nothing_stored(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name=" ", credit_code="91330108MA27YGXW5X", source="展会扫码"),
            metadata=REP.metadata(),
        )
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {"company_name", "credit_code"}
    listed = await stub.ListLeads(pb.ListLeadsRequest(), metadata=REP.metadata())
    assert list(listed.leads) == []


async def test_converting_twice_is_refused(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    lead = (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="宁波注塑机厂", credit_code="91330200MA2AFK8X1K", source="百度爱采购"),
            metadata=REP.metadata(),
        )
    ).lead
    converted = await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=lead.lead_id), metadata=REP.metadata())
    assert converted.lead.status == "converted"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=lead.lead_id), metadata=REP.metadata())
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_duplicate_intake_is_merged_into_the_open_lead_and_the_caller_is_told(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    first = (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="绍兴柯桥恒盛纺织有限公司", phone="13805751234", source="展会扫码",
                                 city="绍兴市"),
            metadata=REP.metadata(),
        )
    ).lead
    assert not (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="杭州华达机电", phone="13905712345", source="展会扫码", city="杭州市"),
            metadata=REP.metadata(),
        )
    ).HasField("duplicate")

    again = await stub.IngestLead(
        pb.IngestLeadRequest(company_name="绍兴柯桥恒盛纺织", phone="13700000001", source="百度爱采购",
                             city="绍兴市", credit_code="91330200MA2AFK8X1K"),
        metadata=REP.metadata(),
    )
    assert (again.duplicate.matched_lead_id, again.duplicate.matched_by, again.duplicate.merged) == (
        first.lead_id, "similar_name", True,
    )
    assert again.lead.lead_id == first.lead_id and again.lead.credit_code == "91330200MA2AFK8X1K"
    listed = await stub.ListLeads(pb.ListLeadsRequest(), metadata=REP.metadata())
    assert len(listed.leads) == 2

    # Once converted, a new enquiry from the same company is kept, and linked.
    await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=first.lead_id), metadata=REP.metadata())
    later = await stub.IngestLead(
        pb.IngestLeadRequest(company_name="恒盛纺织", phone="13805751234", source="网站表单"), metadata=REP.metadata()
    )
    assert (later.duplicate.matched_lead_id, later.duplicate.matched_by, later.duplicate.merged) == (
        first.lead_id, "phone", False,
    )
    assert later.lead.lead_id != first.lead_id
