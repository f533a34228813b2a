"""SQL of the win model: the closed history it is trained on (bounded, read in chunks), the open
opportunities it scores and the forecast reads, the models kept as data with their reports, the
score rows (model probability beside the manual one) and the tenant's settings row. Every query is
scoped by tenant."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.activities import activities
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import opportunities, pipelines, stage_stays
from opportunity.adapters.orm.win_model import win_model_settings, win_models, win_scores
from opportunity.adapters.rows import in_scope
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.domain.access import Scope
from opportunity.domain.indexes.win_model import ClosedHistory, Fixed, snapshots_of, source_of

CHUNK = 1000  # ids per IN list


@dataclass(frozen=True)
class OpenOpportunity:
    """What scoring and the forecast read of an open opportunity."""

    opportunity_id: str
    owner_id: str
    fixed: Fixed
    stage: str
    stage_probability: int | None
    forecast_category: str
    activities: int
    expected_close_date: date | None
    currency: str
    model_probability: int | None
    manual_probability: int | None


@dataclass(frozen=True)
class StoredModel:
    version: int
    params: dict[str, Any]
    report: dict[str, Any]
    trained_by: str
    duration_ms: int
    trained_at: datetime


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _fixed(m: Any) -> Fixed:
    return Fixed(
        source=source_of(m["lead_id"], m["partner_org_id"]),
        industry=m["industry"] or "",
        region=m["province"] or "",
        product_line=m["product_line"] or "",
        amount_minor=m["amount_minor"],
        rep=m["owner_id"],
    )


_COLUMNS = (
    opportunities.c.opportunity_id,
    opportunities.c.owner_id,
    opportunities.c.lead_id,
    opportunities.c.partner_org_id,
    opportunities.c.product_line,
    opportunities.c.amount_minor,
    opportunities.c.currency,
    opportunities.c.pipeline_id,
    opportunities.c.stage,
    opportunities.c.probability,
    opportunities.c.forecast_category,
    opportunities.c.status,
    opportunities.c.closed_at,
    opportunities.c.expected_close_date,
    customers.c.industry,
    customers.c.province,
)


class WinModelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _stage_defaults(self, tenant_id: str) -> dict[str, dict[str, int]]:
        rows = await self.session.execute(
            sa.select(pipelines.c.pipeline_id, pipelines.c.stages).where(pipelines.c.tenant_id == tenant_id)
        )
        return {r.pipeline_id: {s["name"]: int(s["probability"]) for s in (r.stages or [])} for r in rows}

    async def _activity_times(self, tenant_id: str, ids: list[str]) -> dict[str, list[datetime]]:
        out: dict[str, list[datetime]] = defaultdict(list)
        for chunk in _chunks(ids):
            rows = await self.session.execute(
                sa.select(activities.c.opportunity_id, activities.c.occurred_at).where(
                    activities.c.tenant_id == tenant_id,
                    activities.c.opportunity_id.in_(chunk),
                    activities.c.state != "draft",
                )
            )
            for r in rows:
                out[r.opportunity_id].append(as_utc(r.occurred_at))
        return out

    async def closed_history(self, tenant_id: str, limit: int) -> list[ClosedHistory]:
        """The newest `limit` closed opportunities (won or lost) with their stays and activities."""
        o = opportunities
        query = (
            sa.select(*_COLUMNS)
            .join(customers, customers.c.customer_id == o.c.customer_id)
            .where(o.c.tenant_id == tenant_id, o.c.status.in_(("won", "lost")), o.c.closed_at.is_not(None))
            .order_by(o.c.closed_at.desc(), o.c.opportunity_id)
            .limit(limit)
        )
        rows = [r._mapping for r in (await self.session.execute(query)).all()]
        ids = [m["opportunity_id"] for m in rows]
        defaults = await self._stage_defaults(tenant_id)
        stays: dict[str, list[tuple[str, datetime, datetime | None]]] = defaultdict(list)
        for chunk in _chunks(ids):
            result = await self.session.execute(
                sa.select(
                    stage_stays.c.opportunity_id, stage_stays.c.stage, stage_stays.c.entered_at, stage_stays.c.left_at
                )
                .where(stage_stays.c.tenant_id == tenant_id, stage_stays.c.opportunity_id.in_(chunk))
                .order_by(stage_stays.c.entered_at)
            )
            for r in result:
                stays[r.opportunity_id].append(
                    (r.stage, as_utc(r.entered_at), as_utc(r.left_at) if r.left_at else None)
                )
        times = await self._activity_times(tenant_id, ids)
        out = []
        for m in rows:
            closed_at = as_utc(m["closed_at"])
            own = stays.get(m["opportunity_id"]) or [(m["stage"], closed_at, closed_at)]
            snaps = snapshots_of(
                _fixed(m), own, defaults.get(m["pipeline_id"] or "", {}), times.get(m["opportunity_id"], []), closed_at
            )
            out.append(ClosedHistory(m["opportunity_id"], m["status"] == "won", closed_at, snaps))
        return out

    async def open_page(
        self, scope: Scope, *, after: str, limit: int, opportunity_ids: list[str] | None = None
    ) -> list[OpenOpportunity]:
        """Open opportunities in the scope, by id from after `after` (chunked reads)."""
        if scope.is_empty:
            return []
        o = opportunities
        query = (
            sa.select(*_COLUMNS, win_scores.c.model_probability, win_scores.c.manual_probability)
            .join(customers, customers.c.customer_id == o.c.customer_id)
            .outerjoin(win_scores, win_scores.c.opportunity_id == o.c.opportunity_id)
            .where(*in_scope(o, scope), o.c.status == "open", o.c.opportunity_id > after)
            .order_by(o.c.opportunity_id)
            .limit(limit)
        )
        if opportunity_ids is not None:
            query = query.where(o.c.opportunity_id.in_(opportunity_ids))
        rows = [r._mapping for r in (await self.session.execute(query)).all()]
        counts: dict[str, int] = defaultdict(int)
        for chunk in _chunks([m["opportunity_id"] for m in rows]):
            result = await self.session.execute(
                sa.select(activities.c.opportunity_id, sa.func.count())
                .where(
                    activities.c.tenant_id == scope.tenant_id,
                    activities.c.opportunity_id.in_(chunk),
                    activities.c.state != "draft",
                )
                .group_by(activities.c.opportunity_id)
            )
            for opp_id, n in result:
                counts[opp_id] = int(n)
        return [
            OpenOpportunity(
                opportunity_id=m["opportunity_id"],
                owner_id=m["owner_id"],
                fixed=_fixed(m),
                stage=m["stage"],
                stage_probability=m["probability"],
                forecast_category=m["forecast_category"] or "",
                activities=counts[m["opportunity_id"]],
                expected_close_date=m["expected_close_date"],
                currency=m["currency"],
                model_probability=m["model_probability"],
                manual_probability=m["manual_probability"],
            )
            for m in rows
        ]

    async def add_model(self, tenant_id: str, model: StoredModel) -> None:
        await self.session.execute(
            sa.insert(win_models).values(
                tenant_id=tenant_id,
                version=model.version,
                params=model.params,
                report=model.report,
                trained_by=model.trained_by,
                duration_ms=model.duration_ms,
                trained_at=model.trained_at,
            )
        )

    async def latest_model(self, tenant_id: str) -> StoredModel | None:
        query = (
            sa.select(win_models)
            .where(win_models.c.tenant_id == tenant_id)
            .order_by(win_models.c.version.desc())
            .limit(1)
        )
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        m = row._mapping
        return StoredModel(
            m["version"],
            dict(m["params"]),
            dict(m["report"]),
            m["trained_by"],
            m["duration_ms"],
            as_utc(m["trained_at"]),
        )

    async def latest_version(self, tenant_id: str) -> int:
        query = sa.select(sa.func.max(win_models.c.version)).where(win_models.c.tenant_id == tenant_id)
        return int((await self.session.execute(query)).scalar() or 0)

    async def _upsert(self, tenant_id: str, opportunity_id: str, values: dict[str, Any]) -> None:
        """Only the given columns change: scoring never touches the manual columns, nor the reverse."""
        t = win_scores
        done = await self.session.execute(
            sa.update(t).where(t.c.tenant_id == tenant_id, t.c.opportunity_id == opportunity_id).values(**values)
        )
        if done.rowcount:
            return
        if not await insert_unless_taken(
            self.session, sa.insert(t).values(tenant_id=tenant_id, opportunity_id=opportunity_id, **values)
        ):
            await self.session.execute(
                sa.update(t).where(t.c.tenant_id == tenant_id, t.c.opportunity_id == opportunity_id).values(**values)
            )

    async def set_model_probability(
        self, tenant_id: str, opportunity_id: str, version: int, probability: int, now: datetime
    ) -> None:
        await self._upsert(
            tenant_id, opportunity_id, {"model_version": version, "model_probability": probability, "computed_at": now}
        )

    async def set_manual(
        self, tenant_id: str, opportunity_id: str, probability: int | None, by: str, now: datetime
    ) -> None:
        await self._upsert(
            tenant_id,
            opportunity_id,
            {
                "manual_probability": probability,
                "manual_by": by if probability is not None else "",
                "manual_at": now,
                "computed_at": now,
            },
        )

    async def score_row(self, tenant_id: str, opportunity_id: str) -> dict[str, Any] | None:
        t = win_scores
        row = (
            await self.session.execute(
                sa.select(t).where(t.c.tenant_id == tenant_id, t.c.opportunity_id == opportunity_id)
            )
        ).first()
        return dict(row._mapping) if row else None

    async def tenants_with_closed(self) -> list[str]:
        o = opportunities
        query = sa.select(o.c.tenant_id).where(o.c.status.in_(("won", "lost"))).distinct()
        return list((await self.session.execute(query)).scalars())


def win_model_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's rating thresholds and half-life (versioned settings row)."""
    return SettingsRows(session, win_model_settings, "win model")
