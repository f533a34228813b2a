"""gRPC servicer of ForecastService: translates requests to the win model's and the forecast's
handler calls and results to messages (errors are the server interceptor's)."""

from __future__ import annotations

import grpc
from crm.common.v1.common_pb2 import Money
from crm.opportunity.v1 import forecast_pb2 as pb
from crm.opportunity.v1 import forecast_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from opportunity.domain.indexes.forecast import Cell
from opportunity.service_layer.forecast import ForecastHandlers
from opportunity.service_layer.win_model import ModelReport, Scored, VersionedSettings, WinModelHandlers


def report_message(r: ModelReport) -> pb.WinModelReport:
    rep = r.report
    return pb.WinModelReport(
        model_version=r.stored.version,
        trained_at=timestamp(r.stored.trained_at),
        trained_by=r.stored.trained_by,
        duration_ms=r.stored.duration_ms,
        method=rep.method,
        train_opportunities=rep.train_opportunities,
        train_rows=rep.train_rows,
        holdout_opportunities=rep.holdout_opportunities,
        holdout_rows=rep.holdout_rows,
        holdout_won_share=rep.holdout_won_share,
        scores=[
            pb.PredictorScores(
                predictor=name,
                brier=s.brier,
                log_loss=s.log_loss,
                curve=[
                    pb.ReliabilityBin(mean_predicted=b.mean_predicted, fraction_won=b.fraction_won, count=b.count)
                    for b in s.curve
                ],
            )
            for name, s in rep.scores.items()
        ],
        scored=r.scored,
    )


def probability_message(s: Scored) -> pb.WinProbability:
    return pb.WinProbability(
        opportunity_id=s.opportunity_id,
        owner_id=s.owner_id,
        stage=s.stage,
        stage_probability=s.stage_probability,
        model_probability=s.model_probability,
        manual_probability=s.manual_probability,
        probability=s.probability,
        source=s.source,
        rating=s.rating,
        model_version=s.model_version,
    )


def _money(minor: int, currency: str) -> Money:
    return Money(amount_minor=wire_minor(minor), currency=currency)


def cell_message(c: Cell) -> pb.ForecastCell:
    return pb.ForecastCell(
        key=list(c.key),
        count=c.count,
        amount=_money(c.amount_minor, c.currency),
        expected=_money(c.expected_minor, c.currency),
        commit=_money(c.by_category["commit"], c.currency),
        best_case=_money(c.by_category["best_case"], c.currency),
        pipeline=_money(c.by_category["pipeline"], c.currency),
    )


def settings_message(s: VersionedSettings) -> pb.WinModelSettings:
    return pb.WinModelSettings(
        version=s.version,
        high_min=s.settings.high_min,
        medium_min=s.settings.medium_min,
        half_life_days=s.settings.half_life_days,
    )


class ForecastServicer(pb_grpc.ForecastServiceServicer):
    def __init__(self, models: WinModelHandlers, forecasts: ForecastHandlers) -> None:
        self.models = models
        self.forecasts = forecasts

    async def TrainWinModel(
        self, request: pb.TrainWinModelRequest, context: grpc.aio.ServicerContext
    ) -> pb.TrainWinModelResponse:
        return pb.TrainWinModelResponse(report=report_message(await self.models.train(current_caller())))

    async def GetWinModelReport(
        self, request: pb.GetWinModelReportRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetWinModelReportResponse:
        found = await self.models.report(current_caller())
        return pb.GetWinModelReportResponse(report=report_message(found) if found else pb.WinModelReport())

    async def GetWinProbability(
        self, request: pb.GetWinProbabilityRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetWinProbabilityResponse:
        scored = await self.models.probability(current_caller(), request.opportunity_id)
        return pb.GetWinProbabilityResponse(probability=probability_message(scored))

    async def ListScoredOpportunities(
        self, request: pb.ListScoredOpportunitiesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListScoredOpportunitiesResponse:
        items, token = await self.models.list(current_caller(), request.page_size, request.page_token)
        return pb.ListScoredOpportunitiesResponse(items=[probability_message(s) for s in items], next_page_token=token)

    async def SetManualProbability(
        self, request: pb.SetManualProbabilityRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetManualProbabilityResponse:
        value = None if request.clear else request.probability
        scored = await self.models.set_manual(current_caller(), request.opportunity_id, value)
        return pb.SetManualProbabilityResponse(probability=probability_message(scored))

    async def GetForecast(
        self, request: pb.GetForecastRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetForecastResponse:
        f = await self.forecasts.forecast(current_caller(), request.group_by, request.from_month, request.to_month)
        return pb.GetForecastResponse(
            group_by=f.group_by, cells=[cell_message(c) for c in f.cells], totals=[cell_message(c) for c in f.totals]
        )

    async def GetForecastMatrix(
        self, request: pb.GetForecastMatrixRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetForecastMatrixResponse:
        m = await self.forecasts.matrix(current_caller(), request.from_month, request.to_month)
        return pb.GetForecastMatrixResponse(
            regions=m.regions,
            product_lines=m.product_lines,
            cells=[cell_message(c) for c in m.cells],
            totals=[cell_message(c) for c in m.totals],
        )

    async def GetWinModelSettings(
        self, request: pb.GetWinModelSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetWinModelSettingsResponse:
        return pb.GetWinModelSettingsResponse(settings=settings_message(await self.models.settings(current_caller())))

    async def PutWinModelSettings(
        self, request: pb.PutWinModelSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutWinModelSettingsResponse:
        s = request.settings
        data = {"high_min": s.high_min, "medium_min": s.medium_min, "half_life_days": s.half_life_days}
        saved = await self.models.put_settings(current_caller(), s.version, data)
        return pb.PutWinModelSettingsResponse(settings=settings_message(saved))
