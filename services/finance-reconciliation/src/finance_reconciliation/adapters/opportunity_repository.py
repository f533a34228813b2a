"""SQL of the opportunity projection (from opportunity.created)."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm import opportunities
from finance_reconciliation.domain.opportunity import Opportunity


class OpportunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, opportunity_id: str) -> Opportunity | None:
        row = (
            await self.session.execute(
                sa.select(opportunities).where(
                    opportunities.c.tenant_id == tenant_id, opportunities.c.opportunity_id == opportunity_id
                )
            )
        ).first()
        return Opportunity(**row._mapping) if row else None

    async def upsert(self, opportunity: Opportunity) -> None:
        """Portable upsert; the caller's transaction (inbox) makes it atomic."""
        key = (opportunities.c.tenant_id == opportunity.tenant_id) & (
            opportunities.c.opportunity_id == opportunity.opportunity_id
        )
        values = asdict(opportunity)
        updated = await self.session.execute(sa.update(opportunities).where(key).values(**values))
        if not updated.rowcount:
            await self.session.execute(sa.insert(opportunities).values(**values))
