"""lead-routing as a real process would run: gRPC, database, outbox to JetStream."""

from __future__ import annotations

import grpc
import nats
import pytest

from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import partner_pb2 as dpb
from crm.lead_routing.v1 import partner_pb2_grpc as dpb_grpc
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
        pb.IngestLeadRequest(company_name="恒盛纺织", phone="13805751234", source="官网表单"), metadata=REP.metadata()
    )
    assert (later.duplicate.matched_lead_id, later.duplicate.matched_by, later.duplicate.merged) == (
        first.lead_id, "phone", False,
    )
    assert later.lead.lead_id != first.lead_id


MANAGER = Caller("tenant-a", "mgr-1", "manager")
ADMIN = Caller("tenant-a", "admin-1", "admin")
PARTNER = Caller("tenant-a", "partner-1", "partner", organisation="dist-a")
OTHER_REP = Caller("tenant-a", "rep-2", "rep")


async def next_event(sub, message_type, lead_id: str):
    """The next event on the subscription about this lead."""
    while True:
        msg = await sub.next_msg(timeout=10)
        envelope = Envelope.FromString(msg.data)
        event = unpack(envelope, message_type)
        if event.lead_id == lead_id:
            return envelope, event


async def test_every_lead_field_is_stored_resolved_and_carried_into_lead_converted(service, nats_url: str) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    await stub.DefineLeadField(
        pb.DefineLeadFieldRequest(field=pb.LeadField(name="开模数量", type="number")), metadata=ADMIN.metadata()
    )
    request = pb.IngestLeadRequest(
        company_name="绍兴柯桥恒盛纺织有限公司", phone="13805751234", source="百度爱采购",
        address="浙江省绍兴市柯桥区华舍街道蜀阜村", latitude=30.08, longitude=120.49,
        industry_tags=["纺织机械", "注塑机"], orders_3m=4, budget_attribution="市场部", content_preference="案例视频",
    )
    request.annual_revenue.amount_minor = 12_000_000_000
    request.purchases_6m.amount_minor = 6_000_000
    request.custom_fields.update({"开模数量": 12})
    lead = (await stub.IngestLead(request, metadata=REP.metadata())).lead
    assert (lead.province, lead.city, lead.district, lead.division, lead.adcode) == (
        "浙江省", "绍兴市", "柯桥区", "柯桥区", "330603",
    )
    fetched = (await stub.GetLead(pb.GetLeadRequest(lead_id=lead.lead_id), metadata=REP.metadata())).lead
    assert list(fetched.industry_tags) == ["纺织机械", "注塑机"] and fetched.orders_3m == 4
    assert (fetched.latitude, fetched.longitude) == (30.08, 120.49)
    assert fetched.annual_revenue.amount_minor == 12_000_000_000 and fetched.purchases_6m.amount_minor == 6_000_000
    assert dict(fetched.custom_fields) == {"开模数量": 12.0}

    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.lead.converted", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=lead.lead_id), metadata=REP.metadata())
    _, event = await next_event(sub, lead_pb2.LeadConverted, lead.lead_id)
    assert (event.address, event.district, event.latitude, event.longitude) == (
        "浙江省绍兴市柯桥区华舍街道蜀阜村", "柯桥区", 30.08, 120.49,
    )
    assert list(event.industry_tags) == ["纺织机械", "注塑机"] and event.owner_id == "rep-1"
    # No budget and no amount given: the opportunity has no amount yet, not an amount of 0.
    assert not event.HasField("expected_amount")

    budgeted = pb.IngestLeadRequest(company_name="宁波北仑精密模具有限公司", phone="13905741234", source="展会扫码")
    budgeted.budget.amount_minor = 30_000_000
    budgeted_lead = (await stub.IngestLead(budgeted, metadata=REP.metadata())).lead
    await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=budgeted_lead.lead_id), metadata=REP.metadata())
    _, event = await next_event(sub, lead_pb2.LeadConverted, budgeted_lead.lead_id)
    assert (event.expected_amount.amount_minor, event.expected_amount.currency) == (30_000_000, "CNY")
    await nc.close()


