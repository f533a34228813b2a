"""All SQL of lead-routing's leads, lead fields, imports and rep profiles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.context import Caller
from crm_shared.db import in_chunks, insert_unless_taken
from lead_routing.adapters.orm import lead_custom_fields, lead_imports, leads, rep_outcomes, reps
from lead_routing.adapters.orm_routing import owner_changes
from lead_routing.adapters.routing_repository import owner_change_row
from lead_routing.domain.duplicates import KnownLead
from lead_routing.domain.imports import ImportReport
from lead_routing.domain.model import Lead, Touch
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.reps import Leave, Rep, SegmentRate


def _to_lead(row: sa.Row) -> Lead:
    data = dict(row._mapping)
    for name in ("created_at", "updated_at", "closed_at"):
        data[name] = as_utc(data[name]) if data[name] is not None else None
    data["industry_tags"] = tuple(data["industry_tags"] or ())
    data["custom_fields"] = dict(data["custom_fields"] or {})
    data["touches"] = tuple(Touch.from_json(t) for t in data.get("touches") or ())
    data["coordinates_source"] = data.get("coordinates_source") or ""
    return Lead(**data)


def _lead_values(lead: Lead) -> dict[str, Any]:
    values = asdict(lead)
    values["industry_tags"] = list(lead.industry_tags)
    values["custom_fields"] = dict(lead.custom_fields)
    values["touches"] = [t.to_json() for t in lead.touches]
    return values


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lead: Lead) -> None:
        await self.session.execute(sa.insert(leads).values(**_lead_values(lead)))

    async def add_owner_change(self, tenant_id: str, change: OwnerChange) -> None:
        """Why the lead's owner changed (an intake by a rep, a conversion from the pool)."""
        await self.session.execute(sa.insert(owner_changes).values(**owner_change_row(tenant_id, change)))

    async def get(self, tenant_id: str, lead_id: str) -> Lead | None:
        row = (
            await self.session.execute(
                sa.select(leads).where(leads.c.tenant_id == tenant_id, leads.c.lead_id == lead_id)
            )
        ).first()
        return _to_lead(row) if row else None

    async def duplicate_candidates(
        self, tenant_id: str, *, codes: Iterable[str], phones: Iterable[str], cities: Iterable[str]
    ) -> list[KnownLead]:
        """Leads that could duplicate leads with these credit codes, phones or
        cities: any with one of the codes or phones, and every one in one of the
        cities (for the name test). No limit, so none is missed in a busy city;
        only the columns the test reads."""
        fields = [getattr(leads.c, name) for name in KnownLead.__slots__]
        found: dict[str, KnownLead] = {}
        for column, values in ((leads.c.credit_code, codes), (leads.c.phone, phones), (leads.c.city, cities)):
            for chunk in in_chunks(sorted({v for v in values if v})):
                query = sa.select(*fields).where(leads.c.tenant_id == tenant_id, column.in_(chunk))
                for r in (await self.session.execute(query)).all():
                    found[r.lead_id] = KnownLead(**(dict(r._mapping) | {"created_at": as_utc(r.created_at)}))
        return list(found.values())

    async def update(self, lead: Lead) -> None:
        await self.session.execute(
            sa.update(leads)
            .where(leads.c.tenant_id == lead.tenant_id, leads.c.lead_id == lead.lead_id)
            .values(**_lead_values(lead))
        )

    async def list(
        self, tenant_id: str, *, status: str, limit: int, after: tuple | None, caller: Caller
    ) -> list[Lead]:
        """The same visibility as Lead.visible_to, as SQL."""
        query = sa.select(leads).where(leads.c.tenant_id == tenant_id)
        if status:
            query = query.where(leads.c.status == status)
        pool = sa.and_(leads.c.owner_id.is_(None), leads.c.status == "open")
        if caller.role == "partner":
            query = query.where(leads.c.created_by == caller.user_id)
        elif caller.role == "manager":
            managed = sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id, reps.c.manager_id == caller.user_id)
            query = query.where(
                sa.or_(leads.c.owner_id.is_(None), leads.c.owner_id == caller.user_id, leads.c.owner_id.in_(managed))
            )
        elif caller.role not in ("admin", "system"):
            query = query.where(sa.or_(pool, leads.c.owner_id == caller.user_id))
        if after:
            created, lead_id = after
            query = query.where(
                sa.tuple_(leads.c.created_at, leads.c.lead_id) > sa.tuple_(sa.literal(created), sa.literal(lead_id))
            )
        query = query.order_by(leads.c.created_at, leads.c.lead_id).limit(limit)
        return [_to_lead(r) for r in (await self.session.execute(query)).all()]

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


