"""KPI views of seed 000, per rep over a period, each beside the team average:
sales amount (won opportunities closed in the period, integer 分 by
currency), 客户拜访频次达标率 (visits logged in the period ÷ the tenant's
monthly visit target), 有效沟通时长占比 (seconds of calls lasting at least the
tenant's minimum ÷ seconds of all calls), 商机阶段停留天数 (mean days of the
stays per stage that ended in the period). Collection rate is finance's
(collected ÷ due): the gateway places finance's figure beside these, this
module does not compute it. Ratios in basis points, exact integers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from crm_shared.domain.errors import InvalidArgument

BP = 10_000


@dataclass(frozen=True)
class WonFact:
    amount_minor: int
    currency: str
    closed_at: datetime


@dataclass(frozen=True)
class StayDays:
    stage: str
    entered_at: datetime
    left_at: datetime | None


@dataclass(frozen=True)
class Kpi:
    rep_id: str
    sales: Mapping[str, int]  # currency → 分
    visits: int
    visit_target: int
    visit_rate_bp: int
    call_seconds: int
    effective_call_seconds: int
    effective_call_bp: int | None  # None: no call with a duration
    stage_days_tenths: Mapping[str, int] = field(default_factory=dict)  # stage → mean days × 10


def _within(t: datetime | None, start: datetime, end: datetime) -> bool:
    return t is not None and start <= t < end


def kpi_of(
    rep_id: str,
    won: Iterable[WonFact],
    visits_at: Iterable[datetime],
    call_seconds: Iterable[int],
    stays: Iterable[StayDays],
    start: datetime,
    end: datetime,
    *,
    visit_target: int,
    min_call_seconds: int,
) -> Kpi:
    sales: dict[str, int] = {}
    for w in won:
        if _within(w.closed_at, start, end):
            sales[w.currency] = sales.get(w.currency, 0) + w.amount_minor
    visits = sum(1 for t in visits_at if _within(t, start, end))
    calls = list(call_seconds)
    total = sum(calls)
    effective = sum(c for c in calls if c >= min_call_seconds)
    per_stage: dict[str, list[int]] = {}
    for s in stays:
        if _within(s.left_at, start, end):
            assert s.left_at is not None
            per_stage.setdefault(s.stage, []).append(int((s.left_at - s.entered_at).total_seconds()))
    days = {k: sum(v) * 10 // (len(v) * 86_400) for k, v in per_stage.items()}
    return Kpi(
        rep_id=rep_id,
        sales=dict(sorted(sales.items())),
        visits=visits,
        visit_target=visit_target,
        visit_rate_bp=visits * BP // visit_target,
        call_seconds=total,
        effective_call_seconds=effective,
        effective_call_bp=effective * BP // total if total else None,
        stage_days_tenths=dict(sorted(days.items())),
    )


def team_kpi(rows: Sequence[Kpi]) -> dict[str, object]:
    """The team average: per currency sales, visit rate, effective call share
    (over reps with calls) and days per stage (over reps with stays), floored."""

    def mean(values: list[int]) -> int | None:
        return sum(values) // len(values) if values else None

    currencies = sorted({c for r in rows for c in r.sales})
    stages = sorted({s for r in rows for s in r.stage_days_tenths})
    return {
        "sales": {c: sum(r.sales.get(c, 0) for r in rows) // len(rows) for c in currencies} if rows else {},
        "visit_rate_bp": mean([r.visit_rate_bp for r in rows]),
        "effective_call_bp": mean([r.effective_call_bp for r in rows if r.effective_call_bp is not None]),
        "stage_days_tenths": {
            s: mean([r.stage_days_tenths[s] for r in rows if s in r.stage_days_tenths]) for s in stages
        },
    }


MAX_CALL_SECONDS = 86_400


def check_call_duration(kind: str, seconds: int | None) -> None:
    """A logged activity's duration: told only for a call, 1 s to a day (400 naming duration_seconds)."""
    if seconds is None:
        return
    if kind != "call":
        raise InvalidArgument.field("duration_seconds", "is only for an activity of kind call")
    if not 1 <= seconds <= MAX_CALL_SECONDS:
        raise InvalidArgument.field("duration_seconds", f"must be between 1 and {MAX_CALL_SECONDS}")
