"""gRPC servicer of PipelineService: translates requests to handler calls
and results to messages."""

from __future__ import annotations

from typing import Any

import grpc
from crm.common.v1.common_pb2 import Money
from crm.opportunity.v1 import pipeline_pb2 as pb
from crm.opportunity.v1 import pipeline_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from opportunity.domain.gate import gate_from
from opportunity.domain.pipeline import Pipeline, Stage
from opportunity.domain.task import Task
from opportunity.entrypoints.opportunity_servicer import opportunity_message
from opportunity.service_layer.pipelines import PipelineHandlers
from opportunity.service_layer.stage_moves import StageMoveHandlers
from opportunity.service_layer.tasks import TaskHandlers


def pipeline_message(p: Pipeline) -> pb.Pipeline:
    return pb.Pipeline(
        pipeline_id=p.pipeline_id,
        tenant_id=p.tenant_id,
        name=p.name,
        product_line=p.product_line,
        stages=[
            pb.Stage(
                name=s.name,
                probability=s.probability,
                forecast_category=s.forecast_category,
                gate=pb.Gate(
                    required_fields=list(s.gate.required_fields),
                    required_documents=list(s.gate.required_documents),
                    requires_approval=s.gate.requires_approval,
                    approval_kinds=list(s.gate.approval_kinds),
                ),
                **({} if s.max_days is None else {"max_days": s.max_days}),
                playbook=list(s.playbook),
            )
            for s in p.stages
        ],
        created_at=timestamp(p.created_at),
        updated_at=timestamp(p.updated_at),
    )


def stages_from(messages: Any) -> list[Stage]:
    return [
        Stage(
            name=s.name,
            probability=s.probability,
            forecast_category=s.forecast_category,
            gate=gate_from(
                s.gate.required_fields, s.gate.required_documents, s.gate.approval_kinds, s.gate.requires_approval
            ),
            max_days=s.max_days if s.HasField("max_days") else None,
            playbook=tuple(s.playbook),
        )
        for s in messages
    ]


def task_message(t: Task) -> pb.Task:
    return pb.Task(
        task_id=t.task_id,
        owner_id=t.owner_id,
        customer_id=t.customer_id or "",
        opportunity_id=t.opportunity_id or "",
        rule=t.rule,
        title=t.title,
        due_at=timestamp(t.due_at),
        state=t.state,
        created_at=timestamp(t.created_at),
        completed_at=timestamp(t.completed_at),
    )


def cny(amount_minor: int) -> Money:
    return Money(amount_minor=wire_minor(amount_minor), currency="CNY")


