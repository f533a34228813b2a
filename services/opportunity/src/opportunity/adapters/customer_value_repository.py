"""SQL of customer value tiers (domain/indexes/value_tier.py): the only writer of
customer_value, its history and customer_referrals. A chunk of customers' facts
is read in one query each (receipts, last purchase, referrals); the tier
counts and lists are over customers.value_tier (where every department reads
the tier) in the caller's scope. Every query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.business_calendar import business_day
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, insert_unless_taken, upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.customer_value import (
    customer_referrals,
    customer_value,
    customer_value_history,
    customer_value_settings,
)
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.receipts import counted_receipts
from opportunity.adapters.rows import in_scope
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.domain.access import Scope
from opportunity.domain.indexes.value_tier import Purchase

MAX_HISTORY = 120


@dataclass(frozen=True)
class TierRow:
    tenant_id: str
    customer_id: str
    tier: str
    score: float
    error: str
    facts: dict[str, Any]
    settings_version: int
    monthly_period: str
    computed_at: datetime


@dataclass(frozen=True)
class HistoryRow:
    tier: str
    previous_tier: str
    score: float
    facts: dict[str, Any]
    settings_version: int
    reason: str
    at: datetime


@dataclass(frozen=True)
class Member:
    customer_id: str
    name: str
    owner_id: str
    tier: str
    score: float | None
    computed_at: datetime | None


def _tier_row(m: Mapping[str, Any]) -> TierRow:
    return TierRow(
        m["tenant_id"],
        m["customer_id"],
        m["tier"],
        float(m["score"]),
        m["error"],
        dict(m["facts"]),
        int(m["settings_version"]),
        m["monthly_period"],
        as_utc(m["computed_at"]),
    )


class CustomerValueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- facts ----------------------------------------------------------------

    async def purchases(self, tenant_id: str, customer_ids: Sequence[str], since: date) -> dict[str, list[Purchase]]:
        """Counted, unreversed receipts of the customers dated `since` or later (a row from before paid_on
        was kept: its updated_at's day)."""
        found: dict[str, list[Purchase]] = {}
        r = counted_receipts.c
        for ids in in_chunks(list(customer_ids)):
            query = sa.select(r.customer_id, r.paid_on, r.updated_at, r.amount_minor).where(
                r.tenant_id == tenant_id,
                r.customer_id.in_(ids),
                r.counted.is_(True),
                r.reversed.is_(False),
                sa.or_(r.paid_on >= since, r.paid_on.is_(None)),
            )
            for cid, paid_on, updated_at, amount in (await self.session.execute(query)).all():
                day = paid_on or business_day(as_utc(updated_at))
                if day >= since:
                    found.setdefault(cid, []).append(Purchase(day, int(amount)))
        return found

    async def last_purchases(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, date]:
        r = counted_receipts.c
        found: dict[str, date] = {}
        for ids in in_chunks(list(customer_ids)):
            query = (
                sa.select(r.customer_id, sa.func.max(r.paid_on), sa.func.max(r.updated_at))
                .where(r.tenant_id == tenant_id, r.customer_id.in_(ids), r.counted.is_(True), r.reversed.is_(False))
                .group_by(r.customer_id)
            )
            for cid, paid_on, updated_at in (await self.session.execute(query)).all():
                found[cid] = paid_on or business_day(as_utc(updated_at))
        return found

    async def referral_counts(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, int]:
        c = customer_referrals.c
        found: dict[str, int] = {}
        for ids in in_chunks(list(customer_ids)):
            query = (
                sa.select(c.referred_by, sa.func.count())
                .where(c.tenant_id == tenant_id, c.referred_by.in_(ids))
                .group_by(c.referred_by)
            )
            found |= {k: int(n) for k, n in (await self.session.execute(query)).all()}
        return found

    # --- referrals ---------------------------------------------------------------

    async def add_referral(self, tenant_id: str, customer_id: str, referred_by: str, by: str, now: datetime) -> bool:
        """False when the customer has a referrer already (one each)."""
        return await insert_unless_taken(
            self.session,
            sa.insert(customer_referrals).values(
                tenant_id=tenant_id, customer_id=customer_id, referred_by=referred_by, recorded_by=by, recorded_at=now
            ),
        )

    async def referrer_of(self, tenant_id: str, customer_id: str) -> str | None:
        c = customer_referrals.c
        query = sa.select(c.referred_by).where(c.tenant_id == tenant_id, c.customer_id == customer_id)
        return await self.session.scalar(query)

    # --- the computed tiers ---------------------------------------------------------

    async def current(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, TierRow]:
        found: dict[str, TierRow] = {}
        for ids in in_chunks(list(customer_ids)):
            query = sa.select(customer_value).where(
                customer_value.c.tenant_id == tenant_id, customer_value.c.customer_id.in_(ids)
            )
            found |= {r.customer_id: _tier_row(r._mapping) for r in (await self.session.execute(query)).all()}
        return found

    async def save_many(self, rows: Sequence[TierRow], new_ids: set[str]) -> None:
        for row in rows:
            values = {k: v for k, v in row.__dict__.items() if k not in ("tenant_id", "customer_id")}
            if row.customer_id in new_ids:
                # Upserted: another unit of work (a consumer's, a referral's) may write the first row meanwhile.
                insert = upsert_insert(self.session, customer_value).values(
                    tenant_id=row.tenant_id, customer_id=row.customer_id, **values
                )
                keys = [c.name for c in customer_value.primary_key.columns]
                await self.session.execute(insert.on_conflict_do_update(index_elements=keys, set_=values))
            else:
                await self.session.execute(
                    sa.update(customer_value)
                    .where(customer_value.c.tenant_id == row.tenant_id, customer_value.c.customer_id == row.customer_id)
                    .values(**values)
                )

    async def add_history(self, tenant_id: str, entries: Sequence[tuple[str, HistoryRow]]) -> None:
        if entries:
            await self.session.execute(
                sa.insert(customer_value_history),
                [{"tenant_id": tenant_id, "customer_id": cid, **h.__dict__} for cid, h in entries],
            )

    async def history(self, tenant_id: str, customer_id: str, limit: int = MAX_HISTORY) -> list[HistoryRow]:
        h = customer_value_history.c
        query = (
            sa.select(h.tier, h.previous_tier, h.score, h.facts, h.settings_version, h.reason, h.at)
            .where(h.tenant_id == tenant_id, h.customer_id == customer_id)
            .order_by(h.at.desc(), h.id.desc())
            .limit(limit)
        )
        return [
            HistoryRow(
                r.tier, r.previous_tier, float(r.score), dict(r.facts), r.settings_version, r.reason, as_utc(r.at)
            )
            for r in (await self.session.execute(query)).all()
        ]

    async def customer_tiers(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, str]:
        """The tier each customer holds now (customers.value_tier)."""
        found: dict[str, str] = {}
        for ids in in_chunks(list(customer_ids)):
            query = sa.select(customers.c.customer_id, customers.c.value_tier).where(
                customers.c.tenant_id == tenant_id, customers.c.customer_id.in_(ids)
            )
            found |= dict((await self.session.execute(query)).all())
        return found

    async def customer_ids(self, tenant_id: str, after: str, limit: int) -> list[str]:
        query = (
            sa.select(customers.c.customer_id)
            .where(customers.c.tenant_id == tenant_id, customers.c.customer_id > after)
            .order_by(customers.c.customer_id)
            .limit(limit)
        )
        return list((await self.session.scalars(query)).all())

    async def settings_of_tenants(self) -> list[tuple[str, dict[str, Any]]]:
        """Every tenant's saved tier settings (one row per tenant that saved any)."""
        query = sa.select(customer_value_settings.c.tenant_id, customer_value_settings.c.data)
        return [(t, dict(d)) for t, d in (await self.session.execute(query)).all()]

    async def due_monthly(self, period: str, tenant_ids: Sequence[str], limit: int) -> list[tuple[str, str]]:
        """(tenant, customer) of these tenants not yet computed in this month's run (or never)."""
        if not tenant_ids:
            return []
        query = (
            sa.select(customers.c.tenant_id, customers.c.customer_id)
            .select_from(customers.outerjoin(customer_value, customer_value.c.customer_id == customers.c.customer_id))
            .where(customers.c.tenant_id.in_(list(tenant_ids)))
            .where(sa.or_(customer_value.c.monthly_period.is_(None), customer_value.c.monthly_period != period))
            .order_by(customers.c.tenant_id, customers.c.customer_id)
            .limit(limit)
        )
        return [(t, c) for t, c in (await self.session.execute(query)).all()]

    async def tenant_ids(self) -> list[str]:
        return list((await self.session.scalars(sa.select(customer_value.c.tenant_id).distinct())).all())

    # --- reads over the caller's scope -------------------------------------------------

    async def tier_counts(self, scope: Scope) -> list[tuple[str, int]]:
        query = (
            sa.select(customers.c.value_tier, sa.func.count())
            .where(*in_scope(customers, scope))
            .group_by(customers.c.value_tier)
        )
        return [(t, int(n)) for t, n in (await self.session.execute(query)).all()]

    async def members(self, scope: Scope, tier: str, offset: int, limit: int) -> tuple[list[Member], int]:
        query = (
            sa.select(
                customers.c.customer_id,
                customers.c.name,
                customers.c.owner_id,
                customers.c.value_tier,
                customer_value.c.score,
                customer_value.c.computed_at,
            )
            .select_from(customers.outerjoin(customer_value, customer_value.c.customer_id == customers.c.customer_id))
            .where(*in_scope(customers, scope))
        )
        if tier:
            query = query.where(customers.c.value_tier == tier)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        # Not yet computed (no score) last on both databases.
        page = query.order_by(customer_value.c.score.desc().nulls_last(), customers.c.customer_id)
        page = page.offset(offset).limit(limit)
        return [
            Member(cid, name, owner, t, float(s) if s is not None else None, as_utc(at) if at else None)
            for cid, name, owner, t, s, at in (await self.session.execute(page)).all()
        ], int(total or 0)

    async def tier_counts_by_tenant(self) -> list[tuple[str, str, int]]:
        """(tenant, tier, customers) for the gauge."""
        query = sa.select(customers.c.tenant_id, customers.c.value_tier, sa.func.count()).group_by(
            customers.c.tenant_id, customers.c.value_tier
        )
        return [(t, tier, int(n)) for t, tier, n in (await self.session.execute(query)).all()]


def customer_value_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's tier formula and thresholds (versioned settings row)."""
    return SettingsRows(session, customer_value_settings, "customer value")
