"""First-touch SLAs, reclaim cool-downs and claim limits. Pure: every
function takes the time it needs; deadlines are stored rows, never timers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crm_shared.domain.errors import FailedPrecondition, Violation

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_SLA_HOURS = 24.0
DEFAULT_COOLDOWN_HOURS = 24.0
IDLE_AFTER = timedelta(hours=72)


def first_touch_due(assigned_at: datetime, sla_hours: float) -> datetime:
    return assigned_at + timedelta(hours=sla_hours or DEFAULT_SLA_HOURS)


def is_overdue(due: datetime, touched_at: datetime | None, now: datetime) -> bool:
    """Missed: the deadline has passed and nobody touched the lead."""
    return touched_at is None and now >= due


def cooldown_until(now: datetime, hours: float) -> datetime:
    return now + timedelta(hours=hours)


def business_time(t: datetime) -> str:
    """A moment as people in the business read it: Asia/Shanghai, to the minute."""
    return t.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")


def business_day(now: datetime) -> date:
    return now.astimezone(BUSINESS_TZ).date()


def business_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The Asia/Shanghai calendar day containing `now`, as UTC-comparable instants."""
    start = datetime.combine(business_day(now), time.min, BUSINESS_TZ)
    return start, start + timedelta(days=1)


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
        v.append(
            Violation(
                "daily_claim_limit", c.rep_id, f"claimed {c.claims_today} leads today, limit {c.daily_claim_limit}"
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
