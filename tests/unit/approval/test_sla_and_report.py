"""SLA deadlines in working time (a night, a weekend, a holiday, a 调休
Saturday), the reminder sequence, and the bottleneck report's arithmetic
checked against the statistics module."""

from __future__ import annotations

import random
import statistics
from datetime import datetime, timedelta

import pytest
from approval.domain.policy import ApproverRule, SlaRule, Step
from approval.domain.report import DecidedTask, bottlenecks, escalation, percentile
from approval.domain.sla import (
    Outcome,
    Remind,
    first_due,
    matching_rule,
    next_move,
    overdue,
    working_minutes_left,
)
from crm_shared.business_calendar import BUSINESS_TZ, BusinessCalendar

CAL = BusinessCalendar()
MAJOR = SlaRule("涉及停产", 120, 0, "escalate", ApproverRule("department_head", "dep-prod"))
NORMAL = SlaRule("", 480, 2, "escalate", ApproverRule("manager"))


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=BUSINESS_TZ)


def test_the_rule_for_the_impact_scope_else_the_catch_all_else_none():
    step = Step("s", "生产部评审", ApproverRule("user", "u"), sla=(NORMAL, MAJOR))
    assert matching_rule(step, "涉及停产") is MAJOR
    assert matching_rule(step, "影响交付") is NORMAL
    assert matching_rule(step, "") is NORMAL
    assert matching_rule(Step("s", "x", ApproverRule("user", "u"), sla=(MAJOR,)), "影响交付") is None
    assert matching_rule(Step("s", "x", ApproverRule("user", "u")), "涉及停产") is None


@pytest.mark.parametrize(
    ("started", "due"),
    [
        (sh(2026, 12, 2, 11, 0), sh(2026, 12, 2, 14, 0)),  # over the lunch break
        (sh(2026, 12, 2, 17, 0), sh(2026, 12, 3, 10, 0)),  # over a night
        (sh(2026, 12, 4, 17, 30), sh(2026, 12, 7, 10, 30)),  # Friday evening to Monday
        (sh(2026, 12, 5, 11, 0), sh(2026, 12, 7, 11, 0)),  # started on a Saturday
        (sh(2026, 9, 30, 17, 0), sh(2026, 10, 8, 10, 0)),  # over 国庆 (1-7 October)
        (sh(2026, 10, 9, 17, 0), sh(2026, 10, 10, 10, 0)),  # Saturday 10 October is worked (调休)
    ],
)
def test_a_two_working_hour_deadline(started: datetime, due: datetime):
    assert first_due(CAL, started, MAJOR) == due


def test_reminders_each_after_another_working_period_then_the_outcome():
    due = sh(2026, 12, 4, 17, 0)  # Friday 17:00
    first = next_move(CAL, NORMAL, 0, due)
    assert first == Remind(1, sh(2026, 12, 7, 17, 0))  # 1 h Friday + 7 h Monday
    second = next_move(CAL, NORMAL, 1, first.next_due)
    assert second == Remind(2, sh(2026, 12, 8, 17, 0))
    assert next_move(CAL, NORMAL, 2, second.next_due) == Outcome("escalate")
    # No reminders: the outcome at once.
    assert next_move(CAL, MAJOR, 0, due) == Outcome("escalate")


def test_time_left_is_working_minutes_and_negative_once_overdue():
    due = sh(2026, 12, 7, 10, 0)  # Monday 10:00
    assert working_minutes_left(CAL, sh(2026, 12, 4, 17, 0), due) == 120  # Friday 17:00: 1 h + 1 h
    assert working_minutes_left(CAL, sh(2026, 12, 5, 12, 0), due) == 60  # the weekend does not count
    assert working_minutes_left(CAL, sh(2026, 12, 7, 11, 0), due) == -60
    assert working_minutes_left(CAL, sh(2026, 12, 7, 11, 0), None) is None


