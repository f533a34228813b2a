"""SQL of the tenant's bank export layouts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.statements import bank_layouts
from finance_reconciliation.domain.bank_layout import BankLayout


def _layout(row: sa.Row) -> BankLayout:
    return BankLayout(
        row.name, {k: tuple(v) for k, v in row.columns.items()}, credit_marks=tuple(row.credit_marks)
    )


class LayoutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_tenant(self, tenant_id: str) -> list[BankLayout]:
        query = sa.select(bank_layouts).where(bank_layouts.c.tenant_id == tenant_id).order_by(bank_layouts.c.name)
        return [_layout(r) for r in (await self.session.execute(query)).all()]

    async def put(self, tenant_id: str, layout: BankLayout, by: str, at: datetime) -> None:
        values = {
            "columns": {k: list(v) for k, v in layout.columns.items()},
            "credit_marks": list(layout.credit_marks),
            "updated_by": by,
            "updated_at": at,
        }
        statement = upsert_insert(self.session, bank_layouts).values(tenant_id=tenant_id, name=layout.name, **values)
        await self.session.execute(statement.on_conflict_do_update(index_elements=["tenant_id", "name"], set_=values))

    async def delete(self, tenant_id: str, name: str) -> bool:
        result = await self.session.execute(
            sa.delete(bank_layouts).where(bank_layouts.c.tenant_id == tenant_id, bank_layouts.c.name == name)
        )
        return result.rowcount == 1