async def test_custom_values_must_match_the_tenant_definitions(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.DefineLeadField(
            pb.DefineLeadFieldRequest(field=pb.LeadField(name="近6月采购金额", type="number")),
            metadata=ADMIN.metadata(),
        )
    assert [v.field for v in decode_rpc_error(err.value).field_violations] == ["field.name"]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.DefineLeadField(
            pb.DefineLeadFieldRequest(field=pb.LeadField(name="认证", type="tags")), metadata=MANAGER.metadata()
        )
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    await stub.DefineLeadField(pb.DefineLeadFieldRequest(field=pb.LeadField(name="认证", type="tags")), metadata=ADMIN.metadata())
    listed = await stub.ListLeadFields(pb.ListLeadFieldsRequest(), metadata=REP.metadata())
    assert [(f.name, f.type) for f in listed.fields] == [("认证", "tags")]
    assert not (await stub.ListLeadFields(pb.ListLeadFieldsRequest(), metadata=OTHER_TENANT.metadata())).fields

    request = pb.IngestLeadRequest(company_name="甲公司", phone="13805751234", source="展会扫码")
    request.custom_fields.update({"认证": 5, "颜色": "红"})
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.IngestLead(request, metadata=REP.metadata())
    assert {v.field for v in decode_rpc_error(err.value).field_violations} == {"custom_fields.认证", "custom_fields.颜色"}


async def test_lost_lead_is_evented_and_counts_against_the_owner(service, nats_url: str) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    lead = (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="宁波北仑注塑机厂", phone="0574-86881234", source="展会扫码",
                                 industry_tags=["注塑机"]),
            metadata=REP.metadata(),
        )
    ).lead
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.LoseLead(pb.LoseLeadRequest(lead_id=lead.lead_id, reason=" "), metadata=REP.metadata())
    assert [v.field for v in decode_rpc_error(err.value).field_violations] == ["reason"]

    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe("crm.lead.lost", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW)
    lost = (await stub.LoseLead(pb.LoseLeadRequest(lead_id=lead.lead_id, reason="预算不足"), metadata=REP.metadata())).lead
    assert (lost.status, lost.lost_reason) == ("lost", "预算不足") and lost.HasField("closed_at")
    _, event = await next_event(sub, lead_pb2.LeadLost, lead.lead_id)
    assert (event.owner_id, event.reason, list(event.industry_tags)) == ("rep-1", "预算不足", ["注塑机"])
    await nc.close()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=lead.lead_id), metadata=REP.metadata())
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_who_sees_what(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)

    async def ingest(caller: Caller, name: str, phone: str) -> pb.Lead:
        request = pb.IngestLeadRequest(company_name=name, phone=phone, source="展会扫码")
        return (await stub.IngestLead(request, metadata=caller.metadata())).lead

    await stub.PutRep(pb.PutRepRequest(rep_id="rep-1", name="张伟"), metadata=MANAGER.metadata())
    # The partner is a user of an active distributor (else every lead route refuses them).
    details = dpb.DistributorDetails(name="杭州恒通机电", users=[PARTNER.user_id], channel_manager_id="mgr-1")
    await dpb_grpc.DistributorServiceStub(service.channel).CreateDistributor(
        dpb.CreateDistributorRequest(distributor_id="dist-a", details=details), metadata=ADMIN.metadata()
    )
    mine = await ingest(REP, "甲公司", "13800000001")
    theirs = await ingest(OTHER_REP, "乙公司", "13800000002")
    pool = await ingest(MANAGER, "丙公司", "13800000003")
    registered = await ingest(PARTNER, "丁公司", "13800000004")
    assert (mine.owner_id, pool.owner_id, registered.source) == ("rep-1", "", "伙伴报备")

    async def visible(caller: Caller) -> set[str]:
        listed = await stub.ListLeads(pb.ListLeadsRequest(), metadata=caller.metadata())
        return {x.company_name for x in listed.leads}

    assert await visible(REP) == {"甲公司", "丙公司", "丁公司"}  # own + the pool
    assert await visible(MANAGER) == {"甲公司", "丙公司", "丁公司"}  # their rep's + the pool
    assert await visible(ADMIN) == {"甲公司", "乙公司", "丙公司", "丁公司"}
    assert await visible(PARTNER) == {"丁公司"}
    assert await visible(OTHER_TENANT) == set()
    for caller, lead in ((REP, theirs), (PARTNER, pool), (MANAGER, theirs), (OTHER_TENANT, mine)):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetLead(pb.GetLeadRequest(lead_id=lead.lead_id), metadata=caller.metadata())
        assert err.value.code() == grpc.StatusCode.NOT_FOUND

    # A partner registering a company another rep holds hears it matched, and sees nothing of it.
    again = await stub.IngestLead(
        pb.IngestLeadRequest(company_name="乙公司", phone="13800000002", address="宁波市北仑区"),
        metadata=PARTNER.metadata(),
    )
    assert (again.duplicate.matched_lead_id, again.duplicate.merged) == (theirs.lead_id, True)
    assert again.lead.company_name == "" and again.lead.phone == ""


