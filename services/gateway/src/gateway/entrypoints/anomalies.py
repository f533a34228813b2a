"""Anomaly flags on the sales process (seed 000 "操作异常", seed 001): opportunity's
AnomalyService raises them from stored facts (a periodic scan, or a manager's
or admin's scan now), each with its evidence; the rep's manager (their team)
and admins read and dismiss them with a reason; the flagged rep and partners
see none. The tenant's thresholds are a versioned settings row."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from crm.opportunity.v1 import anomaly_pb2 as pb
from crm_shared.roles import ANOMALY_REVIEWERS, SIGNAL_CONFIGURERS, SIGNAL_SETTINGS_READERS
from fastapi import APIRouter, Query
from pydantic import Field, StrictFloat, StrictInt

from gateway.adapters.stubs import anomaly
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import Reply, Timestamp
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Int32, PathId

router = APIRouter(prefix="/v1")

Kind = Literal["", "stuck", "month_end", "backdating", "follow_up_moved", "evidence_failures"]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Number = Annotated[StrictFloat, Field(ge=0, le=1_000_000)]


class AnomalyFlag(Reply):
    flag_id: str
    kind: str
    rep_id: str
    rep_name: str
    subject_type: str = Field(description="rep | opportunity | customer")
    subject_id: str
    title: str
    evidence: dict[str, Any] = Field(description="the numbers and ids that prove it (share, median, mad, threshold …)")
    raised_at: Timestamp
    state: str = Field(description="open | dismissed")
    dismissed_by: str
    dismissed_at: Timestamp | None
    reason: str


class AnomalyFlags(Reply):
    items: list[AnomalyFlag]


class ScanResult(Reply):
    raised: dict[str, int] = Field(description="kind → new flags this scan raised (a rerun raises none again)")
    total: int


class DismissFlag(Body):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class Thresholds(Body):
    """Any of the thresholds; one left out keeps the value it had."""

    month_end_days: Count | None = Field(None, description="the last N calendar days of a month (Asia/Shanghai)")
    month_end_k: Number | None = Field(None, description="flag when the share > median + k·MAD")
    month_end_min_share: Number | None = Field(None, description="and the share is at least this (0..1)")
    month_end_min_count: Count | None = Field(None, description="and at least this many month-end activities")
    history_months: Count | None = Field(None, description="the rep's own previous months compared with")
    min_history_months: Count | None = Field(None, description="fewer months with activity: no verdict")
    backdate_hours: Count | None = Field(None, description="recorded more than this after it happened")
    backdate_min_count: Count | None = Field(None, description="flag on more than this many in a month")
    stuck_p90_min_sample: Count | None = Field(None, description="completed stays needed for the team's p90")
    evidence_min_failures: Count | None = Field(None, description="visits failing evidence checks")
    evidence_window_days: Count | None = Field(None, description="… within this many days")


class PutAnomalySettings(Thresholds):
    version: Annotated[Int32, Field(ge=0, description="the version read (0: the defaults)")]


class AnomalySettingsReply(Reply):
    version: int
    month_end_days: int
    month_end_k: float
    month_end_min_share: float
    month_end_min_count: int
    history_months: int
    min_history_months: int
    backdate_hours: int
    backdate_min_count: int
    stuck_p90_min_sample: int
    evidence_min_failures: int
    evidence_window_days: int


def _flag(message: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in message.items() if k != "evidence_json"}
    out["evidence"] = json.loads(message["evidence_json"] or "{}")
    return out


def _settings(message: dict[str, Any]) -> dict[str, Any]:
    return {"version": message["version"], **json.loads(message["thresholds_json"] or "{}")}


@router.get(
    "/anomaly-flags",
    summary="Anomaly flags of the caller's team (a manager) or the tenant (admin), newest first, with their evidence",
    dependencies=[allow(ANOMALY_REVIEWERS)],
    response_model=AnomalyFlags,
)
async def list_flags(
    rpc: RpcDep,
    state: Annotated[Literal["open", "dismissed", "all"], Query()] = "open",
    rep_id: Annotated[str, Query(max_length=64)] = "",
    kind: Annotated[Kind, Query()] = "",
) -> dict:
    found = await rpc(anomaly.ListAnomalyFlags, pb.ListAnomalyFlagsRequest(state=state, rep_id=rep_id, kind=kind))
    return {"items": [_flag(f) for f in found["flags"]]}


@router.post(
    "/anomaly-flags/scan",
    summary="Run the anomaly scan of the tenant now (each flag is raised once; its manager gets a task and a notice)",
    dependencies=[allow(ANOMALY_REVIEWERS)],
    response_model=ScanResult,
)
async def scan_anomalies(rpc: RpcDep) -> dict:
    found = await rpc(anomaly.ScanAnomalies, pb.ScanAnomaliesRequest())
    raised = {r["kind"]: r["count"] for r in found["raised"]}
    return {"raised": raised, "total": sum(raised.values())}


@router.post(
    "/anomaly-flags/{flag_id}/dismiss",
    summary="Dismiss an anomaly flag with a reason (kept with who and when); the data it points at is unchanged",
    dependencies=[allow(ANOMALY_REVIEWERS)],
    response_model=AnomalyFlag,
)
async def dismiss_flag(flag_id: PathId, body: DismissFlag, rpc: RpcDep) -> dict:
    found = await rpc(anomaly.DismissAnomalyFlag, pb.DismissAnomalyFlagRequest(flag_id=flag_id, reason=body.reason))
    return _flag(found["flag"])


@router.get(
    "/signal-settings/anomalies",
    summary="The tenant's anomaly thresholds (version 0: the defaults)",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=AnomalySettingsReply,
)
async def get_settings(rpc: RpcDep) -> dict:
    return _settings((await rpc(anomaly.GetAnomalySettings, pb.GetAnomalySettingsRequest()))["settings"])


@router.put(
    "/signal-settings/anomalies",
    summary="Change the anomaly thresholds with the version read (a stale version: 409)",
    dependencies=[allow(SIGNAL_CONFIGURERS)],
    response_model=AnomalySettingsReply,
)
async def put_settings(body: PutAnomalySettings, rpc: RpcDep) -> dict:
    current = _settings((await rpc(anomaly.GetAnomalySettings, pb.GetAnomalySettingsRequest()))["settings"])
    thresholds = {k: v for k, v in current.items() if k != "version"}
    thresholds.update(body.model_dump(exclude={"version"}, exclude_none=True))
    request = pb.PutAnomalySettingsRequest(version=body.version, thresholds_json=json.dumps(thresholds))
    return _settings((await rpc(anomaly.PutAnomalySettings, request))["settings"])
