"""First-touch deadlines, Shanghai business days, cool-downs and take checks, on a FixedClock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.clock import FixedClock
from crm_shared.domain.errors import FailedPrecondition
from lead_routing.domain.sla import (
    RECLAIM,
    TakeCheck,
    business_day,
    business_day_bounds,
    check_take,
    cooldown_until,
    first_touch_due,
    is_idle,
    is_overdue,
    reclaim_decision,
)

from tests.unit.lead_routing.factories import NOW, assignment, lead


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai


def test_deadline_is_assignment_plus_route_sla(clock: FixedClock) -> None:
    assigned = clock.now()
    due = first_touch_due(assigned, 48)
    assert due - assigned == timedelta(hours=48)
    assert first_touch_due(assigned, 0) - assigned == timedelta(hours=24)  # the default
    clock.advance(timedelta(hours=47, minutes=59))
    assert not is_overdue(due, None, clock.now())
    clock.advance(timedelta(minutes=1))
    assert is_overdue(due, None, clock.now())
    assert not is_overdue(due, assigned + timedelta(hours=1), clock.now())  # touched in time


def test_business_days_are_shanghai_days(clock: FixedClock) -> None:
    start, end = business_day_bounds(clock.now())
    assert start == datetime(2026, 11, 22, 16, 0, tzinfo=UTC) and end - start == timedelta(days=1)
    day = business_day(clock.now())
    clock.advance(timedelta(minutes=31))  # 00:01 on the 24th in Shanghai; still the 23rd in UTC
    assert business_day(clock.now()) == day + timedelta(days=1)
    assert clock.now().date() == datetime(2026, 11, 23).date()


def test_take_check_lists_every_reason(clock: FixedClock) -> None:
    now = clock.now()
    check_take(TakeCheck("r1", capacity=3, open_leads=2, claims_today=4, daily_claim_limit=5), now)
    with pytest.raises(FailedPrecondition) as err:
        check_take(
            TakeCheck(
                "r1",
                capacity=3,
                open_leads=3,
                claims_today=5,
                daily_claim_limit=5,
                cooldown_until=cooldown_until(now, 24),
                on_leave=True,
                in_candidate_set=False,
            ),
            now,
        )
    assert [v.type for v in err.value.violations] == ["rep", "capacity", "daily_claim_limit", "cooldown", "route"]
    # a cool-down that has run out bars nobody; a manager assignment has no daily limit
    check_take(TakeCheck("r1", capacity=3, open_leads=0, cooldown_until=now - timedelta(seconds=1)), now)


def test_idle_after_72_hours_untouched(clock: FixedClock) -> None:
    changed = clock.now()
    clock.advance(timedelta(hours=71))
    assert not is_idle(changed, False, clock.now())
    clock.advance(timedelta(hours=1))
    assert is_idle(changed, False, clock.now()) and not is_idle(changed, True, clock.now())


def test_business_day_bounds_are_utc_instants_so_every_database_compares_them_right() -> None:
    # 02:00 on the 24th in Shanghai is 18:00 on the 23rd in UTC
    start, end = business_day_bounds(datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
    assert (start.utcoffset(), end.utcoffset()) == (timedelta(0), timedelta(0))
    assert (start, end) == (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), datetime(2026, 11, 24, 16, 0, tzinfo=UTC))


def test_the_daily_claim_limit_says_its_limit_and_when_it_resets(clock: FixedClock) -> None:
    with pytest.raises(FailedPrecondition) as err:
        check_take(TakeCheck("r1", capacity=30, open_leads=5, claims_today=5, daily_claim_limit=5), clock.now())
    [violation] = err.value.violations
    assert violation.type == "daily_claim_limit"
    assert "daily claim limit 5" in violation.description
    assert "resets at 2026-11-24 00:00 (Asia/Shanghai)" in violation.description


def test_a_reclaim_applies_to_the_current_untouched_overdue_assignment_of_an_open_lead_still_the_reps() -> None:
    late = NOW + timedelta(hours=25)
    a, mine = assignment(), lead("L1", owner_id="r1")
    assert reclaim_decision(a, a, mine, late) == RECLAIM
    assert reclaim_decision(a, a, mine, NOW + timedelta(hours=23)) is None  # not due yet: the domain decides
    assert reclaim_decision(a, None, mine, late) is None  # ended since
    assert reclaim_decision(a, assignment(assignment_id="A2"), mine, late) is None  # a newer assignment
    assert reclaim_decision(a, assignment(first_touched_at=NOW), mine, late) is None  # touched since
    assert reclaim_decision(a, a, lead("L1", owner_id="r1", status="converted"), late) == "converted"
    assert reclaim_decision(a, a, lead("L1", owner_id="r2"), late) == "reassigned"
    assert reclaim_decision(a, a, None, late) == "reassigned"
