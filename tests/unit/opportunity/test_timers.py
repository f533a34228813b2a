"""Timer rules over stored deadlines, on a controllable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crm_shared.clock import FixedClock
from opportunity.domain import timers
from opportunity.domain.opportunity import open_opportunity

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_a_new_opportunity_carries_a_24_hour_deadline_that_fires_once_due() -> None:
    clock = FixedClock(START)
    opp = open_opportunity(
        tenant_id="t", opportunity_id="o-1", customer_id="c-1", now=clock.now(), existing=None,
        customer_name="宁波注塑机厂", credit_code="", name="二期产线改造", amount_minor=None,
        currency="CNY", owner_id="rep-1",
    ).opportunity
    assert opp.first_touch_due_at == START + timedelta(hours=24)
    clock.advance(timedelta(hours=23, minutes=59))
    assert not timers.first_touch_overdue(opp.status, opp.first_touch_due_at, clock.now())
    clock.advance(timedelta(minutes=1))
    assert timers.first_touch_overdue(opp.status, opp.first_touch_due_at, clock.now())
    assert not timers.first_touch_overdue("won", opp.first_touch_due_at, clock.now())
    assert not timers.first_touch_overdue("open", None, clock.now())


def test_the_no_activity_task_has_one_key_per_opportunity() -> None:
    a = timers.no_activity_task(
        opportunity_id="o-1", customer_id="c-1", name="二期", customer_name="宁波注塑机厂", owner_id="rep-1", now=START
    )
    b = timers.no_activity_task(
        opportunity_id="o-1", customer_id="c-1", name="二期", customer_name="宁波注塑机厂", owner_id="rep-1",
        now=START + timedelta(hours=3),
    )
    assert a.key == b.key and a.rule == "no_activity_24h" and a.owner_id == "rep-1"
    notice = timers.no_activity_notice("mgr-1", a, "rep-1")
    assert (notice.recipient_id, notice.subject_type, notice.subject_id) == ("mgr-1", "opportunity", "o-1")


def test_a_customer_is_dormant_after_30_days_counted_from_its_last_interaction() -> None:
    created = START - timedelta(days=90)
    last = START - timedelta(days=29, hours=23)
    assert not timers.is_dormant(last, created, START)
    assert timers.is_dormant(last, created, START + timedelta(hours=1))
    assert timers.is_dormant(None, START - timedelta(days=30), START)
    first = timers.wake_up_task(
        customer_id="c-1", customer_name="宁波注塑机厂", owner_id="rep-1", last_interaction_at=last,
        created_at=created, now=START + timedelta(hours=1),
    )
    again = timers.wake_up_task(
        customer_id="c-1", customer_name="宁波注塑机厂", owner_id="rep-1", last_interaction_at=last,
        created_at=created, now=START + timedelta(days=5),
    )
    later_silence = timers.wake_up_task(
        customer_id="c-1", customer_name="宁波注塑机厂", owner_id="rep-1", last_interaction_at=START,
        created_at=created, now=START + timedelta(days=31),
    )
    assert first.key == again.key != later_silence.key
    assert "30 天" in first.title


def test_a_follow_up_is_late_only_after_24_hours() -> None:
    planned = START
    assert not timers.follow_up_late(planned, START + timedelta(hours=24))
    assert timers.follow_up_late(planned, START + timedelta(hours=24, seconds=1))
    assert not timers.follow_up_late(None, START)


def test_renewal_is_due_within_30_business_days_and_not_for_lost_or_ended_contracts() -> None:
    # 2026-11-23 02:00 UTC is 10:00 in Shanghai, the same business day.
    assert timers.business_day(START) == date(2026, 11, 23)
    assert timers.renewal_due("won", date(2026, 12, 23), START)
    assert not timers.renewal_due("won", date(2026, 12, 24), START)
    assert not timers.renewal_due("lost", date(2026, 12, 1), START)
    assert not timers.renewal_due("won", date(2026, 11, 22), START)
    task = timers.renewal_task(
        opportunity_id="o-1", customer_id="c-1", customer_name="宁波注塑机厂", owner_id="rep-1",
        contract_end=date(2026, 12, 23),
    )
    assert task.key == "contract_renewal:o-1:2026-12-23"
    assert task.due_at.astimezone(timers.BUSINESS_TZ).date() == date(2026, 12, 23)


def test_flags_are_added_once_and_removed() -> None:
    flags = timers.with_flag((), timers.NO_ACTIVITY)
    assert timers.with_flag(flags, timers.NO_ACTIVITY) == ("no_activity_24h",)
    assert timers.without_flags(["no_activity_24h", "follow_up_late"], timers.NO_ACTIVITY) == ("follow_up_late",)
