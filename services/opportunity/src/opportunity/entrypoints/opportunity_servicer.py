"""gRPC servicer: translates requests to handler calls and views to messages."""

from __future__ import annotations

import grpc
from crm.opportunity.v1 import opportunity_pb2 as pb
from crm.opportunity.v1 import opportunity_pb2_grpc as pb_grpc
from crm_shared.convert import money, timestamp
from crm_shared.grpc_server import current_caller

from opportunity.domain.delivery import Delivery, DeliveryInput
from opportunity.domain.opportunity import Details, ListFilter, OpportunityView
from opportunity.service_layer.deliveries import DeliveryHandlers
from opportunity.service_layer.opportunities import NewOpportunity, OpportunityHandlers


def _day(value) -> str:  # type: ignore[no-untyped-def]
    return value.isoformat() if value else ""


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
        pipeline_id=opp.pipeline_id or "",
        probability=opp.probability or 0,
        status=opp.status,
        forecast_category=opp.forecast_category,
        expected_close_date=_day(opp.expected_close_date),
        contract_end_date=_day(opp.contract_end_date),
        product_line=opp.product_line,
        decision_maker=opp.decision_maker,
        flags=list(opp.flags),
        red=opp.red,
        close_reason=opp.close_reason,
        closed_at=timestamp(opp.closed_at),
        stage_entered_at=timestamp(opp.stage_entered_at),
        partner_org_id=opp.partner_org_id,
        registration_id=opp.registration_id,
        partner_protected=opp.partner_protected,
        partner_name=opp.partner_name,
        approvals=[
            pb.ApprovalDecision(
                approval_id=a.approval_id,
                decision=a.decision,
                decided_by=a.decided_by,
                decided_at=timestamp(a.decided_at),
                kind=a.kind,
            )
            for a in view.approvals
        ],
    )


def delivery_message(d: Delivery) -> pb.Delivery:
    return pb.Delivery(
        delivery_id=d.delivery_id,
        opportunity_id=d.opportunity_id,
        contract_id=d.contract_id,
        kind=d.kind,
        on=d.happened_on.isoformat(),
        note=d.note,
        recorded_by=d.recorded_by,
        recorded_at=timestamp(d.recorded_at),
    )


class OpportunityServicer(pb_grpc.OpportunityServiceServicer):
    def __init__(self, handlers: OpportunityHandlers, deliveries: DeliveryHandlers) -> None:
        self.handlers = handlers
        self.deliveries = deliveries

    async def CreateOpportunity(
        self, request: pb.CreateOpportunityRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateOpportunityResponse:
        has_amount = request.HasField("amount")
        view = await self.handlers.create(
            current_caller(),
            NewOpportunity(
                customer_name=request.customer_name,
                customer_credit_code=request.customer_credit_code,
                name=request.name,
                amount_minor=request.amount.amount_minor if has_amount else None,
                currency=(request.amount.currency or "CNY") if has_amount else "CNY",
                owner_id=request.owner_id,
                pipeline_id=request.pipeline_id,
                details=Details(
                    expected_close_date=request.expected_close_date or None,
                    contract_end_date=request.contract_end_date or None,
                    product_line=request.product_line or None,
                    decision_maker=request.decision_maker or None,
                ),
            ),
        )
        return pb.CreateOpportunityResponse(opportunity=opportunity_message(view))

    async def UpdateOpportunity(
        self, request: pb.UpdateOpportunityRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdateOpportunityResponse:
        has_amount = request.HasField("amount")
        details = Details(
            name=request.name if request.HasField("name") else None,
            amount_minor=request.amount.amount_minor if has_amount else None,
            currency=(request.amount.currency or "CNY") if has_amount else None,
            **{
                f: getattr(request, f) if request.HasField(f) else None
                for f in ("expected_close_date", "contract_end_date", "product_line", "decision_maker")
            },
        )
        view = await self.handlers.update(current_caller(), request.opportunity_id, details)
        return pb.UpdateOpportunityResponse(opportunity=opportunity_message(view))

    async def GetOpportunity(
        self, request: pb.GetOpportunityRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetOpportunityResponse:
        view = await self.handlers.get(current_caller(), request.opportunity_id)
        return pb.GetOpportunityResponse(opportunity=opportunity_message(view))

    async def ListOpportunities(
        self, request: pb.ListOpportunitiesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListOpportunitiesResponse:
        where = ListFilter(
            pipeline_id=request.pipeline_id.strip(),
            stage=request.stage.strip(),
            status=request.status.strip(),
            owner_id=request.owner_id.strip(),
            team=request.team.strip(),
            region=request.region.strip(),
            product_line=request.product_line.strip(),
            customer_id=request.customer_id.strip(),
        )
        views, token = await self.handlers.list(
            current_caller(), lead_id=request.lead_id, size=request.page_size, token=request.page_token, where=where
        )
        return pb.ListOpportunitiesResponse(
            opportunities=[opportunity_message(v) for v in views], next_page_token=token
        )

    async def RecordDelivery(
        self, request: pb.RecordDeliveryRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordDeliveryResponse:
        cmd = DeliveryInput(contract_id=request.contract_id, kind=request.kind, on=request.on, note=request.note)
        delivery = await self.deliveries.record(current_caller(), request.opportunity_id, cmd)
        return pb.RecordDeliveryResponse(delivery=delivery_message(delivery))

    async def ListDeliveries(
        self, request: pb.ListDeliveriesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDeliveriesResponse:
        found = await self.deliveries.listed(current_caller(), request.opportunity_id)
        return pb.ListDeliveriesResponse(deliveries=[delivery_message(d) for d in found])
