"""gRPC servicer of rebates: requests to RebateHandlers calls, programmes,
progress and settlements to messages (amounts int64 分, saturated)."""

from __future__ import annotations

import grpc
from crm.finance_reconciliation.v1 import rebate_pb2 as pb
from crm.finance_reconciliation.v1 import rebate_pb2_grpc as pb_grpc
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from finance_reconciliation.domain.rebate import ProgrammeInput, RebateProgramme, RebateSettlement, Tier
from finance_reconciliation.service_layer.rebates import Figures, RebateHandlers


def _tiers(tiers: tuple[Tier, ...]) -> list[pb.RebateTier]:
    return [pb.RebateTier(threshold_minor=t.threshold_minor, rate_bp=t.rate_bp) for t in tiers]


def programme_message(p: RebateProgramme) -> pb.RebateProgramme:
    return pb.RebateProgramme(
        programme_id=p.programme_id,
        name=p.name,
        period_kind=p.period_kind,
        tiers=_tiers(p.tiers),
        basis=p.basis,
        currency=p.currency,
        distributor_ids=list(p.distributor_ids),
        starts_on=p.starts_on.isoformat(),
        ends_on=p.ends_on.isoformat() if p.ends_on else "",
        active=p.active,
        version=p.version,
        updated_by=p.updated_by,
        updated_at=p.updated_at.isoformat(),
    )


def progress_message(f: Figures, currency: str) -> pb.RebateProgress:
    p, s = f.progress, f.settlement
    return pb.RebateProgress(
        distributor_id=p.distributor_id,
        period=p.period.label,
        period_starts_on=p.period.starts_on.isoformat(),
        period_ends_on=p.period.ends_on.isoformat(),
        collected_minor=wire_minor(p.collected_minor),
        receipt_count=p.receipt_count,
        tier=p.tier,
        rate_bp=p.rate_bp,
        next_threshold_minor=p.next_threshold_minor,
        next_rate_bp=p.next_rate_bp,
        needed_minor=p.needed_minor,
        accrued_minor=wire_minor(p.accrued_minor),
        currency=currency,
        settlement_id=s.settlement_id if s else "",
        settled_minor=wire_minor(s.rebate_minor) if s else 0,
    )


def settlement_message(s: RebateSettlement, *, with_receipts: bool = False) -> pb.RebateSettlement:
    return pb.RebateSettlement(
        settlement_id=s.settlement_id,
        programme_id=s.programme_id,
        programme_name=s.programme_name,
        distributor_id=s.distributor_id,
        period=s.period.label,
        period_starts_on=s.period.starts_on.isoformat(),
        period_ends_on=s.period.ends_on.isoformat(),
        currency=s.currency,
        collected_minor=wire_minor(s.collected_minor),
        tier=s.tier,
        rate_bp=s.rate_bp,
        basis=s.basis,
        tiers=_tiers(s.tiers),
        rebate_minor=wire_minor(s.rebate_minor),
        receipt_count=len(s.receipt_ids),
        receipt_ids=list(s.receipt_ids) if with_receipts else [],
        note=s.note,
        settled_by=s.settled_by,
        settled_at=s.settled_at.isoformat(),
    )


def _input(given: pb.RebateProgrammeInput) -> ProgrammeInput:
    return ProgrammeInput(
        name=given.name,
        period_kind=given.period_kind,
        tiers=[Tier(t.threshold_minor, t.rate_bp) for t in given.tiers],
        basis=given.basis,
        currency=given.currency,
        distributor_ids=list(given.distributor_ids),
        starts_on=given.starts_on,
        ends_on=given.ends_on,
        active=given.active,
    )


class RebateServicer(pb_grpc.RebateServiceServicer):
    def __init__(self, handlers: RebateHandlers) -> None:
        self.handlers = handlers

    async def ListRebateProgrammes(
        self, request: pb.ListRebateProgrammesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRebateProgrammesResponse:
        found = await self.handlers.programmes(current_caller())
        return pb.ListRebateProgrammesResponse(programmes=[programme_message(p) for p in found])

    async def GetRebateProgramme(
        self, request: pb.GetRebateProgrammeRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetRebateProgrammeResponse:
        found = await self.handlers.programme(current_caller(), request.programme_id)
        return pb.GetRebateProgrammeResponse(programme=programme_message(found))

    async def CreateRebateProgramme(
        self, request: pb.CreateRebateProgrammeRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateRebateProgrammeResponse:
        made = await self.handlers.create_programme(current_caller(), _input(request.programme))
        return pb.CreateRebateProgrammeResponse(programme=programme_message(made))

    async def UpdateRebateProgramme(
        self, request: pb.UpdateRebateProgrammeRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdateRebateProgrammeResponse:
        saved = await self.handlers.update_programme(
            current_caller(), request.programme_id, _input(request.programme), request.expected_version
        )
        return pb.UpdateRebateProgrammeResponse(programme=programme_message(saved))

    async def GetPartnerRebates(
        self, request: pb.GetPartnerRebatesRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetPartnerRebatesResponse:
        found = await self.handlers.partner_rebates(current_caller(), request.on)
        return pb.GetPartnerRebatesResponse(
            rebates=[
                pb.PartnerRebate(
                    # No distributor list: a partner never learns who else takes part.
                    programme=pb.PartnerRebateProgramme(
                        programme_id=p.programme_id,
                        name=p.name,
                        period_kind=p.period_kind,
                        tiers=_tiers(p.tiers),
                        basis=p.basis,
                        currency=p.currency,
                    ),
                    progress=progress_message(f, p.currency),
                )
                for p, f in found
            ]
        )

    async def ListRebateAccruals(
        self, request: pb.ListRebateAccrualsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRebateAccrualsResponse:
        programme, found = await self.handlers.accruals(
            current_caller(), request.programme_id, request.period, request.on
        )
        return pb.ListRebateAccrualsResponse(
            programme=programme_message(programme),
            accruals=[progress_message(f, programme.currency) for f in found],
            total_accrued_minor=wire_minor(sum(f.progress.accrued_minor for f in found)),
        )

    async def SettleRebate(
        self, request: pb.SettleRebateRequest, context: grpc.aio.ServicerContext
    ) -> pb.SettleRebateResponse:
        made = await self.handlers.settle(
            current_caller(), request.programme_id, request.distributor_id, request.period, request.note
        )
        return pb.SettleRebateResponse(settlement=settlement_message(made))

    async def ListRebateSettlements(
        self, request: pb.ListRebateSettlementsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListRebateSettlementsResponse:
        page, token = await self.handlers.settlements(
            current_caller(),
            request.programme_id,
            request.distributor_id,
            request.period,
            request.page_size,
            request.page_token,
        )
        return pb.ListRebateSettlementsResponse(
            settlements=[settlement_message(s) for s in page], next_page_token=token
        )

    async def GetRebateSettlement(
        self, request: pb.GetRebateSettlementRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetRebateSettlementResponse:
        found = await self.handlers.settlement(current_caller(), request.settlement_id)
        return pb.GetRebateSettlementResponse(settlement=settlement_message(found, with_receipts=True))
