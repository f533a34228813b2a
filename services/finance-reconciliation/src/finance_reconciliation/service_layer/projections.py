"""What finance keeps of other services' facts: the opportunity projection
(opportunity.created, opportunity.closed), rep profiles (rep.profile_changed)
and leads' sources (lead.converted). Called by the consumers inside their inbox
transaction; nothing here commits."""

from __future__ import annotations

from crm_shared.rep_profiles import RepProfile

from finance_reconciliation.domain.opportunity import Opportunity, Placement
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork


async def opportunity_created(uow: FinanceUnitOfWork, opportunity: Opportunity) -> None:
    await uow.opportunities.upsert(opportunity)


async def opportunity_closed(uow: FinanceUnitOfWork, placement: Placement) -> None:
    await uow.opportunities.place(placement)


async def rep_profile_changed(uow: FinanceUnitOfWork, profile: RepProfile) -> None:
    await uow.rep_profiles.put(profile)


async def lead_converted(uow: FinanceUnitOfWork, tenant_id: str, lead_id: str, source: str) -> None:
    """The lead's source, so receipts of the opportunity it became carry it."""
    await uow.receipts.add_lead_source(tenant_id, lead_id, source)
