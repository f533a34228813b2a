"""The business calendar: the business works in Asia/Shanghai days.

Storage is UTC; a "day" in a business rule (a daily limit, a leave date, a
due date) is a calendar day in Asia/Shanghai. The bounds of such a day are
handed out as UTC instants, so they compare correctly with stored times on
every database (SQLite stores the wall-clock digits of whatever zone a bound
parameter carries, so a Shanghai-zoned bound would be read as UTC there)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")

__all__ = ["BUSINESS_TZ", "business_day", "business_day_bounds", "business_time", "next_business_day_start"]


def business_day(now: datetime) -> date:
    """The Asia/Shanghai calendar date of an instant."""
    return now.astimezone(BUSINESS_TZ).date()


def business_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The Asia/Shanghai calendar day containing `now`: [start, end) in UTC."""
    start = datetime.combine(business_day(now), time.min, BUSINESS_TZ)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def next_business_day_start(now: datetime) -> datetime:
    """When the next Asia/Shanghai day begins (midnight there), in UTC."""
    return business_day_bounds(now)[1]


def business_time(t: datetime) -> str:
    """An instant as people in the business read it: Asia/Shanghai, to the minute."""
    return t.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")
