"""Use cases of tasks: list them within the caller's scope and complete one."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, NotFound

from opportunity.domain import pipeline as rules
from opportunity.domain import task as tasks
from opportunity.domain.task import Task
from opportunity.service_layer.common import scope_of
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]


class TaskHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def list(
        self, caller: Caller, *, state: str, owner_id: str, opportunity_id: str, customer_id: str
    ) -> list[Task]:
        tasks.check_state_filter(state)
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
