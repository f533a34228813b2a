"""All SQL of the leads table, a tenant's own lead fields and lead imports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, insert_unless_taken
from crm_shared.domain.errors import Conflict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.assignments import assignments
from lead_routing.adapters.orm.leads import lead_custom_fields, lead_imports, lead_name_grams, leads
from lead_routing.adapters.orm.reps import reps
from lead_routing.domain.duplicates import KnownLead, NameProbe, indexed_grams
from lead_routing.domain.imports import ImportReport
from lead_routing.domain.lead import Lead, LeadScope, Touch

_LEAD_FIELDS = fields(Lead)
_RANKED = [c for c in leads.c if c.name != "touches"]  # what ranking reads: every column but the touches


def _to_lead(row: sa.Row) -> Lead:
    data = dict(row._mapping)
    for name in ("created_at", "updated_at", "closed_at"):
        data[name] = as_utc(data[name]) if data[name] is not None else None
    if data.get("protected_until") is not None:
        data["protected_until"] = as_utc(data["protected_until"])
    data["industry_tags"] = tuple(data["industry_tags"] or ())
    data["custom_fields"] = dict(data["custom_fields"] or {})
    data["touches"] = tuple(Touch.from_json(t) for t in data.get("touches") or ())
    data["coordinates_source"] = data.get("coordinates_source") or ""
    return Lead(**data)


def _lead_values(lead: Lead) -> dict[str, Any]:
    # Shallow: asdict would deep-copy every touch, and an import stores thousands of leads.
    values = {f.name: getattr(lead, f.name) for f in _LEAD_FIELDS}
    values["industry_tags"] = list(lead.industry_tags)
    values["custom_fields"] = dict(lead.custom_fields)
    values["touches"] = [t.to_json() for t in lead.touches]
    return values


def _gram_rows(lead: Lead) -> list[dict[str, str]]:
    """The lead's name bigrams as lead_name_grams rows (none without a city: the name test is within one)."""
    if not lead.city:
        return []
    return [
        {"tenant_id": lead.tenant_id, "city": lead.city, "kind": kind, "gram": gram, "lead_id": lead.lead_id}
        for kind, gram in indexed_grams(lead.company_name)
    ]


def _known(row: sa.Row) -> KnownLead:
    return KnownLead(**(dict(row._mapping) | {"created_at": as_utc(row.created_at)}))


_KNOWN = [getattr(leads.c, name) for name in KnownLead.__slots__]


def _in_scope(tenant_id: str, scope: LeadScope) -> list[sa.ColumnElement[bool]]:
    """`LeadScope.covers` as SQL, the manager's team read from the reps table."""
    if scope.whole_tenant:
        return []
    if scope.partner_org is not None:
        if not scope.partner_org:
            return [sa.false()]
        typed = sa.and_(leads.c.registration_id == "", leads.c.entered_for == scope.partner_org)
        return [sa.or_(leads.c.partner_org_id == scope.partner_org, typed)]
    unowned = leads.c.owner_id.is_(None)
    owners = [leads.c.owner_id == scope.owner_id]
    if scope.team_of is not None:
        team = sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id, reps.c.manager_id == scope.team_of)
        owners.append(leads.c.owner_id.in_(team))
    return [sa.or_(unowned if scope.closed_pool else sa.and_(unowned, leads.c.status == "open"), *owners)]


