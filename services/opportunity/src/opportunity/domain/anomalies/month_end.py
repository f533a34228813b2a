"""month_end: a rep's share of activities recorded in a month's last days
against the median + k·MAD of their own previous months."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from opportunity.domain.anomalies.flags import MONTH_END, TITLES, Candidate
from opportunity.domain.anomalies.months import month_end_start, month_label, month_of, previous_month
from opportunity.domain.anomalies.settings import AnomalySettings
from opportunity.domain.anomalies.stats import median_mad


@dataclass(frozen=True)
class MonthShare:
    month: tuple[int, int]
    total: int
    at_month_end: int

    @property
    def share(self) -> float:
        return self.at_month_end / self.total if self.total else 0.0


def month_shares(recorded: Iterable[datetime], days: int) -> dict[tuple[int, int], MonthShare]:
    """Per Shanghai month: how many activities were recorded, and how many of
    them in the month's last `days` calendar days."""
    totals: dict[tuple[int, int], list[int]] = {}
    for at in recorded:
        month = month_of(at)
        counts = totals.setdefault(month, [0, 0])
        counts[0] += 1
        if at >= month_end_start(month, days):
            counts[1] += 1
    return {m: MonthShare(m, c[0], c[1]) for m, c in totals.items()}


def month_end_flag(
    rep_id: str, recorded: Iterable[datetime], month: tuple[int, int], settings: AnomalySettings
) -> Candidate | None:
    """The month-end bulk-entry rule for one rep and one (completed) month.
    The history is the rep's previous `history_months` months that have any
    activity; fewer than `min_history_months` of them: no verdict."""
    shares = month_shares(recorded, settings.month_end_days)
    this = shares.get(month)
    if this is None:
        return None
    history_months = []
    m = month
    for _ in range(settings.history_months):
        m = previous_month(m)
        if m in shares:
            history_months.append(shares[m])
    if len(history_months) < settings.min_history_months:
        return None
    history = [s.share for s in history_months]
    med, mad = median_mad(history)
    threshold = med + settings.month_end_k * mad
    if not (
        this.share > threshold
        and this.share >= settings.month_end_min_share
        and this.at_month_end >= settings.month_end_min_count
    ):
        return None
    label = month_label(month)
    return Candidate(
        kind=MONTH_END,
        rep_id=rep_id,
        subject_type="rep",
        subject_id=rep_id,
        key=f"{MONTH_END}:{rep_id}:{label}",
        title=f"{TITLES[MONTH_END]}：{label} 月末 {settings.month_end_days} 天录入占比 {this.share:.0%}",
        evidence={
            "month": label,
            "activities": this.total,
            "at_month_end": this.at_month_end,
            "share": round(this.share, 4),
            "median": round(med, 4),
            "mad": round(mad, 4),
            "k": settings.month_end_k,
            "threshold": round(threshold, 4),
            "min_share": settings.month_end_min_share,
            "min_count": settings.month_end_min_count,
            "history": [{"month": month_label(s.month), "share": round(s.share, 4)} for s in history_months],
        },
    )
