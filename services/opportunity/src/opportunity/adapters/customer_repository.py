"""SQL of customers (the `customers` table and the follow-up moves on them).
Every query is scoped by tenant; the timers' scan finds the tenants."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks
from crm_shared.domain.errors import AlreadyExists
from crm_shared.money import INT64_MAX
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.customers import customers, follow_up_moves
from opportunity.adapters.rows import in_scope, keyset_page, load
from opportunity.domain.access import Scope
from opportunity.domain.customer import Customer, CustomerCandidate

# What a caller types in; the owner, the dynamic attributes and the chain position are written apart.
TYPED_IN = tuple(
    f.name
    for f in fields(Customer)
    if f.name
    not in (
        "customer_id",
        "tenant_id",
        "owner_id",
        "created_at",
        "last_interaction_at",
        "purchase_total_minor",
        "service_request_count",
        "next_follow_up_at",
        "follow_up_moves",
        "activity_seq",
    )
)


def _taken(customer: Customer) -> AlreadyExists:
    return AlreadyExists(
        f"credit_code: a customer with 统一社会信用代码 {customer.credit_code} already exists in this tenant"
    )


def _candidate(row: sa.Row) -> CustomerCandidate:
    return CustomerCandidate(row.customer_id, row.name, row.credit_code, row.phone, row.city, as_utc(row.created_at))


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _where(self, tenant_id: str, customer_id: str) -> tuple[sa.ColumnElement[bool], ...]:
        return customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id

    async def add(self, customer: Customer) -> None:
        """ALREADY_EXISTS naming credit_code when the tenant has a customer with that code."""
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.insert(customers).values(**asdict(customer)))
        except IntegrityError as exc:
            raise _taken(customer) from exc

    async def get(self, tenant_id: str, customer_id: str, *, for_update: bool = False) -> Customer | None:
        query = sa.select(customers).where(*self._where(tenant_id, customer_id))
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return load(Customer, row) if row else None

    async def get_many(self, tenant_id: str, ids: set[str], *, for_update: bool = False) -> dict[str, Customer]:
        query = sa.select(customers).where(customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(ids))
        if for_update:  # in one order, so two writers locking overlapping sets queue instead of deadlocking
            query = query.order_by(customers.c.customer_id).with_for_update()
        return {c.customer_id: c for c in (load(Customer, r) for r in (await self.session.execute(query)).all())}

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

    async def candidates(
        self, tenant_id: str, *, credit_code: str, phone: str, city: str, limit: int
    ) -> tuple[list[CustomerCandidate], bool]:
        """Customers that could be one company: any with the credit code or the
        phone, and the oldest `limit` of the city; whether the city held more.
        Only the columns a duplicate test reads."""
        c = customers.c
        columns = (c.customer_id, c.name, c.credit_code, c.phone, c.city, c.created_at)
        found: dict[str, CustomerCandidate] = {}
        for column, value in ((c.credit_code, credit_code), (c.phone, phone)):
            if value:
                query = sa.select(*columns).where(c.tenant_id == tenant_id, column == value).limit(limit)
                found.update((r.customer_id, _candidate(r)) for r in (await self.session.execute(query)).all())
        truncated = False
        if city:
            query = (
                sa.select(*columns)
                .where(c.tenant_id == tenant_id, c.city == city)
                .order_by(c.created_at, c.customer_id)
                .limit(limit + 1)
            )
            rows = (await self.session.execute(query)).all()
            truncated = len(rows) > limit
            found.update((r.customer_id, _candidate(r)) for r in rows[:limit])
        return list(found.values()), truncated

    async def list(
        self, scope: Scope, *, owner_id: str, value_tier: str, limit: int, after: tuple | None
    ) -> list[Customer]:
        if scope.is_empty:
            return []
        query = sa.select(customers).where(*in_scope(customers, scope))
        if owner_id:
            query = query.where(customers.c.owner_id == owner_id)
        if value_tier:
            query = query.where(customers.c.value_tier == value_tier)
        query = keyset_page(query, customers.c.created_at, customers.c.customer_id, after, limit)
        return [load(Customer, r) for r in (await self.session.execute(query)).all()]

    async def owned_by(self, tenant_id: str, owner_id: str) -> list[str]:
        query = (
            sa.select(customers.c.customer_id)
            .where(customers.c.tenant_id == tenant_id, customers.c.owner_id == owner_id)
            .order_by(customers.c.created_at, customers.c.customer_id)
        )
        return list((await self.session.scalars(query)).all())

    async def dormant(self, silent_since: datetime) -> list[Customer]:
        """Customers of every tenant with no interaction (else no creation) since then."""
        last = sa.func.coalesce(customers.c.last_interaction_at, customers.c.created_at)
        query = sa.select(customers).where(last <= silent_since)
        return [load(Customer, r) for r in (await self.session.execute(query)).all()]

    async def save(self, customer: Customer) -> None:
        """Write the typed-in fields (never the dynamic attributes or the owner)."""
        values = {name: getattr(customer, name) for name in TYPED_IN}
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    sa.update(customers).where(*self._where(customer.tenant_id, customer.customer_id)).values(**values)
                )
        except IntegrityError as exc:
            raise _taken(customer) from exc

    async def set_credit_code(self, customer: Customer, now: datetime) -> None:
        await self.session.execute(
            sa.update(customers)
            .where(*self._where(customer.tenant_id, customer.customer_id))
            .values(credit_code=customer.credit_code, updated_at=now)
        )

    async def move(self, tenant_id: str, customer_ids: list[str], to_owner: str, now: datetime) -> int:
        """Give the customers to another owner; how many moved."""
        result = await self.session.execute(
            sa.update(customers)
            .where(customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(customer_ids))
            .values(owner_id=to_owner, updated_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- the activity chain and the dynamic attributes --------------------------

    async def take_next_seq(self, tenant_id: str, customer_id: str, count: int = 1) -> int:
        """Claim the next `count` places in the customer's activity chain; the
        first of them. The UPDATE locks the customer row on PostgreSQL until
        commit, so appends to one chain queue instead of forking it (SQLite
        has one writer anyway)."""
        claim = (
            sa.update(customers)
            .where(*self._where(tenant_id, customer_id))
            .values(activity_seq=customers.c.activity_seq + count)
            .returning(customers.c.activity_seq)
        )
        return int((await self.session.execute(claim)).scalar_one()) - count + 1

    async def touch(
        self,
        customer: Customer,
        *,
        interaction_at: datetime | None,
        next_follow_up_at: datetime | None,
        follow_up_moves: int,
    ) -> None:
        values: dict[str, Any] = {"next_follow_up_at": next_follow_up_at, "follow_up_moves": follow_up_moves}
        if interaction_at is not None:
            latest = customer.last_interaction_at
            values["last_interaction_at"] = interaction_at if latest is None else max(latest, interaction_at)
        await self.session.execute(
            sa.update(customers).where(*self._where(customer.tenant_id, customer.customer_id)).values(**values)
        )

    async def record_move(
        self,
        *,
        move_id: str,
        customer: Customer,
        from_at: datetime,
        to_at: datetime,
        reason: str,
        moved_by: str,
        moved_at: datetime,
    ) -> None:
        await self.session.execute(
            sa.insert(follow_up_moves).values(
                move_id=move_id,
                tenant_id=customer.tenant_id,
                customer_id=customer.customer_id,
                from_at=from_at,
                to_at=to_at,
                reason=reason,
                moved_by=moved_by,
                moved_at=moved_at,
            )
        )

    async def add_purchase(self, tenant_id: str, customer_id: str, amount_minor: int) -> None:
        """The total saturates at the int64 limit rather than overflowing (a
        payment is at most crm_shared.money.MAX_AMOUNT_MINOR)."""
        await self.session.execute(
            sa.update(customers)
            .where(*self._where(tenant_id, customer_id))
            .values(
                purchase_total_minor=sa.case(
                    (customers.c.purchase_total_minor > INT64_MAX - amount_minor, INT64_MAX),
                    else_=customers.c.purchase_total_minor + amount_minor,
                )
            )
        )

    async def take_back_purchase(self, tenant_id: str, customer_id: str, amount_minor: int) -> None:
        """A reversed receipt leaves the total; never below zero (a total that
        saturated has lost what it could not hold)."""
        await self.session.execute(
            sa.update(customers)
            .where(*self._where(tenant_id, customer_id))
            .values(
                purchase_total_minor=sa.case(
                    (customers.c.purchase_total_minor < amount_minor, 0),
                    else_=customers.c.purchase_total_minor - amount_minor,
                )
            )
        )

    async def count_service_request(self, tenant_id: str, customer_id: str) -> bool:
        done = await self.session.execute(
            sa.update(customers)
            .where(*self._where(tenant_id, customer_id))
            .values(service_request_count=customers.c.service_request_count + 1)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def set_value_tiers(self, tenant_id: str, tiers: dict[str, str]) -> None:
        """The computed value tiers (customer value, seed 002), one statement per tier."""
        by_tier: dict[str, list[str]] = {}
        for customer_id, tier in tiers.items():
            by_tier.setdefault(tier, []).append(customer_id)
        for tier, ids in by_tier.items():
            for chunk in in_chunks(sorted(ids)):
                await self.session.execute(
                    sa.update(customers)
                    .where(customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(chunk))
                    .values(value_tier=tier)
                )
