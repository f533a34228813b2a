"""stuck: an open opportunity longer in its stage than allowed or than the team's p90."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from opportunity.domain.anomalies.flags import STUCK, TITLES, Candidate
from opportunity.domain.anomalies.settings import AnomalySettings
from opportunity.domain.anomalies.stats import p90


@dataclass(frozen=True)
class OpenStay:
    opportunity_id: str
    owner_id: str
    name: str
    pipeline_id: str
    stage: str
    stay_id: str
    entered_at: datetime


def stuck_flag(
    stay: OpenStay,
    *,
    max_days: int | None,
    team_days: Sequence[float],
    now: datetime,
    settings: AnomalySettings,
) -> Candidate | None:
    """Longer in the stage than its allowed days, or than the team's p90 of
    completed stays there (`team_days`, in days; needs the minimum sample)."""
    days = (now - stay.entered_at).total_seconds() / 86400
    team_p90 = p90(team_days) if len(team_days) >= settings.stuck_p90_min_sample else None
    over_max = max_days is not None and days > max_days
    over_p90 = team_p90 is not None and days > team_p90
    if not (over_max or over_p90):
        return None
    return Candidate(
        kind=STUCK,
        rep_id=stay.owner_id,
        subject_type="opportunity",
        subject_id=stay.opportunity_id,
        # One flag per stay: a move to another stage is a new occasion.
        key=f"{STUCK}:{stay.opportunity_id}:{stay.stay_id}",
        title=f"{TITLES[STUCK]}：{stay.name} 在「{stay.stage}」已 {int(days)} 天",
        evidence={
            "pipeline_id": stay.pipeline_id,
            "stage": stay.stage,
            "entered_at": stay.entered_at.isoformat(),
            "days_in_stage": round(days, 1),
            "max_days": max_days,
            "team_p90_days": round(team_p90, 1) if team_p90 is not None else None,
            "team_sample": len(team_days),
            "min_sample": settings.stuck_p90_min_sample,
            "over": [n for n, hit in (("max_days", over_max), ("team_p90", over_p90)) if hit],
        },
    )
