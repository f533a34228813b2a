"""The follow-up timers (one periodic job under a lease runs them; the rules
are domain/timers.py's) and the first touch an `activity.logged` is: it
clears the 24 h deadline and the red flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from crm_shared.ids import new_id

from opportunity.domain import timers
from opportunity.domain.task import new_task
from opportunity.service_layer.common import notify
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
SCAN_LIMIT = 500


class TimerHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def activity_logged(
        self, uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str, opportunity_id: str
    ) -> None:
        """An activity is the first touch: it clears the 24 h deadline and the
        red flags of the opportunity it is about (or, when it names none, of
        the customer's open opportunities). The consumer's unit of work commits."""
        if opportunity_id:
            found = await uow.opportunities.get(tenant_id, opportunity_id)
            opps = [found] if found else []
        else:
            opps = await uow.opportunities.open_for_customer(tenant_id, customer_id)
        now = uow.clock.now()
        for opp in opps:
            flags = timers.without_flags(opp.flags, timers.NO_ACTIVITY, timers.FOLLOW_UP_LATE)
            if opp.first_touch_due_at is None and tuple(flags) == tuple(opp.flags):
                continue
            await uow.opportunities.save(replace(opp, flags=flags, first_touch_due_at=None, updated_at=now), before=opp)

    async def run(self) -> dict[str, int]:
        return {
            timers.NO_ACTIVITY: await self._no_activity(),
            timers.DORMANT: await self._dormant(),
            timers.FOLLOW_UP_LATE: await self._follow_ups(),
            timers.RENEWAL: await self._renewals(),
        }

    async def _task(self, uow: OpportunityUnitOfWork, tenant_id: str, draft: timers.TaskDraft) -> str | None:
        """The new task's id, or None when the occasion already has its task."""
        task = new_task(task_id=new_id(), tenant_id=tenant_id, draft=draft, now=uow.clock.now())
        if not await uow.tasks.add_unless_exists(task):
            return None
        await notify(uow, tenant_id, timers.task_notice(draft.owner_id, draft, task.task_id))
        return task.task_id

    async def _no_activity(self) -> int:
        async with self.uow() as uow:
            now = uow.clock.now()
            due = await uow.opportunities.first_touch_overdue(now, SCAN_LIMIT)
            for opp in due:
                customer = await uow.customers.get(opp.tenant_id, opp.customer_id)
                await uow.opportunities.save(
                    replace(
                        opp,
                        flags=timers.with_flag(opp.flags, timers.NO_ACTIVITY),
                        first_touch_due_at=None,
                        updated_at=now,
                    ),
                    before=opp,
                )
                draft = timers.no_activity_task(
                    opportunity_id=opp.opportunity_id,
                    customer_id=opp.customer_id,
                    name=opp.name,
                    customer_name=customer.name if customer else "",
                    owner_id=opp.owner_id,
                    now=now,
                )
                if await self._task(uow, opp.tenant_id, draft):
                    manager = await uow.reps.manager_of(opp.tenant_id, opp.owner_id)
                    if manager and manager != opp.owner_id:
                        await notify(uow, opp.tenant_id, timers.no_activity_notice(manager, draft, opp.owner_id))
            await uow.commit()
        return len(due)

    async def _dormant(self) -> int:
        made = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            for c in await uow.customers.dormant(now - timers.DORMANT_AFTER):
                draft = timers.wake_up_task(
                    customer_id=c.customer_id,
                    customer_name=c.name,
                    owner_id=c.owner_id,
                    last_interaction_at=c.last_interaction_at,
                    created_at=c.created_at,
                    now=now,
                )
                task_id = await self._task(uow, c.tenant_id, draft)
                if task_id:
                    made += 1
                    manager = await uow.reps.manager_of(c.tenant_id, c.owner_id)
                    if manager and manager != c.owner_id:
                        await notify(uow, c.tenant_id, timers.task_notice(manager, draft, task_id, copied=True))
            await uow.commit()
        return made

    async def _follow_ups(self) -> int:
        changed = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            for opp, planned in await uow.opportunities.open_with_customer_follow_up():
                late = timers.follow_up_late(planned, now)
                if late == (timers.FOLLOW_UP_LATE in opp.flags):
                    continue
                flags = (
                    timers.with_flag(opp.flags, timers.FOLLOW_UP_LATE)
                    if late
                    else timers.without_flags(opp.flags, timers.FOLLOW_UP_LATE)
                )
                await uow.opportunities.save(replace(opp, flags=flags, updated_at=now), before=opp)
                changed += 1
            await uow.commit()
        return changed

    async def _renewals(self) -> int:
        made = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            today = timers.business_day(now)
            for opp in await uow.opportunities.contracts_ending(today, today + timers.RENEWAL_WITHIN):
                if not timers.renewal_due(opp.status, opp.contract_end_date, now):
                    continue
                customer = await uow.customers.get(opp.tenant_id, opp.customer_id)
                draft = timers.renewal_task(
                    opportunity_id=opp.opportunity_id,
                    customer_id=opp.customer_id,
                    customer_name=customer.name if customer else "",
                    # The account manager: whoever owns the customer now.
                    owner_id=(customer.owner_id if customer else "") or opp.owner_id,
                    contract_end=opp.contract_end_date,  # type: ignore[arg-type]
                )
                if await self._task(uow, opp.tenant_id, draft):
                    made += 1
            await uow.commit()
        return made
