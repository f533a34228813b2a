"""The follow-up timers as rules over stored deadlines and timestamps: given
what the database holds and the time now, what is due. Each task carries a
key that names its occasion, so running a rule twice never makes two tasks.

- 24 h without activity on a new opportunity -> red flag, task for the owner,
  notification to the manager (seed 002).
- 30 days without interaction with a customer -> wake-up task for the owner,
  the manager copied (seed 000).
- a planned follow-up more than 24 h late -> red flag (seed 001).
- a contract ending within 30 days -> renewal task for the account manager (seed 002).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from crm_shared.business_calendar import BUSINESS_TZ, business_day, business_time

DORMANT_AFTER = timedelta(days=30)
FOLLOW_UP_GRACE = timedelta(hours=24)
RENEWAL_WITHIN = timedelta(days=30)
# How long the owner gets for a task a timer made.
TASK_DUE_IN = timedelta(days=1)

NO_ACTIVITY = "no_activity_24h"
DORMANT = "dormant_30d"
FOLLOW_UP_LATE = "follow_up_late"
RENEWAL = "contract_renewal"
RULES = (NO_ACTIVITY, DORMANT, RENEWAL)
TASK_STATES = ("open", "done", "cancelled")


@dataclass(frozen=True)
class TaskDraft:
    rule: str
    owner_id: str
    title: str
    due_at: datetime
    # Names the occasion; (tenant, key) is unique in the tasks table.
    key: str
    customer_id: str | None = None
    opportunity_id: str | None = None


@dataclass(frozen=True)
class NotificationDraft:
    recipient_id: str
    kind: str
    title: str
    body: str
    subject_type: str
    subject_id: str


def first_touch_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    return status == "open" and due_at is not None and due_at <= now


def no_activity_task(
    *, opportunity_id: str, customer_id: str, name: str, customer_name: str, owner_id: str, now: datetime
) -> TaskDraft:
    return TaskDraft(
        rule=NO_ACTIVITY,
        owner_id=owner_id,
        title=f"新商机 24 小时未跟进：{customer_name} · {name}",
        due_at=now + TASK_DUE_IN,
        key=f"{NO_ACTIVITY}:{opportunity_id}",
        customer_id=customer_id,
        opportunity_id=opportunity_id,
    )


def no_activity_notice(manager_id: str, task: TaskDraft, owner_id: str) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=manager_id,
        kind="opportunity.no_activity",
        title=task.title,
        body=f"{owner_id} 在商机创建后 24 小时内没有任何跟进记录，已标红并生成待办。",
        subject_type="opportunity",
        subject_id=task.opportunity_id or "",
    )


def dormant_since(last_interaction_at: datetime | None, created_at: datetime) -> datetime:
    """Silence is counted from the last interaction, or from when the customer was created."""
    return last_interaction_at or created_at


def is_dormant(last_interaction_at: datetime | None, created_at: datetime, now: datetime) -> bool:
    return dormant_since(last_interaction_at, created_at) + DORMANT_AFTER <= now


def wake_up_task(
    *,
    customer_id: str,
    customer_name: str,
    owner_id: str,
    last_interaction_at: datetime | None,
    created_at: datetime,
    now: datetime,
) -> TaskDraft:
    since = dormant_since(last_interaction_at, created_at)
    return TaskDraft(
        rule=DORMANT,
        owner_id=owner_id,
        title=f"沉默客户唤醒：{customer_name} 已 {(now - since).days} 天无互动",
        due_at=now + TASK_DUE_IN,
        # One task per silence: a new interaction starts a new occasion.
        key=f"{DORMANT}:{customer_id}:{since.isoformat()}",
        customer_id=customer_id,
    )


def task_notice(recipient_id: str, task: TaskDraft, task_id: str, copied: bool = False) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=recipient_id,
        kind="task.copied" if copied else "task.created",
        title=task.title,
        body=f"负责人 {task.owner_id}，截止 {business_time(task.due_at)}",
        subject_type="task",
        subject_id=task_id,
    )


def follow_up_late(next_follow_up_at: datetime | None, now: datetime) -> bool:
    return next_follow_up_at is not None and next_follow_up_at + FOLLOW_UP_GRACE < now


def renewal_due(status: str, contract_end: date | None, now: datetime) -> bool:
    """Ending within 30 days (and not yet ended) on anything not lost."""
    if status == "lost" or contract_end is None:
        return False
    today = business_day(now)
    return today <= contract_end <= today + RENEWAL_WITHIN


def renewal_task(
    *,
    opportunity_id: str,
    customer_id: str,
    customer_name: str,
    owner_id: str,
    contract_end: date,
) -> TaskDraft:
    return TaskDraft(
        rule=RENEWAL,
        owner_id=owner_id,
        title=f"合同将于 {contract_end.isoformat()} 到期，请联系 {customer_name} 续约",
        # In UTC: SQLite keeps a bound time's wall-clock digits, so a Shanghai one would read back 8 h late.
        due_at=datetime.combine(contract_end, time.min, BUSINESS_TZ).astimezone(UTC),
        key=f"{RENEWAL}:{opportunity_id}:{contract_end.isoformat()}",
        customer_id=customer_id,
        opportunity_id=opportunity_id,
    )


def with_flag(flags: tuple[str, ...] | list[str], flag: str) -> tuple[str, ...]:
    return tuple(flags) if flag in flags else (*flags, flag)


def without_flags(flags: tuple[str, ...] | list[str], *gone: str) -> tuple[str, ...]:
    return tuple(f for f in flags if f not in gone)
