"""gRPC servicer of receivables: requests to AgingHandlers / FollowUpHandlers calls, results to messages."""

from __future__ import annotations

import grpc
from crm.common.v1.common_pb2 import Money
from crm.finance_reconciliation.v1 import aging_pb2 as pb
from crm.finance_reconciliation.v1 import aging_pb2_grpc as pb_grpc
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from finance_reconciliation.domain.aging import D1_30, D31_60, D61_90, D90_PLUS, NOT_DUE, AgingRow
from finance_reconciliation.domain.follow_up import FollowUp
from finance_reconciliation.service_layer.aging import AgingHandlers
from finance_reconciliation.service_layer.follow_up import FollowUpHandlers


def _money(amount_minor: int, currency: str) -> Money:
    return Money(amount_minor=wire_minor(amount_minor), currency=currency)


def aging_row(row: AgingRow) -> pb.AgingRow:
    b, c = row.buckets, row.currency
    return pb.AgingRow(
        key=row.key, currency=c,
        buckets=pb.AgingBuckets(not_due=_money(b[NOT_DUE], c), days_1_30=_money(b[D1_30], c),
                                days_31_60=_money(b[D31_60], c), days_61_90=_money(b[D61_90], c),
                                days_over_90=_money(b[D90_PLUS], c)),
        total=_money(row.total_minor, c), overdue=_money(row.overdue_minor, c), red=row.red_count > 0,
        red_amount=_money(row.red_minor, c), red_instalments=row.red_count,
    )


def follow_up_message(f: FollowUp) -> pb.FollowUp:
    return pb.FollowUp(
        follow_up_id=f.follow_up_id, kind=f.kind, instalment_id=f.instalment_id, customer_id=f.customer_id,
        owner_id=f.owner_id, assignee=f.assignee, days=f.days, outstanding=_money(f.outstanding_minor, f.currency),
        status=f.status, created_at=f.created_at.isoformat(), done_by=f.done_by,
        done_at=f.done_at.isoformat() if f.done_at else "", note=f.note,
    )


class AgingServicer(pb_grpc.AgingServiceServicer):
    def __init__(self, aging: AgingHandlers, follow_ups: FollowUpHandlers) -> None:
        self.aging = aging
        self.follow_ups = follow_ups

    async def GetAging(self, request: pb.GetAgingRequest, context: grpc.aio.ServicerContext) -> pb.GetAgingResponse:
        report = await self.aging.aging(
            current_caller(), request.as_of, request.group_by, request.customer_id, request.contract_id,
            request.page_size, request.page_token,
        )
        return pb.GetAgingResponse(as_of=report.as_of.isoformat(), group_by=report.group_by,
                                   rows=[aging_row(r) for r in report.rows],
                                   totals=[aging_row(r) for r in report.totals],
                                   next_page_token=report.next_page_token)

    async def ListFollowUps(
        self, request: pb.ListFollowUpsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListFollowUpsResponse:
        page = await self.follow_ups.listed(current_caller(), request.status, request.page_size, request.page_token)
        return pb.ListFollowUpsResponse(follow_ups=[follow_up_message(f) for f in page.follow_ups],
                                        next_page_token=page.next_page_token)

    async def CompleteFollowUp(
        self, request: pb.CompleteFollowUpRequest, context: grpc.aio.ServicerContext
    ) -> pb.CompleteFollowUpResponse:
        done = await self.follow_ups.complete(current_caller(), request.follow_up_id, request.note)
        return pb.CompleteFollowUpResponse(follow_up=follow_up_message(done))

    async def GetCustomerPaymentStats(
        self, request: pb.GetCustomerPaymentStatsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCustomerPaymentStatsResponse:
        report = await self.aging.customer_stats(current_caller(), request.customer_id, request.as_of,
                                                 request.period_days)
        out = pb.GetCustomerPaymentStatsResponse(customer_id=report.customer_id, as_of=report.as_of.isoformat(),
                                                 period_days=report.period_days)
        for s in report.stats:
            stats = out.stats.add(currency=s.currency, due_count=s.due_count, on_time_count=s.on_time_count,
                                  receivable=_money(s.receivable_minor, s.currency),
                                  billed=_money(s.billed_minor, s.currency))
            if s.on_time_rate_bp is not None:
                stats.on_time_rate_bp = s.on_time_rate_bp
            if s.dso_days is not None:
                stats.dso_tenths = int(s.dso_days * 10)
        return out

    async def GetCollectionReport(
        self, request: pb.GetCollectionReportRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCollectionReportResponse:
        start = getattr(request, "from")  # a Python keyword
        rows = await self.aging.collections(current_caller(), request.group_by, request.period, start, request.to)
        return pb.GetCollectionReportResponse(
            group_by=request.group_by, period=request.period,
            rows=[pb.CollectionReportRow(period=r.period, key=r.key, currency=r.currency,
                                         expected=_money(r.expected_minor, r.currency),
                                         actual=_money(r.actual_minor, r.currency)) for r in rows],
        )
