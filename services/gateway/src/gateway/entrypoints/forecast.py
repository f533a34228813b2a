"""The win probability model and the forecast (seed 000), opportunity's ForecastService: train the
tenant's model and read its calibration report (Brier score, log loss and reliability curve of the
calibrated model, the uncalibrated naive Bayes and the stage default on the newest 20 % of closed
opportunities), each open opportunity's probability with its 高/中/低 rating, a manager's manual
probability, the rating thresholds, and the expected revenue by region, product line, rep and
month and as a region × product line matrix. A rep reads their own opportunities, a manager their
team's, an admin the tenant's; finance, reviewers and partners are refused."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.opportunity.v1 import forecast_pb2 as pb
from crm_shared.roles import FORECAST_READERS, WIN_MODEL_MANAGERS
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import forecast
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Int32, PathId

router = APIRouter(prefix="/v1")

FRESHNESS = (
    "Probabilities follow a stage change or an activity within seconds; the model is retrained every night "
    "(01:00-05:00 Asia/Shanghai) and on demand. Effective probability: manual > model > stage default."
)
ReportModel = model_of(pb.WinModelReport.DESCRIPTOR)
ProbabilityModel = model_of(pb.WinProbability.DESCRIPTOR)
SettingsModel = model_of(pb.WinModelSettings.DESCRIPTOR)
Month = Annotated[str, Query(max_length=7, description="YYYY-MM (Asia/Shanghai months); both or neither, ≤ 24 months")]


class ManualProbabilityBody(Body):
    probability: Annotated[Int32, Field(description="0-100, kept until cleared; retraining never overwrites it")]


class WinModelSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    high_min: Annotated[Int32, Field(description="1-100: 高 at or above")] = 60
    medium_min: Annotated[Int32, Field(description="1-100, below high_min: 中 at or above, 低 below")] = 30
    half_life_days: Annotated[Int32, Field(description="7-3650: an outcome this old weighs half")] = 180


@router.post(
    "/forecast/model/train",
    summary="Train the tenant's win model now (manager, admin) and score every open opportunity",
    description="409 when the history is too small (fewer than 40 closed, or 5 won / 5 lost): the stage default stands.",
    dependencies=[allow(WIN_MODEL_MANAGERS)],
    response_model=ReportModel,
)
async def train_win_model(rpc: RpcDep) -> dict:
    return (await rpc(forecast.TrainWinModel, pb.TrainWinModelRequest()))["report"]


@router.get(
    "/forecast/model",
    summary="The latest win model's report: Brier score, log loss and reliability curve on the held-out part",
    description="Three predictors in the same run: calibrated, uncalibrated (naive Bayes), stage_default. "
    "model_version 0: no model yet (the stage default stands).",
    dependencies=[allow(FORECAST_READERS)],
    response_model=ReportModel,
)
async def get_win_model_report(rpc: RpcDep) -> dict:
    return (await rpc(forecast.GetWinModelReport, pb.GetWinModelReportRequest()))["report"]


@router.get(
    "/forecast/scores",
    summary="Open opportunities in scope with their model, manual and effective probabilities and rating",
    description=FRESHNESS,
    dependencies=[allow(FORECAST_READERS)],
    response_model=reply(forecast.ListScoredOpportunities),
)
async def list_scored_opportunities(
    rpc: RpcDep,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: Annotated[str, Query(max_length=64)] = "",
) -> dict:
    request = pb.ListScoredOpportunitiesRequest(page_size=page_size, page_token=page_token)
    return await rpc(forecast.ListScoredOpportunities, request)


@router.get(
    "/forecast",
    summary="Expected revenue (Σ amount × probability) and commit / best case / pipeline amounts per group",
    description=FRESHNESS + " Exact integer sums per currency; month is the expected close date's.",
    dependencies=[allow(FORECAST_READERS)],
    response_model=reply(forecast.GetForecast),
)
async def get_forecast(
    rpc: RpcDep,
    group_by: Annotated[Literal["region", "product_line", "rep", "month"], Query()] = "region",
    from_month: Month = "",
    to_month: Month = "",
) -> dict:
    request = pb.GetForecastRequest(group_by=group_by, from_month=from_month, to_month=to_month)
    return await rpc(forecast.GetForecast, request)


@router.get(
    "/forecast/matrix",
    summary="各区域、各产品线的预计收入分布: expected revenue per region (customer province) × product line",
    description=FRESHNESS,
    dependencies=[allow(FORECAST_READERS)],
    response_model=reply(forecast.GetForecastMatrix),
)
async def get_forecast_matrix(rpc: RpcDep, from_month: Month = "", to_month: Month = "") -> dict:
    return await rpc(forecast.GetForecastMatrix, pb.GetForecastMatrixRequest(from_month=from_month, to_month=to_month))


@router.get(
    "/opportunities/{opportunity_id}/win-probability",
    summary="An opportunity's stage default, model and manual probability, the effective one and its rating",
    description=FRESHNESS,
    dependencies=[allow(FORECAST_READERS)],
    response_model=ProbabilityModel,
)
async def get_win_probability(opportunity_id: PathId, rpc: RpcDep) -> dict:
    request = pb.GetWinProbabilityRequest(opportunity_id=opportunity_id)
    return (await rpc(forecast.GetWinProbability, request))["probability"]


@router.put(
    "/opportunities/{opportunity_id}/manual-probability",
    summary="Set a manual probability (manager, admin): it wins over the model and is never overwritten",
    dependencies=[allow(WIN_MODEL_MANAGERS)],
    response_model=ProbabilityModel,
)
async def set_manual_probability(opportunity_id: PathId, body: ManualProbabilityBody, rpc: RpcDep) -> dict:
    request = pb.SetManualProbabilityRequest(opportunity_id=opportunity_id, probability=body.probability)
    return (await rpc(forecast.SetManualProbability, request))["probability"]


@router.delete(
    "/opportunities/{opportunity_id}/manual-probability",
    summary="Clear the manual probability (manager, admin): back to the model's, or the stage default",
    dependencies=[allow(WIN_MODEL_MANAGERS)],
    response_model=ProbabilityModel,
)
async def clear_manual_probability(opportunity_id: PathId, rpc: RpcDep) -> dict:
    request = pb.SetManualProbabilityRequest(opportunity_id=opportunity_id, clear=True)
    return (await rpc(forecast.SetManualProbability, request))["probability"]


@router.get(
    "/forecast/settings",
    summary="The tenant's rating thresholds (高 ≥ 60, 中 ≥ 30 by default) and the outcomes' half-life",
    dependencies=[allow(FORECAST_READERS)],
    response_model=SettingsModel,
)
async def get_win_model_settings(rpc: RpcDep) -> dict:
    return (await rpc(forecast.GetWinModelSettings, pb.GetWinModelSettingsRequest()))["settings"]


@router.put(
    "/forecast/settings",
    summary="Save the rating thresholds and half-life (manager, admin); 409 when `version` is not the one stored",
    description="400 naming the field when a value is out of bounds.",
    dependencies=[allow(WIN_MODEL_MANAGERS)],
    response_model=SettingsModel,
)
async def put_win_model_settings(body: WinModelSettingsBody, rpc: RpcDep) -> dict:
    settings = pb.WinModelSettings(
        version=body.version, high_min=body.high_min, medium_min=body.medium_min, half_life_days=body.half_life_days
    )
    return (await rpc(forecast.PutWinModelSettings, pb.PutWinModelSettingsRequest(settings=settings)))["settings"]