class LeadRepository:
    def __init__(self, session: AsyncSession, is_postgres: bool = False) -> None:
        self.session = session
        self.is_postgres = is_postgres

    async def add(self, lead: Lead) -> None:
        await self.add_many([lead])

    async def add_many(self, new: Sequence[Lead]) -> None:
        """Insert leads and their name bigrams, a statement per table."""
        if not new:
            return
        await self.session.execute(sa.insert(leads), [_lead_values(lead) for lead in new])
        if grams := [g for lead in new for g in _gram_rows(lead)]:
            await self.session.execute(sa.insert(lead_name_grams), grams)

    async def get(self, tenant_id: str, lead_id: str) -> Lead | None:
        row = (
            await self.session.execute(
                sa.select(leads).where(leads.c.tenant_id == tenant_id, leads.c.lead_id == lead_id)
            )
        ).first()
        return _to_lead(row) if row else None

    async def get_many(self, tenant_id: str, lead_ids: Iterable[str]) -> list[Lead]:
        out: list[Lead] = []
        for chunk in in_chunks(sorted(set(lead_ids))):
            query = sa.select(leads).where(leads.c.tenant_id == tenant_id, leads.c.lead_id.in_(chunk))
            out += [_to_lead(r) for r in (await self.session.execute(query)).all()]
        return out

    async def update(self, lead: Lead, previous: Lead | None = None) -> None:
        """Store the lead as it is now; given what it was (a merge may give a
        lead without a city one), its name bigrams follow its city and name."""
        await self.update_many([(lead, previous)])

    async def update_many(self, changed: Sequence[tuple[Lead, Lead | None]]) -> None:
        """update() for many leads: their rows in one statement (executemany,
        compiled once), the bigrams of those whose city or name changed."""
        if not changed:
            return
        await self.session.execute(
            sa.update(leads).where(leads.c.tenant_id == sa.bindparam("t_"), leads.c.lead_id == sa.bindparam("id_")),
            [_lead_values(lead) | {"t_": lead.tenant_id, "id_": lead.lead_id} for lead, _ in changed],
        )
        for lead, previous in changed:
            await self._regram(lead, previous)

    async def _regram(self, lead: Lead, previous: Lead | None) -> None:
        if previous is not None and (previous.city, previous.company_name) != (lead.city, lead.company_name):
            if old := _gram_rows(previous):
                g = lead_name_grams.c
                await self.session.execute(
                    sa.delete(lead_name_grams).where(  # by the whole key: no scan of the city
                        g.tenant_id == previous.tenant_id,
                        g.city == previous.city,
                        sa.tuple_(g.kind, g.gram).in_([(r["kind"], r["gram"]) for r in old]),
                        g.lead_id == previous.lead_id,
                    )
                )
            if grams := _gram_rows(lead):
                await self.session.execute(sa.insert(lead_name_grams), grams)

    @asynccontextmanager
    async def alone(self) -> AsyncIterator[None]:
        """Store what the block writes on its own (a savepoint): when it fails,
        only its writes are undone. A database error becomes Conflict."""
        try:
            async with self.session.begin_nested():
                yield
        except SQLAlchemyError as exc:
            raise Conflict("could not be stored") from exc

    async def duplicate_candidates(
        self, tenant_id: str, *, codes: Iterable[str], phones: Iterable[str], cities: Iterable[str]
    ) -> list[KnownLead]:
        """Leads that could duplicate leads with these credit codes, phones or
        cities: any with one of the codes or phones, and every one in one of the
        cities (for the name test). No limit, so none is missed in a busy city;
        only the columns the test reads."""
        found: dict[str, KnownLead] = {}
        for column, values in ((leads.c.credit_code, codes), (leads.c.phone, phones), (leads.c.city, cities)):
            for chunk in in_chunks(sorted({v for v in values if v})):
                query = sa.select(*_KNOWN).where(leads.c.tenant_id == tenant_id, column.in_(chunk))
                for r in (await self.session.execute(query)).all():
                    found[r.lead_id] = _known(r)
        return list(found.values())

    async def similar_name_candidates(self, tenant_id: str, city: str, probes: Sequence[NameProbe]) -> list[KnownLead]:
        """The leads of `city` that share enough name bigrams with a probe to
        be that alike (what duplicates.name_probes asks): read through
        lead_name_grams, so a busy city costs the postings of the name's
        bigrams, not a read of every lead in it."""
        if not city or not probes:
            return []
        g = lead_name_grams.c
        wanted = [
            sa.select(g.lead_id)
            .where(g.tenant_id == tenant_id, g.city == city, g.kind == p.kind, g.gram.in_(sorted(p.grams)))
            .group_by(g.lead_id)
            .having(sa.func.count() >= p.min_shared)
            for p in probes
        ]
        ids = wanted[0] if len(wanted) == 1 else sa.union(*wanted)
        query = sa.select(*_KNOWN).where(leads.c.tenant_id == tenant_id, leads.c.lead_id.in_(ids))
        return [_known(r) for r in (await self.session.execute(query)).all()]

    async def list(
        self, tenant_id: str, scope: LeadScope, *, status: str, limit: int, after: tuple | None
    ) -> list[Lead]:
        """The tenant's leads in `scope`, by creation."""
        query = sa.select(leads).where(leads.c.tenant_id == tenant_id, *_in_scope(tenant_id, scope))
        if status:
            query = query.where(leads.c.status == status)
        if after:
            created, lead_id = after
            query = query.where(
                sa.tuple_(leads.c.created_at, leads.c.lead_id) > sa.tuple_(sa.literal(created), sa.literal(lead_id))
            )
        query = query.order_by(leads.c.created_at, leads.c.lead_id).limit(limit)
        return [_to_lead(r) for r in (await self.session.execute(query)).all()]

    # --- routing ----------------------------------------------------------------

    async def tenants_with_open_leads(self) -> list[str]:
        rows = await self.session.execute(sa.select(leads.c.tenant_id).where(leads.c.status == "open").distinct())
        return [t for (t,) in rows.all()]

    async def open_lead_ids(self, tenant_id: str, *, unowned: bool = False) -> list[str]:
        query = sa.select(leads.c.lead_id).where(leads.c.tenant_id == tenant_id, leads.c.status == "open")
        if unowned:
            query = query.where(leads.c.owner_id.is_(None))
        return list((await self.session.scalars(query.order_by(leads.c.created_at, leads.c.lead_id))).all())

    async def open_leads(self, tenant_id: str, lead_ids: Sequence[str] | None = None) -> list[Lead]:
        """Open leads for ranking, without their touches (no rule reads them)."""
        query = sa.select(*_RANKED).where(leads.c.tenant_id == tenant_id, leads.c.status == "open")
        if lead_ids is None:
            return [_to_lead(r) for r in (await self.session.execute(query.order_by(leads.c.created_at))).all()]
        out: list[Lead] = []
        for chunk in in_chunks(list(lead_ids)):
            out += [_to_lead(r) for r in (await self.session.execute(query.where(leads.c.lead_id.in_(chunk)))).all()]
        return out

    async def open_leads_by_rep(self, tenant_id: str, rep_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Open leads each rep owns now (what capacity is measured against)."""
        query = (
            sa.select(leads.c.owner_id, sa.func.count())
            .where(leads.c.tenant_id == tenant_id, leads.c.status == "open", leads.c.owner_id.is_not(None))
            .group_by(leads.c.owner_id)
        )
        if rep_ids is not None:
            query = query.where(leads.c.owner_id.in_(list(rep_ids)))
        return {owner: count for owner, count in (await self.session.execute(query)).all()}

    async def change_owners(
        self, tenant_id: str, picks: Sequence[tuple[str, str | None]], expected: str | None, now: datetime
    ) -> set[str]:
        """Give each (lead, new owner; None = back to the pool) whose open lead
        is still owned by `expected` (None = unowned); returns the leads taken.
        The only way an owner changes: the rows are locked first (PostgreSQL),
        so of concurrent takes exactly one wins; on SQLite the unit of work is
        the only writer."""
        condition = leads.c.owner_id.is_(None) if expected is None else leads.c.owner_id == expected
        owner_of = dict(picks)
        free: set[str] = set()
        for chunk in in_chunks(list(owner_of)):
            query = sa.select(leads.c.lead_id).where(
                leads.c.tenant_id == tenant_id, leads.c.lead_id.in_(chunk), leads.c.status == "open", condition
            )
            free |= set((await self.session.scalars(query.with_for_update() if self.is_postgres else query)).all())
        if free:
            await self.session.execute(
                sa.update(leads)
                .where(leads.c.tenant_id == sa.bindparam("t"), leads.c.lead_id == sa.bindparam("lead"))
                .values(owner_id=sa.bindparam("owner"), updated_at=sa.bindparam("now")),
                [{"t": tenant_id, "lead": lead, "owner": owner_of[lead], "now": now} for lead in free],
            )
        return free

    async def idle(self, idle_since: datetime) -> int:
        """Open leads untouched and unchanged since `idle_since` (every tenant)."""
        touched = sa.select(assignments.c.lead_id).where(
            assignments.c.ended_at.is_(None), assignments.c.first_touched_at.is_not(None)
        )
        return int(
            await self.session.scalar(
                sa.select(sa.func.count())
                .select_from(leads)
                .where(leads.c.status == "open", leads.c.updated_at <= idle_since, leads.c.lead_id.not_in(touched))
            )
            or 0
        )

    # --- a tenant's own lead fields -------------------------------------------

    async def custom_field_types(self, tenant_id: str) -> dict[str, str]:
        query = (
            sa.select(lead_custom_fields.c.name, lead_custom_fields.c.field_type)
            .where(lead_custom_fields.c.tenant_id == tenant_id)
            .order_by(lead_custom_fields.c.created_at, lead_custom_fields.c.name)
        )
        return {name: kind for name, kind in (await self.session.execute(query)).all()}

    async def add_custom_field(self, tenant_id: str, name: str, kind: str, actor_id: str, now: datetime) -> bool:
        """False when the tenant has a field of that name already."""
        return await insert_unless_taken(
            self.session,
            sa.insert(lead_custom_fields).values(
                tenant_id=tenant_id, name=name, field_type=kind, created_by=actor_id, created_at=now
            ),
        )

    async def add_import(
        self, tenant_id: str, import_id: str, filename: str, actor_id: str, now: datetime, report: ImportReport
    ) -> None:
        rows = [
            {
                "row": r.row,
                "outcome": r.outcome,
                "company_name": r.company_name,
                "lead_id": r.lead_id,
                "matched_lead_id": r.matched_lead_id,
                "matched_by": r.matched_by,
                "sources": list(r.sources),
                "errors": [{"column": e.field, "description": e.description} for e in r.errors],
            }
            for r in report.rows
        ]
        await self.session.execute(
            sa.insert(lead_imports).values(
                import_id=import_id,
                tenant_id=tenant_id,
                filename=filename[:255],
                created_by=actor_id,
                created_at=now,
                accepted=report.count("accepted"),
                merged=report.count("merged"),
                rejected=report.count("rejected"),
                report=rows,
            )
        )
