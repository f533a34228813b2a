"""A Task: what a timer asked someone to do (follow up, wake up a customer,
renew a contract), or an engineering change notice asked an account manager
to confirm with the customer, and completing it. The timers' rules that make
tasks are domain/timers.py's; an ECN's confirmation tasks are made here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Violation

from opportunity.domain.access import Scope
from opportunity.domain.timers import TASK_STATES, TaskDraft


@dataclass(frozen=True)
class Task:
    task_id: str
    tenant_id: str
    owner_id: str
    customer_id: str | None
    opportunity_id: str | None
    rule: str
    title: str
    due_at: datetime
    state: str
    created_at: datetime
    # Names the occasion that made the task; (tenant, key) is unique.
    key: str
    completed_at: datetime | None = None
    completed_by: str | None = None
    # An ECN's confirmation task: the notice, the order's contract, the customer's answer,
    # and when the owner's manager was told it is overdue.
    ecn_id: str | None = None
    contract_id: str | None = None
    answer: str | None = None
    answer_note: str | None = None
    escalated_at: datetime | None = None

    def overdue(self, now: datetime) -> bool:
        """Red: still open past its due time."""
        return self.state == "open" and self.due_at <= now

    def visible_in(self, scope: Scope) -> bool:
        """The one visibility rule of a task: its owner is in the caller's scope."""
        return scope.covers(self.tenant_id, self.owner_id)


def new_task(*, task_id: str, tenant_id: str, draft: TaskDraft, now: datetime) -> Task:
    return Task(
        task_id=task_id,
        tenant_id=tenant_id,
        owner_id=draft.owner_id,
        customer_id=draft.customer_id,
        opportunity_id=draft.opportunity_id,
        rule=draft.rule,
        title=draft.title,
        due_at=draft.due_at,
        state="open",
        created_at=now,
        key=draft.key,
    )


def check_state_filter(state: str) -> None:
    if state and state not in TASK_STATES:
        raise InvalidArgument.field("state", f"must be one of {', '.join(TASK_STATES)}")


def complete(task: Task, by: str, now: datetime) -> Task:
    """Only an open task is completed; an ECN's confirmation is completed by the customer's answer."""
    if task.rule == ECN_CONFIRMATION:
        raise FailedPrecondition(
            f"task {task.task_id} is completed by the customer's answer to the ECN",
            [Violation("task", task.task_id, "is an ECN confirmation: record the answer (ecn-answer)")],
        )
    return _done(task, by, now)


def _done(task: Task, by: str, now: datetime) -> Task:
    if task.state != "open":
        raise FailedPrecondition(
            f"task {task.task_id} is {task.state}", [Violation("task", task.task_id, f"is {task.state}, not open")]
        )
    return replace(task, state="done", completed_at=now, completed_by=by)


# Seed 002: the account manager confirms an ECN with the customer within 24 hours.
ECN_CONFIRMATION = "ecn_confirmation"
ECN_DUE_IN = timedelta(hours=24)
ECN_ANSWERS = ("accepted", "rejected", "needs_quote")
MAX_ANSWER_NOTE = 500


@dataclass(frozen=True)
class EcnOrder:
    """An order an ECN reached (documents found it by its equipment list)."""

    opportunity_id: str
    contract_id: str
    contract_label: str
    models: tuple[str, ...]


def order_is_open(status: str, order: EcnOrder) -> bool:
    """An opportunity in progress, or a won one with a signed contract (not yet
    delivered: documents announces delivered orders apart, with no task; ADR 0007).
    A lost opportunity is reached by no ECN."""
    return status == "open" or (status == "won" and bool(order.contract_id))


def ecn_task(
    *,
    task_id: str,
    tenant_id: str,
    ecn_id: str,
    number: str,
    title: str,
    order: EcnOrder,
    owner_id: str,
    customer_id: str,
    now: datetime,
) -> Task:
    contract = f"（合同 {order.contract_label or order.contract_id}）" if order.contract_id else ""
    return Task(
        task_id=task_id,
        tenant_id=tenant_id,
        owner_id=owner_id,
        customer_id=customer_id or None,
        opportunity_id=order.opportunity_id,
        rule=ECN_CONFIRMATION,
        title=f"ECN {number} 客户确认：{title}，影响型号 {'、'.join(order.models)}{contract}"[:500],
        due_at=now + ECN_DUE_IN,
        state="open",
        created_at=now,
        key=f"{ECN_CONFIRMATION}:{ecn_id}:{order.opportunity_id}",
        ecn_id=ecn_id,
        contract_id=order.contract_id or None,
    )


def answer(task: Task, answer_given: str, note: str, by: str, now: datetime) -> Task:
    """The customer's answer to an ECN completes its confirmation task."""
    if task.rule != ECN_CONFIRMATION:
        raise FailedPrecondition(
            f"task {task.task_id} is not an ECN confirmation", [Violation("task", task.task_id, "is not about an ECN")]
        )
    if answer_given not in ECN_ANSWERS:
        raise InvalidArgument.field("answer", f"must be one of {', '.join(ECN_ANSWERS)}")
    if len(note) > MAX_ANSWER_NOTE:
        raise InvalidArgument.field("note", f"is longer than {MAX_ANSWER_NOTE} characters")
    done = _done(task, by, now)
    return replace(done, answer=answer_given, answer_note=note.strip())


@dataclass(frozen=True)
class EcnProgress:
    confirmed: int
    outstanding: int
    overdue: int


def progress(tasks: Sequence[Task], now: datetime) -> EcnProgress:
    return EcnProgress(
        confirmed=sum(1 for t in tasks if t.state == "done"),
        outstanding=sum(1 for t in tasks if t.state == "open"),
        overdue=sum(1 for t in tasks if t.overdue(now)),
    )
