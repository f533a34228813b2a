"""All SQL of rep profiles, their outcomes and their wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from crm_shared.business_calendar import business_day
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.leads import leads
from lead_routing.adapters.orm.reps import rep_outcomes, rep_wins, reps
from lead_routing.domain.rep import Leave, Rep, RepState, SegmentRate, Win

WIN_WINDOW = timedelta(days=90)  # 近3月


def _to_rep(row: sa.Row) -> Rep:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    data["updated_at"] = as_utc(data["updated_at"])
    data["languages"] = tuple(data["languages"] or ())
    data["industries"] = tuple(data["industries"] or ())
    data["leave"] = tuple(
        Leave(date.fromisoformat(x["start"]), date.fromisoformat(x.get("end") or x["start"]))
        for x in (data["leave"] or ())
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
    def __init__(self, session: AsyncSession, is_postgres: bool = False) -> None:
        self.session = session
        self.is_postgres = is_postgres

    async def get(self, tenant_id: str, rep_id: str, *, lock: bool = False) -> Rep | None:
        """The rep's profile; with `lock`, its row is locked until commit
        (PostgreSQL; SQLite has one writer anyway), as a claim locks it, so two
        takes by one rep at once are counted one after the other."""
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        if lock and self.is_postgres:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _to_rep(row) if row else None

    async def lock(self, tenant_id: str, rep_id: str) -> None:
        """Lock one rep's row until commit (PostgreSQL): takes by one rep are
        serialised, so capacity and daily limits hold under concurrency."""
        if self.is_postgres:
            await self.session.execute(
                sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id).with_for_update()
            )

    async def lock_all(self, tenant_id: str) -> None:
        """Lock every rep row of the tenant until commit (PostgreSQL), in rep_id
        order: a batch assignment then reads free capacities no claim can
        change before it commits. Taken after the pool lock, before lead rows."""
        if self.is_postgres:
            await self.session.execute(
                sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id).order_by(reps.c.rep_id).with_for_update()
            )

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

    async def states(self, tenant_id: str, now: datetime) -> list[RepState]:
        """Every rep of the tenant as routing weighs them now: open leads,
        overall conversion rate, wins of the last 3 months, today's date in China."""
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id).order_by(reps.c.rep_id)
        profiles = [_to_rep(r) for r in (await self.session.execute(query)).all()]
        if not profiles:
            return []
        open_count = sa.select(leads.c.owner_id, sa.func.count()).where(
            leads.c.tenant_id == tenant_id, leads.c.status == "open", leads.c.owner_id.is_not(None)
        )
        outcome = sa.select(rep_outcomes.c.rep_id, rep_outcomes.c.converted, rep_outcomes.c.lost).where(
            rep_outcomes.c.tenant_id == tenant_id, rep_outcomes.c.segment_kind == "all"
        )
        wins = sa.select(rep_wins.c.rep_id, rep_wins.c.latitude, rep_wins.c.longitude).where(
            rep_wins.c.tenant_id == tenant_id,
            rep_wins.c.won_at >= now - WIN_WINDOW,
            rep_wins.c.latitude.is_not(None),
            rep_wins.c.longitude.is_not(None),
        )
        counts = dict((await self.session.execute(open_count.group_by(leads.c.owner_id))).all())
        rates = {
            r: (c / (c + lost) if (c + lost) else None) for r, c, lost in (await self.session.execute(outcome)).all()
        }
        points: dict[str, list[tuple[float, float]]] = {}
        for r, lat, lng in (await self.session.execute(wins)).all():
            points.setdefault(r, []).append((float(lat), float(lng)))
        today = business_day(now)
        return [
            RepState(
                rep=p,
                today=today,
                open_leads=int(counts.get(p.rep_id, 0)),
                conversion=rates.get(p.rep_id),
                won_points=tuple(points.get(p.rep_id, ())),
            )
            for p in profiles
        ]

    async def state(self, tenant_id: str, rep_id: str, now: datetime) -> RepState | None:
        """One rep as `states` weighs them, read under their row lock (PostgreSQL)."""
        rep = await self.get(tenant_id, rep_id, lock=True)
        if rep is None:
            return None
        held = (
            await self.session.execute(
                sa.select(sa.func.count()).where(
                    leads.c.tenant_id == tenant_id, leads.c.status == "open", leads.c.owner_id == rep_id
                )
            )
        ).scalar_one()
        rate = (
            await self.session.execute(
                sa.select(rep_outcomes.c.converted, rep_outcomes.c.lost).where(
                    rep_outcomes.c.tenant_id == tenant_id,
                    rep_outcomes.c.rep_id == rep_id,
                    rep_outcomes.c.segment_kind == "all",
                )
            )
        ).first()
        wins = await self.session.execute(
            sa.select(rep_wins.c.latitude, rep_wins.c.longitude).where(
                rep_wins.c.tenant_id == tenant_id,
                rep_wins.c.rep_id == rep_id,
                rep_wins.c.won_at >= now - WIN_WINDOW,
                rep_wins.c.latitude.is_not(None),
                rep_wins.c.longitude.is_not(None),
            )
        )
        converted, lost = rate or (0, 0)
        return RepState(
            rep=rep,
            today=business_day(now),
            open_leads=int(held),
            conversion=converted / (converted + lost) if (converted + lost) else None,
            won_points=tuple((float(a), float(b)) for a, b in wins.all()),
        )

    # --- outcomes and wins ---------------------------------------------------------

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

    async def record_win(self, tenant_id: str, win: Win) -> None:
        """A customer the rep won; the same opportunity won again replaces it."""
        await self.session.execute(
            sa.delete(rep_wins).where(
                rep_wins.c.tenant_id == tenant_id, rep_wins.c.opportunity_id == win.opportunity_id
            )
        )
        await self.session.execute(sa.insert(rep_wins).values(tenant_id=tenant_id, **asdict(win)))
