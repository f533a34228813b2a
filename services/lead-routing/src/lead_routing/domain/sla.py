"""First-touch SLAs, reclaim cool-downs and claim limits. Pure: every
function takes the time it needs; deadlines are stored rows, never timers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crm_shared.business_calendar import (
    BUSINESS_TZ,
    business_day,
    business_day_bounds,
    business_time,
    next_business_day_start,
)
from crm_shared.domain.errors import FailedPrecondition, Violation

if TYPE_CHECKING:  # domain/assignment.py imports this module
    from lead_routing.domain.assignment import Assignment
    from lead_routing.domain.lead import Lead

__all__ = [
    "BUSINESS_TZ",
    "DEFAULT_COOLDOWN_HOURS",
    "DEFAULT_SLA_HOURS",
    "IDLE_AFTER",
    "RECLAIM",
    "TakeCheck",
    "business_day",
    "business_day_bounds",
    "business_time",
    "check_take",
    "cooldown_until",
    "first_touch_due",
    "is_idle",
    "is_overdue",
    "reclaim_decision",
    "reclaim_reason",
    "touch_time",
]
DEFAULT_SLA_HOURS = 24.0
DEFAULT_COOLDOWN_HOURS = 24.0
IDLE_AFTER = timedelta(hours=72)


def touch_time(assigned_at: datetime, at: datetime) -> datetime:
    """When a touch counts: never before the assignment it stops (an activity logged earlier)."""
    return max(at, assigned_at)


def reclaim_reason(due: datetime, route_name: str, rep_id: str, until: datetime) -> str:
    """Why a lead went back to the pool, as the owner change records it (Beijing time)."""
    return (
        f"首次跟进截止 {business_time(due)} 前未跟进（路由 {route_name or '默认'}）；"
        f"{rep_id} 冷却至 {business_time(until)}（北京时间）"
    )


def first_touch_due(assigned_at: datetime, sla_hours: float) -> datetime:
    return assigned_at + timedelta(hours=sla_hours or DEFAULT_SLA_HOURS)


def is_overdue(due: datetime, touched_at: datetime | None, now: datetime) -> bool:
    """Missed: the deadline has passed and nobody touched the lead."""
    return touched_at is None and now >= due


RECLAIM = "reclaimed"


def reclaim_decision(overdue: Assignment, current: Assignment | None, lead: Lead | None, now: datetime) -> str | None:
    """What becomes of an assignment found overdue, read again now: RECLAIM
    (the lead goes back to the pool); None when there is nothing to do (it is
    no longer the lead's current assignment, or no longer overdue: touched
    since); or, when the lead was closed or moved on without it and the
    deadline no longer applies, the reason to end it with (the lead's status,
    or "reassigned")."""
    if current is None or current.assignment_id != overdue.assignment_id:
        return None
    if not is_overdue(current.first_touch_due, current.first_touched_at, now):
        return None
    if lead is None or lead.owner_id != overdue.rep_id or lead.status != "open":
        return lead.status if lead and lead.status != "open" else "reassigned"
    return RECLAIM


def cooldown_until(now: datetime, hours: float) -> datetime:
    return now + timedelta(hours=hours)


def is_idle(last_change: datetime, touched: bool, now: datetime) -> bool:
    """An open lead nobody has touched and that has not moved for 72 hours."""
    return not touched and now - last_change >= IDLE_AFTER


@dataclass(frozen=True)
class TakeCheck:
    """What decides whether a rep may take one more lead now."""

    rep_id: str
    capacity: int
    open_leads: int
    claims_today: int = 0
    daily_claim_limit: int | None = None  # None: not a claim (manager or automatic)
    cooldown_until: datetime | None = None
    active: bool = True
    on_leave: bool = False
    in_candidate_set: bool = True


def check_take(c: TakeCheck, now: datetime) -> None:
    """Raises FailedPrecondition listing every reason the rep may not take the lead."""
    v: list[Violation] = []
    if not c.active:
        v.append(Violation("rep", c.rep_id, "is not an active rep"))
    if c.on_leave:
        v.append(Violation("rep", c.rep_id, "is on leave today"))
    if c.open_leads >= c.capacity:
        v.append(Violation("capacity", c.rep_id, f"has {c.open_leads} open leads, capacity {c.capacity}"))
    if c.daily_claim_limit is not None and c.claims_today >= c.daily_claim_limit:
        resets = business_time(next_business_day_start(now))
        v.append(
            Violation(
                "daily_claim_limit",
                c.rep_id,
                f"claimed {c.claims_today} leads today, daily claim limit {c.daily_claim_limit}; "
                f"resets at {resets} (Asia/Shanghai)",
            )
        )
    if c.cooldown_until is not None and now < c.cooldown_until:
        until = business_time(c.cooldown_until)
        v.append(
            Violation(
                "cooldown", c.rep_id, f"lost this lead to the first-touch SLA; barred until {until} (Asia/Shanghai)"
            )
        )
    if not c.in_candidate_set:
        v.append(Violation("route", c.rep_id, "is not a candidate of the route this lead takes"))
    if v:
        raise FailedPrecondition("; ".join(f"{x.type}: {x.description}" for x in v), v)
