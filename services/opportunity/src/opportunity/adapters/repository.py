"""All SQL of opportunity. Every query is scoped by tenant."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.domain.errors import AlreadyExists
from opportunity.adapters.orm import approval_decisions, customers, opportunities, reps
from opportunity.adapters.pipeline_repository import load_opportunity, opportunity_values
from opportunity.adapters.queries import in_scope, keyset_page, load
from opportunity.domain.access import Scope
from opportunity.domain.model import ApprovalDecision, Customer, Opportunity


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, customer: Customer) -> None:
        try:
            await self.session.execute(sa.insert(customers).values(**asdict(customer)))
        except IntegrityError as exc:
            raise AlreadyExists(
                f"a customer with 统一社会信用代码 {customer.credit_code} already exists in this tenant"
            ) from exc

    async def set_credit_code(self, customer: Customer, now: datetime) -> None:
        await self.session.execute(
            sa.update(customers)
            .where(customers.c.tenant_id == customer.tenant_id, customers.c.customer_id == customer.customer_id)
            .values(credit_code=customer.credit_code, updated_at=now)
        )

    async def _first(self, tenant_id: str, condition: sa.ColumnElement[bool]) -> Customer | None:
        query = (
            sa.select(customers)
            .where(customers.c.tenant_id == tenant_id, condition)
            .order_by(customers.c.created_at, customers.c.customer_id)
            .limit(1)
        )
        row = (await self.session.execute(query)).first()
        return load(Customer, row) if row else None

    async def by_credit_code(self, tenant_id: str, credit_code: str | None) -> Customer | None:
        return await self._first(tenant_id, customers.c.credit_code == credit_code) if credit_code else None

    async def by_phone(self, tenant_id: str, phone: str | None) -> Customer | None:
        return await self._first(tenant_id, customers.c.phone == phone) if phone else None

    async def get_many(self, tenant_id: str, ids: set[str]) -> dict[str, Customer]:
        query = sa.select(customers).where(customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(ids))
        return {c.customer_id: c for c in (load(Customer, r) for r in (await self.session.execute(query)).all())}


class OpportunityRepository:
    """Opening and listing opportunities; reading and saving one (with the
    pipeline columns) is PipelineOpportunityRepository's."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, opportunity: Opportunity) -> None:
        await self.session.execute(sa.insert(opportunities).values(**opportunity_values(opportunity)))

    async def by_lead(self, tenant_id: str, lead_id: str) -> Opportunity | None:
        query = sa.select(opportunities).where(opportunities.c.tenant_id == tenant_id, opportunities.c.lead_id == lead_id)
        row = (await self.session.execute(query)).first()
        return load_opportunity(row) if row else None

    async def list(self, scope: Scope, *, lead_id: str, limit: int, after: tuple | None) -> list[Opportunity]:
        if scope.is_empty:
            return []
        query = sa.select(opportunities).where(*in_scope(opportunities, scope))
        if lead_id:
            query = query.where(opportunities.c.lead_id == lead_id)
        query = keyset_page(query, opportunities.c.created_at, opportunities.c.opportunity_id, after, limit)
        return [load_opportunity(r) for r in (await self.session.execute(query)).all()]


class ApprovalDecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, decision: ApprovalDecision) -> None:
        await self.session.execute(sa.insert(approval_decisions).values(**asdict(decision)))

    async def exists(self, tenant_id: str, approval_id: str) -> bool:
        query = sa.select(sa.func.count()).where(
            approval_decisions.c.tenant_id == tenant_id, approval_decisions.c.approval_id == approval_id
        )
        return bool(await self.session.scalar(query))

    async def for_opportunities(self, tenant_id: str, ids: set[str]) -> dict[str, list[ApprovalDecision]]:
        query = (
            sa.select(approval_decisions)
            .where(approval_decisions.c.tenant_id == tenant_id, approval_decisions.c.opportunity_id.in_(ids))
            .order_by(approval_decisions.c.decided_at, approval_decisions.c.approval_id)
        )
        found: dict[str, list[ApprovalDecision]] = defaultdict(list)
        for row in (await self.session.execute(query)).all():
            found[row.opportunity_id].append(load(ApprovalDecision, row))
        return found


class RepRepository:
    """The local projection of rep profiles (from rep.profile_changed)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, tenant_id: str, rep_id: str, *, now: datetime, **profile: Any) -> None:
        where = (reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        done = await self.session.execute(sa.update(reps).where(*where).values(updated_at=now, **profile))
        if not done.rowcount:  # type: ignore[attr-defined]
            await self.session.execute(
                sa.insert(reps).values(tenant_id=tenant_id, rep_id=rep_id, updated_at=now, **profile)
            )

    async def reps_managed_by(self, tenant_id: str, manager_id: str) -> list[str]:
        """The reps whose manager is `manager_id` (active or not: a leaving
        rep's customers stay visible to the manager until reassigned)."""
        query = (
            sa.select(reps.c.rep_id)
            .where(reps.c.tenant_id == tenant_id, reps.c.manager_id == manager_id)
            .order_by(reps.c.rep_id)
        )
        return list((await self.session.scalars(query)).all())

    async def get(self, tenant_id: str, rep_id: str) -> sa.Row | None:
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        return (await self.session.execute(query)).first()
