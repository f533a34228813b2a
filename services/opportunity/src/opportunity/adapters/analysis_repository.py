"""SQL of activity analyses (one per activity: tags with their words,
summary, keywords). The only writer of activity_analyses; other areas read
it through `for_customer` and `for_opportunity`. Every query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.tagging import activity_analyses

# Of one read (a customer's or opportunity's recent analyses), newest first.
MAX_ANALYSES_READ = 500


@dataclass(frozen=True)
class Analysis:
    activity_id: str
    tenant_id: str
    customer_id: str
    opportunity_id: str | None
    kind: str
    actor_id: str
    occurred_at: datetime
    source: str
    action: str
    tags: dict[str, list[str]]
    summary: list[str]
    keywords: list[str]
    text_sha256: str
    analysed_at: datetime


def _analysis(row: sa.Row) -> Analysis:
    m: dict[str, Any] = dict(row._mapping)
    m["occurred_at"] = as_utc(m["occurred_at"])
    m["analysed_at"] = as_utc(m["analysed_at"])
    m["tags"] = {k: list(v) for k, v in (m["tags"] or {}).items()}
    m["summary"] = list(m["summary"] or [])
    m["keywords"] = list(m["keywords"] or [])
    return Analysis(**m)


class AnalysisRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_unless_taken(self, analysis: Analysis) -> bool:
        """False when the activity already has its analysis."""
        values = {k: getattr(analysis, k) for k in Analysis.__dataclass_fields__}
        return await insert_unless_taken(self.session, sa.insert(activity_analyses).values(**values))

    async def add_many(self, analyses: Sequence[Analysis]) -> None:
        """The analyses of activities appended in this transaction (none can have one yet)."""
        if analyses:
            rows = [{k: getattr(a, k) for k in Analysis.__dataclass_fields__} for a in analyses]
            await self.session.execute(sa.insert(activity_analyses), rows)

    async def get(self, tenant_id: str, activity_id: str) -> Analysis | None:
        query = sa.select(activity_analyses).where(
            activity_analyses.c.tenant_id == tenant_id, activity_analyses.c.activity_id == activity_id
        )
        row = (await self.session.execute(query)).first()
        return _analysis(row) if row else None

    async def for_customer(
        self, tenant_id: str, customer_id: str, since: datetime | None = None, limit: int = MAX_ANALYSES_READ
    ) -> list[Analysis]:
        """The customer's analyses, newest first."""
        query = sa.select(activity_analyses).where(
            activity_analyses.c.tenant_id == tenant_id, activity_analyses.c.customer_id == customer_id
        )
        if since is not None:
            query = query.where(activity_analyses.c.occurred_at >= since)
        query = query.order_by(activity_analyses.c.occurred_at.desc(), activity_analyses.c.activity_id.desc())
        return [_analysis(r) for r in (await self.session.execute(query.limit(limit))).all()]

    async def for_opportunity(
        self,
        tenant_id: str,
        opportunity_id: str,
        customer_id: str,
        since: datetime | None = None,
        limit: int = MAX_ANALYSES_READ,
    ) -> list[Analysis]:
        """The analyses of the opportunity's activities and of its customer's
        activities linked to no opportunity, newest first."""
        query = sa.select(activity_analyses).where(
            activity_analyses.c.tenant_id == tenant_id,
            activity_analyses.c.customer_id == customer_id,
            sa.or_(activity_analyses.c.opportunity_id == opportunity_id, activity_analyses.c.opportunity_id.is_(None)),
        )
        if since is not None:
            query = query.where(activity_analyses.c.occurred_at >= since)
        query = query.order_by(activity_analyses.c.occurred_at.desc(), activity_analyses.c.activity_id.desc())
        return [_analysis(r) for r in (await self.session.execute(query.limit(limit))).all()]
