"""What a rule raises and how a flag is kept: the kinds and their titles, the
candidate a rule returns, the stored flag, raising and dismissing it, and the
activity as the rules read it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Violation

STUCK = "stuck"
MONTH_END = "month_end"
BACKDATING = "backdating"
FOLLOW_UP_MOVED = "follow_up_moved"
EVIDENCE_FAILURES = "evidence_failures"
KINDS = (STUCK, MONTH_END, BACKDATING, FOLLOW_UP_MOVED, EVIDENCE_FAILURES)
STATES = ("open", "dismissed")
MAX_REASON = 500
MAX_EVIDENCE_IDS = 20


TITLES = {
    STUCK: "商机停滞",
    MONTH_END: "月末集中录入",
    BACKDATING: "补录倒填",
    FOLLOW_UP_MOVED: "跟进计划多次推迟",
    EVIDENCE_FAILURES: "拜访证据多次不合格",
}


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


@dataclass(frozen=True)
class Recorded:
    """One activity as the rules read it."""

    activity_id: str
    actor_id: str
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    failed_checks: int = 0
