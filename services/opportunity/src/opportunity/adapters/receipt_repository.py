"""SQL of the counted receipts (domain/receipt.py). Every query is scoped by tenant."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.receipts import counted_receipts
from opportunity.adapters.rows import columns, load
from opportunity.domain.receipt import CountedReceipt


class ReceiptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, receipt_id: str) -> CountedReceipt | None:
        query = (
            sa.select(counted_receipts)
            .where(counted_receipts.c.tenant_id == tenant_id, counted_receipts.c.receipt_id == receipt_id)
            .with_for_update()
        )
        row = (await self.session.execute(query)).first()
        return load(CountedReceipt, row) if row else None

    async def save(self, receipt: CountedReceipt, *, new: bool, now: datetime) -> None:
        values = {**columns(CountedReceipt, receipt), "updated_at": now}
        if new:  # a concurrent insert of the same receipt fails here and the event is redelivered
            await self.session.execute(sa.insert(counted_receipts).values(**values))
            return
        await self.session.execute(
            sa.update(counted_receipts)
            .where(
                counted_receipts.c.tenant_id == receipt.tenant_id,
                counted_receipts.c.receipt_id == receipt.receipt_id,
            )
            .values(**values)
        )
