"""The overdue follow-up and reminder job (run under a lease by
crm_shared.lease.PeriodicJob; the clock is the unit of work's, injected), and
the follow-up list people work from.

Per tenant: the decisions of domain/follow_up.py over what aging reads; each
action is inserted keyed, and only an insert that took its key notifies, so
two workers or a rerun after a crash never send one twice. The owner's
manager is the one their rep profile names (rep.profile_changed). Legal (法务)
has no user role: its tasks are finance-owned rows in the "legal" queue,
listed to finance/admin; the account manager's task and the manager's notice
go to people as notification.requested.

Listing and marking done follow the caller's scope (service_layer/aging.py)
applied to whom a follow-up is assigned: finance and admins everything, the
legal queue included; a manager their team's tasks and their own notices; a
rep their own. One outside the caller's scope is not found."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from crm.events.v1.finance_pb2 import FollowUpDone
from crm_shared import paging
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from crm_shared.money import format_minor
from crm_shared.notifications import publish_notification

from finance_reconciliation.domain.access import READERS
from finance_reconciliation.domain.follow_up import (
    DEFAULT_REMINDER_DAYS,
    DONE,
    LEGAL_QUEUE,
    MANAGER_NOTICE,
    MANAGER_TASK,
    REMINDER,
    SKIPPED,
    STATUSES,
    Action,
    FollowUp,
    check_open,
    completion_note,
    decide,
    validate_reminder_days,
    visible,
)
from finance_reconciliation.service_layer.aging import owner_scope
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]
FOLLOW_UP_DONE = "payment.follow_up_done"
MAX_FOLLOW_UP_ID = 120

TITLES = {
    MANAGER_TASK: "回款逾期超过30天，请跟进",
    MANAGER_NOTICE: "下属客户回款逾期超过30天",
    REMINDER: "回款即将到期",
}


def _body(action: Action) -> str:
    owed = format_minor(action.outstanding_minor, action.currency)
    if action.kind == REMINDER:
        return f"待收 {owed}，{action.days} 天后到期"
    return f"待收 {owed}，已逾期 {action.days} 天"


class FollowUpJob:
    def __init__(self, uow_factory: UowFactory, reminder_days: Sequence[int] = DEFAULT_REMINDER_DAYS) -> None:
        self.uow_factory = uow_factory
        self.reminder_days = validate_reminder_days(reminder_days)

    async def run(self) -> int:
        """Every tenant once; returns the number of actions newly written."""
        async with self.uow_factory() as uow:
            tenants = await uow.follow_ups.tenants_with_instalments()
        return sum([await self.run_tenant(t) for t in tenants])

    async def run_tenant(self, tenant_id: str) -> int:
        written = 0
        async with self.uow_factory() as uow:
            now = uow.clock.now()
            insts = await uow.aging.instalments(tenant_id)
            pays = await uow.aging.payments(tenant_id, [i.instalment_id for i in insts])
            done = await uow.follow_ups.keys(tenant_id)
            managers = await uow.rep_profiles.managers_of(tenant_id, {i.owner_id for i in insts})
            by_id = {i.instalment_id: i for i in insts}
            for action in decide(insts, pays, business_day(now), done, managers, self.reminder_days):
                inst = by_id[action.instalment_id]
                if not await uow.follow_ups.add(tenant_id, action, inst.customer_id, inst.owner_id, now):
                    continue
                written += 1
                if action.kind in TITLES and action.assignee and action.assignee != LEGAL_QUEUE:
                    await publish_notification(
                        uow, tenant_id, action.assignee, f"payment.{action.kind}", TITLES[action.kind],
                        _body(action),
                        subject_type="instalment", subject_id=action.instalment_id,
                    )
            await uow.commit()
        return written


@dataclass(frozen=True)
class FollowUpPage:
    follow_ups: list[FollowUp]
    next_page_token: str


class FollowUpHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def listed(self, caller: Caller, status: str, page_size: int, page_token: str) -> FollowUpPage:
        caller.require_role(*READERS)
        if status and status not in STATUSES:
            raise InvalidArgument.field("status", f"must be one of {', '.join(STATUSES)} or empty")
        size = paging.page_size(page_size)
        after = paging.decode_token(page_token)
        async with self.uow() as uow:
            owners = await owner_scope(uow, caller)
            rows = await uow.follow_ups.page(caller.tenant_id, owners, status, after, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        token = paging.encode_token(rows[-1].created_at, rows[-1].follow_up_id) if more else ""
        return FollowUpPage(rows, token)

    async def complete(self, caller: Caller, follow_up_id: str, note: str) -> FollowUp:
        """Marks an open follow-up done with what was done; payment.follow_up_done."""
        caller.require_role(*READERS)
        follow_up_id = follow_up_id.strip()
        if not follow_up_id or len(follow_up_id) > MAX_FOLLOW_UP_ID:
            raise InvalidArgument.field("follow_up_id", f"is required, at most {MAX_FOLLOW_UP_ID} characters")
        text = completion_note(note)
        async with self.uow() as uow:
            found = await uow.follow_ups.get(caller.tenant_id, follow_up_id)
            if found is None or found.status == SKIPPED or not visible(found, await owner_scope(uow, caller)):
                raise NotFound(f"follow-up {follow_up_id} not found")
            check_open(found)
            now = uow.clock.now()
            if not await uow.follow_ups.mark_done(caller.tenant_id, follow_up_id, caller.user_id, now, text):
                # Another completion committed since it was read: this one changes nothing.
                raise FailedPrecondition(f"follow-up {follow_up_id} is already done")
            await uow.publish(
                FOLLOW_UP_DONE, caller.tenant_id, follow_up_id,
                FollowUpDone(follow_up_id=follow_up_id, kind=found.kind, instalment_id=found.instalment_id,
                             customer_id=found.customer_id, owner_id=found.owner_id, assignee=found.assignee,
                             note=text, done_by=caller.user_id),
            )
            await uow.commit()
        return replace(found, status=DONE, done_by=caller.user_id, done_at=now, note=text)
