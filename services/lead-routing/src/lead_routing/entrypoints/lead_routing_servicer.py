"""gRPC servicer: translates requests to handler calls and leads to messages."""

from __future__ import annotations

import grpc
from crm.common.v1.common_pb2 import Money
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.convert import money, timestamp
from crm_shared.grpc_server import current_caller
from google.protobuf import json_format, struct_pb2

from lead_routing.domain.imports import ImportReport
from lead_routing.domain.lead import Lead, LeadData
from lead_routing.domain.rep import RepInput, SegmentRate
from lead_routing.service_layer.intake import Ingested, IntakeHandlers
from lead_routing.service_layer.leads import LeadHandlers
from lead_routing.service_layer.reps import RepHandlers, RepView


def lead_message(lead: Lead) -> pb.Lead:
    custom = struct_pb2.Struct()
    custom.update(dict(lead.custom_fields))
    return pb.Lead(
        lead_id=lead.lead_id,
        tenant_id=lead.tenant_id,
        company_name=lead.company_name,
        credit_code=lead.credit_code or "",
        contact_name=lead.contact_name,
        phone=lead.phone or "",
        source=lead.source,
        province=lead.province,
        city=lead.city,
        district=lead.district,
        budget=money(lead.budget_minor, lead.currency),
        status=lead.status,
        owner_id=lead.owner_id or "",
        created_at=timestamp(lead.created_at),
        opportunity_name=lead.opportunity_name or "",
        address=lead.address,
        latitude=lead.latitude,
        longitude=lead.longitude,
        industry_tags=list(lead.industry_tags),
        annual_revenue=money(lead.annual_revenue_minor),
        purchases_6m=money(lead.purchases_6m_minor),
        orders_3m=lead.orders_3m,
        budget_attribution=lead.budget_attribution,
        content_preference=lead.content_preference,
        custom_fields=custom,
        adcode=lead.adcode,
        division=lead.division,
        lost_reason=lead.lost_reason or "",
        closed_at=timestamp(lead.closed_at),
        touches=[
            pb.LeadTouch(
                source=t.source,
                channel=t.channel,
                campaign=t.campaign,
                at=timestamp(t.at),
                created_by=t.created_by,
                contact_name=t.contact_name,
                phone=t.phone,
            )
            for t in lead.all_touches
        ],
        sources=list(lead.sources),
        coordinates_source=lead.coordinates_source if lead.latitude is not None else "",
        coordinates_approximate=lead.coordinates_approximate,
        partner_protected=lead.partner_protected,
        partner_org_id=lead.partner_org_id,
        partner_name=lead.partner_name,
        registration_id=lead.registration_id,
        protected_until=timestamp(lead.protected_until),
    )


def _amount(request: object, name: str) -> tuple[int | None, str]:
    if not request.HasField(name):  # type: ignore[attr-defined]
        return None, "CNY"
    value: Money = getattr(request, name)
    return value.amount_minor, value.currency or "CNY"


def lead_data(request: pb.IngestLeadRequest) -> LeadData:
    budget, currency = _amount(request, "budget")
    revenue, revenue_currency = _amount(request, "annual_revenue")
    purchases, purchases_currency = _amount(request, "purchases_6m")
    return LeadData(
        company_name=request.company_name,
        credit_code=request.credit_code,
        contact_name=request.contact_name,
        phone=request.phone,
        source=request.source,
        address=request.address,
        province=request.province,
        city=request.city,
        district=request.district,
        latitude=request.latitude if request.HasField("latitude") else None,
        longitude=request.longitude if request.HasField("longitude") else None,
        industry_tags=tuple(request.industry_tags),
        budget_minor=budget,
        currency=currency,
        annual_revenue_minor=revenue,
        annual_revenue_currency=revenue_currency,
        purchases_6m_minor=purchases,
        purchases_6m_currency=purchases_currency,
        orders_3m=request.orders_3m if request.HasField("orders_3m") else None,
        budget_attribution=request.budget_attribution,
        content_preference=request.content_preference,
        custom_fields=json_format.MessageToDict(request.custom_fields),
        channel=request.channel,
        campaign=request.campaign,
    )


def _duplicate(done: Ingested) -> pb.DuplicateMatch | None:
    if done.match is None:
        return None
    return pb.DuplicateMatch(
        matched_lead_id=done.match.lead.lead_id,
        matched_by=done.match.matched_by,
        merged=done.merged,
        # a caller who may not see the lead hears only its id
        sources=list(done.lead.sources) if done.merged and done.visible else [],
    )


def _rate(row: SegmentRate) -> pb.SegmentConversion:
    return pb.SegmentConversion(
        kind=row.kind, segment=row.segment, converted=row.converted, lost=row.lost, rate=row.rate
    )


def rep_message(view: RepView) -> pb.Rep:
    rep = view.rep
    return pb.Rep(
        rep_id=rep.rep_id,
        name=rep.name,
        team=rep.team,
        manager_id=rep.manager_id,
        region=rep.region,
        native_place=rep.native_place,
        languages=list(rep.languages),
        industries=list(rep.industries),
        seniority=rep.seniority,
        capacity=rep.capacity,
        daily_claim_limit=rep.daily_claim_limit,
        leave=[pb.LeaveRange(start_date=x.start.isoformat(), end_date=x.end.isoformat()) for x in rep.leave],
        active=rep.active,
        available_today=view.available_today,
        open_leads=view.open_leads,
        conversion_rate=view.overall.rate,
        converted=view.overall.converted,
        lost=view.overall.lost,
        conversion_rates=[_rate(r) for r in view.segments],
        updated_by=rep.updated_by,
        updated_at=timestamp(rep.updated_at),
    )


