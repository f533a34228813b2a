"""Plan templates (finance-reconciliation's PlanTemplateService): the
tenant's payment habits by region. A contract signed without payment terms
is planned by its opportunity's province's template, else its 大区's, else
the default (region ""). Finance and admins only; the service checks the
shares add up to 100% and names each failing field."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.finance_reconciliation.v1 import plan_template_pb2 as pb
from crm_shared.roles import PAYMENT_RECORDERS
from fastapi import APIRouter
from pydantic import Field, StrictInt

from gateway.adapters.stubs import plan_templates
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, PathId, Text

router = APIRouter(prefix="/v1/plan-templates")


class TermBody(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    trigger: Literal["advance", "on_delivery", "on_acceptance", "retention"]
    days: Annotated[StrictInt, Field(ge=0, le=3650)] = 0
    percent_bp: Annotated[StrictInt, Field(ge=1, le=10_000, description="share of the total: 3000 = 30%")]


class TemplateBody(Body):
    region: Annotated[str, Field(max_length=20, description="a province (浙江省), a 大区 (华东), or empty: the default")]
    name: Annotated[Text, Field(min_length=1)]
    terms: Annotated[list[TermBody], Field(min_length=1, max_length=12)]


@router.get(
    "",
    summary="The tenant's plan templates by region (the default first)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(plan_templates.ListPlanTemplates),
)
async def list_templates(rpc: RpcDep) -> dict:
    return await rpc(plan_templates.ListPlanTemplates, pb.ListPlanTemplatesRequest())


@router.post(
    "",
    status_code=201,
    summary="Add the plan template of a region (one per region: 409 when it has one)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(plan_templates.CreatePlanTemplate),
)
async def create_template(body: TemplateBody, rpc: RpcDep) -> dict:
    return await rpc(plan_templates.CreatePlanTemplate, to_proto(body, pb.CreatePlanTemplateRequest()))


@router.put(
    "/{template_id}",
    summary="Replace a plan template (contracts planned before keep their plans)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(plan_templates.ReplacePlanTemplate),
)
async def replace_template(template_id: PathId, body: TemplateBody, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.ReplacePlanTemplateRequest())
    request.template_id = template_id
    return await rpc(plan_templates.ReplacePlanTemplate, request)


@router.delete(
    "/{template_id}",
    summary="Remove a plan template (contracts planned before keep their plans)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(plan_templates.DeletePlanTemplate),
)
async def delete_template(template_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(plan_templates.DeletePlanTemplate, pb.DeletePlanTemplateRequest(template_id=template_id))
