"""Reading leads, their outcomes (converted, lost) and a tenant's own lead fields."""

from __future__ import annotations

from collections.abc import Callable

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import lead_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition
from crm_shared.money import validate_amount
from crm_shared.paging import decode_token, encode_token, page_size

from lead_routing.domain.catalogue import MAX_CUSTOM_FIELDS, STANDARD
from lead_routing.domain.fields import check_field_definition
from lead_routing.domain.imports import HEADERS
from lead_routing.domain.lead import Lead, list_scope
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.rep import outcome_segments
from lead_routing.service_layer.partners import partner_or_none
from lead_routing.service_layer.protection import registration_converted
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import seen_lead, visible_lead

UowFactory = Callable[[], LeadRoutingUnitOfWork]


class LeadHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def get(self, caller: Caller, lead_id: str) -> Lead:
        async with self.uow().reading() as uow:
            return await seen_lead(uow, caller, lead_id)

    async def list(self, caller: Caller, *, status: str, size: int, token: str) -> tuple[list[Lead], str]:
        limit = page_size(size)
        async with self.uow().reading() as uow:
            partner = await partner_or_none(uow, caller)
            found = await uow.leads.list(
                caller.tenant_id, list_scope(caller), status=status, limit=limit + 1, after=decode_token(token)
            )
        page = found[:limit]
        next_token = encode_token(page[-1].created_at, page[-1].lead_id) if len(found) > limit else ""
        colleagues = partner.users if partner else ()
        return [x.as_seen_by(caller.user_id, caller.role, colleagues) for x in page], next_token

    async def convert(self, caller: Caller, lead_id: str, opportunity_name: str, amount: Money | None) -> Lead:
        caller.require_role(*roles.LEAD_CLOSERS)
        if amount is not None:
            validate_amount("expected_amount", amount.amount_minor, amount.currency or "CNY")
        async with self.uow() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            now = uow.clock.now()
            converted = lead.convert(opportunity_name, caller.user_id, now, role=caller.role)
            await uow.leads.update(converted)
            if converted.owner_id != lead.owner_id:  # a pool lead becomes the converting manager's or admin's
                await uow.assignments.add_owner_changes(
                    converted.tenant_id,
                    [OwnerChange("convert", converted.lead_id, caller.user_id, now, None, converted.owner_id)],
                )
            if converted.owner_id:
                await uow.reps.count_outcome(
                    converted.tenant_id, converted.owner_id, outcome_segments(converted), converted=True
                )
            await registration_converted(uow, converted)  # a protected customer's deal is its distributor's
            await uow.publish(
                "lead.converted",
                converted.tenant_id,
                converted.lead_id,
                lead_pb2.LeadConverted(
                    lead_id=converted.lead_id,
                    company_name=converted.company_name,
                    credit_code=converted.credit_code or "",
                    contact_name=converted.contact_name,
                    phone=converted.phone or "",
                    province=converted.province,
                    city=converted.city,
                    district=converted.district,
                    owner_id=converted.owner_id or "",
                    opportunity_name=converted.opportunity_name or "",
                    expected_amount=amount or converted_amount(converted),
                    source=converted.source,
                    address=converted.address,
                    latitude=converted.latitude,
                    longitude=converted.longitude,
                    industry_tags=list(converted.industry_tags),
                    sources=list(converted.sources),
                    coordinates_approximate=converted.coordinates_approximate,
                    # the distributor protecting the customer goes with the deal (opportunity, rebates)
                    partner_org_id=converted.partner_org_id,
                    registration_id=converted.registration_id if converted.partner_org_id else "",
                    partner_name=converted.partner_name,
                ),
            )
            await uow.commit()
        return converted

    async def lose(self, caller: Caller, lead_id: str, reason: str) -> Lead:
        """The owner, their manager or an admin closes an open lead as lost."""
        caller.require_role(*roles.LEAD_CLOSERS)
        async with self.uow() as uow:
            lead = await visible_lead(uow, caller, lead_id)
            lost = lead.lose(reason, caller.user_id, uow.clock.now(), role=caller.role)
            await uow.leads.update(lost)
            if lost.owner_id:
                await uow.reps.count_outcome(lost.tenant_id, lost.owner_id, outcome_segments(lost), converted=False)
            await uow.publish(
                "lead.lost",
                lost.tenant_id,
                lost.lead_id,
                lead_pb2.LeadLost(
                    lead_id=lost.lead_id,
                    owner_id=lost.owner_id or "",
                    reason=lost.lost_reason or "",
                    source=lost.source,
                    industry_tags=list(lost.industry_tags),
                    actor_id=caller.user_id,
                ),
            )
            await uow.commit()
        return lost

    # --- a tenant's own lead fields -----------------------------------------------

    async def define_field(self, caller: Caller, name: str, kind: str) -> tuple[str, str]:
        caller.require_role(*roles.LEAD_FIELD_DEFINERS)
        name = check_field_definition(name, kind, STANDARD, HEADERS)
        async with self.uow() as uow:
            defined = await uow.leads.custom_field_types(caller.tenant_id)
            existing = defined.get(name)
            if existing is None and len(defined) >= MAX_CUSTOM_FIELDS:
                raise FailedPrecondition(
                    f"a tenant has at most {MAX_CUSTOM_FIELDS} lead fields of its own; this one has {len(defined)}"
                )
            if existing is None:
                if not await uow.leads.add_custom_field(caller.tenant_id, name, kind, caller.user_id, uow.clock.now()):
                    raise Conflict(f"lead field {name} was defined at the same moment; retry")
                await uow.commit()
            elif existing != kind:
                raise FailedPrecondition(f"lead field {name} is already defined as {existing}; its type cannot change")
        return name, kind

    async def list_fields(self, caller: Caller) -> dict[str, str]:
        async with self.uow().reading() as uow:
            await partner_or_none(uow, caller)
            return await uow.leads.custom_field_types(caller.tenant_id)


def converted_amount(lead: Lead) -> Money | None:
    """The opportunity's expected amount from the lead's budget; none when no budget is known
    (an amount of 0 would read as a deal worth nothing)."""
    if lead.budget_minor is None:
        return None
    return Money(amount_minor=lead.budget_minor, currency=lead.currency)