async def test_duplicates_are_caught_however_many_leads_share_the_city(service) -> None:
    # A busy city holds thousands of leads; the newest of them must still be found by its phone,
    # its credit code or its name, not only the oldest few thousand.
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    template = (
        await stub.IngestLead(
            pb.IngestLeadRequest(company_name="绍兴样板纺织", phone="13800000000", source="导入", city="绍兴市"),
            metadata=REP.metadata(),
        )
    ).lead
    await copy_lead(service, template.lead_id, [(f"绍兴第{i}号织造", f"+86139{i:08d}") for i in range(2500)])
    reply = await stub.IngestLead(
        pb.IngestLeadRequest(company_name="绍兴柯桥恒盛纺织有限公司", phone="13805751234", source="展会扫码",
                             city="绍兴市", credit_code="91330200MA2AFK8X1K"),
        metadata=REP.metadata(),
    )
    assert not reply.HasField("duplicate")
    newest = reply.lead
    for by, request in (
        ("phone", pb.IngestLeadRequest(company_name="完全不同", phone="13805751234", source="官网表单", city="绍兴市")),
        ("credit_code", pb.IngestLeadRequest(company_name="另一个名字", credit_code="91330200MA2AFK8X1K",
                                              source="官网表单", city="绍兴市")),
        ("similar_name", pb.IngestLeadRequest(company_name="绍兴柯桥恒盛纺织", phone="13700000001",
                                               source="百度爱采购", city="绍兴市")),
    ):
        again = await stub.IngestLead(request, metadata=REP.metadata())
        assert (again.duplicate.matched_lead_id, again.duplicate.matched_by, again.duplicate.merged) == (
            newest.lead_id, by, True,
        )


async def copy_lead(service, lead_id: str, names_and_phones: list[tuple[str, str]]) -> None:
    """Many leads straight into the database, each a copy of one with another name and phone."""
    import uuid
    from datetime import timedelta

    import sqlalchemy as sa

    from lead_routing.adapters.orm.leads import leads

    async with service.runtime.db.sessions() as session, session.begin():
        row = dict((await session.execute(sa.select(leads).where(leads.c.lead_id == lead_id))).mappings().one())
        rows = [
            row | {"lead_id": str(uuid.uuid4()), "company_name": name, "phone": phone,
                   "created_at": row["created_at"] - timedelta(seconds=len(names_and_phones) - i)}
            for i, (name, phone) in enumerate(names_and_phones)
        ]
        await session.execute(sa.insert(leads), rows)
