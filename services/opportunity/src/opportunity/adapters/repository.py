"""All SQL of opportunity. Every query is scoped by tenant."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.domain.errors import AlreadyExists
from opportunity.adapters.orm import approval_decisions, customers, opportunities, reps
from opportunity.domain.model import TENANT_READERS, ApprovalDecision, Customer, Opportunity


def _load(cls: type, row: sa.Row) -> Any:
    """A domain dataclass from a row; SQLite hands datetimes back naive."""
    mapping = row._mapping
    data = {f.name: mapping[f.name] for f in fields(cls) if f.name in mapping}
    for name, value in data.items():
        if isinstance(value, datetime):
            data[name] = as_utc(value)
    return cls(**data)


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
        return _load(Customer, row) if row else None

    async def by_credit_code(self, tenant_id: str, credit_code: str | None) -> Customer | None:
        return await self._first(tenant_id, customers.c.credit_code == credit_code) if credit_code else None

    async def by_phone(self, tenant_id: str, phone: str | None) -> Customer | None:
        return await self._first(tenant_id, customers.c.phone == phone) if phone else None

    async def get_many(self, tenant_id: str, ids: set[str]) -> dict[str, Customer]:
        query = sa.select(customers).where(customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(ids))
        return {c.customer_id: c for c in (_load(Customer, r) for r in (await self.session.execute(query)).all())}


class OpportunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, opportunity: Opportunity) -> None:
        await self.session.execute(sa.insert(opportunities).values(**asdict(opportunity)))

    async def _one(self, tenant_id: str, condition: sa.ColumnElement[bool]) -> Opportunity | None:
        query = sa.select(opportunities).where(opportunities.c.tenant_id == tenant_id, condition)
        row = (await self.session.execute(query)).first()
        return _load(Opportunity, row) if row else None

    async def get(self, tenant_id: str, opportunity_id: str) -> Opportunity | None:
        return await self._one(tenant_id, opportunities.c.opportunity_id == opportunity_id)

    async def by_lead(self, tenant_id: str, lead_id: str) -> Opportunity | None:
        return await self._one(tenant_id, opportunities.c.lead_id == lead_id)

    async def list(
        self, tenant_id: str, *, user_id: str, role: str, lead_id: str, limit: int, after: tuple | None
    ) -> list[Opportunity]:
        """The same visibility as Opportunity.visible_to, as SQL."""
        if role not in TENANT_READERS and role != "rep":
            return []
        query = sa.select(opportunities).where(opportunities.c.tenant_id == tenant_id)
        if role not in TENANT_READERS:
            query = query.where(opportunities.c.owner_id == user_id)
        if lead_id:
            query = query.where(opportunities.c.lead_id == lead_id)
        if after:
            created, row_id = after
            query = query.where(
                sa.tuple_(opportunities.c.created_at, opportunities.c.opportunity_id)
                > sa.tuple_(sa.literal(created, sa.DateTime(timezone=True)), sa.literal(row_id))
            )
        query = query.order_by(opportunities.c.created_at, opportunities.c.opportunity_id).limit(limit)
        return [_load(Opportunity, r) for r in (await self.session.execute(query)).all()]


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
            found[row.opportunity_id].append(_load(ApprovalDecision, row))
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
