"""An opportunity's stage history: one stay per stage entered (by whom, how,
until when and why it was left), and the time spent per stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from opportunity.domain.opportunity import Opportunity


@dataclass(frozen=True)
class Stay:
    """One stay of an opportunity in a stage."""

    stay_id: str
    tenant_id: str
    opportunity_id: str
    pipeline_id: str
    stage: str
    entered_at: datetime
    entered_by: str
    entered_via: str  # placed | moved | reopened
    left_at: datetime | None = None
    left_via: str = ""  # moved | won | lost
    reason: str = ""

    def seconds(self, now: datetime) -> int:
        return int(((self.left_at or now) - self.entered_at).total_seconds())


def new_stay(opp: Opportunity, *, stay_id: str, by: str, via: str, now: datetime) -> Stay:
    """The stay an opportunity starts in the stage it has just entered."""
    return Stay(
        stay_id=stay_id,
        tenant_id=opp.tenant_id,
        opportunity_id=opp.opportunity_id,
        pipeline_id=opp.pipeline_id or "",
        stage=opp.stage,
        entered_at=now,
        entered_by=by,
        entered_via=via,
    )


def end_stay(stay: Stay, now: datetime, via: str, reason: str = "") -> Stay:
    return replace(stay, left_at=now, left_via=via, reason=reason.strip())


def time_per_stage(stays: Sequence[Stay], now: datetime) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for stay in stays:
        totals[stay.stage] = totals.get(stay.stage, 0) + stay.seconds(now)
    return list(totals.items())
