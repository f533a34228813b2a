"""Use cases of tasks: list them within the caller's scope and complete one;
an ECN's confirmation tasks (made, answered, shown as its progress, escalated)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crm.events.v1 import contract_pb2
from crm_shared.business_calendar import business_time
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.notifications import publish_notification
from crm_shared.partner_check import PartnerCheck
from crm_shared.roles import ECN_ANSWERERS, ECN_READERS

from opportunity.domain import pipeline as rules
from opportunity.domain import task as tasks
from opportunity.domain.task import Task
from opportunity.service_layer.common import scope_of
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
ESCALATION_SCAN_LIMIT = 500


class TaskHandlers:
    def __init__(self, uow: UowFactory, partners: PartnerCheck | None = None) -> None:
        self.uow = uow
        # A partner's list is none of the manufacturer's rows, but only for a partner lead-routing still admits.
        self.partners = partners or PartnerCheck()

    async def list(
        self, caller: Caller, *, state: str, owner_id: str, opportunity_id: str, customer_id: str
    ) -> list[Task]:
        tasks.check_state_filter(state)
        await self.partners.require(caller)
        async with self.uow() as uow:
            scope = await scope_of(uow, caller)
            if scope.is_empty:
                return []
            return await uow.tasks.list(
                caller.tenant_id,
                owner_ids=scope.owner_ids,
                state=state,
                owner_id=owner_id.strip(),
                opportunity_id=opportunity_id.strip(),
                customer_id=customer_id.strip(),
            )

    async def complete(self, caller: Caller, task_id: str) -> Task:
        """The owner (or their manager, or admin) completes an open task."""
        caller.require_role(*rules.MOVERS)
        async with self.uow() as uow:
            task = await uow.tasks.get(caller.tenant_id, task_id)
            if task is None or not task.visible_in(await scope_of(uow, caller)):
                raise NotFound(f"task {task_id} not found")
            done = tasks.complete(task, caller.user_id, uow.clock.now())
            if not await uow.tasks.complete(done):
                raise Conflict(f"task {task_id} was changed concurrently; try again")
            await uow.commit()
        return done


class EcnTaskHandlers:
    """An engineering change notice's confirmation tasks (seed 002): made from
    ecn.published for the open orders, answered by the account manager, shown
    as the ECN's progress; one overdue past 24 h is red and the owner's manager
    is told (a periodic job under a lease)."""

    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def ecn_published(
        self,
        uow: OpportunityUnitOfWork,
        tenant_id: str,
        ecn_id: str,
        number: str,
        title: str,
        orders: list[tasks.EcnOrder],
    ) -> int:
        """One task per open order, for the opportunity's owner, due in 24 h; a
        redelivery or a repeated order makes none (the task's key). The consumer's uow commits."""
        made = 0
        now = uow.clock.now()
        for order in orders:
            opp = await uow.opportunities.get(tenant_id, order.opportunity_id)
            if opp is None or not tasks.order_is_open(opp.status, order):
                continue
            task = tasks.ecn_task(
                task_id=new_id(),
                tenant_id=tenant_id,
                ecn_id=ecn_id,
                number=number,
                title=title,
                order=order,
                owner_id=opp.owner_id,
                customer_id=opp.customer_id,
                now=now,
            )
            if not await uow.tasks.add_unless_exists(task):
                continue
            made += 1
            await publish_notification(
                uow,
                tenant_id,
                task.owner_id,
                "task.created",
                task.title,
                f"请在 {business_time(task.due_at)} 前与客户确认该工程变更（接受 / 拒绝 / 需报价）。",
                subject_type="task",
                subject_id=task.task_id,
                aggregate_id=task.owner_id,
            )
        return made

    async def list_for_ecn(self, caller: Caller, ecn_id: str) -> tuple[list[Task], tasks.EcnProgress, datetime]:
        """The ECN's tasks within the caller's scope (工程部's reviewers and admins see every one)."""
        caller.require_role(*ECN_READERS)
        if not ecn_id.strip() or len(ecn_id) > 64:
            raise InvalidArgument.field("ecn_id", "is required (at most 64 characters)")
        async with self.uow() as uow:
            scope = await scope_of(uow, caller)
            found = [] if scope.is_empty else await uow.tasks.for_ecn(caller.tenant_id, ecn_id.strip(), scope.owner_ids)
            now = uow.clock.now()
        return found, tasks.progress(found, now), now

    async def answer(self, caller: Caller, task_id: str, answer: str, note: str) -> tuple[Task, datetime]:
        """The customer's answer, recorded by the owner (or their manager, or admin)."""
        caller.require_role(*ECN_ANSWERERS)
        async with self.uow() as uow:
            task = await uow.tasks.get(caller.tenant_id, task_id)
            if task is None or not task.visible_in(await scope_of(uow, caller)):
                raise NotFound(f"task {task_id} not found")
            now = uow.clock.now()
            done = tasks.answer(task, answer.strip(), note, caller.user_id, now)
            if not await uow.tasks.answer(done):
                raise Conflict(f"task {task_id} was changed concurrently; try again")
            await uow.publish(
                "task.ecn_answered",
                done.tenant_id,
                done.task_id,
                contract_pb2.EcnTaskAnswered(
                    task_id=done.task_id,
                    ecn_id=done.ecn_id or "",
                    opportunity_id=done.opportunity_id or "",
                    contract_id=done.contract_id or "",
                    answer=done.answer or "",
                    note=done.answer_note or "",
                    answered_by=caller.user_id,
                ),
            )
            await uow.commit()
        return done, now

    async def escalate_overdue(self) -> int:
        """Open confirmation tasks past due: the owner's manager is told, once per task."""
        told = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            for task in await uow.tasks.ecn_overdue_unescalated(now, ESCALATION_SCAN_LIMIT):
                if not await uow.tasks.mark_escalated(task, now):
                    continue
                manager = await uow.reps.manager_of(task.tenant_id, task.owner_id)
                if manager and manager != task.owner_id:
                    told += 1
                    await publish_notification(
                        uow,
                        task.tenant_id,
                        manager,
                        "task.overdue",
                        f"已超时：{task.title}",
                        f"{task.owner_id} 未在 24 小时内完成工程变更的客户确认，已标红。",
                        subject_type="task",
                        subject_id=task.task_id,
                        aggregate_id=manager,
                    )
            await uow.commit()
        return told
