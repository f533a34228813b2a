"""All SQL of lead-routing."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.context import Caller
from lead_routing.adapters.orm import leads
from lead_routing.domain.model import Lead


def _to_lead(row: sa.Row) -> Lead:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    data["updated_at"] = as_utc(data["updated_at"])
    return Lead(**data)


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lead: Lead) -> None:
        await self.session.execute(sa.insert(leads).values(**asdict(lead)))

    async def get(self, tenant_id: str, lead_id: str) -> Lead | None:
        row = (
            await self.session.execute(
                sa.select(leads).where(leads.c.tenant_id == tenant_id, leads.c.lead_id == lead_id)
            )
        ).first()
        return _to_lead(row) if row else None

    async def duplicate_candidates(self, lead: Lead, limit: int = 2000) -> list[Lead]:
        """Leads that could be the same company: same code, same phone, or same city."""
        conditions = []
        if lead.credit_code:
            conditions.append(leads.c.credit_code == lead.credit_code)
        if lead.phone:
            conditions.append(leads.c.phone == lead.phone)
        if lead.city:
            conditions.append(leads.c.city == lead.city)
        if not conditions:
            return []
        query = (
            sa.select(leads)
            .where(leads.c.tenant_id == lead.tenant_id, sa.or_(*conditions))
            .order_by(leads.c.created_at)
            .limit(limit)
        )
        return [_to_lead(r) for r in (await self.session.execute(query)).all()]

    async def update(self, lead: Lead) -> None:
        values = asdict(lead)
        await self.session.execute(
            sa.update(leads)
            .where(leads.c.tenant_id == lead.tenant_id, leads.c.lead_id == lead.lead_id)
            .values(**values)
        )

    async def list(
        self, tenant_id: str, *, status: str, limit: int, after: tuple | None, caller: Caller
    ) -> list[Lead]:
        """The same visibility as Lead.visible_to, as SQL."""
        query = sa.select(leads).where(leads.c.tenant_id == tenant_id)
        if status:
            query = query.where(leads.c.status == status)
        if caller.role == "partner":
            query = query.where(leads.c.created_by == caller.user_id)
        elif caller.role not in ("manager", "admin", "system"):
            query = query.where(sa.or_(leads.c.owner_id.is_(None), leads.c.owner_id == caller.user_id))
        if after:
            created, lead_id = after
            query = query.where(sa.tuple_(leads.c.created_at, leads.c.lead_id) > sa.tuple_(sa.literal(created), sa.literal(lead_id)))
        query = query.order_by(leads.c.created_at, leads.c.lead_id).limit(limit)
        return [_to_lead(r) for r in (await self.session.execute(query)).all()]
