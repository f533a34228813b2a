from typing import Annotated, Literal

from crm.opportunity.v1 import opportunity_pb2 as pb
from crm.opportunity.v1 import pipeline_pb2 as pipeline_pb
from crm_shared.limits import MAX_CLOSE_REASON
from crm_shared.paging import DEFAULT_PAGE_SIZE
from crm_shared.roles import OPPORTUNITY_CREATORS, OPPORTUNITY_MOVERS
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import opportunity, pipeline
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, CreateOpportunity, Id, Money, PageSize, PageToken, Text

router = APIRouter(prefix="/v1/opportunities")
# YYYY-MM-DD (the service names a bad one); "" clears it in an update.
Day = Annotated[str, Field(max_length=10)]
Reason = Annotated[str, Field(max_length=MAX_CLOSE_REASON)]


class CreateOpportunityInPipeline(CreateOpportunity):
    pipeline_id: Id = ""
    expected_close_date: Day = ""
    contract_end_date: Day = ""
    product_line: Text = ""
    decision_maker: Text = ""


class UpdateOpportunity(Body):
    """Only the fields sent change."""

    name: Text | None = None
    amount: Money | None = None
    expected_close_date: Day | None = None
    contract_end_date: Day | None = None
    product_line: Text | None = None
    decision_maker: Text | None = None


class PlaceOpportunity(Body):
    pipeline_id: Id


class MoveStage(Body):
    stage: Annotated[str, Field(min_length=1, max_length=50)]


class Close(Body):
    reason: Reason = ""


class CloseLost(Body):
    reason: Annotated[str, Field(min_length=1, max_length=MAX_CLOSE_REASON)]


@router.post(
    "",
    status_code=201,
    summary="Create an opportunity",
    dependencies=[allow(OPPORTUNITY_CREATORS)],
    response_model=reply(opportunity.CreateOpportunity),
)
async def create_opportunity(body: CreateOpportunityInPipeline, rpc: RpcDep) -> dict:
    return await rpc(opportunity.CreateOpportunity, to_proto(body, pb.CreateOpportunityRequest()))


@router.get(
    "",
    summary="List opportunities",
    description="Within the caller's scope, oldest first; filtered as GET /v1/board is (a board column's cards: "
    "pipeline_id, stage and status=open) or to one customer's (customer_id).",
    response_model=reply(opportunity.ListOpportunities),
)
async def list_opportunities(
    rpc: RpcDep,
    lead_id: Annotated[str, Query(max_length=64)] = "",
    pipeline_id: Annotated[str, Query(max_length=64)] = "",
    stage: Annotated[str, Query(max_length=50)] = "",
    status: Annotated[Literal["", "open", "won", "lost"], Query()] = "",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=100)] = "",
    region: Annotated[str, Query(max_length=100)] = "",
    product_line: Annotated[str, Query(max_length=200)] = "",
    customer_id: Annotated[str, Query(max_length=64)] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListOpportunitiesRequest(
        lead_id=lead_id, pipeline_id=pipeline_id, stage=stage, status=status, owner_id=owner_id, team=team,
        region=region, product_line=product_line, customer_id=customer_id, page_size=page_size,
        page_token=page_token,
    )
    return await rpc(opportunity.ListOpportunities, request)


@router.get(
    "/{opportunity_id}",
    summary="Get an opportunity with its approval decisions",
    response_model=reply(opportunity.GetOpportunity),
)
async def get_opportunity(opportunity_id: str, rpc: RpcDep) -> dict:
    return await rpc(opportunity.GetOpportunity, pb.GetOpportunityRequest(opportunity_id=opportunity_id))


@router.patch(
    "/{opportunity_id}",
    summary="Fill or change the fields stage gates ask for",
    description=(
        "A field a pending approval locks (its policy's locked_fields) cannot change: 409 with a violation "
        "of type approval_lock naming the field and the approval. 503 when approval cannot say; nothing changes."
    ),
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(opportunity.UpdateOpportunity),
)
async def update_opportunity(opportunity_id: str, body: UpdateOpportunity, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.UpdateOpportunityRequest())
    request.opportunity_id = opportunity_id
    return await rpc(opportunity.UpdateOpportunity, request)


