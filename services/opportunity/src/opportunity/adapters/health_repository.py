"""SQL of customer health (domain/indexes/health.py): the only writer of
customer_health (figures per customer and month) and customer_health_alerts
(one per customer and month, told once). Every query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.customer_value import customer_health, customer_health_alerts
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import opportunities
from opportunity.adapters.rows import in_scope
from opportunity.domain.access import Scope
from opportunity.domain.indexes.health import Alert, PeriodFigures


@dataclass(frozen=True)
class AlertRow:
    tenant_id: str
    customer_id: str
    period: str
    owner_id: str
    rates_bp: tuple[int, ...]
    consultations: tuple[int, ...]
    materials: tuple[dict, ...]
    raised_at: datetime
    notified_at: datetime | None
    customer_name: str = ""


def _alert(m) -> AlertRow:
    return AlertRow(
        m["tenant_id"],
        m["customer_id"],
        m["period"],
        m["owner_id"],
        tuple(m["rates_bp"]),
        tuple(m["consultations"]),
        tuple(m["materials"] or ()),
        as_utc(m["raised_at"]),
        as_utc(m["notified_at"]) if m["notified_at"] else None,
        m.get("name", "") or "",
    )


class HealthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _key(self, tenant_id: str, customer_id: str, period: str) -> list[sa.ColumnElement[bool]]:
        h = customer_health.c
        return [h.tenant_id == tenant_id, h.customer_id == customer_id, h.period == period]

    async def _ensure(self, tenant_id: str, customer_id: str, period: str, now: datetime) -> None:
        exists = await self.session.scalar(
            sa.select(customer_health.c.period).where(*self._key(tenant_id, customer_id, period)).with_for_update()
        )
        if exists is None:
            await insert_unless_taken(
                self.session,
                sa.insert(customer_health).values(
                    tenant_id=tenant_id,
                    customer_id=customer_id,
                    period=period,
                    as_of="",
                    consultations=0,
                    computed_at=now,
                ),
            )

    async def put_stats(
        self, tenant_id: str, customer_id: str, period: str, figures: PeriodFigures, now: datetime
    ) -> bool:
        """The month's payment figures, unless newer ones (a later as_of) are kept already."""
        await self._ensure(tenant_id, customer_id, period, now)
        done = await self.session.execute(
            sa.update(customer_health)
            .where(*self._key(tenant_id, customer_id, period), customer_health.c.as_of <= figures.as_of)
            .values(
                on_time_rate_bp=figures.on_time_rate_bp,
                dso_tenths=figures.dso_tenths,
                as_of=figures.as_of,
                computed_at=now,
            )
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def add_consultation(self, tenant_id: str, customer_id: str, period: str, now: datetime) -> None:
        await self._ensure(tenant_id, customer_id, period, now)
        await self.session.execute(
            sa.update(customer_health)
            .where(*self._key(tenant_id, customer_id, period))
            .values(consultations=customer_health.c.consultations + 1, computed_at=now)
        )

    async def figures(self, tenant_id: str, customer_id: str, periods: Sequence[str]) -> dict[str, PeriodFigures]:
        h = customer_health.c
        query = sa.select(h.period, h.on_time_rate_bp, h.dso_tenths, h.as_of, h.consultations).where(
            h.tenant_id == tenant_id, h.customer_id == customer_id, h.period.in_(list(periods))
        )
        return {
            r.period: PeriodFigures(r.period, r.on_time_rate_bp, r.dso_tenths, r.as_of, int(r.consultations))
            for r in (await self.session.execute(query)).all()
        }

    # --- alerts ---------------------------------------------------------------------

    async def raise_alert(self, tenant_id: str, customer_id: str, owner_id: str, alert: Alert, now: datetime) -> bool:
        """False when the customer's alert for the period exists already (raised once)."""
        return await insert_unless_taken(
            self.session,
            sa.insert(customer_health_alerts).values(
                tenant_id=tenant_id,
                customer_id=customer_id,
                period=alert.period,
                owner_id=owner_id,
                rates_bp=list(alert.rates_bp),
                consultations=list(alert.consultations),
                materials=[],
                raised_at=now,
            ),
        )

    async def unnotified(self, limit: int) -> list[AlertRow]:
        a = customer_health_alerts
        query = sa.select(a).where(a.c.notified_at.is_(None)).order_by(a.c.raised_at).limit(limit)
        return [_alert(r._mapping) for r in (await self.session.execute(query)).all()]

    async def get_alert(self, tenant_id: str, customer_id: str, period: str, *, lock: bool = False) -> AlertRow | None:
        a = customer_health_alerts.c
        query = sa.select(customer_health_alerts).where(
            a.tenant_id == tenant_id, a.customer_id == customer_id, a.period == period
        )
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _alert(row._mapping) if row else None

    async def mark_notified(self, alert: AlertRow, materials: Sequence[dict], now: datetime) -> None:
        a = customer_health_alerts.c
        await self.session.execute(
            sa.update(customer_health_alerts)
            .where(a.tenant_id == alert.tenant_id, a.customer_id == alert.customer_id, a.period == alert.period)
            .values(notified_at=now, materials=list(materials))
        )

    async def alerts_of(self, tenant_id: str, customer_id: str, limit: int = 24) -> list[AlertRow]:
        a = customer_health_alerts.c
        query = (
            sa.select(customer_health_alerts)
            .where(a.tenant_id == tenant_id, a.customer_id == customer_id)
            .order_by(a.period.desc())
            .limit(limit)
        )
        return [_alert(r._mapping) for r in (await self.session.execute(query)).all()]

    async def alerts(self, scope: Scope, period: str, offset: int, limit: int) -> tuple[list[AlertRow], int]:
        """The alerts of the scope's customers (by the customer's owner now), newest first."""
        a = customer_health_alerts
        query = (
            sa.select(a, customers.c.name)
            .join(
                customers,
                sa.and_(customers.c.customer_id == a.c.customer_id, customers.c.tenant_id == a.c.tenant_id),
            )
            .where(*in_scope(customers, scope))
        )
        if period:
            query = query.where(a.c.period == period)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        page = query.order_by(a.c.raised_at.desc(), a.c.customer_id).offset(offset).limit(limit)
        return [_alert(r._mapping) for r in (await self.session.execute(page)).all()], int(total or 0)

    async def trials(self, tenant_id: str, customer_id: str, product_lines: Sequence[str]) -> list[tuple]:
        """(status, stage, pipeline_id) of the customer's opportunities on the product lines (at most 200)."""
        if not product_lines:
            return []
        o = opportunities.c
        query = (
            sa.select(o.status, o.stage, o.pipeline_id)
            .where(o.tenant_id == tenant_id, o.customer_id == customer_id, o.product_line.in_(list(product_lines)))
            .limit(200)
        )
        return [tuple(r) for r in (await self.session.execute(query)).all()]
