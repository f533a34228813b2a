"""SQL of deliveries and acceptances (domain/delivery.py). Every query is scoped by tenant."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.deliveries import deliveries
from opportunity.adapters.rows import columns, load
from opportunity.domain.delivery import MAX_DELIVERIES, Delivery


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, delivery: Delivery) -> None:
        await self.session.execute(sa.insert(deliveries).values(**columns(Delivery, delivery)))

    async def for_opportunity(self, tenant_id: str, opportunity_id: str) -> list[Delivery]:
        """Newest record first; at most MAX_DELIVERIES are ever kept per opportunity."""
        query = (
            sa.select(deliveries)
            .where(deliveries.c.tenant_id == tenant_id, deliveries.c.opportunity_id == opportunity_id)
            .order_by(deliveries.c.recorded_at.desc(), deliveries.c.delivery_id.desc())
            .limit(MAX_DELIVERIES)
        )
        return [load(Delivery, r) for r in (await self.session.execute(query)).all()]
