"""A lead file imported over real gRPC: rows stand alone, duplicates merge
(within the file too), events go out for what was stored."""

from __future__ import annotations

import grpc
import nats
import pytest

from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.support.infra import migrate, run_service

MANAGER = Caller("tenant-a", "mgr-1", "manager")

FILE = (
    "公司名称,电话,地址,来源,行业标签,近6月采购金额,近3月订单数\n"
    "绍兴柯桥恒盛纺织有限公司,13805751234,浙江省绍兴市柯桥区华舍街道,展会扫码,纺织机械,6万,4\n"
    "宁波北仑注塑机厂,0574-86881234,宁波市北仑区新碶街道,百度爱采购,注塑机,,\n"
    "恒盛纺织,13805751234,绍兴市柯桥区,,,,\n"
    "无电话公司,,佛山市顺德区,,,,\n"
    "坏来源公司,13900000000,,朋友介绍,,,\n"
    "坏金额公司,13900000001,,,,很多,\n"
)


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


async def test_each_row_is_accepted_merged_or_rejected_and_stored_leads_are_evented(service, nats_url: str) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe("crm.lead.>", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW)

    report = await stub.ImportLeads(
        pb.ImportLeadsRequest(filename="展会.csv", content=FILE.encode("utf-8-sig")), metadata=MANAGER.metadata()
    )
    assert (report.total, report.accepted, report.merged, report.rejected) == (6, 2, 1, 3)
    rows = {r.row: r for r in report.rows}
    assert rows[4].outcome == "merged"
    assert (rows[4].duplicate.matched_lead_id, rows[4].duplicate.matched_by) == (rows[2].lead_id, "phone")
    assert [(e.column, rows[5].outcome) for e in rows[5].errors] == [("电话", "rejected")]
    assert [e.column for e in rows[6].errors] == ["来源"]
    assert [e.column for e in rows[7].errors] == ["近6月采购金额"]

    listed = (await stub.ListLeads(pb.ListLeadsRequest(), metadata=MANAGER.metadata())).leads
    by_name = {x.company_name: x for x in listed}
    assert set(by_name) == {"绍兴柯桥恒盛纺织有限公司", "宁波北仑注塑机厂"}
    kq = by_name["绍兴柯桥恒盛纺织有限公司"]
    assert (kq.district, kq.purchases_6m.amount_minor, kq.orders_3m, kq.source) == ("柯桥区", 6_000_000, 4, "展会扫码")
    assert by_name["宁波北仑注塑机厂"].district == "北仑区"

    seen = []
    for _ in range(3):
        envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
        seen.append(envelope.type)
    assert sorted(seen) == ["lead.created", "lead.created", "lead.merged"]
    with pytest.raises(nats.errors.TimeoutError):
        await sub.next_msg(timeout=0.5)
    await nc.close()


async def test_a_file_that_is_no_lead_table_is_invalid_argument_on_file(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ImportLeads(
            pb.ImportLeadsRequest(filename="x.xlsx", content=b"PK\x03\x04garbage"), metadata=MANAGER.metadata()
        )
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT and [v.field for v in remote.field_violations] == ["file"]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ImportLeads(
            pb.ImportLeadsRequest(filename="x.csv", content=FILE.encode()), metadata=Caller("tenant-a", "p", "partner").metadata()
        )
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_a_merged_row_says_the_sources_the_lead_now_has_and_its_touch_keeps_channel_and_campaign(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    first = await stub.IngestLead(
        pb.IngestLeadRequest(
            company_name="宁波北仑注塑机厂", phone="13805749876", source="百度爱采购", city="宁波市", channel="爱采购店铺"
        ),
        metadata=MANAGER.metadata(),
    )
    file = (
        "公司名称,电话,来源,渠道,活动\n"
        "宁波北仑注塑机厂,13805749876,展会扫码,2026宁波机床展,秋季展会推广\n"
        "余姚精密模具厂,13805741111,展会扫码,2026宁波机床展,秋季展会推广\n"
        "宁波北仑注塑机厂,13805749876,抖音本地推,,\n"
    )
    report = await stub.ImportLeads(
        pb.ImportLeadsRequest(filename="展会.csv", content=file.encode("utf-8-sig")), metadata=MANAGER.metadata()
    )
    rows = {r.row: r for r in report.rows}
    assert [r.outcome for r in report.rows] == ["merged", "accepted", "merged"]
    assert rows[2].duplicate.matched_lead_id == first.lead.lead_id
    assert list(rows[2].duplicate.sources) == ["百度爱采购", "展会扫码"]  # as a single intake's merge answer
    assert list(rows[4].duplicate.sources) == ["百度爱采购", "展会扫码", "抖音本地推"]

    lead = (await stub.GetLead(pb.GetLeadRequest(lead_id=first.lead.lead_id), metadata=MANAGER.metadata())).lead
    assert [(t.source, t.channel, t.campaign) for t in lead.touches] == [
        ("百度爱采购", "爱采购店铺", ""),
        ("展会扫码", "2026宁波机床展", "秋季展会推广"),
        ("抖音本地推", "", ""),
    ]
    new = (await stub.GetLead(pb.GetLeadRequest(lead_id=rows[3].lead_id), metadata=MANAGER.metadata())).lead
    assert [(t.channel, t.campaign) for t in new.touches] == [("2026宁波机床展", "秋季展会推广")]


async def test_channel_and_campaign_columns_may_be_headed_in_english(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    file = "公司名称,电话,来源,Channel,campaign\n慈溪家电配件厂,13805742222,官网表单,官网首页,双十一\n"
    report = await stub.ImportLeads(
        pb.ImportLeadsRequest(filename="web.csv", content=file.encode()), metadata=MANAGER.metadata()
    )
    [row] = report.rows
    assert row.outcome == "accepted"
    lead = (await stub.GetLead(pb.GetLeadRequest(lead_id=row.lead_id), metadata=MANAGER.metadata())).lead
    assert [(t.source, t.channel, t.campaign) for t in lead.touches] == [("官网表单", "官网首页", "双十一")]

    too_long = "公司名称,电话,渠道\n余姚模具厂,13805743333," + "展" * 101 + "\n"
    report = await stub.ImportLeads(
        pb.ImportLeadsRequest(filename="long.csv", content=too_long.encode()), metadata=MANAGER.metadata()
    )
    assert [(r.outcome, [e.column for e in r.errors]) for r in report.rows] == [("rejected", ["渠道"])]

    with pytest.raises(grpc.aio.AioRpcError) as err:  # the same column under both names
        await stub.ImportLeads(
            pb.ImportLeadsRequest(filename="twice.csv", content="公司名称,渠道,channel\n甲厂,a,b\n".encode()),
            metadata=MANAGER.metadata(),
        )
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT and [v.field for v in remote.field_violations] == ["file"]
