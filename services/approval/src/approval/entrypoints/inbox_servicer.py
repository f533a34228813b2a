"""gRPC servicer of ApprovalInboxService: inbox, outbox, team view and the bottleneck report."""

from __future__ import annotations

import grpc
from crm.approval.v1 import inbox_pb2 as pb
from crm.approval.v1 import inbox_pb2_grpc as pb_grpc
from crm_shared.convert import from_timestamp, timestamp
from crm_shared.grpc_server import current_caller

from approval.adapters.report_repository import RequestRow
from approval.service_layer.inbox import InboxHandlers, InboxItem
from approval.service_layer.report import ReportHandlers


def inbox_item(i: InboxItem) -> pb.InboxItem:
    r = i.row
    return pb.InboxItem(
        task_id=r.task_id, approval_id=r.approval_id, kind=r.kind, subject_type=r.subject_type,
        subject_id=r.subject_id, title=r.title, stage_id=r.stage_id, step_id=r.step_id, step_name=r.step_name,
        amount_minor=r.amount_minor, currency=r.currency, impact_scope=r.impact_scope, requested_by=r.requested_by,
        started_at=timestamp(r.started_at), due_at=timestamp(r.due_at), has_due=r.due_at is not None,
        working_minutes_left=i.working_minutes_left or 0, overdue=i.overdue, reminders=r.reminders,
        escalated=r.escalated, original_assignee=r.original_assignee,
    )


def request_summary(r: RequestRow) -> pb.RequestSummary:
    return pb.RequestSummary(
        approval_id=r.approval_id, kind=r.kind, subject_type=r.subject_type, subject_id=r.subject_id, title=r.title,
        status=r.status, stale=r.stale, amount_minor=r.amount_minor, currency=r.currency,
        impact_scope=r.impact_scope, requested_by=r.requested_by, requested_at=timestamp(r.requested_at),
        decided_at=timestamp(r.decided_at), waiting_on=list(r.waiting_on), next_due_at=timestamp(r.next_due_at),
        overdue=r.overdue,
    )


class InboxServicer(pb_grpc.ApprovalInboxServiceServicer):
    def __init__(self, inbox: InboxHandlers, reports: ReportHandlers) -> None:
        self.inbox = inbox
        self.reports = reports

    def _summaries(self, rows: list[RequestRow]) -> list[pb.RequestSummary]:
        return [request_summary(r) for r in rows]

    async def ListInbox(self, request: pb.ListInboxRequest, context: grpc.aio.ServicerContext):
        page = await self.inbox.inbox(
            current_caller(), size=request.page_size, token=request.page_token, kind=request.kind,
            impact_scope=request.impact_scope, overdue_only=request.overdue_only,
        )
        return pb.ListInboxResponse(items=[inbox_item(i) for i in page.items], next_page_token=page.next_page_token)

    async def ListOutbox(self, request: pb.ListOutboxRequest, context: grpc.aio.ServicerContext):
        page = await self.inbox.outbox(
            current_caller(), size=request.page_size, token=request.page_token, kind=request.kind,
            status=request.status,
        )
        return pb.ListOutboxResponse(items=self._summaries(page.items), next_page_token=page.next_page_token)

    async def ListTeamRequests(self, request: pb.ListTeamRequestsRequest, context: grpc.aio.ServicerContext):
        page = await self.inbox.team(
            current_caller(), size=request.page_size, token=request.page_token, kind=request.kind,
            status=request.status, rep_id=request.rep_id,
        )
        return pb.ListTeamRequestsResponse(items=self._summaries(page.items), next_page_token=page.next_page_token)

    async def GetBottleneckReport(self, request: pb.GetBottleneckReportRequest, context: grpc.aio.ServicerContext):
        report = await self.reports.bottlenecks(
            current_caller(),
            start=from_timestamp(request.decided_from, request.HasField("decided_from")),
            end=from_timestamp(request.decided_to, request.HasField("decided_to")),
            kind=request.kind,
            dimension=request.dimension,
        )
        return pb.GetBottleneckReportResponse(
            rows=[pb.BottleneckRow(**row.__dict__) for row in report.rows],
            tasks=report.tasks,
            total_working_seconds=report.total_working_seconds,
            total_seconds=report.total_seconds,
        )
