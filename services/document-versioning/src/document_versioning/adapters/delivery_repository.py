"""SQL of the contracts' delivery records (domain/delivery.py): the latest
record per contract and kind, written only over an older one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import contract_deliveries
from document_versioning.domain.delivery import DeliveryRecord

KEY = ("tenant_id", "contract_id", "kind")


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def put(self, record: DeliveryRecord) -> None:
        """Insert the record, or replace the stored one of its contract and kind when this one was recorded
        later (DeliveryRecord.replaces, in the statement itself so racing consumers agree)."""
        t = contract_deliveries
        values = asdict(record)
        statement = upsert_insert(self.session, t).values(**values)
        new = statement.excluded
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=list(KEY),
                set_={k: v for k, v in values.items() if k not in KEY},
                where=(t.c.recorded_at < new.recorded_at)
                | ((t.c.recorded_at == new.recorded_at) & (t.c.delivery_id < new.delivery_id)),
            )
        )

    async def of_contracts(self, tenant_id: str, contract_ids: Collection[str]) -> list[DeliveryRecord]:
        t = contract_deliveries
        found: list[DeliveryRecord] = []
        for chunk in in_chunks(sorted(contract_ids)):
            query = sa.select(t).where(t.c.tenant_id == tenant_id, t.c.contract_id.in_(list(chunk)))
            for row in (await self.session.execute(query)).all():
                data = dict(row._mapping)
                found.append(DeliveryRecord(**data | {"recorded_at": as_utc(data["recorded_at"])}))
        return found
