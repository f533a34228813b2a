from typing import Annotated

from fastapi import APIRouter, Query

from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as finance_pb
from crm.opportunity.v1 import opportunity_pb2 as pb
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.schemas import CreateOpportunity

router = APIRouter(prefix="/v1/opportunities", tags=["opportunities"])
BACKEND = "opportunity"


@router.post("", status_code=201, summary="Create an opportunity")
async def create_opportunity(body: CreateOpportunity, rpc: RpcDep) -> dict:
    return await rpc(BACKEND, "CreateOpportunity", to_proto(body, pb.CreateOpportunityRequest()))


@router.get("", summary="List opportunities")
async def list_opportunities(
    rpc: RpcDep,
    lead_id: Annotated[str, Query(max_length=64)] = "",
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> dict:
    request = pb.ListOpportunitiesRequest(lead_id=lead_id, page_size=page_size, page_token=page_token)
    return await rpc(BACKEND, "ListOpportunities", request)


@router.get("/{opportunity_id}", summary="Get an opportunity with its approval decisions")
async def get_opportunity(opportunity_id: str, rpc: RpcDep) -> dict:
    return await rpc(BACKEND, "GetOpportunity", pb.GetOpportunityRequest(opportunity_id=opportunity_id))


@router.get("/{opportunity_id}/payments", tags=["payments"], summary="Payments received for an opportunity")
async def list_payments(opportunity_id: str, rpc: RpcDep) -> dict:
    request = finance_pb.ListPaymentsRequest(opportunity_id=opportunity_id)
    return await rpc("finance-reconciliation", "ListPayments", request)
