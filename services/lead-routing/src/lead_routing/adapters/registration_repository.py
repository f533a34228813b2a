"""All SQL of deal registrations and their clashes (tables registrations,
registration_clashes); answers domain.registration types."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.registrations import registration_clashes, registration_terms, registrations
from lead_routing.domain.registration import ACTIVE, CLASH_OPEN, Clash, Conflict, Registration, RegistrationTerms

_R = registrations.c
_C = registration_clashes.c


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _to_registration(row: sa.Row) -> Registration:
    data = dict(row._mapping)
    for name in ("created_at", "updated_at", "protected_from", "protected_until"):
        data[name] = _utc(data[name])
    if isinstance(data["expected_close_date"], datetime):
        data["expected_close_date"] = data["expected_close_date"].date()
    data["models"] = tuple(data["models"] or ())
    data["conflicts"] = tuple(Conflict.from_json(c) for c in data["conflicts"] or ())
    data["reminders_sent"] = tuple(int(d) for d in data["reminders_sent"] or ())
    return Registration(**data)


def _registration_values(reg: Registration) -> dict[str, Any]:
    values = {c.name: getattr(reg, c.name) for c in registrations.c}
    values["models"] = list(reg.models)
    values["conflicts"] = [c.to_json() for c in reg.conflicts]
    values["reminders_sent"] = list(reg.reminders_sent)
    return values


def _to_clash(row: sa.Row) -> Clash:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    data["decided_at"] = _utc(data["decided_at"])
    return Clash(**data)


class RegistrationRepository:
    def __init__(self, session: AsyncSession, is_postgres: bool = False) -> None:
        self.session = session
        self.is_postgres = is_postgres

    async def lock(self, tenant_id: str) -> None:
        """Serialise a tenant's registration checks until commit, so of two
        registrations of one customer at the same moment one sees the other
        (first to register wins). PostgreSQL; SQLite has one writer anyway."""
        if self.is_postgres:
            await self.session.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"registrations:{tenant_id}"}
            )

    async def add(self, reg: Registration) -> None:
        await self.session.execute(sa.insert(registrations).values(**_registration_values(reg)))

    async def save(self, reg: Registration, *, before: Registration) -> bool:
        """Store `reg` (version before.version + 1); False when another change
        of the registration committed first (nothing written)."""
        values = _registration_values(reg) | {"version": before.version + 1}
        for key in ("registration_id", "tenant_id", "created_at"):
            values.pop(key)
        result = await self.session.execute(
            sa.update(registrations)
            .where(
                _R.tenant_id == reg.tenant_id,
                _R.registration_id == reg.registration_id,
                _R.version == before.version,
            )
            .values(**values)
        )
        return result.rowcount == 1

    async def get(self, tenant_id: str, registration_id: str) -> Registration | None:
        row = (
            await self.session.execute(
                sa.select(registrations).where(_R.tenant_id == tenant_id, _R.registration_id == registration_id)
            )
        ).first()
        return _to_registration(row) if row else None

    async def get_many(self, tenant_id: str, ids: Iterable[str]) -> dict[str, Registration]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = sa.select(registrations).where(_R.tenant_id == tenant_id, _R.registration_id.in_(wanted))
        return {r.registration_id: r for r in map(_to_registration, (await self.session.execute(query)).all())}

    async def list(
        self,
        tenant_id: str,
        *,
        distributor_ids: Sequence[str] | None = None,
        status: str = "",
        limit: int,
        after: tuple[datetime, str] | None = None,
    ) -> list[Registration]:
        """The tenant's registrations newest first; only those of `distributor_ids` when given."""
        query = sa.select(registrations).where(_R.tenant_id == tenant_id)
        if distributor_ids is not None:
            query = query.where(_R.distributor_id.in_(list(distributor_ids)))
        if status:
            query = query.where(_R.status == status)
        if after:
            created, rid = after
            query = query.where(
                sa.tuple_(_R.created_at, _R.registration_id) < sa.tuple_(sa.literal(created), sa.literal(rid))
            )
        query = query.order_by(_R.created_at.desc(), _R.registration_id.desc()).limit(limit)
        return [_to_registration(r) for r in (await self.session.execute(query)).all()]

    async def active_for_customer(
        self, tenant_id: str, *, credit_code: str, phone: str, city: str
    ) -> list[Registration]:
        """Active registrations (domain.registration.ACTIVE) that could be of
        this customer: the same credit code or phone, or any in the city (for
        the similar-name test, which domain.duplicates decides)."""
        keys = [_R.city == city] if city else []
        if credit_code:
            keys.append(_R.credit_code == credit_code)
        if phone:
            keys.append(_R.phone == phone)
        if not keys:
            return []
        query = sa.select(registrations).where(_R.tenant_id == tenant_id, _R.status.in_(ACTIVE), sa.or_(*keys))
        return [_to_registration(r) for r in (await self.session.execute(query)).all()]

    async def awaiting_submission(self, created_before: datetime, limit: int) -> list[Registration]:
        """Registrations owed an approval that none was recorded for (a
        submission lost when the process stopped), oldest first, every tenant."""
        query = (
            sa.select(registrations)
            .where(_R.status.in_(("pending", "under_review")), _R.approval_id == "", _R.updated_at <= created_before)
            .order_by(_R.updated_at)
            .limit(limit)
        )
        return [_to_registration(r) for r in (await self.session.execute(query)).all()]

    # --- clashes --------------------------------------------------------------

    async def add_clash(self, clash: Clash) -> None:
        await self.session.execute(sa.insert(registration_clashes).values(**clash.__dict__))

    async def get_clash(self, tenant_id: str, clash_id: str) -> Clash | None:
        row = (
            await self.session.execute(
                sa.select(registration_clashes).where(_C.tenant_id == tenant_id, _C.clash_id == clash_id)
            )
        ).first()
        return _to_clash(row) if row else None

    async def save_clash(self, clash: Clash, *, before: Clash) -> bool:
        values = dict(clash.__dict__) | {"version": before.version + 1}
        for key in ("clash_id", "tenant_id", "created_at"):
            values.pop(key)
        result = await self.session.execute(
            sa.update(registration_clashes)
            .where(_C.tenant_id == clash.tenant_id, _C.clash_id == clash.clash_id, _C.version == before.version)
            .values(**values)
        )
        return result.rowcount == 1

    async def clashes(
        self, tenant_id: str, *, distributor_ids: Sequence[str] | None = None, status: str = "", limit: int
    ) -> list[Clash]:
        """The tenant's clashes newest first; with `distributor_ids`, those of
        which both distributors are among them."""
        query = sa.select(registration_clashes).where(_C.tenant_id == tenant_id)
        if distributor_ids is not None:
            ids = list(distributor_ids)
            query = query.where(_C.first_distributor_id.in_(ids), _C.second_distributor_id.in_(ids))
        if status:
            query = query.where(_C.status == status)
        query = query.order_by(_C.created_at.desc(), _C.clash_id.desc()).limit(limit)
        return [_to_clash(r) for r in (await self.session.execute(query)).all()]

    async def open_clashes_of(self, tenant_id: str, registration_id: str) -> list[Clash]:
        query = sa.select(registration_clashes).where(
            _C.tenant_id == tenant_id,
            _C.status == CLASH_OPEN,
            sa.or_(_C.first_registration_id == registration_id, _C.second_registration_id == registration_id),
        )
        return [_to_clash(r) for r in (await self.session.execute(query)).all()]

    # --- the tenant's terms ---------------------------------------------------

    async def terms(self, tenant_id: str) -> RegistrationTerms:
        t = registration_terms.c
        row = (await self.session.execute(sa.select(registration_terms).where(t.tenant_id == tenant_id))).first()
        if row is None:
            return RegistrationTerms(tenant_id)
        return RegistrationTerms(tenant_id, row.check_window_days, row.updated_by, as_utc(row.updated_at))

    async def save_terms(self, terms: RegistrationTerms) -> None:
        values = {
            "check_window_days": terms.check_window_days,
            "updated_by": terms.updated_by,
            "updated_at": terms.updated_at,
        }
        statement = upsert_insert(self.session, registration_terms).values(tenant_id=terms.tenant_id, **values)
        await self.session.execute(statement.on_conflict_do_update(index_elements=["tenant_id"], set_=values))
