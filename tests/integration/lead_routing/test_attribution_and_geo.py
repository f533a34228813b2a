"""What a lead keeps from every intake (multi-touch attribution through
duplicate merges) and approximate coordinates from an address, so the
radius route finds a nearby rep. Real gRPC, NATS and database."""

from __future__ import annotations

from datetime import timedelta


from crm.events.v1 import lead_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import partner_pb2 as dpb
from crm.lead_routing.v1 import partner_pb2_grpc as dpb_grpc
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.context import Caller
from crm_shared.events import unpack
from tests.integration.lead_routing.routing_helpers import (
    MANAGER,
    TENANT,
    Api,
    publish_event,
    rep,
    route,
)
from tests.support.infra import eventually


async def _ingest(api: Api, by=MANAGER, **fields) -> lpb.IngestLeadResponse:
    return await api.leads.IngestLead(lpb.IngestLeadRequest(**fields), metadata=by.metadata())


async def test_a_merge_keeps_every_touch_with_its_source_channel_campaign_and_time(api: Api, fixed_clock) -> None:
    first = await _ingest(
        api,
        company_name="宁波海天精密注塑有限公司",
        phone="13805741234",
        contact_name="王经理",
        source="百度爱采购",
        channel="爱采购店铺",
        campaign="注塑机关键词",
        address="宁波市北仑区小港街道",
        industry_tags=["注塑机"],
    )
    assert list(first.lead.sources) == ["百度爱采购"]
    fixed_clock.advance(timedelta(days=3))
    second = await _ingest(
        api,
        company_name="宁波海天精密注塑有限公司",
        phone="13805741234",
        contact_name="李工",
        source="展会扫码",
        channel="2026 宁波国际机床展",
    )
    assert second.duplicate.merged and second.duplicate.matched_lead_id == first.lead.lead_id
    assert list(second.duplicate.sources) == ["百度爱采购", "展会扫码"]

    lead = (await api.leads.GetLead(lpb.GetLeadRequest(lead_id=first.lead.lead_id), metadata=MANAGER.metadata())).lead
    assert lead.source == "百度爱采购"  # the first touch stays the lead's source
    assert list(lead.sources) == ["百度爱采购", "展会扫码"]
    assert [(t.source, t.channel, t.campaign, t.contact_name) for t in lead.touches] == [
        ("百度爱采购", "爱采购店铺", "注塑机关键词", "王经理"),
        ("展会扫码", "2026 宁波国际机床展", "", "李工"),
    ]
    assert lead.touches[1].at.ToDatetime() - lead.touches[0].at.ToDatetime() == timedelta(days=3)
    listed = await api.leads.ListLeads(lpb.ListLeadsRequest(), metadata=MANAGER.metadata())
    assert [list(x.sources) for x in listed.leads if x.lead_id == lead.lead_id] == [["百度爱采购", "展会扫码"]]

    async def merged_event() -> bool:
        return bool(await api.outbox("crm.lead.merged"))

    await eventually(merged_event)
    event = unpack(Envelope.FromString((await api.outbox("crm.lead.merged"))[0]), lead_pb2.LeadMerged)
    assert (list(event.sources), event.channel) == (["百度爱采购", "展会扫码"], "2026 宁波国际机床展")


