from typing import Annotated

from fastapi import APIRouter, Query

from crm.lead_routing.v1 import lead_routing_pb2 as pb
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.schemas import ConvertLead, IngestLead

router = APIRouter(prefix="/v1/leads", tags=["leads"])
BACKEND = "lead-routing"


@router.post("", status_code=201, summary="Ingest a lead (IngestLead)")
async def ingest_lead(body: IngestLead, rpc: RpcDep) -> dict:
    return await rpc(BACKEND, "IngestLead", to_proto(body, pb.IngestLeadRequest()))


@router.get("", summary="List leads")
async def list_leads(
    rpc: RpcDep,
    status: Annotated[str, Query(max_length=20)] = "",
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> dict:
    request = pb.ListLeadsRequest(status=status, page_size=page_size, page_token=page_token)
    return await rpc(BACKEND, "ListLeads", request)


@router.get("/{lead_id}", summary="Get a lead")
async def get_lead(lead_id: str, rpc: RpcDep) -> dict:
    return await rpc(BACKEND, "GetLead", pb.GetLeadRequest(lead_id=lead_id))


@router.post("/{lead_id}/convert", summary="Convert a lead into an opportunity")
async def convert_lead(lead_id: str, body: ConvertLead, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.ConvertLeadRequest())
    request.lead_id = lead_id
    return await rpc(BACKEND, "ConvertLead", request)
