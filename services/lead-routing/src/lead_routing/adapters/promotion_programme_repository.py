"""All SQL of promotion programmes (table promotion_programmes); answers domain.promotion types."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.promotions import promotion_programmes
from lead_routing.domain.promotion import Programme, Terms

_P = promotion_programmes.c
_TERMS = (
    "name",
    "conditions",
    "starts_on",
    "ends_on",
    "benefit",
    "discount_percent",
    "support_amount_minor",
    "currency",
)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _to_programme(row: sa.Row) -> Programme:
    terms = Terms(
        name=row.name,
        conditions=row.conditions,
        starts_on=_day(row.starts_on),
        ends_on=_day(row.ends_on),
        product_lines=tuple(row.product_lines or ()),
        benefit=row.benefit,
        discount_percent=row.discount_percent,
        support_amount_minor=row.support_amount_minor,
        currency=row.currency,
    )
    return Programme(
        programme_id=row.programme_id,
        tenant_id=row.tenant_id,
        terms=terms,
        status=row.status,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        published_at=as_utc(row.published_at) if row.published_at else None,
        version=row.version,
    )


def _values(p: Programme) -> dict[str, Any]:
    return {name: getattr(p.terms, name) for name in _TERMS} | {
        "product_lines": list(p.terms.product_lines),
        "tenant_id": p.tenant_id,
        "programme_id": p.programme_id,
        "status": p.status,
        "created_by": p.created_by,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "published_at": p.published_at,
        "version": p.version,
    }


class PromotionProgrammeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, programme: Programme) -> None:
        await self.session.execute(sa.insert(promotion_programmes).values(**_values(programme)))

    async def save(self, programme: Programme, *, before: Programme) -> bool:
        """Store the next version; False when another change committed first (nothing written)."""
        values = _values(programme)
        for key in ("programme_id", "tenant_id", "created_at", "created_by"):
            values.pop(key)
        result = await self.session.execute(
            sa.update(promotion_programmes)
            .where(
                _P.tenant_id == programme.tenant_id,
                _P.programme_id == programme.programme_id,
                _P.version == before.version,
            )
            .values(**values)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def get(self, tenant_id: str, programme_id: str) -> Programme | None:
        query = sa.select(promotion_programmes).where(_P.tenant_id == tenant_id, _P.programme_id == programme_id)
        row = (await self.session.execute(query)).first()
        return _to_programme(row) if row else None

    async def list(
        self, tenant_id: str, *, states: Sequence[str], limit: int, after: tuple[datetime, str] | None = None
    ) -> list[Programme]:
        """The tenant's programmes in `states`, newest first."""
        query = sa.select(promotion_programmes).where(_P.tenant_id == tenant_id, _P.status.in_(list(states)))
        if after:
            created, pid = after
            query = query.where(
                sa.tuple_(_P.created_at, _P.programme_id) < sa.tuple_(sa.literal(created), sa.literal(pid))
            )
        query = query.order_by(_P.created_at.desc(), _P.programme_id.desc()).limit(limit)
        return [_to_programme(r) for r in (await self.session.execute(query)).all()]
