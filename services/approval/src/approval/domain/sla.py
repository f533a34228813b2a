"""Working-hour SLAs of approval steps: which rule applies to a request, when
a task falls due, and what a due timer does next (remind again, or apply the
step's outcome). Pure rules; the leased job (service_layer/sla.py) runs them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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


DEFAULT_REVIEW_DAYS = 2
MAX_REVIEW_DAYS = 60  # as a policy's longest SLA (policy.MAX_SLA_MINUTES: 60 working days)


def working_day_minutes(calendar: BusinessCalendar) -> int:
    """The working minutes of one working day of the calendar (9-12 and 13-18: 480)."""
    day = datetime(2000, 1, 1)
    return sum(
        int((datetime.combine(day, closes) - datetime.combine(day, opens)).total_seconds() // 60)
        for opens, closes in calendar.hours
    )


@dataclass(frozen=True)
class ReviewDays:
    """How many working days a channel manager has to decide a partner's
    request (registration, extension, promotion application) under the
    built-in policies: the tenant's own number, else the default."""

    default: int = DEFAULT_REVIEW_DAYS
    by_tenant: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tenant, days in {"*": self.default, **self.by_tenant}.items():
            if not 1 <= days <= MAX_REVIEW_DAYS:
                raise ValueError(f"partner review working days of {tenant} must be 1 to {MAX_REVIEW_DAYS}, not {days}")

    def days(self, tenant_id: str) -> int:
        return self.by_tenant.get(tenant_id, self.default)

    def working_minutes(self, tenant_id: str, calendar: BusinessCalendar) -> int:
        return self.days(tenant_id) * working_day_minutes(calendar)
