"""The overdue follow-up and reminder job (run under a lease by
crm_shared.lease.PeriodicJob; the clock is the unit of work's, injected).

Per tenant: the decisions of domain/follow_up.py over what aging reads; each
action is inserted keyed, and only an insert that took its key notifies, so
two workers or a rerun after a crash never send one twice. Legal (法务) has
no user role: its tasks are finance-owned rows in the "legal" queue, listed
to finance/admin; the account manager's task and the manager's notice go to
people as notification.requested."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.notifications import publish_notification

from finance_reconciliation.adapters.aging_repository import AgingRepository
from finance_reconciliation.adapters.follow_up_repository import FollowUpRepository
from finance_reconciliation.domain.follow_up import (
    DEFAULT_REMINDER_DAYS,
    LEGAL_QUEUE,
    MANAGER_NOTICE,
    MANAGER_TASK,
    REMINDER,
    decide,
    validate_reminder_days,
)

Managers = Callable[[str, Collection[str]], Awaitable[dict[str, str]]]

TITLES = {
    MANAGER_TASK: "回款逾期超过30天，请跟进",
    MANAGER_NOTICE: "下属客户回款逾期超过30天",
    REMINDER: "回款即将到期",
}


async def _no_managers(tenant_id: str, owner_ids: Collection[str]) -> dict[str, str]:
    return {}


class FollowUpJob:
    def __init__(self, uow_factory, reminder_days: Sequence[int] = DEFAULT_REMINDER_DAYS,
                 managers: Managers = _no_managers) -> None:
        self.uow_factory = uow_factory
        self.reminder_days = validate_reminder_days(reminder_days)
        self.managers = managers

    async def run(self) -> int:
        """Every tenant once; returns the number of actions newly written."""
        async with self.uow_factory() as uow:
            tenants = await FollowUpRepository(uow.session).tenants_with_instalments()
        return sum([await self.run_tenant(t) for t in tenants])

    async def run_tenant(self, tenant_id: str) -> int:
        written = 0
        async with self.uow_factory() as uow:
            now = uow.clock.now()
            today = now.astimezone(BUSINESS_TZ).date()
            aging, follow_ups = AgingRepository(uow.session), FollowUpRepository(uow.session)
            insts = await aging.instalments(tenant_id)
            pays = await aging.payments(tenant_id, [i.instalment_id for i in insts])
            done = await aging.done_keys(tenant_id)
            managers = await self.managers(tenant_id, {i.owner_id for i in insts})
            customer = {i.instalment_id: i.customer_id for i in insts}
            for action in decide(insts, pays, today, done, managers, self.reminder_days):
                if not await follow_ups.add(tenant_id, action, customer[action.instalment_id], now):
                    continue
                written += 1
                if action.kind in TITLES and action.assignee and action.assignee != LEGAL_QUEUE:
                    await publish_notification(
                        uow, tenant_id, action.assignee, f"payment.{action.kind}", TITLES[action.kind],
                        f"{action.outstanding_minor / 100:.2f} {action.currency}",
                        subject_type="instalment", subject_id=action.instalment_id,
                    )
            await uow.commit()
        return written
