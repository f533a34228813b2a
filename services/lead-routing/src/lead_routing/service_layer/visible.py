"""Reading a lead as a caller may: the one visibility rule (Lead.visible_to)
with the team a manager manages read from the rep profiles."""

from __future__ import annotations

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound

from lead_routing.domain.lead import Lead
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


async def may_see(uow: LeadRoutingUnitOfWork, caller: Caller, lead: Lead) -> bool:
    managed: frozenset[str] = frozenset()
    if caller.role == "manager" and lead.owner_id not in (None, caller.user_id):  # else the team does not matter
        managed = await uow.reps.managed_by(caller.tenant_id, caller.user_id)
    return lead.visible_to(caller.user_id, caller.role, managed)


async def visible_lead(uow: LeadRoutingUnitOfWork, caller: Caller, lead_id: str) -> Lead:
    """The lead if the caller may see it; NotFound otherwise, as for a missing one."""
    lead = await uow.leads.get(caller.tenant_id, lead_id)
    if lead is None or not await may_see(uow, caller, lead):
        raise NotFound(f"lead {lead_id} not found")
    return lead