def import_message(import_id: str, report: ImportReport) -> pb.ImportLeadsResponse:
    rows = [
        pb.ImportRow(
            row=r.row,
            outcome=r.outcome,
            lead_id=r.lead_id,
            company_name=r.company_name,
            duplicate=pb.DuplicateMatch(
                matched_lead_id=r.matched_lead_id,
                matched_by=r.matched_by,
                merged=r.outcome == "merged",
                sources=list(r.sources),
            )
            if r.matched_lead_id
            else None,
            errors=[pb.ImportFieldError(column=e.field, description=e.description) for e in r.errors],
        )
        for r in report.rows
    ]
    return pb.ImportLeadsResponse(
        import_id=import_id,
        total=len(report.rows),
        accepted=report.count("accepted"),
        merged=report.count("merged"),
        rejected=report.count("rejected"),
        rows=rows,
    )


class LeadRoutingServicer(pb_grpc.LeadRoutingServiceServicer):
    def __init__(self, intake: IntakeHandlers, leads: LeadHandlers, reps: RepHandlers) -> None:
        self.intake = intake
        self.leads = leads
        self.reps = reps

    async def IngestLead(
        self, request: pb.IngestLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.IngestLeadResponse:
        done = await self.intake.ingest(current_caller(), lead_data(request))
        # Merged into a lead the caller may not see: say which, show nothing of it.
        lead = lead_message(done.lead) if done.visible else pb.Lead(lead_id=done.lead.lead_id, status=done.lead.status)
        return pb.IngestLeadResponse(lead=lead, duplicate=_duplicate(done))

    async def GetLead(self, request: pb.GetLeadRequest, context: grpc.aio.ServicerContext) -> pb.GetLeadResponse:
        return pb.GetLeadResponse(lead=lead_message(await self.leads.get(current_caller(), request.lead_id)))

    async def ListLeads(self, request: pb.ListLeadsRequest, context: grpc.aio.ServicerContext) -> pb.ListLeadsResponse:
        leads, token = await self.leads.list(
            current_caller(), status=request.status, size=request.page_size, token=request.page_token
        )
        return pb.ListLeadsResponse(leads=[lead_message(x) for x in leads], next_page_token=token)

    async def ConvertLead(
        self, request: pb.ConvertLeadRequest, context: grpc.aio.ServicerContext
    ) -> pb.ConvertLeadResponse:
        amount = request.expected_amount if request.HasField("expected_amount") else None
        lead = await self.leads.convert(current_caller(), request.lead_id, request.opportunity_name, amount)
        return pb.ConvertLeadResponse(lead=lead_message(lead))

    async def LoseLead(self, request: pb.LoseLeadRequest, context: grpc.aio.ServicerContext) -> pb.LoseLeadResponse:
        lead = await self.leads.lose(current_caller(), request.lead_id, request.reason)
        return pb.LoseLeadResponse(lead=lead_message(lead))

    async def ImportLeads(
        self, request: pb.ImportLeadsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ImportLeadsResponse:
        import_id, report = await self.intake.import_leads(current_caller(), request.filename, request.content)
        return import_message(import_id, report)

    async def DefineLeadField(
        self, request: pb.DefineLeadFieldRequest, context: grpc.aio.ServicerContext
    ) -> pb.DefineLeadFieldResponse:
        name, kind = await self.leads.define_field(current_caller(), request.field.name, request.field.type)
        return pb.DefineLeadFieldResponse(field=pb.LeadField(name=name, type=kind))

    async def ListLeadFields(
        self, request: pb.ListLeadFieldsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListLeadFieldsResponse:
        fields = await self.leads.list_fields(current_caller())
        return pb.ListLeadFieldsResponse(fields=[pb.LeadField(name=n, type=t) for n, t in fields.items()])

    async def PutRep(self, request: pb.PutRepRequest, context: grpc.aio.ServicerContext) -> pb.PutRepResponse:
        cmd = RepInput(
            rep_id=request.rep_id,
            name=request.name,
            team=request.team,
            manager_id=request.manager_id,
            region=request.region,
            native_place=request.native_place,
            languages=tuple(request.languages),
            industries=tuple(request.industries),
            seniority=request.seniority or "junior",
            capacity=request.capacity if request.HasField("capacity") else None,
            daily_claim_limit=request.daily_claim_limit if request.HasField("daily_claim_limit") else None,
            leave=tuple((x.start_date, x.end_date) for x in request.leave),
            active=request.active if request.HasField("active") else True,
        )
        view, created = await self.reps.put_rep(current_caller(), cmd)
        return pb.PutRepResponse(rep=rep_message(view), created=created)

    async def GetRep(self, request: pb.GetRepRequest, context: grpc.aio.ServicerContext) -> pb.GetRepResponse:
        return pb.GetRepResponse(rep=rep_message(await self.reps.get_rep(current_caller(), request.rep_id)))

    async def ListReps(self, request: pb.ListRepsRequest, context: grpc.aio.ServicerContext) -> pb.ListRepsResponse:
        views = await self.reps.list_reps(current_caller(), request.team)
        return pb.ListRepsResponse(reps=[rep_message(v) for v in views])
