"""BusinessCalendar: working hours in Asia/Shanghai, China's public holidays
and 调休 days (chinese-calendar), a tenant's own days and hours."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from crm_shared.business_calendar import (
    BUSINESS_TZ,
    OFFICIAL_YEARS,
    BusinessCalendar,
    CalendarOverrides,
    business_day_bounds,
)

CAL = BusinessCalendar()
H = timedelta(hours=1)


def sh(*args: int) -> datetime:
    """A wall-clock time in Asia/Shanghai."""
    return datetime(*args, tzinfo=BUSINESS_TZ)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_national_day_week_is_off_and_its_make_up_days_are_worked() -> None:
    # 国庆 2025: 1-8 October off; Sunday 28 September and Saturday 11 October worked.
    assert not any(CAL.is_working_day(date(2025, 10, d)) for d in range(1, 9))
    assert CAL.is_working_day(date(2025, 9, 28)) and CAL.is_working_day(date(2025, 10, 11))
    assert CAL.is_working_day(date(2025, 10, 9)) and not CAL.is_working_day(date(2025, 10, 12))


def test_two_hours_before_national_day_end_after_it() -> None:
    due = CAL.add_working_time(sh(2025, 9, 30, 17, 0), 2 * H)
    assert due == sh(2025, 10, 9, 10, 0) and due.tzinfo == UTC
    assert CAL.working_time_between(sh(2025, 9, 30, 9, 0), sh(2025, 10, 9, 9, 0)) == 8 * H


def test_a_make_up_saturday_counts() -> None:
    assert CAL.add_working_time(sh(2025, 10, 10, 17, 0), 2 * H) == sh(2025, 10, 11, 10, 0)
    # 春节 2026: Saturday 14 February worked, 15-23 February off.
    assert CAL.add_working_time(sh(2026, 2, 13, 17, 0), 2 * H) == sh(2026, 2, 14, 10, 0)
    assert CAL.add_working_time(sh(2026, 2, 14, 17, 0), 2 * H) == sh(2026, 2, 24, 10, 0)


def test_the_lunch_break_is_not_working_time() -> None:
    assert CAL.add_working_time(sh(2026, 3, 2, 11, 30), H) == sh(2026, 3, 2, 13, 30)
    assert CAL.add_working_time(sh(2026, 3, 2, 12, 20), H) == sh(2026, 3, 2, 14, 0)
    assert CAL.add_working_time(sh(2026, 3, 2, 9, 0), 3 * H) == sh(2026, 3, 2, 12, 0)
    assert CAL.working_time_between(sh(2026, 3, 2, 11, 0), sh(2026, 3, 2, 14, 0)) == 2 * H


def test_a_weekend_is_skipped() -> None:
    assert CAL.add_working_time(sh(2026, 3, 6, 16, 0), 4 * H) == sh(2026, 3, 9, 11, 0)
    assert CAL.working_time_between(sh(2026, 3, 6, 16, 0), sh(2026, 3, 9, 11, 0)) == 4 * H
    assert CAL.working_time_between(sh(2026, 3, 9, 11, 0), sh(2026, 3, 6, 16, 0)) == -4 * H


def test_outside_working_hours_the_clock_starts_at_the_next_opening() -> None:
    assert CAL.add_working_time(sh(2026, 3, 2, 7, 0), timedelta(minutes=30)) == sh(2026, 3, 2, 9, 30)
    assert CAL.add_working_time(sh(2026, 3, 2, 19, 0), H) == sh(2026, 3, 3, 10, 0)
    assert CAL.add_working_time(sh(2026, 3, 7, 10, 0), H) == sh(2026, 3, 9, 10, 0)  # a Saturday
    assert CAL.working_time_between(sh(2026, 3, 7, 0, 0), sh(2026, 3, 8, 23, 0)) == timedelta(0)


def test_inputs_in_utc_come_out_in_utc() -> None:
    # 01:00 UTC is 09:00 in Shanghai; a working day is 8 hours.
    assert CAL.add_working_time(utc(2026, 3, 2, 1, 0), 8 * H) == utc(2026, 3, 2, 10, 0)
    assert CAL.add_working_time(utc(2026, 3, 1, 23, 0), 9 * H) == utc(2026, 3, 3, 2, 0)
    assert CAL.working_time_between(utc(2026, 3, 2, 0, 0), utc(2026, 3, 3, 0, 0)) == 8 * H


def test_zero_is_the_start_itself_and_bad_input_is_refused() -> None:
    assert CAL.add_working_time(sh(2026, 3, 7, 10, 0), timedelta(0)) == utc(2026, 3, 7, 2, 0)
    with pytest.raises(ValueError):
        CAL.add_working_time(sh(2026, 3, 2, 9, 0), -H)
    with pytest.raises(ValueError):
        CAL.add_working_time(datetime(2026, 3, 2, 9, 0), H)
    with pytest.raises(ValueError):
        BusinessCalendar(hours=((time(13), time(18)), (time(9), time(12))))
    with pytest.raises(ValueError):
        BusinessCalendar(hours=())
    with pytest.raises(ValueError):
        BusinessCalendar(holidays=frozenset({date(2026, 3, 2)}), working_days=frozenset({date(2026, 3, 2)}))


def test_years_the_package_does_not_know_fall_back_to_monday_to_friday() -> None:
    assert 2025 in OFFICIAL_YEARS and 2026 in OFFICIAL_YEARS
    assert 2030 not in OFFICIAL_YEARS
    assert CAL.is_working_day(date(2030, 10, 1))  # a Tuesday; its holiday is not known yet
    assert not CAL.is_working_day(date(2030, 10, 5))  # a Saturday
    assert CAL.add_working_time(sh(2030, 10, 4, 17, 0), 2 * H) == sh(2030, 10, 7, 10, 0)


def test_a_tenants_own_days_and_hours() -> None:
    tenant = CAL.with_overrides(
        CalendarOverrides(
            holidays=frozenset({date(2026, 3, 3)}),  # the company's anniversary
            working_days=frozenset({date(2026, 3, 7), date(2025, 10, 8)}),  # a stock-take Saturday; a holiday worked
            hours=((time(8, 30), time(12)), (time(13, 30), time(17, 30))),
        )
    )
    assert not tenant.is_working_day(date(2026, 3, 3)) and CAL.is_working_day(date(2026, 3, 3))
    assert tenant.is_working_day(date(2026, 3, 7)) and tenant.is_working_day(date(2025, 10, 8))
    assert tenant.add_working_time(sh(2026, 3, 2, 17, 0), H) == sh(2026, 3, 4, 9, 0)
    assert tenant.add_working_time(sh(2026, 3, 2, 11, 30), H) == sh(2026, 3, 2, 14, 0)
    # A later override that works a day the tenant had off wins.
    again = tenant.with_overrides(CalendarOverrides(working_days=frozenset({date(2026, 3, 3)})))
    assert again.is_working_day(date(2026, 3, 3)) and again.hours == tenant.hours


def test_shanghai_has_no_daylight_saving_and_other_zones_are_counted_in_real_time() -> None:
    offsets = {sh(2026, m, 1, 12).utcoffset() for m in range(1, 13)}
    assert offsets == {timedelta(hours=8)}
    berlin = BusinessCalendar(hours=((time(9), time(18)),), tz=ZoneInfo("Europe/Berlin"), official=False)
    # Clocks go forward on Sunday 29 March 2026: Friday 17:00 CET + 2 h is Monday 10:00 CEST.
    start = datetime(2026, 3, 27, 17, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert berlin.add_working_time(start, 2 * H) == utc(2026, 3, 30, 8, 0)
    assert berlin.working_time_between(start, utc(2026, 3, 30, 8, 0)) == 2 * H


def test_day_bounds_stay_as_they_were() -> None:
    assert business_day_bounds(utc(2026, 3, 1, 16, 30)) == (utc(2026, 3, 1, 16, 0), utc(2026, 3, 2, 16, 0))
