"""gRPC servicer: translates requests to handler calls and views to messages."""

from __future__ import annotations

import grpc

from crm.opportunity.v1 import opportunity_pb2 as pb
from crm.opportunity.v1 import opportunity_pb2_grpc as pb_grpc
from crm_shared.convert import money, timestamp
from crm_shared.grpc_server import current_caller
from opportunity.domain.model import OpportunityView
from opportunity.service_layer.handlers import CreateOpportunity, OpportunityHandlers


def opportunity_message(view: OpportunityView) -> pb.Opportunity:
    opp, customer = view.opportunity, view.customer
    return pb.Opportunity(
        opportunity_id=opp.opportunity_id,
        tenant_id=opp.tenant_id,
        customer_id=customer.customer_id,
        customer_name=customer.name,
        customer_credit_code=customer.credit_code or "",
        name=opp.name,
        stage=opp.stage,
        amount=money(opp.amount_minor, opp.currency),
        owner_id=opp.owner_id,
        lead_id=opp.lead_id or "",
        created_at=timestamp(opp.created_at),
        approvals=[
            pb.ApprovalDecision(
                approval_id=a.approval_id,
                decision=a.decision,
                decided_by=a.decided_by,
                decided_at=timestamp(a.decided_at),
            )
            for a in view.approvals
        ],
    )


class OpportunityServicer(pb_grpc.OpportunityServiceServicer):
    def __init__(self, handlers: OpportunityHandlers) -> None:
        self.handlers = handlers

    async def CreateOpportunity(
        self, request: pb.CreateOpportunityRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateOpportunityResponse:
        has_amount = request.HasField("amount")
        view = await self.handlers.create(
            current_caller(),
            CreateOpportunity(
                customer_name=request.customer_name,
                customer_credit_code=request.customer_credit_code,
                name=request.name,
                amount_minor=request.amount.amount_minor if has_amount else None,
                currency=(request.amount.currency or "CNY") if has_amount else "CNY",
                owner_id=request.owner_id,
            ),
        )
        return pb.CreateOpportunityResponse(opportunity=opportunity_message(view))

    async def GetOpportunity(
        self, request: pb.GetOpportunityRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetOpportunityResponse:
        view = await self.handlers.get(current_caller(), request.opportunity_id)
        return pb.GetOpportunityResponse(opportunity=opportunity_message(view))

    async def ListOpportunities(
        self, request: pb.ListOpportunitiesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListOpportunitiesResponse:
        views, token = await self.handlers.list(
            current_caller(), lead_id=request.lead_id, size=request.page_size, token=request.page_token
        )
        return pb.ListOpportunitiesResponse(
            opportunities=[opportunity_message(v) for v in views], next_page_token=token
        )
