"""gRPC servicer: translates requests to handler calls and leads to messages."""

from __future__ import annotations

import grpc

from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.convert import money, timestamp
from crm_shared.grpc_server import current_caller
from lead_routing.domain.model import Lead
from lead_routing.service_layer.handlers import IngestLead, LeadHandlers


def lead_message(lead: Lead) -> pb.Lead:
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
    )


class LeadRoutingServicer(pb_grpc.LeadRoutingServiceServicer):
    def __init__(self, handlers: LeadHandlers) -> None:
        self.handlers = handlers

    async def IngestLead(self, request: pb.IngestLeadRequest, context: grpc.aio.ServicerContext) -> pb.IngestLeadResponse:
        has_budget = request.HasField("budget")
        lead, match, merged = await self.handlers.ingest(
            current_caller(),
            IngestLead(
                company_name=request.company_name,
                credit_code=request.credit_code,
                contact_name=request.contact_name,
                phone=request.phone,
                source=request.source or "手工录入",
                province=request.province,
                city=request.city,
                district=request.district,
                budget_minor=request.budget.amount_minor if has_budget else None,
                currency=(request.budget.currency or "CNY") if has_budget else "CNY",
            ),
        )
        duplicate = (
            pb.DuplicateMatch(matched_lead_id=match.lead.lead_id, matched_by=match.matched_by, merged=merged)
            if match
            else None
        )
        return pb.IngestLeadResponse(lead=lead_message(lead), duplicate=duplicate)

    async def GetLead(self, request: pb.GetLeadRequest, context: grpc.aio.ServicerContext) -> pb.GetLeadResponse:
        return pb.GetLeadResponse(lead=lead_message(await self.handlers.get(current_caller(), request.lead_id)))

    async def ListLeads(self, request: pb.ListLeadsRequest, context: grpc.aio.ServicerContext) -> pb.ListLeadsResponse:
        leads, token = await self.handlers.list(
            current_caller(), status=request.status, size=request.page_size, token=request.page_token
        )
        return pb.ListLeadsResponse(leads=[lead_message(x) for x in leads], next_page_token=token)

    async def ConvertLead(self, request: pb.ConvertLeadRequest, context: grpc.aio.ServicerContext) -> pb.ConvertLeadResponse:
        amount = request.expected_amount if request.HasField("expected_amount") else None
        lead = await self.handlers.convert(current_caller(), request.lead_id, request.opportunity_name, amount)
        return pb.ConvertLeadResponse(lead=lead_message(lead))
