"""Reading a lead as a caller may: the one visibility rule (`lead_scope`,
`Lead.visible_to`) with the team a manager manages read from the rep profiles;
a partner reads leads only while acting for a current distributor."""

from __future__ import annotations

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound

from lead_routing.domain.lead import Lead, list_scope
from lead_routing.service_layer.partners import partner_or_none
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


async def may_see(uow: LeadRoutingUnitOfWork, caller: Caller, lead: Lead) -> bool:
    scope = list_scope(caller)
    managed: frozenset[str] = frozenset()
    if (manager := scope.team_needed(lead)) is not None:
        managed = await uow.reps.managed_by(caller.tenant_id, manager)
    return scope.covers(lead, managed)


async def visible_lead(uow: LeadRoutingUnitOfWork, caller: Caller, lead_id: str) -> Lead:
    """The lead if the caller may see it; NotFound otherwise, as for a missing
    one. A partner of no current distributor is refused whatever the id."""
    await partner_or_none(uow, caller)
    return await _visible(uow, caller, lead_id)


async def seen_lead(uow: LeadRoutingUnitOfWork, caller: Caller, lead_id: str) -> Lead:
    """visible_lead as the caller reads it (`Lead.as_seen_by`): to read, not to change."""
    partner = await partner_or_none(uow, caller)
    lead = await _visible(uow, caller, lead_id)
    return lead.as_seen_by(caller.user_id, caller.role, partner.users if partner else ())


async def _visible(uow: LeadRoutingUnitOfWork, caller: Caller, lead_id: str) -> Lead:
    lead = await uow.leads.get(caller.tenant_id, lead_id)
    if lead is None or not await may_see(uow, caller, lead):
        raise NotFound(f"lead {lead_id} not found")
    return lead
