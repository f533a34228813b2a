"""Follow-up decisions for the leased job: pure, given the instalments, what
was paid, the date (an injected clock's) and the keys already acted on.

- An instalment still owing more than RED_DAYS past due gets two tasks, one
  for legal (法务: a finance-owned queue, there is no legal role) and one for
  the account manager (the opportunity owner), and the owner's manager is
  notified. Each action has a stable key (instalment, kind); the job inserts
  rows with that key unique, so a rerun, a second worker or a crash between
  steps never doubles one.
- Reminders before due dates: for each configured lead (days before due,
  e.g. 7 and 1), one reminder to the account manager once the date is within
  the lead. A job that missed days sends only the nearest lead, and the
  farther ones are recorded as skipped (keys returned) so they never fire
  late."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument

from finance_reconciliation.domain.aging import (
    InstalmentView,
    Payment,
    days_overdue,
    is_red,
    outstanding_as_of,
    paid_as_of,
)

LEGAL_TASK = "legal_task"
MANAGER_TASK = "account_manager_task"
MANAGER_NOTICE = "manager_notice"
REMINDER = "reminder"
SKIPPED = "skipped"
LEGAL_QUEUE = "legal"
DEFAULT_REMINDER_DAYS = (7, 1)
OPEN = "open"
DONE = "done"
STATUSES = (OPEN, DONE)
MAX_NOTE = 1000


@dataclass(frozen=True)
class FollowUp:
    """A stored action as people see it: a task (legal's, the account
    manager's), a manager's notice or a reminder; done once, with a note."""

    follow_up_id: str  # the action key
    kind: str
    instalment_id: str
    customer_id: str
    owner_id: str  # the instalment's account manager
    assignee: str
    days: int
    outstanding_minor: int
    currency: str
    status: str
    created_at: datetime
    done_by: str = ""
    done_at: datetime | None = None
    note: str = ""


def visible(follow_up: FollowUp, people: frozenset[str] | None) -> bool:
    """people None (finance, admin): everything, the legal queue included;
    else what is assigned to one of them (a rep: their own; a manager: their
    team's tasks and their own notices). The legal queue is no person's."""
    return people is None or follow_up.assignee in people


def completion_note(note: str) -> str:
    """What was done, required and bounded (the FollowUp's note)."""
    text = note.strip()
    if not text:
        raise InvalidArgument.field("note", "is required: say what was done")
    if len(text) > MAX_NOTE:
        raise InvalidArgument.field("note", f"must be at most {MAX_NOTE} characters")
    return text


def check_open(follow_up: FollowUp) -> None:
    if follow_up.status != OPEN:
        raise FailedPrecondition(
            f"follow-up {follow_up.follow_up_id} is already {follow_up.status}"
            + (f" (by {follow_up.done_by})" if follow_up.done_by else "")
        )


@dataclass(frozen=True)
class Action:
    key: str
    kind: str
    instalment_id: str
    assignee: str  # a user id, or LEGAL_QUEUE
    days: int  # days overdue (red) or days before due (reminder)
    outstanding_minor: int
    currency: str


def action_key(instalment_id: str, kind: str, days: int | None = None) -> str:
    return f"{instalment_id}:{kind}" if days is None else f"{instalment_id}:{kind}:{days}"


def validate_reminder_days(days: Sequence[int]) -> tuple[int, ...]:
    if any(d < 1 or d > 90 for d in days):
        raise ValueError("reminder_days must each be between 1 and 90")
    return tuple(sorted(set(days), reverse=True))


def decide(
    instalments: Iterable[InstalmentView],
    payments: Iterable[Payment],
    as_of: date,
    done: Collection[str],
    managers: dict[str, str],
    reminder_days: Sequence[int] = DEFAULT_REMINDER_DAYS,
) -> list[Action]:
    """The actions not yet in `done`; managers maps owner -> manager."""
    leads = validate_reminder_days(reminder_days)
    paid = paid_as_of(payments, as_of)
    out: list[Action] = []

    def add(inst: InstalmentView, kind: str, assignee: str, days: int, owed: int, key: str):
        if key not in done:
            out.append(Action(key, kind, inst.instalment_id, assignee, days, owed, inst.currency))

    for inst in instalments:
        owed = outstanding_as_of(inst, paid.get(inst.instalment_id, 0))
        if owed <= 0 or inst.due_on is None:
            continue
        iid = inst.instalment_id
        if is_red(inst.due_on, as_of):
            days = days_overdue(inst.due_on, as_of)
            add(inst, LEGAL_TASK, LEGAL_QUEUE, days, owed, action_key(iid, LEGAL_TASK))
            add(inst, MANAGER_TASK, inst.owner_id, days, owed, action_key(iid, MANAGER_TASK))
            manager = managers.get(inst.owner_id, "")
            if manager:
                add(inst, MANAGER_NOTICE, manager, days, owed, action_key(iid, MANAGER_NOTICE))
            continue
        before = (inst.due_on - as_of).days
        within = [d for d in leads if before <= d] if before >= 1 else []
        if not within:
            continue
        # One key per lead: a skipped farther lead is recorded under its
        # reminder key, so it can never fire after a nearer one.
        for d in within[:-1]:
            add(inst, SKIPPED, inst.owner_id, d, owed, action_key(iid, REMINDER, d))
        add(inst, REMINDER, inst.owner_id, before, owed, action_key(iid, REMINDER, within[-1]))
    return out
