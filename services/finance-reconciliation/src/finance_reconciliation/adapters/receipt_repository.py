"""SQL of receipts and the lead sources they are tagged with."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.projections import lead_sources, opportunities
from finance_reconciliation.adapters.orm.receipts import receipts, write_offs
from finance_reconciliation.domain.receipt import DIRECT, HELD, RECORDED, Receipt
from finance_reconciliation.domain.settlement import ACTIVE, WriteOff


def _to_write_off(row: sa.Row) -> WriteOff:
    data = dict(row._mapping)
    data["written_at"] = as_utc(data["written_at"])
    data["reversed_at"] = as_utc(data["reversed_at"]) if data["reversed_at"] else None
    return WriteOff(**data)


def _to_receipt(row: sa.Row) -> Receipt:
    data = dict(row._mapping)
    data["recorded_at"] = as_utc(data["recorded_at"])
    data["reversed_at"] = as_utc(data["reversed_at"]) if data["reversed_at"] else None
    data["reviewed_at"] = as_utc(data["reviewed_at"]) if data["reviewed_at"] else None
    return Receipt(**data)


class ReceiptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, receipt: Receipt) -> None:
        await self.session.execute(sa.insert(receipts).values(**asdict(receipt)))

    async def get(self, tenant_id: str, receipt_id: str, *, for_update: bool = False) -> Receipt | None:
        query = sa.select(receipts).where(receipts.c.tenant_id == tenant_id, receipts.c.receipt_id == receipt_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _to_receipt(row) if row else None

    async def counted_on_line(self, tenant_id: str, line_id: str) -> int:
        """What the live (recorded or held) receipts naming a statement line add up to, in 分."""
        query = sa.select(sa.func.coalesce(sa.func.sum(receipts.c.amount_minor), 0)).where(
            receipts.c.tenant_id == tenant_id,
            receipts.c.statement_line_id == line_id,
            receipts.c.status.in_((RECORDED, HELD)),
        )
        return int((await self.session.execute(query)).scalar_one())

    async def save_status(self, receipt: Receipt) -> None:
        """What may change on a receipt: its status, with who reversed or reviewed it and why."""
        await self.session.execute(
            sa.update(receipts)
            .where(receipts.c.tenant_id == receipt.tenant_id, receipts.c.receipt_id == receipt.receipt_id)
            .values(
                status=receipt.status,
                reversed_by=receipt.reversed_by,
                reversal_reason=receipt.reversal_reason,
                reversed_at=receipt.reversed_at,
                reviewed_by=receipt.reviewed_by,
                review_note=receipt.review_note,
                reviewed_at=receipt.reviewed_at,
            )
        )

    async def with_status(
        self, tenant_id: str, status: str, after: tuple[datetime, str] | None, limit: int
    ) -> list[Receipt]:
        """A page of the tenant's receipts in one status, oldest recorded first (keyset after (recorded_at, id))."""
        query = sa.select(receipts).where(receipts.c.tenant_id == tenant_id, receipts.c.status == status)
        if after is not None:
            at, receipt_id = after
            query = query.where(
                sa.or_(
                    receipts.c.recorded_at > at,
                    sa.and_(receipts.c.recorded_at == at, receipts.c.receipt_id > receipt_id),
                )
            )
        query = query.order_by(receipts.c.recorded_at, receipts.c.receipt_id).limit(limit)
        return [_to_receipt(r) for r in (await self.session.execute(query)).all()]

    async def add_write_off(self, write_off: WriteOff) -> None:
        await self.session.execute(sa.insert(write_offs).values(**asdict(write_off)))

    async def write_off(self, tenant_id: str, write_off_id: str, *, for_update: bool = False) -> WriteOff | None:
        query = sa.select(write_offs).where(
            write_offs.c.tenant_id == tenant_id, write_offs.c.write_off_id == write_off_id
        )
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _to_write_off(row) if row else None

    async def active_write_offs(self, tenant_id: str, *, receipt_id: str) -> list[WriteOff]:
        """The write-offs of a receipt's shortfall still standing (reversed with the receipt)."""
        query = (
            sa.select(write_offs)
            .where(
                write_offs.c.tenant_id == tenant_id,
                write_offs.c.receipt_id == receipt_id,
                write_offs.c.status == ACTIVE,
            )
            .order_by(write_offs.c.written_at, write_offs.c.write_off_id)
            .with_for_update()
        )
        return [_to_write_off(r) for r in (await self.session.execute(query)).all()]

    async def write_off_reversed(self, write_off: WriteOff) -> None:
        await self.session.execute(
            sa.update(write_offs)
            .where(write_offs.c.tenant_id == write_off.tenant_id, write_offs.c.write_off_id == write_off.write_off_id)
            .values(
                status=write_off.status,
                reversed_by=write_off.reversed_by,
                reversal_reason=write_off.reversal_reason,
                reversed_at=write_off.reversed_at,
            )
        )

    async def listed(self, tenant_id: str, *, contract_id: str = "", opportunity_id: str = "") -> list[Receipt]:
        query = sa.select(receipts).where(receipts.c.tenant_id == tenant_id)
        if contract_id:
            query = query.where(receipts.c.contract_id == contract_id)
        if opportunity_id:
            query = query.where(receipts.c.opportunity_id == opportunity_id)
        query = query.order_by(receipts.c.paid_on, receipts.c.recorded_at, receipts.c.receipt_id).limit(1000)
        return [_to_receipt(r) for r in (await self.session.execute(query)).all()]

    async def add_lead_source(self, tenant_id: str, lead_id: str, source: str) -> None:
        key = (lead_sources.c.tenant_id == tenant_id) & (lead_sources.c.lead_id == lead_id)
        updated = await self.session.execute(sa.update(lead_sources).where(key).values(source=source))
        if not updated.rowcount:
            await self.session.execute(
                sa.insert(lead_sources).values(tenant_id=tenant_id, lead_id=lead_id, source=source)
            )

    async def lead_source(self, tenant_id: str, opportunity_id: str) -> str:
        """The source of the lead the opportunity was converted from; "direct" when it came from none."""
        query = (
            sa.select(lead_sources.c.source)
            .select_from(
                opportunities.join(
                    lead_sources,
                    (lead_sources.c.tenant_id == opportunities.c.tenant_id)
                    & (lead_sources.c.lead_id == opportunities.c.lead_id),
                )
            )
            .where(opportunities.c.tenant_id == tenant_id, opportunities.c.opportunity_id == opportunity_id)
        )
        return (await self.session.scalar(query)) or DIRECT
