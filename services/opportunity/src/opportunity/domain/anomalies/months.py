"""Calendar months in Asia/Shanghai, the months the rules count by."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from crm_shared.business_calendar import BUSINESS_TZ


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
