"""The business calendar: the business works in Asia/Shanghai days.

Storage is UTC; a "day" in a business rule (a daily limit, a leave date, a
due date) is a calendar day in Asia/Shanghai. The bounds of such a day are
handed out as UTC instants, so they compare correctly with stored times on
every database (SQLite stores the wall-clock digits of whatever zone a bound
parameter carries, so a Shanghai-zoned bound would be read as UTC there).

`BusinessCalendar` adds working time, for deadlines counted in working hours
(an SLA of "4 working hours", an approval that escalates after a working day):

- working hours, by default 09:00-12:00 and 13:00-18:00 (a lunch break);
- working days Monday to Friday, except China's public holidays, plus the
  调休 make-up days (a Saturday or Sunday worked in exchange), both from the
  `chinese-calendar` package. It knows the years the State Council has
  announced (2004-2026 in version 1.11.0, see OFFICIAL_YEARS); a day outside
  them falls back to Monday-Friday alone, holidays unknown, until the package
  is updated;
- a tenant's own days and hours (a company's anniversary off, a Saturday
  stock-take worked, a shift schedule) as data: `CalendarOverrides`, applied
  with `with_overrides`. A tenant's days win over the official calendar.

Instants in and out are timezone-aware; what comes out is UTC. Arithmetic is
done on UTC instants, so it holds in a zone with daylight saving time too
(Asia/Shanghai has none)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chinese_calendar import constants as official

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")

__all__ = [
    "BUSINESS_TZ",
    "DEFAULT_HOURS",
    "OFFICIAL_YEARS",
    "BusinessCalendar",
    "CalendarOverrides",
    "business_day",
    "business_day_bounds",
    "business_time",
    "next_business_day_start",
]


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


Hours = tuple[tuple[time, time], ...]

DEFAULT_HOURS: Hours = ((time(9), time(12)), (time(13), time(18)))
MONDAY_TO_FRIDAY = frozenset(range(5))  # date.weekday(): Monday is 0
OFFICIAL_YEARS = range(min(d.year for d in official.holidays), max(d.year for d in official.holidays) + 1)
# A calendar with no working time left would make add_working_time search forever.
_SEARCH_DAYS = 366 * 5


@dataclass(frozen=True)
class CalendarOverrides:
    """A tenant's own calendar, as a row of its settings would hold it:
    days off and days worked that the official calendar does not know, and
    its working hours (None: the default ones)."""

    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    hours: Hours | None = None


@dataclass(frozen=True)
class BusinessCalendar:
    hours: Hours = DEFAULT_HOURS
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    tz: ZoneInfo = field(default=BUSINESS_TZ)
    official: bool = True  # China's public holidays and 调休 days from chinese-calendar

    def __post_init__(self) -> None:
        _check_hours(self.hours)
        both = self.holidays & self.working_days
        if both:
            raise ValueError(f"days both off and worked: {', '.join(map(str, sorted(both)))}")

    def with_overrides(self, overrides: CalendarOverrides) -> BusinessCalendar:
        """This calendar with a tenant's days and hours on top; a day the
        tenant names worked (off) is no longer off (worked) here."""
        return BusinessCalendar(
            hours=overrides.hours or self.hours,
            weekdays=self.weekdays,
            holidays=(self.holidays - overrides.working_days) | overrides.holidays,
            working_days=(self.working_days - overrides.holidays) | overrides.working_days,
            tz=self.tz,
            official=self.official,
        )

    def is_working_day(self, d: date) -> bool:
        if d in self.holidays:
            return False
        if d in self.working_days:
            return True
        if self.official and d.year in OFFICIAL_YEARS:
            if d in official.holidays:
                return False
            if d in official.workdays:
                return True  # 调休: a weekend day worked in exchange for a holiday
        return d.weekday() in self.weekdays

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant (UTC) when `duration` of working time after `start` has
        passed: 4 h from Friday 16:00 is Monday 11:00. Zero is `start` itself."""
        _check_aware(start)
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        left = duration
        at = start.astimezone(UTC)
        if not left:
            return at
        for begin, end in self._windows(at):
            begin = max(begin, at)
            if left <= end - begin:
                return begin + left
            left -= end - begin
        raise ValueError(f"no working time within {_SEARCH_DAYS} days of {start.isoformat()}")

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from `a` to `b` (negative when b is before a)."""
        _check_aware(a)
        _check_aware(b)
        if b < a:
            return -self.working_time_between(b, a)
        a, b = a.astimezone(UTC), b.astimezone(UTC)
        total = timedelta(0)
        for begin, end in self._windows(a, days=(b - a).days + 2):
            if begin >= b:
                break
            total += max(timedelta(0), min(end, b) - max(begin, a))
        return total

    def _windows(self, after: datetime, days: int = _SEARCH_DAYS) -> Iterator[tuple[datetime, datetime]]:
        """Working windows [begin, end) in UTC that end after `after`, in order, over `days` days."""
        day = after.astimezone(self.tz).date()
        for _ in range(days):
            if self.is_working_day(day):
                for opens, closes in self.hours:
                    begin = datetime.combine(day, opens, self.tz).astimezone(UTC)
                    end = datetime.combine(day, closes, self.tz).astimezone(UTC)
                    if end > after:
                        yield begin, end
            day += timedelta(days=1)


def _check_hours(hours: Hours) -> None:
    if not hours:
        raise ValueError("working hours must have at least one window")
    previous = time.min
    for n, (opens, closes) in enumerate(hours):
        if opens.tzinfo or closes.tzinfo:
            raise ValueError("working hours are wall-clock times of the calendar's zone, without a zone")
        if not opens < closes or (n and opens < previous):
            raise ValueError(f"working hours must be in order and not overlap: {opens}-{closes}")
        previous = closes


def _check_aware(t: datetime) -> None:
    if t.tzinfo is None:
        raise ValueError("a time must be timezone-aware (stored times are UTC)")
