"""Reading a lead as a caller may: the one visibility rule (`lead_scope`,
`Lead.visible_to`) with the team a manager manages read from the rep profiles."""

from __future__ import annotations

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound

from lead_routing.domain.lead import Lead, list_scope
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


async def may_see(uow: LeadRoutingUnitOfWork, caller: Caller, lead: Lead) -> bool:
    scope = list_scope(caller)
    managed: frozenset[str] = frozenset()
    if (manager := scope.team_needed(lead)) is not None:
        managed = await uow.reps.managed_by(caller.tenant_id, manager)
    return scope.covers(lead, managed)


async def visible_lead(uow: LeadRoutingUnitOfWork, caller: Caller, lead_id: str) -> Lead:
    """The lead if the caller may see it; NotFound otherwise, as for a missing one."""
    lead = await uow.leads.get(caller.tenant_id, lead_id)
    if lead is None or not await may_see(uow, caller, lead):
        raise NotFound(f"lead {lead_id} not found")
    return lead