def _to_rep(row: sa.Row) -> Rep:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    data["updated_at"] = as_utc(data["updated_at"])
    data["languages"] = tuple(data["languages"] or ())
    data["industries"] = tuple(data["industries"] or ())
    data["leave"] = tuple(
        Leave(date.fromisoformat(x["start"]), date.fromisoformat(x["end"])) for x in (data["leave"] or ())
    )
    data["active"] = bool(data["active"])
    return Rep(**data)


def _rep_values(rep: Rep) -> dict[str, Any]:
    values = asdict(rep)
    values["languages"] = list(rep.languages)
    values["industries"] = list(rep.industries)
    values["leave"] = [{"start": x.start.isoformat(), "end": x.end.isoformat()} for x in rep.leave]
    return values


class RepRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, rep_id: str, *, lock: bool = False) -> Rep | None:
        """The rep's profile; with `lock`, its row is locked until commit
        (PostgreSQL; SQLite has one writer anyway), as a claim locks it, so two
        takes by one rep at once are counted one after the other."""
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        if lock and self.session.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _to_rep(row) if row else None

    async def add(self, rep: Rep) -> bool:
        """False when a concurrent request created the profile first."""
        return await insert_unless_taken(self.session, sa.insert(reps).values(**_rep_values(rep)))

    async def update(self, rep: Rep) -> None:
        values = _rep_values(rep)
        del values["created_at"]
        await self.session.execute(
            sa.update(reps).where(reps.c.tenant_id == rep.tenant_id, reps.c.rep_id == rep.rep_id).values(**values)
        )

    async def list(self, tenant_id: str, *, manager_id: str | None, team: str) -> list[Rep]:
        """Every profile of the tenant, or those of one manager (and the
        manager's own); optionally one team's."""
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id)
        if manager_id is not None:
            query = query.where(sa.or_(reps.c.manager_id == manager_id, reps.c.rep_id == manager_id))
        if team:
            query = query.where(reps.c.team == team)
        rows = (await self.session.execute(query.order_by(reps.c.team, reps.c.rep_id))).all()
        return [_to_rep(r) for r in rows]

    async def managed_by(self, tenant_id: str, manager_id: str) -> frozenset[str]:
        query = sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id, reps.c.manager_id == manager_id)
        return frozenset((await self.session.execute(query)).scalars())

    async def outcomes(self, tenant_id: str, rep_ids: Iterable[str]) -> dict[str, list[SegmentRate]]:
        query = sa.select(rep_outcomes).where(
            rep_outcomes.c.tenant_id == tenant_id, rep_outcomes.c.rep_id.in_(list(rep_ids))
        )
        out: dict[str, list[SegmentRate]] = {}
        for row in (await self.session.execute(query)).all():
            out.setdefault(row.rep_id, []).append(SegmentRate(row.segment_kind, row.segment, row.converted, row.lost))
        return out

    async def count_outcome(
        self, tenant_id: str, rep_id: str, segments: Iterable[tuple[str, str]], *, converted: bool
    ) -> None:
        """Add one converted (or lost) lead to each of the rep's segments."""
        column = rep_outcomes.c.converted if converted else rep_outcomes.c.lost
        for kind, segment in dict.fromkeys(segments):
            where = (
                rep_outcomes.c.tenant_id == tenant_id,
                rep_outcomes.c.rep_id == rep_id,
                rep_outcomes.c.segment_kind == kind,
                rep_outcomes.c.segment == segment[:100],
            )
            bump = sa.update(rep_outcomes).where(*where).values({column.name: column + 1})
            if (await self.session.execute(bump)).rowcount:
                continue
            fresh = sa.insert(rep_outcomes).values(
                tenant_id=tenant_id,
                rep_id=rep_id,
                segment_kind=kind,
                segment=segment[:100],
                converted=1 if converted else 0,
                lost=0 if converted else 1,
            )
            if not await insert_unless_taken(self.session, fresh):
                await self.session.execute(bump)  # a concurrent first outcome won the insert