async def test_an_address_alone_gives_approximate_coordinates_and_typed_ones_win(api: Api) -> None:
    district = await _ingest(api, company_name="北仑精工模具厂", phone="13805740001", address="宁波北仑小港街道")
    lead = district.lead
    assert (lead.district, lead.coordinates_source, lead.coordinates_approximate) == ("北仑区", "district", True)
    assert lead.HasField("latitude") and abs(lead.latitude - 29.9) < 0.2 and abs(lead.longitude - 121.84) < 0.2
    city = await _ingest(api, company_name="绍兴某纺织厂", phone="13805740002", address="浙江省绍兴市")
    assert (city.lead.coordinates_source, city.lead.coordinates_approximate) == ("city", True)
    nowhere = await _ingest(api, company_name="无地址贸易行", phone="13805740003")
    assert not nowhere.lead.HasField("latitude") and nowhere.lead.coordinates_source == ""

    typed = await _ingest(
        api, company_name="北仑精工模具厂", phone="13805740001", source="展会扫码", latitude=29.93, longitude=121.80
    )
    assert typed.duplicate.merged
    merged = (await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead.lead_id), metadata=MANAGER.metadata())).lead
    assert (merged.latitude, merged.longitude, merged.coordinates_source) == (29.93, 121.80, "typed")
    assert not merged.coordinates_approximate
    # a later address-only touch does not replace typed coordinates
    await _ingest(api, company_name="北仑精工模具厂", phone="13805740001", address="宁波市")
    again = (await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead.lead_id), metadata=MANAGER.metadata())).lead
    assert (again.latitude, again.coordinates_source) == (29.93, "typed")


async def test_the_radius_route_finds_the_nearby_rep_of_a_lead_with_only_an_address(
    api: Api, nats_url: str, fixed_clock
) -> None:
    await api.put_rep("near", region="北仑区")
    await api.put_rep("far", region="白云区")
    for rep_id, opp, lat, lng in (("near", "opp-near", 29.95, 121.71), ("far", "opp-far", 23.13, 113.26)):
        won = opportunity_pb2.OpportunityClosed(
            opportunity_id=opp, owner_id=rep_id, outcome="won", latitude=lat, longitude=lng
        )
        await publish_event(nats_url, "opportunity.closed", TENANT, opp, won, fixed_clock.now())
    await api.activate_routes(
        [
            route(
                "radius", "爱采购就近", '来源="百度爱采购"', "all", rep_filter="DISTANCE(纬度,经度,近3月成交客户位置)<=50"
            ),
            route("rest", "其余进公海", "", "pool"),
        ]
    )
    lead_id = (
        await _ingest(
            api,
            company_name="宁波北仑海达注塑机配件厂",
            phone="13805740011",
            source="百度爱采购",
            address="浙江省宁波市北仑区大碶街道",
            industry_tags=["注塑机"],
        )
    ).lead.lead_id

    async def near_is_the_candidate() -> bool:
        await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())
        pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
        entry = [e for e in pool.entries if e.lead_id == lead_id]
        return bool(entry) and entry[0].route_id == "radius" and [c.rep_id for c in entry[0].candidates] == ["near"]

    await eventually(near_is_the_candidate)
    claimed = await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("near").metadata())
    assert claimed.assignment.route_id == "radius"


async def test_a_partner_does_not_see_the_other_channels_touches_of_their_registration(api: Api) -> None:
    partner = Caller(TENANT, "p1", "partner", organisation="dist-tz")
    # The partner is a user of an active distributor (else every lead route refuses them).
    details = dpb.DistributorDetails(name="台州黄岩模具经销", users=["p1"], channel_manager_id=MANAGER.user_id)
    await dpb_grpc.DistributorServiceStub(api.svc.channel).CreateDistributor(
        dpb.CreateDistributorRequest(distributor_id="dist-tz", details=details),
        metadata=Caller(TENANT, "admin-1", "admin").metadata(),
    )
    registered = await _ingest(api, by=partner, company_name="台州黄岩模具城某厂", phone="13805760001")
    await _ingest(api, company_name="台州黄岩模具城某厂", phone="13805760001", source="展会扫码", contact_name="李工")
    mine = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=registered.lead.lead_id), metadata=partner.metadata())
    assert list(mine.lead.sources) == ["伙伴报备"] and [t.contact_name for t in mine.lead.touches] == [""]
    listed = await api.leads.ListLeads(lpb.ListLeadsRequest(), metadata=partner.metadata())
    assert [list(x.sources) for x in listed.leads] == [["伙伴报备"]]
    full = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=registered.lead.lead_id), metadata=MANAGER.metadata())
    assert list(full.lead.sources) == ["伙伴报备", "展会扫码"]
