"""Receivables (finance-reconciliation's AgingService): aging as of a date,
the overdue follow-ups and marking one done, a customer's payment figures,
the collection report. Finance and admins see the tenant's, a manager their
team's, a rep their own (the service scopes every answer); partners and
reviewers are refused here and there."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.finance_reconciliation.v1 import aging_pb2 as pb
from crm_shared.roles import PAYMENT_READERS
from fastapi import APIRouter, Path, Query
from pydantic import Field

from gateway.adapters.stubs import aging
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, PageSize, PageToken, PathId

router = APIRouter()

Day = Annotated[str, Query(max_length=10, description="ISO date, e.g. 2026-12-01; empty: today (Asia/Shanghai)")]
QueryId = Annotated[str, Query(max_length=64)]


class CompleteBody(Body):
    note: Annotated[str, Field(min_length=1, max_length=1000, description="What was done")]


@router.get(
    "/v1/finance/aging",
    summary="Receivables aging as of a date in five buckets, red past 30 days, by customer, rep, 大区 or contract (paged)",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(aging.GetAging),
)
async def get_aging(
    rpc: RpcDep,
    as_of: Day = "",
    group_by: Literal["customer", "rep", "region", "contract"] = "customer",
    customer_id: QueryId = "",
    contract_id: QueryId = "",
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> dict:
    request = pb.GetAgingRequest(as_of=as_of, group_by=group_by, customer_id=customer_id, contract_id=contract_id,
                                 page_size=page_size, page_token=page_token)
    return await rpc(aging.GetAging, request)


@router.get(
    "/v1/finance/follow-ups",
    summary="Overdue tasks (legal's queue to finance), managers' notices and reminders, oldest first",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(aging.ListFollowUps),
)
async def list_follow_ups(
    rpc: RpcDep,
    status: Literal["open", "done"] | None = None,
    page_size: PageSize = 50,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListFollowUpsRequest(status=status or "", page_size=page_size, page_token=page_token)
    return await rpc(aging.ListFollowUps, request)


@router.post(
    "/v1/finance/follow-ups/{follow_up_id}/done",
    summary="Mark a follow-up done, saying what was done",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(aging.CompleteFollowUp),
)
async def complete_follow_up(
    follow_up_id: Annotated[str, Path(max_length=120)], body: CompleteBody, rpc: RpcDep
) -> dict:
    request = pb.CompleteFollowUpRequest(follow_up_id=follow_up_id, note=body.note)
    return await rpc(aging.CompleteFollowUp, request)


@router.get(
    "/v1/customers/{customer_id}/payment-stats",
    summary="A customer's on-time payment rate and DSO per currency, as of a date",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(aging.GetCustomerPaymentStats),
)
async def customer_payment_stats(
    customer_id: PathId,
    rpc: RpcDep,
    as_of: Day = "",
    period_days: Annotated[int, Query(ge=0, le=366, description="DSO's period; 0: 90 days")] = 0,
) -> dict:
    request = pb.GetCustomerPaymentStatsRequest(customer_id=customer_id, as_of=as_of, period_days=period_days)
    return await rpc(aging.GetCustomerPaymentStats, request)


@router.get(
    "/v1/finance/collection-report",
    summary="Collections expected (plans) against actual (cash) per month or quarter, by lead source, 大区 or product line",
    dependencies=[allow(PAYMENT_READERS)],
    response_model=reply(aging.GetCollectionReport),
)
async def collection_report(
    rpc: RpcDep,
    start: Annotated[str, Query(alias="from", min_length=10, max_length=10, description="ISO date, inclusive")],
    end: Annotated[str, Query(alias="to", min_length=10, max_length=10, description="ISO date, inclusive")],
    group_by: Literal["lead_source", "region", "product_line", "owner"] = "lead_source",
    period: Literal["month", "quarter"] = "month",
) -> dict:
    request = pb.GetCollectionReportRequest(group_by=group_by, period=period, to=end, **{"from": start})
    return await rpc(aging.GetCollectionReport, request)
