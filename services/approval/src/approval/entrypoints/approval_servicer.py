"""gRPC servicer of ApprovalService: translates requests to handler calls
and requests, tasks and history entries to messages."""

from __future__ import annotations

import grpc
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import approval_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from approval.domain.approval import ApprovalRequest, ApprovalTask, HistoryEntry, Resubmission, Submission
from approval.service_layer.actions import ActionHandlers, TaskAction
from approval.service_layer.requests import RequestHandlers

# Unknown enum values arrive as plain ints; they map to "" and are refused naming `action`.
ACTIONS = {
    pb.TASK_ACTION_APPROVE: "approve",
    pb.TASK_ACTION_REJECT: "reject",
    pb.TASK_ACTION_SEND_BACK: "send_back",
    pb.TASK_ACTION_ADD_SIGNERS: "add_signers",
    pb.TASK_ACTION_REMOVE_SIGNER: "remove_signer",
    pb.TASK_ACTION_TRANSFER: "transfer",
    pb.TASK_ACTION_DELEGATE: "delegate",
    pb.TASK_ACTION_CONFIRM: "confirm",
}
PLACEMENTS = {pb.PLACEMENT_BEFORE: "before", pb.PLACEMENT_AFTER: "after", pb.PLACEMENT_ALONGSIDE: "alongside"}


def _facts(values: dict[str, str]) -> list[pb.Fact]:
    return [pb.Fact(name=k, value=v) for k, v in sorted(values.items())]


def request_message(r: ApprovalRequest) -> pb.ApprovalRequest:
    return pb.ApprovalRequest(
        approval_id=r.approval_id, tenant_id=r.tenant_id, subject_type=r.subject_type, subject_id=r.subject_id,
        document_version_id=r.document_version_id or "", reason=r.title, status=r.status,
        requested_by=r.requested_by, decided_by=r.decided_by, comment=r.decision_comment,
        requested_at=timestamp(r.requested_at), decided_at=timestamp(r.decided_at), kind=r.kind, stale=r.stale,
        facts=_facts(r.facts), impact_scope=r.impact_scope, amount_minor=r.amount_minor, currency=r.currency,
        document_sha256=r.document_sha256, policy_id=r.policy_id, policy_version=r.policy_version,
        current_stage=r.current_stage, locked_fields=list(r.locked_fields), channel=r.channel,
        cc_users=list(r.cc_users),
    )


def task_message(t: ApprovalTask, stage_name: str = "") -> pb.ApprovalTask:
    return pb.ApprovalTask(
        task_id=t.task_id, approval_id=t.approval_id, stage_id=t.stage_id, step_id=t.step_id, step_name=t.step_name,
        department_id=t.department_id or "", assignee=t.assignee, original_assignee=t.original_assignee or "",
        delegated_from=t.delegated_from or "", mode=t.mode, status=t.status, position=t.position,
        started_at=timestamp(t.started_at), due_at=timestamp(t.due_at), decided_at=timestamp(t.decided_at),
        comment=t.comment, dwell_seconds=t.dwell_seconds or 0, dwell_working_seconds=t.dwell_working_seconds or 0,
        escalated=t.escalated, reminders=t.reminders, placement=t.placement, stage_name=stage_name,
    )


def entry_message(e: HistoryEntry) -> pb.HistoryEntry:
    return pb.HistoryEntry(
        entry_id=e.entry_id, task_id=e.task_id or "", at=timestamp(e.at), actor=e.actor, action=e.action,
        comment=e.comment, channel=e.channel, details=_facts(e.details),
    )


def tasks_message(r: ApprovalRequest, tasks: list[ApprovalTask]) -> list[pb.ApprovalTask]:
    names = {s.stage_id: s.name for s in r.policy.stages}
    return [task_message(t, names.get(t.stage_id, "")) for t in tasks]