@router.post(
    "/{opportunity_id}/pipeline",
    summary="Place in a pipeline's first stage",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(pipeline.PlaceOpportunity),
)
async def place_opportunity(opportunity_id: str, body: PlaceOpportunity, rpc: RpcDep) -> dict:
    request = pipeline_pb.PlaceOpportunityRequest(opportunity_id=opportunity_id, pipeline_id=body.pipeline_id)
    return await rpc(pipeline.PlaceOpportunity, request)


@router.post(
    "/{opportunity_id}/stage",
    summary="Move to a stage; 409 lists every unmet gate requirement (skipped stages included) and nothing changes",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(pipeline.MoveStage),
)
async def move_stage(opportunity_id: str, body: MoveStage, rpc: RpcDep) -> dict:
    request = pipeline_pb.MoveStageRequest(opportunity_id=opportunity_id, stage=body.stage)
    return await rpc(pipeline.MoveStage, request)


@router.post(
    "/{opportunity_id}/won",
    summary="Close as won; 409 lists every unmet gate requirement (current stage to the last) and nothing changes",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(pipeline.CloseWon),
)
async def close_won(opportunity_id: str, body: Close, rpc: RpcDep) -> dict:
    request = pipeline_pb.CloseWonRequest(opportunity_id=opportunity_id, reason=body.reason)
    return await rpc(pipeline.CloseWon, request)


@router.post(
    "/{opportunity_id}/lost",
    summary="Close as lost (a reason is required)",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(pipeline.CloseLost),
)
async def close_lost(opportunity_id: str, body: CloseLost, rpc: RpcDep) -> dict:
    request = pipeline_pb.CloseLostRequest(opportunity_id=opportunity_id, reason=body.reason)
    return await rpc(pipeline.CloseLost, request)


@router.post(
    "/{opportunity_id}/reopen",
    summary="Reopen in the stage it was closed in",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(pipeline.Reopen),
)
async def reopen_opportunity(opportunity_id: str, rpc: RpcDep) -> dict:
    return await rpc(pipeline.Reopen, pipeline_pb.ReopenRequest(opportunity_id=opportunity_id))


@router.get(
    "/{opportunity_id}/history",
    summary="Stage history and time spent per stage",
    response_model=reply(pipeline.GetStageHistory),
)
async def get_stage_history(opportunity_id: str, rpc: RpcDep) -> dict:
    return await rpc(pipeline.GetStageHistory, pipeline_pb.GetStageHistoryRequest(opportunity_id=opportunity_id))


class RecordDelivery(Body):
    contract_id: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Literal["delivery", "acceptance"]
    on: Annotated[str, Field(min_length=1, max_length=10, description="ISO date (Asia/Shanghai), e.g. 2026-12-01")]
    note: Annotated[str, Field(max_length=500)] = ""


@router.post(
    "/{opportunity_id}/deliveries",
    status_code=201,
    summary="Record that a contract's goods were delivered or accepted (finance dates what waits on it)",
    description=(
        "By the owner, their manager or an admin. The contract must be one of this opportunity's (422 naming "
        "contract_id); an acceptance before the contract's delivery is 422 naming on. 503 when "
        "document-versioning cannot say whose contract it is; nothing changes."
    ),
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(opportunity.RecordDelivery),
)
async def record_delivery(opportunity_id: str, body: RecordDelivery, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.RecordDeliveryRequest())
    request.opportunity_id = opportunity_id
    return await rpc(opportunity.RecordDelivery, request)


@router.get(
    "/{opportunity_id}/deliveries",
    summary="Deliveries and acceptances recorded on an opportunity, newest first",
    response_model=reply(opportunity.ListDeliveries),
)
async def list_deliveries(opportunity_id: str, rpc: RpcDep) -> dict:
    return await rpc(opportunity.ListDeliveries, pb.ListDeliveriesRequest(opportunity_id=opportunity_id))
