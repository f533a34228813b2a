"""Leads, lead files, a tenant's own lead fields and rep profiles (lead-routing)."""

from typing import Annotated

from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm_shared.limits import MAX_IMPORT_BYTES
from crm_shared.paging import DEFAULT_PAGE_SIZE
from crm_shared.roles import (
    LEAD_CLOSERS,
    LEAD_FIELD_DEFINERS,
    LEAD_IMPORTERS,
    LEAD_INTAKE,
    REP_READERS,
    ROUTING_MANAGERS,
)
from fastapi import APIRouter, File, Query, UploadFile

from gateway.adapters.stubs import lead_routing
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import ConvertLead, IngestLead, LeadField, LoseLead, PageSize, PageToken, PutRep
from gateway.problems import Problem

router = APIRouter(prefix="/v1")

IMPORT_HELP = (
    "A CSV (UTF-8 or GB18030) or Excel .xlsx file: one header row, then one lead per row. Columns (any order, "
    "only 公司名称 required): 公司名称, 统一社会信用代码, 联系人, 电话, 地址, 来源 (blank = 导入), 行业标签 "
    "(separated by , 、 ;), 预算, 年营业额, 近6月采购金额 (元; 5万 and 1.2亿 accepted), 近3月订单数, 纬度, 经度, "
    "预算归属, 内容偏好, 渠道 (or channel), 活动 (or campaign), and the tenant's own lead fields by name. "
    "Each row is accepted, merged into the lead it duplicates (its answer then lists the sources the lead now "
    "has), or rejected naming the column and the reason; the other rows go on."
)


@router.post(
    "/leads",
    status_code=201,
    summary="Ingest a lead (IngestLead)",
    dependencies=[allow(LEAD_INTAKE)],
    response_model=reply(lead_routing.IngestLead),
)
async def ingest_lead(body: IngestLead, rpc: RpcDep) -> dict:
    return await rpc(lead_routing.IngestLead, to_proto(body, pb.IngestLeadRequest()))


@router.post(
    "/leads/import",
    summary="Import a CSV or Excel file of leads, with a per-row report",
    description=IMPORT_HELP,
    dependencies=[allow(LEAD_IMPORTERS)],
    response_model=reply(lead_routing.ImportLeads),
)
async def import_leads(rpc: RpcDep, file: Annotated[UploadFile, File(description="the .csv or .xlsx file")]) -> dict:
    content = await file.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise Problem(413, f"file: is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it")
    request = pb.ImportLeadsRequest(filename=file.filename or "", content=content)
    return await rpc(lead_routing.ImportLeads, request, batch=True)


@router.get("/leads", summary="List leads", response_model=reply(lead_routing.ListLeads))
async def list_leads(
    rpc: RpcDep,
    status: Annotated[str, Query(max_length=20)] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListLeadsRequest(status=status, page_size=page_size, page_token=page_token)
    return await rpc(lead_routing.ListLeads, request)


@router.get("/leads/{lead_id}", summary="Get a lead", response_model=reply(lead_routing.GetLead))
async def get_lead(lead_id: str, rpc: RpcDep) -> dict:
    return await rpc(lead_routing.GetLead, pb.GetLeadRequest(lead_id=lead_id))


@router.post(
    "/leads/{lead_id}/convert",
    summary="Convert a lead into an opportunity",
    dependencies=[allow(LEAD_CLOSERS)],
    response_model=reply(lead_routing.ConvertLead),
)
async def convert_lead(lead_id: str, body: ConvertLead, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.ConvertLeadRequest())
    request.lead_id = lead_id
    return await rpc(lead_routing.ConvertLead, request)


@router.post(
    "/leads/{lead_id}/lose",
    summary="Close an open lead as lost, with the reason",
    dependencies=[allow(LEAD_CLOSERS)],
    response_model=reply(lead_routing.LoseLead),
)
async def lose_lead(lead_id: str, body: LoseLead, rpc: RpcDep) -> dict:
    return await rpc(lead_routing.LoseLead, pb.LoseLeadRequest(lead_id=lead_id, reason=body.reason))


@router.get("/lead-fields", summary="The tenant's own lead fields", response_model=reply(lead_routing.ListLeadFields))
async def list_lead_fields(rpc: RpcDep) -> dict:
    return await rpc(lead_routing.ListLeadFields, pb.ListLeadFieldsRequest())


@router.put(
    "/lead-fields/{name}",
    summary="Define a lead field of the tenant (admins)",
    dependencies=[allow(LEAD_FIELD_DEFINERS)],
    response_model=reply(lead_routing.DefineLeadField),
)
async def define_lead_field(name: str, body: LeadField, rpc: RpcDep) -> dict:
    request = pb.DefineLeadFieldRequest(field=pb.LeadField(name=name, type=body.type))
    return await rpc(lead_routing.DefineLeadField, request)


@router.get(
    "/reps",
    summary="Rep profiles: an admin's tenant, a manager's reps, a rep's own",
    dependencies=[allow(REP_READERS)],
    response_model=reply(lead_routing.ListReps),
)
async def list_reps(rpc: RpcDep, team: Annotated[str, Query(max_length=200)] = "") -> dict:
    return await rpc(lead_routing.ListReps, pb.ListRepsRequest(team=team))


@router.get(
    "/reps/{rep_id}",
    summary="A rep profile with open leads and conversion rates (`me` for one's own)",
    response_model=reply(lead_routing.GetRep),
)
async def get_rep(rep_id: str, rpc: RpcDep) -> dict:
    rep_id = rpc.caller.user_id if rep_id == "me" else rep_id
    return await rpc(lead_routing.GetRep, pb.GetRepRequest(rep_id=rep_id))


@router.put(
    "/reps/{rep_id}",
    summary="Create or replace a rep profile (managers, admins)",
    dependencies=[allow(ROUTING_MANAGERS)],
    response_model=reply(lead_routing.PutRep),
)
async def put_rep(rep_id: str, body: PutRep, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.PutRepRequest())
    request.rep_id = rep_id
    return await rpc(lead_routing.PutRep, request)
