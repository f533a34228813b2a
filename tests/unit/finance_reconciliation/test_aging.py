"""Aging, on-time rate / DSO and follow-up decisions (pure domain), on a
controllable date, against figures worked out by hand in each test."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from finance_reconciliation.domain.aging import (
    BUCKETS,
    CUSTOMER,
    D1_30,
    D31_60,
    D61_90,
    D90_PLUS,
    NOT_DUE,
    REGION,
    REP,
    InstalmentView,
    Payment,
    age,
    bucket_of,
    is_red,
)
from finance_reconciliation.domain.follow_up import (
    LEGAL_QUEUE,
    LEGAL_TASK,
    MANAGER_NOTICE,
    MANAGER_TASK,
    REMINDER,
    SKIPPED,
    decide,
    validate_reminder_days,
)
from finance_reconciliation.domain.payment_stats import customer_stats

TODAY = date(2026, 6, 30)


def inst(iid, due, amount=100_000, customer="c1", owner="rep1", region="华东", contract="k1", currency="CNY",
         waived=False):
    return InstalmentView(iid, customer, owner, region, contract, amount, currency, due, waived)


@pytest.mark.parametrize(
    ("days_past", "bucket"),
    [(-5, NOT_DUE), (0, NOT_DUE), (1, D1_30), (30, D1_30), (31, D31_60), (60, D31_60), (61, D61_90),
     (90, D61_90), (91, D90_PLUS), (400, D90_PLUS)],
)
def test_bucket_edges(days_past, bucket):
    assert bucket_of(TODAY - timedelta(days=days_past), TODAY) == bucket


def test_no_due_date_yet_is_not_due_and_never_red():
    assert bucket_of(None, TODAY) == NOT_DUE
    assert not is_red(None, TODAY)
    assert not is_red(TODAY - timedelta(days=30), TODAY)
    assert is_red(TODAY - timedelta(days=31), TODAY)


def test_aging_by_customer_as_of_a_past_date_uses_receipts_paid_by_then():
    insts = [
        inst("a", TODAY - timedelta(days=10)),  # 1-30
        inst("b", TODAY - timedelta(days=45), amount=50_000),  # 31-60, part paid
        inst("c", TODAY + timedelta(days=5)),  # not due
        inst("d", TODAY - timedelta(days=100), customer="c2"),  # 90+
        inst("e", None, customer="c2"),  # trigger not yet happened
        inst("f", TODAY - timedelta(days=70), waived=True),  # waived: owes nothing
    ]
    pays = [
        Payment("b", TODAY - timedelta(days=40), 20_000),
        Payment("a", TODAY + timedelta(days=1), 100_000),  # after the date: not counted
        Payment("d", TODAY - timedelta(days=90), 30_000),
        Payment("d", TODAY - timedelta(days=80), -30_000),  # reversed
    ]
    rows = age(insts, pays, TODAY, CUSTOMER)
    assert [(r.key, r.currency) for r in rows] == [("c1", "CNY"), ("c2", "CNY")]
    c1, c2 = rows
    assert c1.buckets == {NOT_DUE: 100_000, D1_30: 100_000, D31_60: 30_000, D61_90: 0, D90_PLUS: 0}
    assert c1.total_minor == 230_000 and c1.overdue_minor == 130_000 and c1.red_count == 1
    assert c2.buckets[D90_PLUS] == 100_000 and c2.buckets[NOT_DUE] == 100_000 and c2.red_count == 1
    # A day later, "a" is paid and drops out of c1.
    later = age(insts, pays, TODAY + timedelta(days=1), CUSTOMER)[0]
    assert later.buckets[D1_30] == 0 and later.buckets[D31_60] == 30_000


def test_aging_keeps_currencies_apart_and_groups_by_rep_and_region():
    insts = [
        inst("a", TODAY - timedelta(days=3), owner="rep1", region="华东"),
        inst("b", TODAY - timedelta(days=3), owner="rep2", region="华东", currency="USD", amount=7_00),
        inst("c", TODAY - timedelta(days=3), owner="rep2", region="华南", amount=9),
    ]
    by_rep = {(r.key, r.currency): r.total_minor for r in age(insts, [], TODAY, REP)}
    assert by_rep == {("rep1", "CNY"): 100_000, ("rep2", "CNY"): 9, ("rep2", "USD"): 700}
    by_region = {(r.key, r.currency): r.total_minor for r in age(insts, [], TODAY, REGION)}
    assert by_region == {("华东", "CNY"): 100_000, ("华东", "USD"): 700, ("华南", "CNY"): 9}
    assert set(BUCKETS) == set(age(insts, [], TODAY, REP)[0].buckets)


def test_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="dimension"):
        age([], [], TODAY, "planet")


def test_on_time_rate_and_dso_against_hand_figures():
    def d(days):
        return TODAY - timedelta(days=days)

    insts = [
        inst("a", d(days=200), amount=100_000),  # paid on time; outside the DSO period
        inst("b", d(days=60), amount=100_000),  # paid late
        inst("c", d(days=20), amount=200_000),  # half paid on time -> not on time
        inst("d", TODAY + timedelta(days=10)),  # not yet due: not counted
        inst("e", d(days=5), amount=50_000, waived=True),  # waived: not counted
        inst("x", d(days=10), amount=40_000, customer="c2"),  # paid exactly on its due day
    ]
    pays = [
        Payment("a", d(days=201), 100_000),
        Payment("b", d(days=50), 100_000),
        Payment("c", d(days=20), 100_000),
        Payment("x", d(days=10), 40_000),
    ]
    c1, c2 = customer_stats(insts, pays, TODAY, period_days=90)
    assert (c1.customer_id, c1.due_count, c1.on_time_count) == ("c1", 3, 1)
    assert c1.on_time_rate_bp == 3333  # 1 of 3, floored
    # Receivable: c owes 100,000. Fell due in the last 90 days: b + c = 300,000.
    assert c1.receivable_minor == 100_000 and c1.billed_minor == 300_000
    assert c1.dso_days == Decimal("30.0")  # 100,000 / 300,000 * 90
    assert (c2.on_time_rate_bp, c2.dso_days) == (10_000, Decimal("0.0"))


def test_stats_without_anything_due():
    assert customer_stats([inst("d", TODAY + timedelta(days=1))], [], TODAY) == []
    (only,) = customer_stats([inst("a", TODAY - timedelta(days=200))], [], TODAY, period_days=90)
    assert only.on_time_rate_bp == 0 and only.dso_days is None  # nothing billed in the period


MANAGERS = {"rep1": "mgr1"}


def test_overdue_more_than_30_days_gives_legal_and_manager_tasks_and_a_notice_once():
    insts = [inst("a", TODAY - timedelta(days=31)), inst("b", TODAY - timedelta(days=30))]
    first = decide(insts, [], TODAY, done=set(), managers=MANAGERS)
    assert sorted((a.kind, a.assignee, a.instalment_id, a.days) for a in first) == sorted([
        (LEGAL_TASK, LEGAL_QUEUE, "a", 31), (MANAGER_TASK, "rep1", "a", 31), (MANAGER_NOTICE, "mgr1", "a", 31)])
    assert all(a.outstanding_minor == 100_000 for a in first)
    # The job reruns the next days: nothing for "a" again; "b" turns red the next day.
    done = {a.key for a in first}
    again = decide(insts, [], TODAY, done=done, managers=MANAGERS)
    assert again == []
    tomorrow = decide(insts, [], TODAY + timedelta(days=1), done=done, managers=MANAGERS)
    assert {(a.kind, a.instalment_id) for a in tomorrow} == {
        (LEGAL_TASK, "b"), (MANAGER_TASK, "b"), (MANAGER_NOTICE, "b")}


def test_paid_or_unmanaged_overdue():
    insts = [inst("a", TODAY - timedelta(days=40)), inst("z", TODAY - timedelta(days=40), owner="rep9")]
    acts = decide(insts, [Payment("a", TODAY - timedelta(days=1), 100_000)], TODAY, set(), MANAGERS)
    # "a" is paid; "z"'s owner has no manager: tasks but no notice.
    assert {(a.kind, a.instalment_id) for a in acts} == {(LEGAL_TASK, "z"), (MANAGER_TASK, "z")}


def test_reminders_before_due_each_lead_once_and_missed_leads_never_fire_late():
    i = inst("a", TODAY + timedelta(days=7))
    (r7,) = decide([i], [], TODAY, set(), MANAGERS, reminder_days=(7, 1))
    assert (r7.kind, r7.assignee, r7.days) == (REMINDER, "rep1", 7)
    done = {r7.key}
    for k in range(1, 6):  # 6..2 days before: nothing new
        assert decide([i], [], TODAY + timedelta(days=k), done, MANAGERS, (7, 1)) == []
    (r1,) = decide([i], [], TODAY + timedelta(days=6), done, MANAGERS, (7, 1))
    assert (r1.kind, r1.days) == (REMINDER, 1)
    done.add(r1.key)
    assert decide([i], [], TODAY + timedelta(days=7), done, MANAGERS, (7, 1)) == []  # due day: no reminder
    # A job that first runs 1 day before: the 7-day lead is skipped, one reminder only.
    late = decide([i], [], TODAY + timedelta(days=6), set(), MANAGERS, (7, 1))
    assert sorted((a.kind, a.days) for a in late) == [(REMINDER, 1), (SKIPPED, 7)]
    assert decide([i], [], TODAY + timedelta(days=6), {a.key for a in late}, MANAGERS, (7, 1)) == []


def test_reminder_days_validated():
    assert validate_reminder_days([1, 7, 7]) == (7, 1)
    with pytest.raises(ValueError, match="reminder_days"):
        validate_reminder_days([0])


def test_collections_by_lead_source_and_region_per_month_and_quarter():
    from finance_reconciliation.domain.payment_stats import (
        LEAD_SOURCE,
        QUARTER,
        REGION,
        CollectedView,
        collections_by,
    )

    got = [
        CollectedView(date(2026, 4, 3), 100, "CNY", "展会", "浙江", "注塑机"),
        CollectedView(date(2026, 4, 30), 50, "CNY", "展会", "江苏", "注塑机"),
        CollectedView(date(2026, 5, 1), 7, "CNY", "", "浙江", "模具"),
        CollectedView(date(2026, 5, 2), 9, "USD", "官网", "浙江", "模具"),
        CollectedView(date(2026, 7, 1), 1_000, "CNY", "展会", "浙江", "注塑机"),  # after the end
    ]
    start, end = date(2026, 4, 1), date(2026, 6, 30)
    assert collections_by(got, LEAD_SOURCE, start, end) == {
        ("2026-04", "展会", "CNY"): 150, ("2026-05", "", "CNY"): 7, ("2026-05", "官网", "USD"): 9}
    assert collections_by(got, REGION, start, end, QUARTER) == {
        ("2026-Q2", "江苏", "CNY"): 50, ("2026-Q2", "浙江", "CNY"): 107, ("2026-Q2", "浙江", "USD"): 9}
    with pytest.raises(ValueError, match="dimension"):
        collections_by(got, "colour", start, end)
    with pytest.raises(ValueError, match="end"):
        collections_by(got, REGION, end, start)


def test_expected_against_actual_per_month():
    from finance_reconciliation.domain.payment_stats import expected_vs_actual

    insts = [inst("a", date(2026, 4, 10), 300), inst("b", date(2026, 5, 10), 200),
             inst("c", date(2026, 5, 20), 999, waived=True), inst("d", None, 500)]
    pays = [Payment("a", date(2026, 4, 9), 100), Payment("a", date(2026, 5, 2), 200),
            Payment("b", date(2026, 6, 1), 200), Payment("zz", date(2026, 4, 1), 5)]  # zz: not this scope's
    assert expected_vs_actual(insts, pays, date(2026, 4, 1), date(2026, 6, 30)) == {
        ("2026-04", "CNY"): (300, 100), ("2026-05", "CNY"): (200, 200), ("2026-06", "CNY"): (0, 200)}
