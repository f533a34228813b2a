"""SQL of the opportunity projection (from opportunity.created and opportunity.closed)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.projections import opportunities
from finance_reconciliation.domain.opportunity import CREATED_FIELDS, PLACEMENT_FIELDS, Opportunity, Placement


class OpportunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _key(self, tenant_id: str, opportunity_id: str) -> sa.ColumnElement[bool]:
        return (opportunities.c.tenant_id == tenant_id) & (opportunities.c.opportunity_id == opportunity_id)

    async def get(self, tenant_id: str, opportunity_id: str) -> Opportunity | None:
        row = (
            await self.session.execute(sa.select(opportunities).where(self._key(tenant_id, opportunity_id)))
        ).first()
        return Opportunity(**row._mapping) if row else None

    async def many(self, tenant_id: str, opportunity_ids: Collection[str]) -> dict[str, Opportunity]:
        if not opportunity_ids:
            return {}
        rows = await self.session.execute(
            sa.select(opportunities).where(
                opportunities.c.tenant_id == tenant_id, opportunities.c.opportunity_id.in_(list(opportunity_ids))
            )
        )
        return {r.opportunity_id: Opportunity(**r._mapping) for r in rows}

    async def _write(self, opportunity: Opportunity, fields: tuple[str, ...]) -> None:
        """Update `fields` of a stored row, or insert the whole one. Each event
        writes only its own fields, so created and closed may arrive in either
        order; the caller's transaction (inbox) makes it atomic."""
        values = asdict(opportunity)
        updated = await self.session.execute(
            sa.update(opportunities)
            .where(self._key(opportunity.tenant_id, opportunity.opportunity_id))
            .values(**{f: values[f] for f in fields})
        )
        if not updated.rowcount:
            await self.session.execute(sa.insert(opportunities).values(**values))

    async def upsert(self, opportunity: Opportunity) -> None:
        """What opportunity.created tells (a placement already stored stays)."""
        await self._write(opportunity, CREATED_FIELDS)

    async def place(self, placement: Placement) -> None:
        """What opportunity.closed tells: province, 大区, product line."""
        await self._write(placement.as_opportunity(), PLACEMENT_FIELDS)
