"""Rep profiles over real gRPC, database and JetStream: writes evented as
rep.profile_changed, open leads counted, conversion rates learnt from outcomes."""

from __future__ import annotations

import grpc
import nats
import pytest

from crm.events.v1 import rep_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.support.infra import migrate, run_service

MANAGER = Caller("demo", "wangqiang", "manager")
OTHER_MANAGER = Caller("demo", "limin", "manager")
ADMIN = Caller("demo", "admin", "admin")
ZHANGWEI = Caller("demo", "zhangwei", "rep")
LINA = Caller("demo", "lina", "rep")


@pytest.fixture
async def stub(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield pb_grpc.LeadRoutingServiceStub(running.channel)


def zhangwei(**fields) -> pb.PutRepRequest:
    base = {
        "rep_id": "zhangwei", "name": "张伟", "team": "华东一组", "region": "柯桥区", "native_place": "绍兴",
        "languages": ["普通话", "绍兴话"], "industries": ["纺织机械"], "seniority": "senior", "capacity": 20,
        "daily_claim_limit": 3,
    }
    return pb.PutRepRequest(**(base | fields))


async def test_profile_writes_are_evented_once_per_change(stub, nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.rep.profile_changed", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    created = await stub.PutRep(zhangwei(), metadata=MANAGER.metadata())
    assert created.created and created.rep.manager_id == "wangqiang"  # a manager's new rep is theirs
    assert (created.rep.native_place, created.rep.open_leads, created.rep.available_today) == ("绍兴市", 0, True)
    assert not created.rep.HasField("conversion_rate")
    envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
    event = unpack(envelope, rep_pb2.RepProfileChanged)
    assert (envelope.tenant_id, event.rep_id, event.team, event.manager_id, event.region, event.seniority) == (
        "demo", "zhangwei", "华东一组", "wangqiang", "柯桥区", "senior",
    )
    same = await stub.PutRep(zhangwei(), metadata=MANAGER.metadata())
    assert not same.created
    changed = await stub.PutRep(zhangwei(active=False), metadata=MANAGER.metadata())
    assert not changed.rep.active and not changed.rep.available_today
    event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), rep_pb2.RepProfileChanged)
    assert not event.active  # the unchanged write published nothing in between
    await nc.close()


async def test_who_writes_and_reads_profiles(stub) -> None:
    await stub.PutRep(zhangwei(), metadata=MANAGER.metadata())
    for caller in (ZHANGWEI, OTHER_MANAGER):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.PutRep(zhangwei(capacity=99), metadata=caller.metadata())
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    moved = await stub.PutRep(zhangwei(manager_id="limin"), metadata=ADMIN.metadata())
    assert moved.rep.manager_id == "limin"
    await stub.PutRep(zhangwei(rep_id="lina", name="李娜", region="北仑"), metadata=MANAGER.metadata())

    assert (await stub.GetRep(pb.GetRepRequest(rep_id="zhangwei"), metadata=ZHANGWEI.metadata())).rep.name == "张伟"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetRep(pb.GetRepRequest(rep_id="zhangwei"), metadata=LINA.metadata())
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    listed = await stub.ListReps(pb.ListRepsRequest(), metadata=MANAGER.metadata())
    assert [(r.rep_id, r.region) for r in listed.reps] == [("lina", "北仑区")]
    assert len((await stub.ListReps(pb.ListRepsRequest(), metadata=ADMIN.metadata())).reps) == 2
    assert not (await stub.ListReps(pb.ListRepsRequest(), metadata=Caller("other", "admin", "admin").metadata())).reps

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.PutRep(zhangwei(rep_id="x", seniority="boss", region="火星", capacity=-3), metadata=ADMIN.metadata())
    assert {v.field for v in decode_rpc_error(err.value).field_violations} == {"seniority", "region", "capacity"}


async def test_open_leads_and_conversion_rates_follow_outcomes(stub) -> None:
    await stub.PutRep(zhangwei(), metadata=MANAGER.metadata())

    async def lead(phone: str, source: str, tags: list[str]) -> str:
        request = pb.IngestLeadRequest(company_name=f"客户{phone}", phone=phone, source=source, industry_tags=tags)
        return (await stub.IngestLead(request, metadata=ZHANGWEI.metadata())).lead.lead_id

    a = await lead("13800000001", "展会扫码", ["注塑机"])
    b = await lead("13800000002", "展会扫码", ["注塑机", "模具"])
    c = await lead("13800000003", "百度爱采购", ["模具"])
    await lead("13800000004", "百度爱采购", [])
    await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=a), metadata=ZHANGWEI.metadata())
    await stub.ConvertLead(pb.ConvertLeadRequest(lead_id=b), metadata=ZHANGWEI.metadata())
    await stub.LoseLead(pb.LoseLeadRequest(lead_id=c, reason="选了竞品"), metadata=MANAGER.metadata())

    rep = (await stub.GetRep(pb.GetRepRequest(rep_id="zhangwei"), metadata=ZHANGWEI.metadata())).rep
    assert rep.open_leads == 1
    assert (rep.converted, rep.lost, rep.conversion_rate) == (2, 1, pytest.approx(2 / 3))
    rates = {(r.kind, r.segment): (r.converted, r.lost, r.rate) for r in rep.conversion_rates}
    assert rates == {
        ("source", "展会扫码"): (2, 0, 1.0),
        ("source", "百度爱采购"): (0, 1, 0.0),
        ("industry", "注塑机"): (2, 0, 1.0),
        ("industry", "模具"): (1, 1, 0.5),
    }
