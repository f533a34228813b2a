"""All SQL of distributors' promotion applications (table promotion_applications); answers domain.promotion types."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.promotions import promotion_applications
from lead_routing.domain.promotion import SUBMITTED, Application

_A = promotion_applications.c


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _to_application(row: sa.Row) -> Application:
    data = dict(row._mapping)
    for name in ("created_at", "updated_at", "decided_at"):
        data[name] = as_utc(data[name]) if data[name] is not None else None
    for name in ("period_starts_on", "period_ends_on"):
        data[name] = _day(data[name])
    return Application(**data)


def _values(app: Application) -> dict[str, Any]:
    return {c.name: getattr(app, c.name) for c in promotion_applications.c}


class PromotionApplicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, app: Application) -> None:
        await self.session.execute(sa.insert(promotion_applications).values(**_values(app)))

    async def save(self, app: Application, *, before: Application) -> bool:
        """Store the next version; False when another change committed first (nothing written)."""
        values = _values(app) | {"version": before.version + 1}
        for key in ("application_id", "tenant_id", "created_at"):
            values.pop(key)
        result = await self.session.execute(
            sa.update(promotion_applications)
            .where(
                _A.tenant_id == app.tenant_id,
                _A.application_id == app.application_id,
                _A.version == before.version,
            )
            .values(**values)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def get(self, tenant_id: str, application_id: str) -> Application | None:
        query = sa.select(promotion_applications).where(_A.tenant_id == tenant_id, _A.application_id == application_id)
        row = (await self.session.execute(query)).first()
        return _to_application(row) if row else None

    async def of_programme(self, tenant_id: str, programme_id: str, distributor_id: str) -> list[Application]:
        """One distributor's applications for one programme (a repeat is refused against them)."""
        query = sa.select(promotion_applications).where(
            _A.tenant_id == tenant_id, _A.programme_id == programme_id, _A.distributor_id == distributor_id
        )
        return [_to_application(r) for r in (await self.session.execute(query)).all()]

    async def list(
        self,
        tenant_id: str,
        *,
        distributor_ids: Sequence[str] | None = None,
        programme_id: str = "",
        status: str = "",
        limit: int,
        after: tuple[datetime, str] | None = None,
    ) -> list[Application]:
        """The tenant's applications newest first; only those of `distributor_ids` when given."""
        query = sa.select(promotion_applications).where(_A.tenant_id == tenant_id)
        if distributor_ids is not None:
            query = query.where(_A.distributor_id.in_(list(distributor_ids)))
        if programme_id:
            query = query.where(_A.programme_id == programme_id)
        if status:
            query = query.where(_A.status == status)
        if after:
            created, aid = after
            query = query.where(
                sa.tuple_(_A.created_at, _A.application_id) < sa.tuple_(sa.literal(created), sa.literal(aid))
            )
        query = query.order_by(_A.created_at.desc(), _A.application_id.desc()).limit(limit)
        return [_to_application(r) for r in (await self.session.execute(query)).all()]

    async def awaiting_submission(self, updated_before: datetime, limit: int) -> list[Application]:
        """Submitted applications no approval was recorded for (a submission lost
        when the process stopped), oldest first, every tenant."""
        query = (
            sa.select(promotion_applications)
            .where(_A.status == SUBMITTED, _A.approval_id == "", _A.updated_at <= updated_before)
            .order_by(_A.updated_at)
            .limit(limit)
        )
        return [_to_application(r) for r in (await self.session.execute(query)).all()]
