"""evidence_failures: a rep's visits failing their evidence checks within a window."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from opportunity.domain.anomalies.flags import EVIDENCE_FAILURES, MAX_EVIDENCE_IDS, TITLES, Candidate, Recorded
from opportunity.domain.anomalies.months import month_label, month_of
from opportunity.domain.anomalies.settings import AnomalySettings


def evidence_failures_flag(
    rep_id: str, activities: Iterable[Recorded], now: datetime, settings: AnomalySettings
) -> Candidate | None:
    """At least `evidence_min_failures` visits failing their evidence checks
    within the last `evidence_window_days` days; one flag per rep and month of
    the latest failing visit."""
    since = now - timedelta(days=settings.evidence_window_days)
    failing = sorted(
        (a for a in activities if a.kind == "visit" and a.failed_checks > 0 and since <= a.recorded_at <= now),
        key=lambda a: a.recorded_at,
    )
    if len(failing) < settings.evidence_min_failures:
        return None
    label = month_label(month_of(failing[-1].recorded_at))
    return Candidate(
        kind=EVIDENCE_FAILURES,
        rep_id=rep_id,
        subject_type="rep",
        subject_id=rep_id,
        key=f"{EVIDENCE_FAILURES}:{rep_id}:{label}",
        title=f"{TITLES[EVIDENCE_FAILURES]}：近 {settings.evidence_window_days} 天 {len(failing)} 次拜访未通过证据校验",
        evidence={
            "count": len(failing),
            "window_days": settings.evidence_window_days,
            "min_failures": settings.evidence_min_failures,
            "activity_ids": [a.activity_id for a in failing[-MAX_EVIDENCE_IDS:]],
        },
    )
