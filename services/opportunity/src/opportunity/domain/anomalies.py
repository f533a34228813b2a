"""Anomaly flags on the sales process (seed 000 "操作异常", seed 001): rules over
stored facts only — a flag names its evidence and never edits data.

- stuck: an open opportunity longer in its stage than the stage's `max_days`
  (pipeline data) or than the team's p90 of completed stays in that stage
  (only with at least `stuck_min_sample` completed stays);
- month_end: the share of a rep's activities recorded in the last
  `month_end_days` calendar days of a month (Asia/Shanghai) above the median
  + k·MAD of the rep's own shares of the previous `history_months` months,
  and at least `month_end_min_share` and `month_end_min_count` so small
  numbers don't flag;
- backdating: more than `backdate_min_count` activities of a month recorded
  more than `backdate_hours` after the time they claim to have happened;
- follow_up_moved: a customer's planned follow-up moved more than 3 times
  (`Customer.follow_up_flagged`);
- evidence_failures: at least `evidence_min_failures` visits of a rep failing
  their evidence checks within the last `evidence_window_days` days.

The month-end and backdating rules read the activities a rep typed: an
imported conversation's recording time and its lag behind its own time are
the import's (the repository leaves them out).

Each candidate carries a key naming its occasion: (tenant, key) is unique, so
a rerun of the scan never doubles a flag.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.domain.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violation

from opportunity.domain.timers import TASK_DUE_IN, NotificationDraft, TaskDraft

STUCK = "stuck"
MONTH_END = "month_end"
BACKDATING = "backdating"
FOLLOW_UP_MOVED = "follow_up_moved"
EVIDENCE_FAILURES = "evidence_failures"
KINDS = (STUCK, MONTH_END, BACKDATING, FOLLOW_UP_MOVED, EVIDENCE_FAILURES)
STATES = ("open", "dismissed")
MAX_REASON = 500
MAX_EVIDENCE_IDS = 20
TASK_RULE = "anomaly_flag"

TITLES = {
    STUCK: "商机停滞",
    MONTH_END: "月末集中录入",
    BACKDATING: "补录倒填",
    FOLLOW_UP_MOVED: "跟进计划多次推迟",
    EVIDENCE_FAILURES: "拜访证据多次不合格",
}


@dataclass(frozen=True)
class AnomalySettings:
    """The tenant's thresholds (tenant data; these are the defaults)."""

    month_end_days: int = 3
    month_end_k: float = 3.0
    month_end_min_share: float = 0.3
    month_end_min_count: int = 10
    history_months: int = 6
    min_history_months: int = 3
    backdate_hours: int = 48
    backdate_min_count: int = 3
    stuck_p90_min_sample: int = 5
    evidence_min_failures: int = 3
    evidence_window_days: int = 30

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# (lowest, highest) each threshold may be set to.
BOUNDS: dict[str, tuple[float, float]] = {
    "month_end_days": (1, 10),
    "month_end_k": (0, 20),
    "month_end_min_share": (0, 1),
    "month_end_min_count": (1, 10_000),
    "history_months": (1, 24),
    "min_history_months": (1, 24),
    "backdate_hours": (1, 24 * 31),
    "backdate_min_count": (0, 10_000),
    "stuck_p90_min_sample": (2, 10_000),
    "evidence_min_failures": (1, 1_000),
    "evidence_window_days": (1, 365),
}


def parse_settings(data: Mapping[str, Any]) -> AnomalySettings:
    """Thresholds from a client's JSON: unknown names, wrong types and values
    out of bounds are refused naming the field; a missing one keeps its default."""
    known = {f.name: f for f in fields(AnomalySettings)}
    violations: list[FieldViolation] = []
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name not in known:
            violations.append(FieldViolation(name[:50], "is not a threshold"))
            continue
        is_int = known[name].type == "int"
        if isinstance(value, bool) or not isinstance(value, int | float) or (is_int and not float(value).is_integer()):
            violations.append(FieldViolation(name, "must be an integer" if is_int else "must be a number"))
            continue
        low, high = BOUNDS[name]
        if not low <= value <= high:
            violations.append(FieldViolation(name, f"must be between {low:g} and {high:g}"))
            continue
        values[name] = int(value) if is_int else float(value)
    if violations:
        raise InvalidArgument("invalid anomaly settings", violations)
    settings = replace(AnomalySettings(), **values)
    if settings.min_history_months > settings.history_months:
        raise InvalidArgument.field("min_history_months", "must not exceed history_months")
    return settings


@dataclass(frozen=True)
class Candidate:
    """A flag a rule raises (before it is stored)."""

    kind: str
    rep_id: str
    subject_type: str  # rep | opportunity | customer
    subject_id: str
    key: str
    title: str
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Flag:
    flag_id: str
    tenant_id: str
    kind: str
    rep_id: str
    subject_type: str
    subject_id: str
    key: str
    title: str
    evidence: dict[str, Any]
    raised_at: datetime
    state: str = "open"
    dismissed_by: str = ""
    dismissed_at: datetime | None = None
    reason: str = ""


