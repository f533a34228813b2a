"""过程健康度指数 (PHI, seed 004), the KPI views and the monthly 销售能力画像
(seed 000), opportunity's ProcessHealthService and KpiService. Per
Asia/Shanghai calendar month (period YYYY-MM, empty: the current one, at most
24 months back). A rep reads their own figures beside the team average (never
a colleague's row), a manager their team's, an admin the tenant's or one
team's (team = the manager's id); finance, reviewers and partners are refused.
Computed from the facts when read: current to the last committed change."""

from __future__ import annotations

from typing import Annotated

from crm.opportunity.v1 import process_health_pb2 as pb
from crm_shared.roles import ADMIN, MANAGER, REP
from fastapi import APIRouter, Query
from pydantic import Field

from gateway.adapters.stubs import kpi, process_health
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Int32, PathId

router = APIRouter(prefix="/v1")

READERS = (REP, MANAGER, ADMIN)
EDITORS = (ADMIN,)
SettingsModel = model_of(pb.ProcessHealthSettings.DESCRIPTOR)
Period = Annotated[str, Query(max_length=7, description="YYYY-MM (Asia/Shanghai); empty: the current month")]
Team = Annotated[str, Query(max_length=64, description="a manager's id (admins); empty: the caller's team")]
# Bounds are the service's (400 naming the field); here only the types fit the messages.
Bp = Annotated[Int32, Field(description="basis points: 1 % = 100, ratio 1.2 = 12000")]


class WeightsBody(Body):
    key_actions: Int32 = 1
    freshness: Int32 = 1
    collaboration: Int32 = 1


class ProcessHealthSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    key_actions_min_bp: Bp = 8_500
    freshness_min_bp: Bp = 6_000
    collaboration_max_bp: Bp = 12_000
    collaboration_baseline_hours: Annotated[Int32, Field(description="1-2160: the 行业基准时长 of a task")] = 24
    freshness_days: Annotated[Int32, Field(description="1-90")] = 7
    key_actions_warn_bp: Bp = 7_000
    weights: WeightsBody = Field(default_factory=WeightsBody, description="0-100 each, at least one above 0")
    monthly_visit_target: Annotated[Int32, Field(description="1-1000 visits per rep per month")] = 20
    effective_call_seconds: Annotated[Int32, Field(description="1-3600: a call at least this long is effective")] = 60


@router.get(
    "/indexes/phi",
    summary="PHI per rep of a month: 关键动作饱和度, 信息新鲜度, 协同响应比 with thresholds, evidence and the composite, "
    "beside the team average",
    dependencies=[allow(READERS)],
    response_model=reply(process_health.GetTeamPhi),
)
async def get_team_phi(rpc: RpcDep, period: Period = "", team: Team = "") -> dict:
    return await rpc(process_health.GetTeamPhi, pb.GetTeamPhiRequest(period=period, team=team))


@router.get(
    "/indexes/phi/settings",
    summary="The tenant's PHI thresholds and weights, the baseline hours, the visit target and the effective call length",
    dependencies=[allow(READERS)],
    response_model=SettingsModel,
)
async def get_process_health_settings(rpc: RpcDep) -> dict:
    return (await rpc(process_health.GetProcessHealthSettings, pb.GetProcessHealthSettingsRequest()))["settings"]


@router.put(
    "/indexes/phi/settings",
    summary="Save the PHI settings (admin); 409 when `version` is not the one stored, 400 naming a field out of bounds",
    dependencies=[allow(EDITORS)],
    response_model=SettingsModel,
)
async def put_process_health_settings(body: ProcessHealthSettingsBody, rpc: RpcDep) -> dict:
    values = body.model_dump()
    settings = pb.ProcessHealthSettings(**(values | {"weights": pb.ProcessHealthWeights(**values["weights"])}))
    request = pb.PutProcessHealthSettingsRequest(settings=settings)
    return (await rpc(process_health.PutProcessHealthSettings, request))["settings"]


@router.get(
    "/kpi",
    summary="KPI per rep of a month (sales, 客户拜访频次达标率, 有效沟通时长占比, 商机阶段停留天数) beside the team average",
    description="The collection rate is finance's: GET /v1/finance/collection-report (collected ÷ due) and GET /v1/finance/aging?group_by=rep.",
    dependencies=[allow(READERS)],
    response_model=reply(kpi.GetTeamKpi),
)
async def get_team_kpi(rpc: RpcDep, period: Period = "", team: Team = "") -> dict:
    return await rpc(kpi.GetTeamKpi, pb.GetTeamKpiRequest(period=period, team=team))


@router.get(
    "/reps/{rep_id}/profile",
    summary="A rep's 销售能力画像 of a month: existing vs new customers, stage conversion against the team, signals reached",
    dependencies=[allow(READERS)],
    response_model=reply(kpi.GetRepProfile),
)
async def get_rep_profile(
    rep_id: PathId,
    rpc: RpcDep,
    month: Annotated[str, Query(max_length=7, description="YYYY-MM; empty: the month just ended")] = "",
) -> dict:
    return await rpc(kpi.GetRepProfile, pb.GetRepProfileRequest(rep_id=rep_id, month=month))