def test_percentiles_interpolate_like_the_statistics_module():
    rng = random.Random(7)
    for n in (1, 2, 3, 10, 101, 500):
        values = sorted(rng.randrange(0, 100_000) for _ in range(n))
        assert percentile(values, 50) == pytest.approx(statistics.median(values))
        if n >= 2:
            expected = statistics.quantiles(values, n=10, method="inclusive")[8]
            assert percentile(values, 90) == pytest.approx(expected)
    assert percentile([], 90) == 0.0


def _task(step: str, dept: str, who: str, working: int, *, late=False, escalated=False, status="") -> DecidedTask:
    status = status or ("transferred" if escalated else "approved")
    return DecidedTask("p-contract", "review", step, step, dept, who, working * 3, working, status, escalated, late)


def test_the_report_finds_where_the_delay_sits():
    tasks = (
        [_task("finance", "财务部", "liufang", 8 * 3600, late=True) for _ in range(8)]
        + [_task("finance", "财务部", "liufang", 10 * 3600, late=True, escalated=True)]
        + [_task("tech", "技术部", "chenjing", 3600) for _ in range(5)]
        + [_task("sales", "", "wangqiang", 1800) for _ in range(4)]
    )
    report = bottlenecks(tasks)
    total = sum(t.dwell_working_seconds for t in tasks)
    assert report.tasks == 18 and report.total_working_seconds == total
    assert report.total_seconds == 3 * total
    for dimension in ("policy", "stage", "step", "department", "approver"):
        rows = [r for r in report.rows if r.dimension == dimension]
        assert sum(r.count for r in rows) == 18
        assert sum(r.share_of_delay_percent for r in rows) == pytest.approx(100, abs=0.05)
    finance = next(r for r in report.rows if r.dimension == "step")  # the largest share comes first
    assert finance.step_id == "finance" and finance.count == 9
    assert finance.share_of_delay_percent == pytest.approx(round(100 * 74 * 3600 / total, 2))
    assert finance.share_of_delay_percent > 80
    assert finance.median_working_seconds == 8 * 3600
    assert finance.p90_working_seconds == round(statistics.quantiles(
        [t.dwell_working_seconds for t in tasks if t.step_id == "finance"], n=10, method="inclusive")[8])
    assert finance.median_seconds == 3 * 8 * 3600
    assert (finance.overdue, finance.escalations) == (9, 1)
    departments = {r.department_id: r for r in report.rows if r.dimension == "department"}
    assert set(departments) == {"财务部", "技术部", ""}
    assert departments["技术部"].count == 5 and departments["技术部"].overdue == 0
    only = bottlenecks(tasks, ("approver",))
    assert {r.dimension for r in only.rows} == {"approver"}


def test_an_escalation_is_the_task_handed_up_not_those_who_took_it_and_skipped_tasks_do_not_count():
    tasks = [
        _task("finance", "财务部", "liufang", 3600, late=True, escalated=True),  # let it sit: handed up
        _task("finance", "财务部", "boss", 600, escalated=True, status="approved"),  # took it over, answered
        _task("finance", "财务部", "zhou", 0, status="skipped"),
        _task("finance", "财务部", "li", 60, late=True, status="cancelled"),
    ]
    rows = {r.approver: r for r in bottlenecks(tasks, ("approver",)).rows}
    assert set(rows) == {"liufang", "boss"}
    assert (rows["liufang"].escalations, rows["liufang"].overdue) == (1, 1)
    assert (rows["boss"].escalations, rows["boss"].overdue) == (0, 0)
    assert [escalation(s, e) for s, e in (("transferred", True), ("approved", True), ("transferred", False))] == [
        True, False, False]


def test_overdue_once_the_deadline_has_come():
    due = sh(2026, 12, 7, 10, 0)
    assert overdue(due, due) and overdue(due, due + timedelta(seconds=1))
    assert not overdue(due, due - timedelta(microseconds=1)) and not overdue(None, due)


def test_an_empty_period_has_no_rows():
    report = bottlenecks([])
    assert report.rows == () and report.tasks == 0 and report.total_working_seconds == 0


def test_deadlines_are_utc():
    assert first_due(CAL, sh(2026, 12, 2, 10, 0), MAJOR).utcoffset() == timedelta(0)
