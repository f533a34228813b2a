"""Pipelines, stages and gates, the board, tasks (opportunity's PipelineService).
Stage moves, won/lost/reopen and history are under /v1/opportunities."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.opportunity.v1 import pipeline_pb2 as pb
from crm_shared.approval_kinds import OPPORTUNITY_KINDS as KINDS
from crm_shared.limits import MAX_STAGES
from crm_shared.roles import OPPORTUNITY_MOVERS, PIPELINE_EDITORS, PIPELINE_READERS
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import pipeline
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Text

router = APIRouter(prefix="/v1")

DocType = Annotated[str, Field(max_length=200)]
ApprovalKind = Literal[KINDS]  # type: ignore[valid-type]
# An activity kind; which ones a playbook may recommend the service checks (400 naming stages[i].playbook).
PlaybookKind = Annotated[str, Field(max_length=20)]
RequirableField = Literal["amount", "expected_close_date", "decision_maker", "product_line", "contract_end_date"]


class GateBody(Body):
    """What must hold before an opportunity may enter the stage."""

    required_fields: Annotated[list[RequirableField], Field(max_length=10)] = []
    required_documents: Annotated[list[DocType], Field(max_length=20)] = []
    approval_kinds: list[ApprovalKind] = Field(
        default_factory=list,
        max_length=len(KINDS),
        description="For each kind, the opportunity's latest request of that kind must be approved and not stale",
    )
    requires_approval: bool = Field(
        False, description='Deprecated: true with no approval_kinds asks for a "quote" approval'
    )


class StageBody(Body):
    name: Annotated[str, Field(max_length=50)]
    probability: Annotated[int, Field(ge=0, le=100)]
    forecast_category: Literal["pipeline", "best_case", "commit", "closed"]
    gate: GateBody = GateBody()
    max_days: (
        Annotated[int, Field(ge=1, le=3650, description="days allowed in the stage before it is flagged stuck")] | None
    ) = None
    playbook: list[PlaybookKind] = Field(
        default_factory=list,
        max_length=10,
        description="Key actions (activity kinds: visit, call, chat, demo, quote_sent, proposal_sent) "
        "recommended while an opportunity is in the stage; "
        "关键动作饱和度 counts how many were logged during each stay",
    )


class PipelineBody(Body):
    name: Text
    product_line: Text = ""
    stages: Annotated[list[StageBody], Field(min_length=1, max_length=MAX_STAGES)]


@router.post(
    "/pipelines",
    status_code=201,
    summary="Define a pipeline (manager, admin)",
    dependencies=[allow(PIPELINE_EDITORS)],
    response_model=reply(pipeline.CreatePipeline),
)
async def create_pipeline(body: PipelineBody, rpc: RpcDep) -> dict:
    return await rpc(pipeline.CreatePipeline, to_proto(body, pb.CreatePipelineRequest()))


@router.get(
    "/pipelines",
    summary="The tenant's pipelines",
    dependencies=[allow(PIPELINE_READERS)],
    response_model=reply(pipeline.ListPipelines),
)
async def list_pipelines(rpc: RpcDep) -> dict:
    return await rpc(pipeline.ListPipelines, pb.ListPipelinesRequest())


@router.get(
    "/pipelines/{pipeline_id}",
    summary="A pipeline with its stages and gates",
    dependencies=[allow(PIPELINE_READERS)],
    response_model=reply(pipeline.GetPipeline),
)
async def get_pipeline(pipeline_id: str, rpc: RpcDep) -> dict:
    return await rpc(pipeline.GetPipeline, pb.GetPipelineRequest(pipeline_id=pipeline_id))


@router.put(
    "/pipelines/{pipeline_id}",
    summary="Redefine a pipeline (manager, admin); a stage holding open opportunities cannot be removed",
    dependencies=[allow(PIPELINE_EDITORS)],
    response_model=reply(pipeline.UpdatePipeline),
)
async def update_pipeline(pipeline_id: str, body: PipelineBody, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.UpdatePipelineRequest())
    request.pipeline_id = pipeline_id
    return await rpc(pipeline.UpdatePipeline, request)


@router.get(
    "/board",
    summary="Open opportunities per stage of a pipeline: count, amount, weighted amount",
    dependencies=[allow(PIPELINE_READERS)],
    response_model=reply(pipeline.GetBoard),
)
async def get_board(
    rpc: RpcDep,
    pipeline_id: Annotated[str, Query(max_length=64)],
    owner_id: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=100)] = "",
    region: Annotated[str, Query(max_length=100)] = "",
    product_line: Annotated[str, Query(max_length=200)] = "",
) -> dict:
    request = pb.GetBoardRequest(
        pipeline_id=pipeline_id, owner_id=owner_id, team=team, region=region, product_line=product_line
    )
    return await rpc(pipeline.GetBoard, request)


@router.get("/tasks", summary="Tasks: a rep's own, a manager's team's", response_model=reply(pipeline.ListTasks))
async def list_tasks(
    rpc: RpcDep,
    state: Annotated[Literal["", "open", "done", "cancelled"], Query()] = "",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    opportunity_id: Annotated[str, Query(max_length=64)] = "",
    customer_id: Annotated[str, Query(max_length=64)] = "",
) -> dict:
    request = pb.ListTasksRequest(
        state=state, owner_id=owner_id, opportunity_id=opportunity_id, customer_id=customer_id
    )
    return await rpc(pipeline.ListTasks, request)


@router.post(
    "/tasks/{task_id}/complete",
    summary="Mark a task done",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=reply(pipeline.CompleteTask),
)
async def complete_task(task_id: str, rpc: RpcDep) -> dict:
    return await rpc(pipeline.CompleteTask, pb.CompleteTaskRequest(task_id=task_id))
