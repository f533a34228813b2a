"""Engineering change notices (seed 002): 工程部 (reviewers and admins)
publishes one (document-versioning's EcnService finds the orders its models
reach); opportunity's ConfirmationTaskService holds each account manager's
24 h confirmation task. An ECN is read with its progress composed here from
the tasks the caller may see (the gateway adds no rule: both services
decide their own part)."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.document_versioning.v1 import ecn_pb2 as pb
from crm.opportunity.v1 import confirmation_pb2 as confirmation_pb
from crm_shared.roles import ECN_ANSWERERS, ECN_PUBLISHERS, ECN_READERS
from fastapi import APIRouter
from pydantic import Field

from gateway.adapters.stubs import confirmation, ecn
from gateway.entrypoints.contracts import PathId, decode_content
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import Reply, model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Text

router = APIRouter(prefix="/v1")

Model = Annotated[str, Field(max_length=100)]


class PublishEcn(Body):
    number: Annotated[str, Field(max_length=50)]
    title: Text
    change: Annotated[str, Field(max_length=4000)]
    effective_date: Annotated[str, Field(max_length=10, description="ISO date, e.g. 2026-12-15")]
    affected_models: Annotated[list[Model], Field(max_length=200)]
    filename: Annotated[str, Field(max_length=255)]
    content_type: Annotated[str, Field(max_length=255)] = "application/pdf"
    content_base64: str


class AnswerEcnTask(Body):
    answer: Literal["accepted", "rejected", "needs_quote"]
    note: Annotated[str, Field(max_length=500)] = ""


class EcnWithProgress(Reply):
    """The notice, the orders it reached, and its confirmation tasks within the caller's scope."""

    ecn: model_of(pb.Ecn.DESCRIPTOR)  # type: ignore[valid-type]
    tasks: list[model_of(confirmation_pb.EcnTask.DESCRIPTOR)]  # type: ignore[valid-type]
    confirmed: int
    outstanding: int
    overdue: int


@router.post(
    "/ecns",
    status_code=201,
    summary="Publish an engineering change notice; the open orders it reaches get a 24 h confirmation task",
    dependencies=[allow(ECN_PUBLISHERS)],
    response_model=reply(ecn.PublishEcn),
)
async def publish_ecn(body: PublishEcn, rpc: RpcDep) -> dict:
    fields = body.model_dump(exclude={"content_base64"})
    return await rpc(ecn.PublishEcn, pb.PublishEcnRequest(**fields, content=decode_content(body.content_base64)))


@router.get(
    "/ecns",
    summary="The tenant's engineering change notices, newest first",
    dependencies=[allow(ECN_READERS)],
    response_model=reply(ecn.ListEcns),
)
async def list_ecns(rpc: RpcDep) -> dict:
    return await rpc(ecn.ListEcns, pb.ListEcnsRequest())


@router.get(
    "/ecns/{ecn_id}",
    summary="An ECN with its progress: confirmed, outstanding and overdue (red) confirmation tasks",
    dependencies=[allow(ECN_READERS)],
    response_model=EcnWithProgress,
)
async def get_ecn(ecn_id: PathId, rpc: RpcDep) -> dict:
    found = await rpc(ecn.GetEcn, pb.GetEcnRequest(ecn_id=ecn_id))
    progress = await rpc(confirmation.ListEcnTasks, confirmation_pb.ListEcnTasksRequest(ecn_id=ecn_id))
    return {"ecn": found["ecn"], **progress}


@router.post(
    "/tasks/{task_id}/ecn-answer",
    summary="Record the customer's answer to an ECN (accepted, rejected, needs_quote); completes the task",
    dependencies=[allow(ECN_ANSWERERS)],
    response_model=reply(confirmation.AnswerEcnTask),
)
async def answer_ecn_task(task_id: PathId, body: AnswerEcnTask, rpc: RpcDep) -> dict:
    request = confirmation_pb.AnswerEcnTaskRequest(task_id=task_id, **body.model_dump())
    return await rpc(confirmation.AnswerEcnTask, request)
