"""backdating: activities of a month recorded long after the time they claim."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from opportunity.domain.anomalies.flags import BACKDATING, MAX_EVIDENCE_IDS, TITLES, Candidate, Recorded
from opportunity.domain.anomalies.months import month_label, month_of
from opportunity.domain.anomalies.settings import AnomalySettings


def backdating_flag(
    rep_id: str, activities: Iterable[Recorded], month: tuple[int, int], settings: AnomalySettings
) -> Candidate | None:
    """More than `backdate_min_count` of the rep's activities recorded in the
    month lag their claimed time by more than `backdate_hours`."""
    limit = timedelta(hours=settings.backdate_hours)
    late = sorted(
        (a for a in activities if month_of(a.recorded_at) == month and a.recorded_at - a.occurred_at > limit),
        key=lambda a: a.recorded_at - a.occurred_at,
        reverse=True,
    )
    if len(late) <= settings.backdate_min_count:
        return None
    label = month_label(month)
    return Candidate(
        kind=BACKDATING,
        rep_id=rep_id,
        subject_type="rep",
        subject_id=rep_id,
        key=f"{BACKDATING}:{rep_id}:{label}",
        title=f"{TITLES[BACKDATING]}：{label} 有 {len(late)} 条记录晚于发生时间 {settings.backdate_hours} 小时以上",
        evidence={
            "month": label,
            "count": len(late),
            "threshold_hours": settings.backdate_hours,
            "min_count": settings.backdate_min_count,
            "max_lag_hours": round((late[0].recorded_at - late[0].occurred_at).total_seconds() / 3600, 1),
            "activity_ids": [a.activity_id for a in late[:MAX_EVIDENCE_IDS]],
        },
    )