def raise_flag(candidate: Candidate, *, tenant_id: str, flag_id: str, now: datetime) -> Flag:
    return Flag(
        flag_id=flag_id,
        tenant_id=tenant_id,
        kind=candidate.kind,
        rep_id=candidate.rep_id,
        subject_type=candidate.subject_type,
        subject_id=candidate.subject_id,
        key=candidate.key,
        title=candidate.title,
        evidence=candidate.evidence,
        raised_at=now,
    )


def dismiss(flag: Flag, *, by: str, reason: str, now: datetime) -> Flag:
    reason = reason.strip()
    if not reason:
        raise InvalidArgument.field("reason", "is required")
    if len(reason) > MAX_REASON:
        raise InvalidArgument.field("reason", f"must be at most {MAX_REASON} characters")
    if flag.state == "dismissed":
        raise FailedPrecondition("the flag is already dismissed", [Violation("state", flag.state, "is dismissed")])
    return replace(flag, state="dismissed", dismissed_by=by, dismissed_at=now, reason=reason)


# --- statistics -----------------------------------------------------------


def median_mad(values: Sequence[float]) -> tuple[float, float]:
    """The median and the median absolute deviation (unscaled) of the values."""
    if not values:
        raise ValueError("no values")
    med = statistics.median(values)
    return med, statistics.median([abs(v - med) for v in values])


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (linear interpolation between closest ranks, inclusive)."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


# --- months in Asia/Shanghai ----------------------------------------------


def month_of(at: datetime) -> tuple[int, int]:
    local = at.astimezone(BUSINESS_TZ)
    return local.year, local.month


def month_label(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def previous_month(month: tuple[int, int]) -> tuple[int, int]:
    year, mon = month
    return (year - 1, 12) if mon == 1 else (year, mon - 1)


def next_month(month: tuple[int, int]) -> tuple[int, int]:
    year, mon = month
    return (year + 1, 1) if mon == 12 else (year, mon + 1)


def month_bounds(month: tuple[int, int]) -> tuple[datetime, datetime]:
    """[start, end) of an Asia/Shanghai calendar month, in UTC."""
    start = datetime.combine(date(month[0], month[1], 1), time.min, BUSINESS_TZ)
    nxt = next_month(month)
    end = datetime.combine(date(nxt[0], nxt[1], 1), time.min, BUSINESS_TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_end_start(month: tuple[int, int], days: int) -> datetime:
    """When the last `days` calendar days of the month begin (Shanghai midnight), in UTC."""
    _, end = month_bounds(month)
    local_end = end.astimezone(BUSINESS_TZ).date()
    return datetime.combine(local_end - timedelta(days=days), time.min, BUSINESS_TZ).astimezone(UTC)


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


@dataclass(frozen=True)
class Recorded:
    """One activity as the rules read it."""

    activity_id: str
    actor_id: str
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    failed_checks: int = 0


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


def follow_up_moved_flag(
    *,
    customer_id: str,
    customer_name: str,
    owner_id: str,
    moves: int,
    flagged: bool,
    next_follow_up_at: datetime | None,
) -> Candidate | None:
    """A planned follow-up moved more than 3 times (the customer's own flag, folded in)."""
    if not flagged:
        return None
    return Candidate(
        kind=FOLLOW_UP_MOVED,
        rep_id=owner_id,
        subject_type="customer",
        subject_id=customer_id,
        key=f"{FOLLOW_UP_MOVED}:{customer_id}",
        title=f"{TITLES[FOLLOW_UP_MOVED]}：{customer_name} 的跟进计划已推迟 {moves} 次",
        evidence={
            "customer_id": customer_id,
            "moves": moves,
            "next_follow_up_at": next_follow_up_at.isoformat() if next_follow_up_at else None,
        },
    )


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


# --- what the manager is told ------------------------------------------------


def manager_task(flag: Flag, manager_id: str) -> TaskDraft:
    return TaskDraft(
        rule=TASK_RULE,
        owner_id=manager_id,
        title=f"核查异常：{flag.title}（{flag.rep_id}）",
        due_at=flag.raised_at + TASK_DUE_IN,
        key=f"{TASK_RULE}:{flag.key}",
        customer_id=flag.subject_id if flag.subject_type == "customer" else None,
        opportunity_id=flag.subject_id if flag.subject_type == "opportunity" else None,
    )


def manager_notice(flag: Flag, manager_id: str) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=manager_id,
        kind="anomaly.flagged",
        title=flag.title,
        body=f"销售 {flag.rep_id} 出现操作异常（{TITLES[flag.kind]}），证据：{_evidence_line(flag.evidence)}",
        subject_type="anomaly_flag",
        subject_id=flag.flag_id,
    )


def _evidence_line(evidence: Mapping[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in evidence.items() if not isinstance(v, list | dict)]
    return ", ".join(parts)[:400]
