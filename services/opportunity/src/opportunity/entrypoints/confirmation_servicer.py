"""gRPC servicer of ConfirmationTaskService: an ECN's confirmation tasks and their answers."""

from __future__ import annotations

from datetime import datetime

import grpc
from crm.opportunity.v1 import confirmation_pb2 as pb
from crm.opportunity.v1 import confirmation_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from opportunity.domain.task import Task
from opportunity.service_layer.tasks import EcnTaskHandlers


def ecn_task_message(task: Task, now: datetime) -> pb.EcnTask:
    return pb.EcnTask(
        task_id=task.task_id,
        ecn_id=task.ecn_id or "",
        opportunity_id=task.opportunity_id or "",
        contract_id=task.contract_id or "",
        owner_id=task.owner_id,
        title=task.title,
        due_at=timestamp(task.due_at),
        state=task.state,
        answer=task.answer or "",
        answer_note=task.answer_note or "",
        overdue=task.overdue(now),
        completed_at=timestamp(task.completed_at),
        completed_by=task.completed_by or "",
        escalated_at=timestamp(task.escalated_at),
    )


class ConfirmationTaskServicer(pb_grpc.ConfirmationTaskServiceServicer):
    def __init__(self, handlers: EcnTaskHandlers) -> None:
        self.handlers = handlers

    async def ListEcnTasks(
        self, request: pb.ListEcnTasksRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListEcnTasksResponse:
        found, progress, now = await self.handlers.list_for_ecn(current_caller(), request.ecn_id)
        return pb.ListEcnTasksResponse(
            tasks=[ecn_task_message(t, now) for t in found],
            confirmed=progress.confirmed,
            outstanding=progress.outstanding,
            overdue=progress.overdue,
        )

    async def AnswerEcnTask(
        self, request: pb.AnswerEcnTaskRequest, context: grpc.aio.ServicerContext
    ) -> pb.AnswerEcnTaskResponse:
        task, now = await self.handlers.answer(current_caller(), request.task_id, request.answer, request.note)
        return pb.AnswerEcnTaskResponse(task=ecn_task_message(task, now))
