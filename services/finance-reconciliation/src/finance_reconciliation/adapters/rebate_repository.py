"""SQL of rebates: programmes, the collected sales of distributors (summed
from recorded receipts of their opportunities, never stored), and
settlements (only inserted; the unique key refuses a second one of a
distributor's period, also when two finance users settle at once)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.domain.errors import AlreadyExists
from crm_shared.money import join_split_sums, split_sum_columns
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.projections import opportunities
from finance_reconciliation.adapters.orm.rebates import (
    rebate_programmes,
    rebate_settlement_receipts,
    rebate_settlements,
)
from finance_reconciliation.adapters.orm.receipts import receipts
from finance_reconciliation.domain.rebate import Period, RebateProgramme, RebateSettlement, Tier

COUNTED = "recorded"  # held and rejected receipts never count; a reversed one no longer does


def _tiers(raw: list) -> tuple[Tier, ...]:
    return tuple(Tier(int(t["threshold_minor"]), int(t["rate_bp"])) for t in raw)


def _tier_rows(tiers: tuple[Tier, ...]) -> list[dict]:
    return [{"threshold_minor": t.threshold_minor, "rate_bp": t.rate_bp} for t in tiers]


def _programme(row: sa.Row) -> RebateProgramme:
    return RebateProgramme(
        programme_id=row.programme_id,
        tenant_id=row.tenant_id,
        name=row.name,
        period_kind=row.period_kind,
        tiers=_tiers(row.tiers),
        basis=row.basis,
        currency=row.currency,
        distributor_ids=tuple(row.distributor_ids),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        active=row.active,
        version=row.version,
        updated_by=row.updated_by,
        updated_at=as_utc(row.updated_at),
    )


def _programme_values(p: RebateProgramme) -> dict:
    return {
        "name": p.name,
        "period_kind": p.period_kind,
        "tiers": _tier_rows(p.tiers),
        "basis": p.basis,
        "currency": p.currency,
        "distributor_ids": list(p.distributor_ids),
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "active": p.active,
        "version": p.version,
        "updated_by": p.updated_by,
        "updated_at": p.updated_at,
    }


def _settlement(row: sa.Row, receipt_ids: tuple[str, ...] = ()) -> RebateSettlement:
    return RebateSettlement(
        settlement_id=row.settlement_id,
        tenant_id=row.tenant_id,
        programme_id=row.programme_id,
        programme_name=row.programme_name,
        distributor_id=row.distributor_id,
        period=Period(row.period, row.period_starts_on, row.period_ends_on),
        currency=row.currency,
        collected_minor=row.collected_minor,
        tier=row.tier,
        rate_bp=row.rate_bp,
        basis=row.basis,
        tiers=_tiers(row.tiers),
        rebate_minor=row.rebate_minor,
        receipt_ids=receipt_ids,
        note=row.note,
        settled_by=row.settled_by,
        settled_at=as_utc(row.settled_at),
    )


class RebateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- programmes ---

    async def programmes(self, tenant_id: str) -> list[RebateProgramme]:
        query = (
            sa.select(rebate_programmes)
            .where(rebate_programmes.c.tenant_id == tenant_id)
            .order_by(rebate_programmes.c.name, rebate_programmes.c.programme_id)
        )
        return [_programme(r) for r in (await self.session.execute(query)).all()]

    async def count_programmes(self, tenant_id: str) -> int:
        query = sa.select(sa.func.count()).where(rebate_programmes.c.tenant_id == tenant_id)
        return int((await self.session.execute(query)).scalar_one())

    async def programme(self, tenant_id: str, programme_id: str) -> RebateProgramme | None:
        query = sa.select(rebate_programmes).where(
            rebate_programmes.c.tenant_id == tenant_id, rebate_programmes.c.programme_id == programme_id
        )
        row = (await self.session.execute(query)).first()
        return _programme(row) if row else None

    async def add_programme(self, programme: RebateProgramme) -> None:
        await self.session.execute(
            sa.insert(rebate_programmes).values(
                programme_id=programme.programme_id, tenant_id=programme.tenant_id, **_programme_values(programme)
            )
        )

    async def save_programme(self, programme: RebateProgramme, *, before: RebateProgramme) -> bool:
        """Compare-and-set on the version read: False when someone saved it in between."""
        result = await self.session.execute(
            sa.update(rebate_programmes)
            .where(
                rebate_programmes.c.tenant_id == programme.tenant_id,
                rebate_programmes.c.programme_id == programme.programme_id,
                rebate_programmes.c.version == before.version,
            )
            .values(**_programme_values(programme))
        )
        return result.rowcount == 1

    # --- collected sales (what accrues) ---

    def _counted(self, tenant_id: str, currency: str, period: Period) -> sa.Select:
        r, o = receipts.c, opportunities.c
        return (
            sa.select()
            .select_from(
                receipts.join(opportunities, (o.tenant_id == r.tenant_id) & (o.opportunity_id == r.opportunity_id))
            )
            .where(
                r.tenant_id == tenant_id,
                r.status == COUNTED,
                r.currency == currency,
                r.paid_on >= period.starts_on,
                r.paid_on <= period.ends_on,
                o.partner_org_id != "",
            )
        )

    async def collected(
        self, tenant_id: str, currency: str, period: Period, distributor_ids: Collection[str] | None = None
    ) -> dict[str, tuple[int, int]]:
        """distributor → (collected 分, receipts) in the period; None: every distributor with receipts.
        Summed in two halves (exact past int64 on SQLite and PostgreSQL alike)."""
        o = opportunities.c
        query = self._counted(tenant_id, currency, period).add_columns(
            o.partner_org_id, sa.func.count().label("n"), *split_sum_columns(receipts.c.amount_minor, label="amount")
        )
        if distributor_ids is not None:
            query = query.where(o.partner_org_id.in_(list(distributor_ids)))
        rows = await self.session.execute(query.group_by(o.partner_org_id))
        return {row.partner_org_id: (join_split_sums(row, "amount"), int(row.n)) for row in rows}

    async def counted_receipts(
        self, tenant_id: str, currency: str, period: Period, distributor_id: str, limit: int
    ) -> list[tuple[str, int]]:
        """(receipt id, amount) of what the distributor's period counts, at most `limit`."""
        query = (
            self._counted(tenant_id, currency, period)
            .add_columns(receipts.c.receipt_id, receipts.c.amount_minor)
            .where(opportunities.c.partner_org_id == distributor_id)
            .order_by(receipts.c.receipt_id)
            .limit(limit)
        )
        return [(row.receipt_id, row.amount_minor) for row in await self.session.execute(query)]

    # --- settlements ---

    async def add_settlement(self, settlement: RebateSettlement, counted: list[tuple[str, int]]) -> None:
        s = settlement
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    sa.insert(rebate_settlements).values(
                        settlement_id=s.settlement_id,
                        tenant_id=s.tenant_id,
                        programme_id=s.programme_id,
                        programme_name=s.programme_name,
                        distributor_id=s.distributor_id,
                        period=s.period.label,
                        period_starts_on=s.period.starts_on,
                        period_ends_on=s.period.ends_on,
                        currency=s.currency,
                        collected_minor=s.collected_minor,
                        tier=s.tier,
                        rate_bp=s.rate_bp,
                        basis=s.basis,
                        tiers=_tier_rows(s.tiers),
                        rebate_minor=s.rebate_minor,
                        receipt_count=len(counted),
                        note=s.note,
                        settled_by=s.settled_by,
                        settled_at=s.settled_at,
                    )
                )
        except IntegrityError as exc:
            raise AlreadyExists(
                f"{s.distributor_id}'s rebate for {s.period.label} of {s.programme_name} is already settled"
            ) from exc
        if counted:
            await self.session.execute(
                sa.insert(rebate_settlement_receipts),
                [
                    {"settlement_id": s.settlement_id, "receipt_id": rid, "tenant_id": s.tenant_id, "amount_minor": a}
                    for rid, a in counted
                ],
            )

    async def settlement(self, tenant_id: str, settlement_id: str) -> RebateSettlement | None:
        row = (
            await self.session.execute(
                sa.select(rebate_settlements).where(
                    rebate_settlements.c.tenant_id == tenant_id, rebate_settlements.c.settlement_id == settlement_id
                )
            )
        ).first()
        if not row:
            return None
        ids = await self.session.execute(
            sa.select(rebate_settlement_receipts.c.receipt_id)
            .where(
                rebate_settlement_receipts.c.tenant_id == tenant_id,
                rebate_settlement_receipts.c.settlement_id == settlement_id,
            )
            .order_by(rebate_settlement_receipts.c.receipt_id)
        )
        return _settlement(row, tuple(ids.scalars()))

    async def settled(
        self, tenant_id: str, programme_id: str, period: str, distributor_ids: Collection[str] | None
    ) -> dict[str, RebateSettlement]:
        """distributor → its settlement of the period (one at most each: the unique key)."""
        c = rebate_settlements.c
        query = sa.select(rebate_settlements).where(
            c.tenant_id == tenant_id, c.programme_id == programme_id, c.period == period
        )
        if distributor_ids is not None:
            query = query.where(c.distributor_id.in_(list(distributor_ids)))
        return {r.distributor_id: _settlement(r) for r in (await self.session.execute(query)).all()}

    async def settlements(
        self,
        tenant_id: str,
        *,
        programme_id: str = "",
        distributor_ids: Collection[str] | None = None,
        period: str = "",
        before: tuple[datetime, str] | None = None,
        limit: int,
    ) -> list[RebateSettlement]:
        """Newest first, after the keyset `before` (settled_at, settlement_id)."""
        c = rebate_settlements.c
        query = sa.select(rebate_settlements).where(c.tenant_id == tenant_id)
        if programme_id:
            query = query.where(c.programme_id == programme_id)
        if distributor_ids is not None:
            query = query.where(c.distributor_id.in_(list(distributor_ids)))
        if period:
            query = query.where(c.period == period)
        if before:
            at, last_id = before
            query = query.where(
                sa.tuple_(c.settled_at, c.settlement_id)
                < sa.tuple_(sa.literal(at, sa.DateTime(timezone=True)), sa.literal(last_id))
            )
        query = query.order_by(c.settled_at.desc(), c.settlement_id.desc()).limit(limit)
        return [_settlement(r) for r in (await self.session.execute(query)).all()]
