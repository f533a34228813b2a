"""Approvals by person (approval's ApprovalInboxService): an approver's inbox
(their own pending tasks, most urgent first), a requester's outbox, a
manager's team view and the bottleneck report (managers: their own team's
requests; admins: the tenant's). Partners see none of it."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.approval.v1 import inbox_pb2 as pb
from crm_shared import approval_kinds
from crm_shared.convert import timestamp
from crm_shared.roles import APPROVAL_INBOX_USERS, APPROVAL_REPORT_READERS, APPROVAL_REQUESTERS, APPROVAL_TEAM_VIEWERS
from fastapi import APIRouter, Query

from gateway.adapters.stubs import approval_inbox
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Instant, PageSize, PageToken

router = APIRouter()

Kind = Annotated[Literal[approval_kinds.KINDS] | None, Query(description="kind of approval")]  # type: ignore[valid-type]
Status = Annotated[
    Literal["pending", "approved", "rejected", "recalled", "voided", "returned"] | None, Query(description="status")
]
Dimension = Literal["policy", "stage", "step", "department", "approver"]


@router.get(
    "/v1/approval-inbox",
    summary="My pending approval tasks, most urgent first (working minutes left before the SLA)",
    dependencies=[allow(APPROVAL_INBOX_USERS)],
    response_model=reply(approval_inbox.ListInbox),
)
async def list_inbox(
    rpc: RpcDep,
    page_size: PageSize = 50,
    page_token: PageToken = "",
    kind: Kind = None,
    impact_scope: Annotated[str, Query(max_length=100, description="e.g. 涉及停产")] = "",
    overdue: Annotated[bool, Query(description="only tasks past their SLA deadline")] = False,
) -> dict:
    request = pb.ListInboxRequest(
        page_size=page_size, page_token=page_token, kind=kind or "", impact_scope=impact_scope, overdue_only=overdue
    )
    return await rpc(approval_inbox.ListInbox, request)


@router.get(
    "/v1/approval-outbox",
    summary="The approval requests I made, newest first, with whom each waits on",
    dependencies=[allow(APPROVAL_REQUESTERS)],
    response_model=reply(approval_inbox.ListOutbox),
)
async def list_outbox(
    rpc: RpcDep, page_size: PageSize = 50, page_token: PageToken = "", kind: Kind = None, status: Status = None
) -> dict:
    request = pb.ListOutboxRequest(page_size=page_size, page_token=page_token, kind=kind or "", status=status or "")
    return await rpc(approval_inbox.ListOutbox, request)


@router.get(
    "/v1/approval-team",
    summary="My team's approval requests (a manager's reps; an admin: the tenant's), newest first",
    dependencies=[allow(APPROVAL_TEAM_VIEWERS)],
    response_model=reply(approval_inbox.ListTeamRequests),
)
async def list_team(
    rpc: RpcDep,
    page_size: PageSize = 50,
    page_token: PageToken = "",
    kind: Kind = None,
    status: Status = None,
    rep_id: Annotated[str, Query(max_length=64, description="one rep of the team")] = "",
) -> dict:
    request = pb.ListTeamRequestsRequest(
        page_size=page_size, page_token=page_token, kind=kind or "", status=status or "", rep_id=rep_id
    )
    return await rpc(approval_inbox.ListTeamRequests, request)


@router.get(
    "/v1/approval-reports/bottlenecks",
    summary="Dwell per policy, stage, step, department and approver over a period: median, p90, share of delay",
    dependencies=[allow(APPROVAL_REPORT_READERS)],
    response_model=reply(approval_inbox.GetBottleneckReport),
)
async def bottleneck_report(
    rpc: RpcDep,
    decided_from: Annotated[Instant | None, Query(description="start of the period (default: 30 days before its end)")] = None,
    decided_to: Annotated[Instant | None, Query(description="end of the period, exclusive (default: now)")] = None,
    kind: Kind = None,
    dimension: Annotated[Dimension | None, Query(description="one level only")] = None,
) -> dict:
    request = pb.GetBottleneckReportRequest(
        decided_from=timestamp(decided_from), decided_to=timestamp(decided_to), kind=kind or "",
        dimension=dimension or "",
    )
    return await rpc(approval_inbox.GetBottleneckReport, request)
