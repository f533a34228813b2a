"""Why a lead's owner is who it is."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound

from lead_routing.domain.assignment import Assignment
from lead_routing.domain.ownership import OwnerChange
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import visible_lead

UowFactory = Callable[[], LeadRoutingUnitOfWork]


class ExplanationHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def explanation(self, caller: Caller, lead_id: str) -> tuple[OwnerChange | None, Assignment | None]:
        """The latest owner change (a claim, a manager's assignment, an
        automatic or re-route assignment, a release, a reclaim, an intake by a
        rep, a conversion from the pool) and, when it made an assignment, that
        assignment with its scoring explanation. Reps see their own leads'
        only; managers and admins those they see."""
        caller.require_role(*roles.POOL_USERS)
        async with self.uow() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            if not lead.works_on(caller.user_id, caller.role):
                raise NotFound(f"lead {lead_id} not found")
            change = await uow.assignments.latest_owner_change(caller.tenant_id, lead_id)
            if change is not None:
                assignment = (
                    await uow.assignments.get(caller.tenant_id, change.assignment_id) if change.assignment_id else None
                )
            else:  # owner changes from before they were recorded: the latest assignment
                assignment = await uow.assignments.latest(caller.tenant_id, lead_id)
        if change is None and assignment is None:
            raise NotFound(f"lead {lead_id} has never had an owner")
        return change, assignment
