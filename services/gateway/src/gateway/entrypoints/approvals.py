"""Approval requests and their tasks (approval's ApprovalService). Who may
act on a task is approval's rule (its assignee, whatever their role); who
may read a request follows its subject or a place on it. This only shapes
and bounds the JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.approval.v1 import approval_pb2 as pb
from crm_shared.approval_kinds import KINDS
from crm_shared.limits import MAX_APPROVAL_TEXT
from crm_shared.roles import APPROVAL_ACTORS, APPROVAL_READERS, APPROVAL_REQUESTERS
from fastapi import APIRouter, Path
from pydantic import Field, StrictInt

from gateway.adapters.stubs import approval
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Text

router = APIRouter()

Kind = Literal[KINDS]  # type: ignore[valid-type]
Comment = Annotated[str, Field(max_length=MAX_APPROVAL_TEXT)]
Channel = Literal["", "web", "mobile", "wecom", "dingtalk", "email", "api"]
Users = Annotated[list[Id], Field(max_length=20)]
ApprovalId = Annotated[str, Path(max_length=64)]
TaskId = Annotated[str, Path(max_length=64)]
Sha256 = Annotated[str, Field(max_length=64, pattern=r"^([0-9a-fA-F]{64})?$")]


class GivenFact(Body):
    name: Id
    value: Annotated[str, Field(max_length=200)]


class SubmitApproval(Body):
    kind: Kind = "quote"
    subject_type: Literal["opportunity", "customer"]
    subject_id: Id
    # The title: what is asked.
    reason: Comment = ""
    # 涉及停产, 影响交付 … ("" = normal)
    impact_scope: Text = ""
    discount_percent: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    document_version_id: Id = ""
    document_sha256: Sha256 = ""
    cc_users: Users = Field(default_factory=list)
    channel: Channel = ""
    # Further facts for the policy (region, product_line, customer_tier …); an opportunity's amount is its own.
    given: Annotated[list[GivenFact], Field(max_length=20)] = Field(default_factory=list)


class Note(Body):
    comment: Comment = ""
    channel: Channel = ""


class SendBack(Note):
    # "requester" or an earlier stage's id
    send_back_to: Id = "requester"


class AddSigners(Note):
    users: Annotated[list[Id], Field(min_length=1, max_length=20)]
    placement: Literal["before", "after", "alongside"]
    mode: Literal["all", "any", "sequence"] = "all"


class ToUser(Note):
    target_user: Id


class Copy(Note):
    users: Annotated[list[Id], Field(min_length=1, max_length=20)]


class CommentBody(Note):
    attachment_version_ids: Annotated[list[Id], Field(max_length=10)] = Field(default_factory=list)


class Resubmit(Note):
    reason: Comment = ""
    document_version_id: Id = ""
    document_sha256: Sha256 = ""
    discount_percent: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    impact_scope: Text = ""


class BatchDecision(Note):
    task_ids: Annotated[list[Id], Field(min_length=1, max_length=100)]
    decision: Literal["approve", "reject"]


ACTIONS = {"approve": pb.TASK_ACTION_APPROVE, "reject": pb.TASK_ACTION_REJECT}
PLACEMENTS = {"before": pb.PLACEMENT_BEFORE, "after": pb.PLACEMENT_AFTER, "alongside": pb.PLACEMENT_ALONGSIDE}


@router.post("/v1/approvals", status_code=201, summary="Request an approval (the policy is chosen by its facts)",
             dependencies=[allow(APPROVAL_REQUESTERS)], response_model=reply(approval.SubmitApproval))
async def submit_approval(body: SubmitApproval, rpc: RpcDep) -> dict:
    request = pb.SubmitApprovalRequest(
        kind=body.kind, subject_type=body.subject_type, subject_id=body.subject_id, reason=body.reason,
        impact_scope=body.impact_scope, discount_percent=body.discount_percent,
        document_version_id=body.document_version_id, document_sha256=body.document_sha256,
        cc_users=body.cc_users, channel=body.channel, given=[pb.Fact(name=f.name, value=f.value) for f in body.given],
    )
    return await rpc(approval.SubmitApproval, request)


@router.get("/v1/approvals/{approval_id}", summary="An approval request with its tasks and history timeline",
            dependencies=[allow(APPROVAL_READERS)], response_model=reply(approval.GetApproval))
async def get_approval(approval_id: ApprovalId, rpc: RpcDep) -> dict:
    return await rpc(approval.GetApproval, pb.GetApprovalRequest(approval_id=approval_id))


async def _act(rpc: RpcDep, task_id: str, action: int, note: Note, **fields: object) -> dict:
    request = pb.ActOnTaskRequest(task_id=task_id, action=action, comment=note.comment, channel=note.channel,
                                  **fields)  # type: ignore[arg-type]
    return await rpc(approval.ActOnTask, request)


ACT = {"dependencies": [allow(APPROVAL_ACTORS)], "response_model": reply(approval.ActOnTask)}


@router.post("/v1/approval-tasks/{task_id}/approve", summary="Approve one's task (同意)", **ACT)
async def approve_task(task_id: TaskId, body: Note, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_APPROVE, body)


@router.post("/v1/approval-tasks/{task_id}/reject", summary="Reject one's task (驳回)", **ACT)
async def reject_task(task_id: TaskId, body: Note, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_REJECT, body)


@router.post("/v1/approval-tasks/{task_id}/send-back", summary="Send the request back (退回)", **ACT)
async def send_back_task(task_id: TaskId, body: SendBack, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_SEND_BACK, body, send_back_to=body.send_back_to)


@router.post("/v1/approval-tasks/{task_id}/add-signers", summary="Add approvers before, after or alongside (加签)",
             **ACT)
async def add_signers(task_id: TaskId, body: AddSigners, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_ADD_SIGNERS, body, users=body.users,
                      placement=PLACEMENTS[body.placement], mode=body.mode)


@router.post("/v1/approval-tasks/{task_id}/remove-signer", summary="Remove an added approver (减签)", **ACT)
async def remove_signer(task_id: TaskId, body: ToUser, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_REMOVE_SIGNER, body, target_user=body.target_user)


@router.post("/v1/approval-tasks/{task_id}/transfer", summary="Hand one's task to someone else (转交)", **ACT)
async def transfer_task(task_id: TaskId, body: ToUser, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_TRANSFER, body, target_user=body.target_user)


@router.post("/v1/approval-tasks/{task_id}/delegate", summary="Ask someone's opinion, then confirm it (委派)", **ACT)
async def delegate_task(task_id: TaskId, body: ToUser, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_DELEGATE, body, target_user=body.target_user)


@router.post("/v1/approval-tasks/{task_id}/confirm", summary="Adopt the delegate's opinion as one's answer", **ACT)
async def confirm_task(task_id: TaskId, body: Note, rpc: RpcDep) -> dict:
    return await _act(rpc, task_id, pb.TASK_ACTION_CONFIRM, body)


@router.post("/v1/approval-tasks/batch-decision", summary="Approve or reject a selection of one's tasks",
             dependencies=[allow(APPROVAL_ACTORS)], response_model=reply(approval.BatchDecide))
async def batch_decision(body: BatchDecision, rpc: RpcDep) -> dict:
    request = pb.BatchDecideRequest(task_ids=body.task_ids, action=ACTIONS[body.decision], comment=body.comment,
                                    channel=body.channel)
    return await rpc(approval.BatchDecide, request)


@router.post("/v1/approvals/{approval_id}/recall", summary="Recall one's request (撤回)",
             dependencies=[allow(APPROVAL_REQUESTERS)], response_model=reply(approval.RecallApproval))
async def recall_approval(approval_id: ApprovalId, body: Note, rpc: RpcDep) -> dict:
    request = pb.RecallApprovalRequest(approval_id=approval_id, comment=body.comment, channel=body.channel)
    return await rpc(approval.RecallApproval, request)


@router.post("/v1/approvals/{approval_id}/remind", summary="Remind the approvers now asked (催办, rate-limited)",
             dependencies=[allow(APPROVAL_REQUESTERS)], response_model=reply(approval.RemindApproval))
async def remind_approval(approval_id: ApprovalId, body: Note, rpc: RpcDep) -> dict:
    request = pb.RemindApprovalRequest(approval_id=approval_id, comment=body.comment, channel=body.channel)
    return await rpc(approval.RemindApproval, request)


@router.post("/v1/approvals/{approval_id}/cc", summary="Copy people in (抄送: they may read it, no task)",
             dependencies=[allow(APPROVAL_ACTORS)], response_model=reply(approval.CopyApproval))
async def copy_approval(approval_id: ApprovalId, body: Copy, rpc: RpcDep) -> dict:
    request = pb.CopyApprovalRequest(approval_id=approval_id, users=body.users, comment=body.comment,
                                     channel=body.channel)
    return await rpc(approval.CopyApproval, request)


@router.post("/v1/approvals/{approval_id}/comments", status_code=201, summary="Comment, with document attachments",
             dependencies=[allow(APPROVAL_ACTORS)], response_model=reply(approval.CommentOnApproval))
async def comment_on_approval(approval_id: ApprovalId, body: CommentBody, rpc: RpcDep) -> dict:
    request = pb.CommentOnApprovalRequest(approval_id=approval_id, comment=body.comment, channel=body.channel,
                                          attachment_version_ids=body.attachment_version_ids)
    return await rpc(approval.CommentOnApproval, request)


@router.post("/v1/approvals/{approval_id}/resubmit", summary="Submit again after a send-back to the requester",
             dependencies=[allow(APPROVAL_REQUESTERS)], response_model=reply(approval.ResubmitApproval))
async def resubmit_approval(approval_id: ApprovalId, body: Resubmit, rpc: RpcDep) -> dict:
    request = pb.ResubmitApprovalRequest(
        approval_id=approval_id, comment=body.comment, channel=body.channel, reason=body.reason,
        document_version_id=body.document_version_id, document_sha256=body.document_sha256,
        discount_percent=body.discount_percent, impact_scope=body.impact_scope,
    )
    return await rpc(approval.ResubmitApproval, request)
