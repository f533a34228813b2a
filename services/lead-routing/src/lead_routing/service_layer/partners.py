"""The distributor a partner acts for: every partner use case (leads,
registrations, protection, promotions, their organisation) starts here, so a
partner whose distributor is gone, inactive or out of contract, or who is no
longer one of its users, can do nothing through any of them — from the next
call on, whatever their token says, and again once it is current."""

from __future__ import annotations

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied

from lead_routing.domain.distributor import Distributor
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


async def partner_distributor(uow: LeadRoutingUnitOfWork, caller: Caller) -> Distributor:
    """The active distributor named by the partner's token (Caller.organisation)
    that lists the caller among its users, inside its contract period; else
    PermissionDenied. Call it inside an open unit of work."""
    caller.require_role(roles.PARTNER)
    found = await uow.distributors.get(caller.tenant_id, caller.organisation) if caller.organisation else None
    if found is None or not found.serves(caller.user_id, uow.clock.now()):
        raise PermissionDenied(f"{caller.user_id} is not a user of an active distributor")
    return found


async def partner_or_none(uow: LeadRoutingUnitOfWork, caller: Caller) -> Distributor | None:
    """For a partner, `partner_distributor` (refused when they act for none);
    None for the manufacturer's users and services, whom it does not concern."""
    return await partner_distributor(uow, caller) if caller.role == roles.PARTNER else None
