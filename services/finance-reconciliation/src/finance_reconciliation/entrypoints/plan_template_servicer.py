"""gRPC servicer of plan templates: requests to PlanTemplateHandlers calls,
templates to messages."""

from __future__ import annotations

from collections.abc import Iterable

import grpc
from crm.finance_reconciliation.v1 import plan_template_pb2 as pb
from crm.finance_reconciliation.v1 import plan_template_pb2_grpc as pb_grpc
from crm_shared.grpc_server import current_caller

from finance_reconciliation.domain.plan_template import PlanTemplate, TemplateTerm
from finance_reconciliation.service_layer.plan_templates import PlanTemplateHandlers, TemplateInput


def template_message(t: PlanTemplate) -> pb.PlanTemplate:
    return pb.PlanTemplate(
        template_id=t.template_id, region=t.region, name=t.name, updated_by=t.updated_by,
        updated_at=t.updated_at.isoformat(),
        terms=[pb.PlanTemplateTerm(name=x.name, trigger=x.trigger, days=x.days, percent_bp=x.percent_bp) for x in t.terms],
    )


def _input(region: str, name: str, terms: Iterable[pb.PlanTemplateTerm]) -> TemplateInput:
    return TemplateInput(region, name, [TemplateTerm(t.name, t.trigger, t.days, t.percent_bp) for t in terms])


class PlanTemplateServicer(pb_grpc.PlanTemplateServiceServicer):
    def __init__(self, handlers: PlanTemplateHandlers) -> None:
        self.handlers = handlers

    async def ListPlanTemplates(
        self, request: pb.ListPlanTemplatesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPlanTemplatesResponse:
        found = await self.handlers.listed(current_caller())
        return pb.ListPlanTemplatesResponse(templates=[template_message(t) for t in found])

    async def CreatePlanTemplate(
        self, request: pb.CreatePlanTemplateRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreatePlanTemplateResponse:
        made = await self.handlers.create(current_caller(), _input(request.region, request.name, request.terms))
        return pb.CreatePlanTemplateResponse(template=template_message(made))

    async def ReplacePlanTemplate(
        self, request: pb.ReplacePlanTemplateRequest, context: grpc.aio.ServicerContext
    ) -> pb.ReplacePlanTemplateResponse:
        given = _input(request.region, request.name, request.terms)
        return pb.ReplacePlanTemplateResponse(
            template=template_message(await self.handlers.replace(current_caller(), request.template_id, given))
        )

    async def DeletePlanTemplate(
        self, request: pb.DeletePlanTemplateRequest, context: grpc.aio.ServicerContext
    ) -> pb.DeletePlanTemplateResponse:
        await self.handlers.delete(current_caller(), request.template_id)
        return pb.DeletePlanTemplateResponse()
