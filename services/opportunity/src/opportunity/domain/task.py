"""A Task: what a timer asked someone to do (follow up, wake up a customer,
renew a contract), and completing it. The timers' rules that make tasks are
domain/timers.py's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

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
    """Only an open task is completed."""
    if task.state != "open":
        raise FailedPrecondition(
            f"task {task.task_id} is {task.state}", [Violation("task", task.task_id, f"is {task.state}, not open")]
        )
    return replace(task, state="done", completed_at=now, completed_by=by)