class ApprovalServicer(pb_grpc.ApprovalServiceServicer):
    def __init__(self, requests: RequestHandlers, actions: ActionHandlers) -> None:
        self.requests = requests
        self.actions = actions

    async def SubmitApproval(self, request: pb.SubmitApprovalRequest, context: grpc.aio.ServicerContext):
        submitted = await self.requests.submit(current_caller(), Submission(
            kind=request.kind, subject_type=request.subject_type, subject_id=request.subject_id,
            title=request.reason, impact_scope=request.impact_scope, discount_percent=request.discount_percent,
            document_version_id=request.document_version_id, document_sha256=request.document_sha256,
            cc_users=tuple(request.cc_users), channel=request.channel,
            given=tuple((f.name, f.value) for f in request.given),
        ))
        return pb.SubmitApprovalResponse(approval=request_message(submitted))

    async def GetApproval(self, request: pb.GetApprovalRequest, context: grpc.aio.ServicerContext):
        detail = await self.requests.get(current_caller(), request.approval_id)
        return pb.GetApprovalResponse(
            approval=request_message(detail.request), tasks=tasks_message(detail.request, detail.tasks),
            history=[entry_message(e) for e in detail.history],
        )

    async def GetLatestApproval(self, request: pb.GetLatestApprovalRequest, context: grpc.aio.ServicerContext):
        found = await self.requests.latest(current_caller(), request.subject_type, request.subject_id, request.kind)
        return pb.GetLatestApprovalResponse(approval=request_message(found) if found else None)

    async def ActOnTask(self, request: pb.ActOnTaskRequest, context: grpc.aio.ServicerContext):
        acted = await self.actions.act(current_caller(), TaskAction(
            task_id=request.task_id, action=ACTIONS.get(request.action, ""), comment=request.comment,
            channel=request.channel, send_back_to=request.send_back_to, users=tuple(request.users),
            placement=PLACEMENTS.get(request.placement, ""), mode=request.mode, target_user=request.target_user,
        ))
        return pb.ActOnTaskResponse(approval=request_message(acted.request),
                                    tasks=tasks_message(acted.request, acted.tasks))

    async def BatchDecide(self, request: pb.BatchDecideRequest, context: grpc.aio.ServicerContext):
        outcomes = await self.actions.batch(current_caller(), tuple(request.task_ids),
                                            ACTIONS.get(request.action, ""), request.comment, request.channel)
        return pb.BatchDecideResponse(outcomes=[
            pb.BatchOutcome(task_id=o.task_id, ok=o.ok, error=o.error, approval_id=o.approval_id,
                            approval_status=o.approval_status)
            for o in outcomes
        ])

    async def RecallApproval(self, request: pb.RecallApprovalRequest, context: grpc.aio.ServicerContext):
        recalled = await self.requests.recall(current_caller(), request.approval_id, request.comment, request.channel)
        return pb.RecallApprovalResponse(approval=request_message(recalled))

    async def RemindApproval(self, request: pb.RemindApprovalRequest, context: grpc.aio.ServicerContext):
        reminded = await self.requests.remind(current_caller(), request.approval_id, request.comment, request.channel)
        return pb.RemindApprovalResponse(reminded=reminded)

    async def ResubmitApproval(self, request: pb.ResubmitApprovalRequest, context: grpc.aio.ServicerContext):
        again = await self.requests.resubmit(current_caller(), request.approval_id, Resubmission(
            comment=request.comment, channel=request.channel, title=request.reason,
            document_version_id=request.document_version_id, document_sha256=request.document_sha256,
            discount_percent=request.discount_percent, impact_scope=request.impact_scope,
        ))
        return pb.ResubmitApprovalResponse(approval=request_message(again))

    async def CopyApproval(self, request: pb.CopyApprovalRequest, context: grpc.aio.ServicerContext):
        cc = await self.requests.copy(current_caller(), request.approval_id, tuple(request.users), request.comment,
                                      request.channel)
        return pb.CopyApprovalResponse(cc_users=cc)

    async def CommentOnApproval(self, request: pb.CommentOnApprovalRequest, context: grpc.aio.ServicerContext):
        entry = await self.requests.comment(current_caller(), request.approval_id, request.comment,
                                            tuple(request.attachment_version_ids), request.channel)
        return pb.CommentOnApprovalResponse(entry=entry_message(entry))