class PipelineServicer(pb_grpc.PipelineServiceServicer):
    def __init__(self, pipelines: PipelineHandlers, moves: StageMoveHandlers, tasks: TaskHandlers) -> None:
        self.pipelines = pipelines
        self.moves = moves
        self.tasks = tasks

    async def CreatePipeline(
        self, request: pb.CreatePipelineRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreatePipelineResponse:
        pipeline = await self.pipelines.create(
            current_caller(), request.name, request.product_line, stages_from(request.stages)
        )
        return pb.CreatePipelineResponse(pipeline=pipeline_message(pipeline))

    async def UpdatePipeline(
        self, request: pb.UpdatePipelineRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdatePipelineResponse:
        pipeline = await self.pipelines.update(
            current_caller(), request.pipeline_id, request.name, request.product_line, stages_from(request.stages)
        )
        return pb.UpdatePipelineResponse(pipeline=pipeline_message(pipeline))

    async def GetPipeline(
        self, request: pb.GetPipelineRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetPipelineResponse:
        pipeline = await self.pipelines.get(current_caller(), request.pipeline_id)
        return pb.GetPipelineResponse(pipeline=pipeline_message(pipeline))

    async def ListPipelines(
        self, request: pb.ListPipelinesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListPipelinesResponse:
        pipelines = await self.pipelines.list(current_caller())
        return pb.ListPipelinesResponse(pipelines=[pipeline_message(p) for p in pipelines])

    async def PlaceOpportunity(
        self, request: pb.PlaceOpportunityRequest, context: grpc.aio.ServicerContext
    ) -> pb.PlaceOpportunityResponse:
        view = await self.moves.place(current_caller(), request.opportunity_id, request.pipeline_id)
        return pb.PlaceOpportunityResponse(opportunity=opportunity_message(view))

    async def MoveStage(self, request: pb.MoveStageRequest, context: grpc.aio.ServicerContext) -> pb.MoveStageResponse:
        view = await self.moves.move(current_caller(), request.opportunity_id, request.stage)
        return pb.MoveStageResponse(opportunity=opportunity_message(view))

    async def CloseWon(self, request: pb.CloseWonRequest, context: grpc.aio.ServicerContext) -> pb.CloseWonResponse:
        view = await self.moves.close(current_caller(), request.opportunity_id, "won", request.reason)
        return pb.CloseWonResponse(opportunity=opportunity_message(view))

    async def CloseLost(self, request: pb.CloseLostRequest, context: grpc.aio.ServicerContext) -> pb.CloseLostResponse:
        view = await self.moves.close(current_caller(), request.opportunity_id, "lost", request.reason)
        return pb.CloseLostResponse(opportunity=opportunity_message(view))

    async def Reopen(self, request: pb.ReopenRequest, context: grpc.aio.ServicerContext) -> pb.ReopenResponse:
        view = await self.moves.reopen(current_caller(), request.opportunity_id)
        return pb.ReopenResponse(opportunity=opportunity_message(view))

    async def GetStageHistory(
        self, request: pb.GetStageHistoryRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetStageHistoryResponse:
        history = await self.moves.history(current_caller(), request.opportunity_id)
        return pb.GetStageHistoryResponse(
            stays=[
                pb.StageStay(
                    stage=s.stage,
                    pipeline_id=s.pipeline_id,
                    entered_at=timestamp(s.entered_at),
                    left_at=timestamp(s.left_at),
                    seconds=s.seconds(history.now),
                    entered_by=s.entered_by,
                    entered_via=s.entered_via,
                    left_via=s.left_via,
                    reason=s.reason,
                )
                for s in history.stays
            ],
            time_per_stage=[pb.StageTime(stage=stage, seconds=seconds) for stage, seconds in history.time_per_stage],
        )

    async def GetBoard(self, request: pb.GetBoardRequest, context: grpc.aio.ServicerContext) -> pb.GetBoardResponse:
        board = await self.pipelines.board(
            current_caller(),
            request.pipeline_id,
            owner_id=request.owner_id,
            team=request.team,
            region=request.region,
            product_line=request.product_line,
        )
        return pb.GetBoardResponse(
            pipeline_id=board.pipeline_id,
            columns=[
                pb.BoardColumn(
                    stage=c.stage,
                    forecast_category=c.forecast_category,
                    count=c.count,
                    amount=cny(c.amount_minor),
                    weighted_amount=cny(c.weighted_minor),
                )
                for c in board.columns
            ],
            won_count=board.won_count,
            won_amount=cny(board.won_amount_minor),
            lost_count=board.lost_count,
        )

    async def ListTasks(self, request: pb.ListTasksRequest, context: grpc.aio.ServicerContext) -> pb.ListTasksResponse:
        found = await self.tasks.list(
            current_caller(),
            state=request.state,
            owner_id=request.owner_id,
            opportunity_id=request.opportunity_id,
            customer_id=request.customer_id,
        )
        return pb.ListTasksResponse(tasks=[task_message(t) for t in found])

    async def CompleteTask(
        self, request: pb.CompleteTaskRequest, context: grpc.aio.ServicerContext
    ) -> pb.CompleteTaskResponse:
        task = await self.tasks.complete(current_caller(), request.task_id)
        return pb.CompleteTaskResponse(task=task_message(task))
