"""All SQL of the won-contract averages: one row per won opportunity and
running sums per (region, product line) that the rows add to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_contract_averages as sums
from approval.adapters.orm import approval_won_contracts as won
from approval.domain.facts import Average


class AverageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _add_to_sum(self, tenant_id: str, region: str, product_line: str, amount: int, count: int) -> None:
        statement = upsert_insert(self.session, sums).values(
            tenant_id=tenant_id, region=region, product_line=product_line, total_minor=amount, count=count
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "region", "product_line"],
                set_={"total_minor": sums.c.total_minor + amount, "count": sums.c.count + count},
            )
        )

    async def _current(self, tenant_id: str, opportunity_id: str) -> sa.Row | None:
        return (
            await self.session.execute(
                sa.select(won)
                .where(won.c.tenant_id == tenant_id, won.c.opportunity_id == opportunity_id)
                .with_for_update()
            )
        ).first()

    async def record_won(
        self,
        tenant_id: str,
        opportunity_id: str,
        region: str,
        product_line: str,
        amount_minor: int,
        closed_at: datetime,
    ) -> bool:
        """Count the opportunity's won amount once: a redelivery changes nothing,
        a later win (reopened and won again) replaces the earlier one. False when
        nothing changed."""
        before = await self._current(tenant_id, opportunity_id)
        if before is not None:
            if (before.region, before.product_line, before.amount_minor) == (region, product_line, amount_minor):
                return False
            await self._add_to_sum(tenant_id, before.region, before.product_line, -before.amount_minor, -1)
            await self.session.execute(
                sa.delete(won).where(won.c.tenant_id == tenant_id, won.c.opportunity_id == opportunity_id)
            )
        await self.session.execute(
            sa.insert(won).values(
                tenant_id=tenant_id,
                opportunity_id=opportunity_id,
                region=region,
                product_line=product_line,
                amount_minor=amount_minor,
                closed_at=closed_at,
            )
        )
        await self._add_to_sum(tenant_id, region, product_line, amount_minor, 1)
        return True

    async def forget(self, tenant_id: str, opportunity_id: str) -> bool:
        """An opportunity counted as won and since closed lost (reopened) no longer counts."""
        before = await self._current(tenant_id, opportunity_id)
        if before is None:
            return False
        await self._add_to_sum(tenant_id, before.region, before.product_line, -before.amount_minor, -1)
        await self.session.execute(
            sa.delete(won).where(won.c.tenant_id == tenant_id, won.c.opportunity_id == opportunity_id)
        )
        return True

    async def of(self, tenant_id: str, region: str, product_line: str = "") -> Average:
        """The region's and product line's figures (with `product_line` ""
        every product line of the region)."""
        query = sa.select(
            sa.func.coalesce(sa.func.sum(sums.c.total_minor), 0), sa.func.coalesce(sa.func.sum(sums.c.count), 0)
        ).where(sums.c.tenant_id == tenant_id, sums.c.region == region)
        if product_line:
            query = query.where(sums.c.product_line == product_line)
        total, count = (await self.session.execute(query)).one()
        return Average(int(total), int(count))
