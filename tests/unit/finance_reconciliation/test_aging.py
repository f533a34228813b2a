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


def test_collection_report_expected_against_actual_by_lead_source_region_and_product_line():
    from finance_reconciliation.domain.payment_stats import (
        LEAD_SOURCE,
        PRODUCT_LINE,
        QUARTER,
        REGION,
        Collected,
        Facts,
        Planned,
        ReportRow,
        collection_report,
    )

    fair, web = Facts("展会", "华东", "注塑机"), Facts("官网", "华南", "模具")
    planned = [
        Planned(date(2026, 4, 10), 300, "CNY", fair),
        Planned(date(2026, 5, 10), 200, "CNY", web),
        Planned(date(2026, 5, 20), 999, "CNY", fair, waived=True),  # waived: expects nothing
        Planned(None, 500, "CNY", fair),  # waiting on delivery: not due in any period
        Planned(date(2026, 7, 1), 1_000, "CNY", fair),  # after the end
    ]
    collected = [
        Collected(date(2026, 4, 9), 100, "CNY", fair),
        Collected(date(2026, 5, 2), 200, "CNY", fair),
        Collected(date(2026, 5, 3), -50, "CNY", fair),  # a reversal that day
        Collected(date(2026, 6, 1), 200, "CNY", web),
        Collected(date(2026, 6, 2), 9, "USD", Facts()),  # not told: kept under ""
        Collected(date(2026, 3, 31), 7, "CNY", fair),  # before the start
    ]
    start, end = date(2026, 4, 1), date(2026, 6, 30)
    assert collection_report(planned, collected, LEAD_SOURCE, start, end) == [
        ReportRow("2026-04", "展会", "CNY", 300, 100),
        ReportRow("2026-05", "官网", "CNY", 200, 0),
        ReportRow("2026-05", "展会", "CNY", 0, 150),
        ReportRow("2026-06", "", "USD", 0, 9),
        ReportRow("2026-06", "官网", "CNY", 0, 200),
    ]
    assert collection_report(planned, collected, REGION, start, end, QUARTER) == [
        ReportRow("2026-Q2", "", "USD", 0, 9),
        ReportRow("2026-Q2", "华东", "CNY", 300, 250),
        ReportRow("2026-Q2", "华南", "CNY", 200, 200),
    ]
    by_line = collection_report(planned, collected, PRODUCT_LINE, start, end, QUARTER)
    assert [(r.key, r.expected_minor, r.actual_minor) for r in by_line] == [
        ("", 0, 9), ("模具", 200, 200), ("注塑机", 300, 250)]
    with pytest.raises(ValueError, match="dimension"):
        collection_report(planned, collected, "colour", start, end)
    with pytest.raises(ValueError, match="end"):
        collection_report(planned, collected, REGION, end, start)
    with pytest.raises(ValueError, match="three years"):
        collection_report(planned, collected, REGION, start, date(2029, 4, 2))
    with pytest.raises(ValueError, match="granularity"):
        collection_report(planned, collected, REGION, start, end, "week")


def test_write_offs_settle_but_are_never_on_time_and_carry_overs_pay():
    from finance_reconciliation.domain.aging import CARRIED, WRITTEN_OFF

    insts = [inst("w", TODAY - timedelta(days=40)), inst("m", TODAY - timedelta(days=40))]
    pays = [Payment("w", TODAY - timedelta(days=45), 90_000), Payment("w", TODAY - timedelta(days=5), 10_000,
                                                                       WRITTEN_OFF),
            Payment("m", TODAY - timedelta(days=50), 100_000, CARRIED)]
    assert age(insts, pays, TODAY, CUSTOMER) == []  # both settled
    (stats,) = customer_stats(insts, pays, TODAY)
    # "m" was fully paid (carried over) before its due date; "w" only by a write-off after it.
    assert (stats.due_count, stats.on_time_count, stats.receivable_minor) == (2, 1, 0)
    # Before the write-off, "w" owed 10,000 and was red.
    (row,) = age(insts, pays, TODAY - timedelta(days=6), CUSTOMER)
    assert (row.red_minor, row.red_count, row.buckets[D31_60]) == (10_000, 1, 10_000)


def test_totals_per_currency_and_red_amounts():
    from finance_reconciliation.domain.aging import totals

    insts = [inst("a", TODAY - timedelta(days=10), customer="c1"), inst("b", TODAY - timedelta(days=95), customer="c2"),
             inst("c", TODAY - timedelta(days=45), customer="c2", currency="USD")]
    rows = age(insts, [], TODAY, CUSTOMER)
    (cny, usd) = totals(rows)
    assert (cny.key, cny.currency, cny.total_minor, cny.red_minor, cny.red_count) == ("", "CNY", 200_000, 100_000, 1)
    assert (usd.currency, usd.buckets[D31_60], usd.red_count) == ("USD", 100_000, 1)


def test_owner_scope_per_role():
    from finance_reconciliation.domain.aging import owners_in_scope

    assert owners_in_scope("finance", "f1", ()) is None
    assert owners_in_scope("admin", "a1", ()) is None
    assert owners_in_scope("manager", "m1", {"rep1", "rep2"}) == {"m1", "rep1", "rep2"}
    assert owners_in_scope("rep", "rep1", {"ignored"}) == {"rep1"}


def test_report_days_parsed_and_bounded():
    from crm_shared.domain.errors import InvalidArgument
    from finance_reconciliation.domain.aging import report_day

    assert report_day("as_of", "", TODAY) == TODAY
    assert report_day("as_of", " 2027-01-31 ", TODAY) == date(2027, 1, 31)  # a future date: what will be overdue
    for bad in ("2026-13-01", "yesterday", "1999-12-31", "2101-01-01"):
        with pytest.raises(InvalidArgument) as refused:
            report_day("as_of", bad, TODAY)
        assert refused.value.violations[0].field == "as_of"


def test_money_is_formatted_from_fen_without_floats():
    from crm_shared.money import format_minor

    assert format_minor(123_456_789, "CNY") == "1,234,567.89 CNY"
    assert format_minor(5, "CNY") == "0.05 CNY"
    assert format_minor(-100, "CNY") == "-1.00 CNY"
    # Past what a float holds exactly: every digit kept.
    assert format_minor(10**17 + 1, "CNY") == "1,000,000,000,000,000.01 CNY"


def test_follow_up_visibility_and_completion_rules():
    from datetime import UTC, datetime

    from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
    from finance_reconciliation.domain.follow_up import FollowUp, check_open, completion_note, visible

    at = datetime(2026, 6, 30, tzinfo=UTC)
    task = FollowUp("i1:account_manager_task", MANAGER_TASK, "i1", "c1", "rep1", "rep1", 31, 100, "CNY", "open", at)
    legal = FollowUp("i1:legal_task", LEGAL_TASK, "i1", "c1", "rep1", LEGAL_QUEUE, 31, 100, "CNY", "open", at)
    assert visible(task, None) and visible(legal, None)
    assert visible(task, frozenset({"rep1"})) and not visible(legal, frozenset({"rep1"}))
    assert not visible(task, frozenset({"rep2"}))
    assert completion_note("  打电话给财务，下周三付 ") == "打电话给财务，下周三付"
    for bad in ("", "   ", "x" * 1001):
        with pytest.raises(InvalidArgument) as refused:
            completion_note(bad)
        assert refused.value.violations[0].field == "note"
    with pytest.raises(FailedPrecondition, match="already done"):
        check_open(FollowUp(**{**task.__dict__, "status": "done", "done_by": "rep1"}))
