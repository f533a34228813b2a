"""Use cases of lead-routing: open a unit of work, call the domain, publish, commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import lead_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.ids import new_id
from crm_shared.paging import decode_token, encode_token, page_size
from lead_routing.domain.duplicates import Match, find_duplicate, merge
from lead_routing.domain.model import Lead, new_lead
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]

@dataclass(frozen=True)
class IngestLead:
    company_name: str
    credit_code: str = ""
    contact_name: str = ""
    phone: str = ""
    source: str = "手工录入"
    province: str = ""
    city: str = ""
    district: str = ""
    budget_minor: int | None = None
    currency: str = "CNY"


class LeadHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def ingest(self, caller: Caller, cmd: IngestLead) -> tuple[Lead, Match | None, bool]:
        """A new lead, or the open lead it duplicates with the new details
        merged in. Returns the lead, the match if any, and whether it merged."""
        caller.require_role("rep", "manager", "admin", "partner", "system")
        async with self.uow() as uow:
            lead = new_lead(
                lead_id=new_id(),
                tenant_id=caller.tenant_id,
                owner_id=caller.user_id if caller.role == "rep" else None,
                created_by=caller.user_id,
                now=uow.clock.now(),
                **cmd.__dict__,
            )
            match = find_duplicate(lead, await uow.leads.duplicate_candidates(lead))
            if match and match.lead.status == "open":
                merged = merge(match.lead, lead, uow.clock.now())
                await uow.leads.update(merged)
                await uow.publish(
                    "lead.merged",
                    merged.tenant_id,
                    merged.lead_id,
                    lead_pb2.LeadMerged(lead_id=merged.lead_id, matched_by=match.matched_by, source=lead.source),
                )
                await uow.commit()
                return merged, match, True
            # A converted lead is a customer already: keep the new enquiry, say what it matched.
            await uow.leads.add(lead)
            await uow.publish(
                "lead.created",
                lead.tenant_id,
                lead.lead_id,
                lead_pb2.LeadCreated(
                    lead_id=lead.lead_id,
                    company_name=lead.company_name,
                    credit_code=lead.credit_code or "",
                    phone=lead.phone or "",
                    source=lead.source,
                    owner_id=lead.owner_id or "",
                ),
            )
            await uow.commit()
        return lead, match, False

    async def get(self, caller: Caller, lead_id: str) -> Lead:
        async with self.uow() as uow:
            lead = await uow.leads.get(caller.tenant_id, lead_id)
        if lead is None or not lead.visible_to(caller.user_id, caller.role):
            raise NotFound(f"lead {lead_id} not found")
        return lead

    async def list(self, caller: Caller, *, status: str, size: int, token: str) -> tuple[list[Lead], str]:
        limit = page_size(size)
        async with self.uow() as uow:
            found = await uow.leads.list(
                caller.tenant_id, status=status, limit=limit + 1, after=decode_token(token), caller=caller
            )
        page = found[:limit]
        next_token = encode_token(page[-1].created_at, page[-1].lead_id) if len(found) > limit else ""
        return page, next_token

    async def convert(self, caller: Caller, lead_id: str, opportunity_name: str, amount: Money | None) -> Lead:
        caller.require_role("rep", "manager", "admin")
        async with self.uow() as uow:
            lead = await uow.leads.get(caller.tenant_id, lead_id)
            if lead is None or not lead.visible_to(caller.user_id, caller.role):
                raise NotFound(f"lead {lead_id} not found")
            converted = lead.convert(opportunity_name, caller.user_id, uow.clock.now())
            await uow.leads.update(converted)
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
                    expected_amount=amount or Money(amount_minor=converted.budget_minor or 0, currency=converted.currency),
                    source=converted.source,
                ),
            )
            await uow.commit()
        return converted

