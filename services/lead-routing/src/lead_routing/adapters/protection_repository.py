"""SQL of the protection window: a tenant's terms (protection_terms), the
extension requests (registration_extensions), and the reads of registrations
the protection job scans (the registrations table's writer stays
registration_repository)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.protection import protection_terms, registration_extensions
from lead_routing.adapters.orm.registrations import registrations
from lead_routing.domain.protection import EXTENSION_SUBMITTING, REMINDER_DAYS, Extension, ProtectionTerms
from lead_routing.domain.registration import APPROVED

_X = registration_extensions.c
_T = protection_terms.c


def _extension(row: sa.Row) -> Extension:
    data = dict(row._mapping)
    data["requested_at"] = as_utc(data["requested_at"])
    data["decided_at"] = as_utc(data["decided_at"]) if data["decided_at"] is not None else None
    return Extension(**data)


class ProtectionRepository:
    def __init__(self, session: AsyncSession, is_postgres: bool = False) -> None:
        self.session = session
        self.is_postgres = is_postgres

    # --- terms -------------------------------------------------------------------------

    async def terms(self, tenant_id: str) -> ProtectionTerms:
        row = (await self.session.execute(sa.select(protection_terms).where(_T.tenant_id == tenant_id))).first()
        if row is None:
            return ProtectionTerms(tenant_id)
        data = dict(row._mapping)
        return ProtectionTerms(**(data | {"updated_at": as_utc(data["updated_at"])}))

    async def put_terms(self, terms: ProtectionTerms) -> None:
        values = {f.name: getattr(terms, f.name) for f in fields(ProtectionTerms)}
        changed = await self.session.execute(
            sa.update(protection_terms).where(_T.tenant_id == terms.tenant_id).values(**values)
        )
        if changed.rowcount == 0:
            await self.session.execute(sa.insert(protection_terms).values(**values))

    # --- extensions ----------------------------------------------------------------------

    async def add_extension(self, extension: Extension) -> None:
        values = {f.name: getattr(extension, f.name) for f in fields(Extension)}
        await self.session.execute(sa.insert(registration_extensions).values(**values))

    async def save_extension(self, extension: Extension) -> None:
        values = {f.name: getattr(extension, f.name) for f in fields(Extension)}
        await self.session.execute(
            sa.update(registration_extensions)
            .where(_X.tenant_id == extension.tenant_id, _X.extension_id == extension.extension_id)
            .values(**values)
        )

    async def extension_of_approval(self, tenant_id: str, approval_id: str) -> Extension | None:
        query = sa.select(registration_extensions).where(_X.tenant_id == tenant_id, _X.approval_id == approval_id)
        row = (await self.session.execute(query)).first()
        return _extension(row) if row else None

    async def get_extension(self, tenant_id: str, extension_id: str) -> Extension | None:
        query = sa.select(registration_extensions).where(_X.tenant_id == tenant_id, _X.extension_id == extension_id)
        row = (await self.session.execute(query)).first()
        return _extension(row) if row else None

    async def extensions_of(self, tenant_id: str, registration_id: str) -> list[Extension]:
        query = (
            sa.select(registration_extensions)
            .where(_X.tenant_id == tenant_id, _X.registration_id == registration_id)
            .order_by(_X.requested_at, _X.extension_id)
        )
        return [_extension(r) for r in (await self.session.execute(query)).all()]

    async def unsubmitted_extensions(self, requested_before: datetime, limit: int) -> list[Extension]:
        """Extensions whose approval was not asked for (the process stopped between the two), every tenant."""
        query = (
            sa.select(registration_extensions)
            .where(_X.status == EXTENSION_SUBMITTING, _X.requested_at <= requested_before)
            .order_by(_X.requested_at)
            .limit(limit)
        )
        return [_extension(r) for r in (await self.session.execute(query)).all()]

    # --- what the job scans -------------------------------------------------------------

    async def protections_ending(
        self, before: datetime, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[tuple[str, str, datetime]]:
        """(tenant, registration, protected until) of approved registrations whose protection
        ends by `before` (every tenant), soonest first, after the key `after` (a page of the scan):
        those a reminder or the lapse may be due for."""
        r = registrations.c
        query = sa.select(r.tenant_id, r.registration_id, r.protected_until).where(
            r.status == APPROVED, r.protected_until.is_not(None), r.protected_until <= before
        )
        if after is not None:
            query = query.where(
                sa.tuple_(r.protected_until, r.registration_id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
            )
        query = query.order_by(r.protected_until, r.registration_id).limit(limit)
        return [(t, i, as_utc(u)) for t, i, u in (await self.session.execute(query)).all()]


# The job looks this far ahead: the most distant reminder.
LOOK_AHEAD_DAYS = max(REMINDER_DAYS)
