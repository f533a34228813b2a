"""Working-hour SLAs of approval steps: which rule applies to a request, when
a task falls due, and what a due timer does next (remind again, or apply the
step's outcome). Pure rules; the leased job (service_layer/sla.py) runs them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crm_shared.business_calendar import BusinessCalendar

from approval.domain.policy import SlaRule, Step


def matching_rule(step: Step, impact_scope: str) -> SlaRule | None:
    """The step's SLA rule for the request's impact scope: the one naming it,
    else the catch-all (impact ""), else none (no deadline)."""
    exact = next((r for r in step.sla if r.impact and r.impact == impact_scope), None)
    if exact is not None:
        return exact
    return next((r for r in step.sla if not r.impact), None)


def first_due(calendar: BusinessCalendar, started_at: datetime, rule: SlaRule) -> datetime:
    """When a task started at `started_at` first falls due under `rule`."""
    return calendar.add_working_time(started_at, timedelta(minutes=rule.working_minutes))


@dataclass(frozen=True)
class Remind:
    """Send reminder number `number` (1-based) and wait again until `next_due`."""

    number: int
    next_due: datetime


@dataclass(frozen=True)
class Outcome:
    """The reminders are spent: apply the rule's outcome (none: just stop)."""

    outcome: str


def next_move(calendar: BusinessCalendar, rule: SlaRule, reminders_sent: int, due_at: datetime) -> Remind | Outcome:
    """What a timer due at `due_at` does when it fires, having sent
    `reminders_sent` reminders: each reminder waits another working_minutes,
    counted from the moment it was due (not from when the job happened to
    run), so a late job does not push the deadline."""
    if reminders_sent < rule.reminders:
        return Remind(reminders_sent + 1, first_due(calendar, due_at, rule))
    return Outcome(rule.outcome)


def overdue(due_at: datetime | None, at: datetime) -> bool:
    """Overdue: its first deadline has come by `at` (now for an open task, the
    decision for a decided one), the moment its timer falls due. The one rule
    the inbox, the team view, the metrics and the bottleneck report count by."""
    return due_at is not None and due_at <= at


def working_minutes_left(calendar: BusinessCalendar, now: datetime, due_at: datetime | None) -> int | None:
    """Working minutes from now until due_at (negative when overdue); None without a deadline."""
    if due_at is None:
        return None
    return int(calendar.working_time_between(now, due_at).total_seconds() // 60)
