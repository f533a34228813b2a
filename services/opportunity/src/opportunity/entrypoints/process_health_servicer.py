"""gRPC servicers of ProcessHealthService and KpiService: requests to handler
calls, results to messages (errors are the server interceptor's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import grpc
from crm.common.v1.common_pb2 import Money
from crm.opportunity.v1 import process_health_pb2 as pb
from crm.opportunity.v1 import process_health_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor

from opportunity.domain.indexes.kpi import Kpi
from opportunity.domain.indexes.phi import Indicator
from opportunity.service_layer.kpi import KpiHandlers
from opportunity.service_layer.process_health import ProcessHealthHandlers, VersionedSettings


def _money(amounts: Mapping[str, int]) -> list[Money]:
    return [Money(amount_minor=wire_minor(v), currency=c) for c, v in sorted(amounts.items())]


def _opt(**values: Any) -> dict[str, Any]:
    """Optional fields set only when there is a value."""
    return {k: v for k, v in values.items() if v is not None}


def indicator_message(i: Indicator) -> pb.Indicator:
    return pb.Indicator(
        name=i.name,
        threshold_bp=i.threshold_bp,
        healthy=i.healthy,
        numerator=i.numerator,
        denominator=i.denominator,
        evidence=[pb.IndicatorEvidence(**e) for e in i.evidence],
        **_opt(value_bp=i.value_bp),
    )


def settings_message(v: VersionedSettings) -> pb.ProcessHealthSettings:
    s = v.settings
    return pb.ProcessHealthSettings(
        version=v.version,
        key_actions_min_bp=s.key_actions_min_bp,
        freshness_min_bp=s.freshness_min_bp,
        collaboration_max_bp=s.collaboration_max_bp,
        collaboration_baseline_hours=s.collaboration_baseline_hours,
        freshness_days=s.freshness_days,
        key_actions_warn_bp=s.key_actions_warn_bp,
        weights=pb.ProcessHealthWeights(**dict(s.weights)),
        monthly_visit_target=s.monthly_visit_target,
        effective_call_seconds=s.effective_call_seconds,
        updated_by=v.updated_by,
    )


def kpi_message(k: Kpi) -> pb.KpiFigures:
    return pb.KpiFigures(
        rep_id=k.rep_id,
        sales=_money(k.sales),
        visits=k.visits,
        visit_target=k.visit_target,
        call_seconds=k.call_seconds,
        effective_call_seconds=k.effective_call_seconds,
        stage_days=[pb.StageDays(stage=s, days_tenths=d) for s, d in k.stage_days_tenths.items()],
        **_opt(visit_rate_bp=k.visit_rate_bp, effective_call_bp=k.effective_call_bp),
    )


def average_message(a: Mapping[str, Any]) -> pb.KpiFigures:
    return pb.KpiFigures(
        sales=_money(a["sales"]),
        stage_days=[pb.StageDays(stage=s, days_tenths=d) for s, d in a["stage_days_tenths"].items() if d is not None],
        **_opt(visit_rate_bp=a["visit_rate_bp"], effective_call_bp=a["effective_call_bp"]),
    )


def _types(figures: Mapping[str, Mapping[str, Any]]) -> list[pb.CustomerTypeFigures]:
    return [
        pb.CustomerTypeFigures(
            customer_type=kind,
            closed=f["closed"],
            won=f["won"],
            won_amount=_money(f["won_amount"]),
            **_opt(win_rate_bp=f["win_rate_bp"]),
        )
        for kind, f in figures.items()
    ]


def _conversion(rows: Mapping[str, Mapping[str, int]]) -> list[pb.StageConversion]:
    return [pb.StageConversion(stage=s, **r) for s, r in rows.items()]


class ProcessHealthServicer(pb_grpc.ProcessHealthServiceServicer):
    def __init__(self, handlers: ProcessHealthHandlers) -> None:
        self.handlers = handlers

    async def GetTeamPhi(
        self, request: pb.GetTeamPhiRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetTeamPhiResponse:
        found = await self.handlers.team_phi(current_caller(), request.period, request.team)
        return pb.GetTeamPhiResponse(
            period=found.period,
            reps=[
                pb.RepPhi(
                    rep_id=r.rep_id,
                    indicators=[indicator_message(i) for i in r.indicators],
                    saturation_warning=found.warnings.get(r.rep_id, False),
                    **_opt(composite_bp=r.composite_bp),
                )
                for r in found.rows
            ],
            team_average=[pb.TeamAverage(name=k, **_opt(value_bp=v)) for k, v in found.team_average.items()],
            computed_at=timestamp(found.computed_at),
        )

    async def GetProcessHealthSettings(
        self, request: pb.GetProcessHealthSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetProcessHealthSettingsResponse:
        return pb.GetProcessHealthSettingsResponse(
            settings=settings_message(await self.handlers.settings(current_caller()))
        )

    async def PutProcessHealthSettings(
        self, request: pb.PutProcessHealthSettingsRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutProcessHealthSettingsResponse:
        s = request.settings
        data = {
            name: getattr(s, name)
            for name in (
                "key_actions_min_bp",
                "freshness_min_bp",
                "collaboration_max_bp",
                "collaboration_baseline_hours",
                "freshness_days",
                "key_actions_warn_bp",
                "monthly_visit_target",
                "effective_call_seconds",
            )
        }
        data["weights"] = {
            "key_actions": s.weights.key_actions,
            "freshness": s.weights.freshness,
            "collaboration": s.weights.collaboration,
        }
        saved = await self.handlers.put_settings(current_caller(), s.version, data)
        return pb.PutProcessHealthSettingsResponse(settings=settings_message(saved))


class KpiServicer(pb_grpc.KpiServiceServicer):
    def __init__(self, handlers: KpiHandlers) -> None:
        self.handlers = handlers

    async def GetTeamKpi(
        self, request: pb.GetTeamKpiRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetTeamKpiResponse:
        found = await self.handlers.team_kpi(current_caller(), request.period, request.team)
        return pb.GetTeamKpiResponse(
            period=found.period,
            reps=[kpi_message(k) for k in found.rows],
            team_average=average_message(found.team_average),
            computed_at=timestamp(found.computed_at),
        )

    async def GetRepProfile(
        self, request: pb.GetRepProfileRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetRepProfileResponse:
        data, computed_at = await self.handlers.profile(current_caller(), request.rep_id, request.month)
        types, conversion = data["customer_types"], data["stage_conversion"]
        return pb.GetRepProfileResponse(
            rep_id=data["rep_id"],
            month=data["month"],
            rep_customer_types=_types(types["rep"]),
            team_customer_types=_types(types["team"]),
            rep_conversion=_conversion(conversion["rep"]),
            team_conversion=_conversion(conversion["team"]),
            signals=[pb.SignalCount(signal=k, count=v) for k, v in data["signals"].items()],
            computed_at=timestamp(computed_at),
        )
