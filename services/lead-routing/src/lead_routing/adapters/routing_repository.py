"""All SQL of routing: rule versions, the scored pool, assignments, SLAs.
Reads the `leads` and `reps` tables (orm.py) as plain row mappings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, insert_unless_taken, upsert_insert
from crm_shared.ids import new_id
from lead_routing.adapters.orm import lead_custom_fields, leads, rep_outcomes, reps
from lead_routing.adapters.orm_routing import (
    active_rules,
    assignments,
    cooldowns,
    lead_routes,
    owner_changes,
    pool_pushes,
    pool_scores,
    rep_wins,
    rerank_requests,
    rule_audit,
    rule_versions,
)
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.rules import RepState, today_on_leave
from lead_routing.domain.sla import business_day

WIN_WINDOW = timedelta(days=90)  # 近3月


def _row(row: sa.Row) -> dict[str, Any]:
    data = dict(row._mapping)
    for k, v in data.items():
        if isinstance(v, datetime):
            data[k] = as_utc(v)
    return data



class RoutingRepository:
    def __init__(self, session: AsyncSession, is_postgres: bool = False) -> None:
        self.session = session
        self.is_postgres = is_postgres

    # ------------------------------------------------------------ rules

    async def custom_fields(self, tenant_id: str) -> dict[str, str]:
        rows = await self.session.execute(
            sa.select(lead_custom_fields.c.name, lead_custom_fields.c.field_type).where(
                lead_custom_fields.c.tenant_id == tenant_id
            )
        )
        return {name: kind for name, kind in rows.all()}

    async def add_version(
        self, tenant_id: str, kind: str, body: Any, comment: str, actor: str, at: datetime
    ) -> int | None:
        """The next version number, or None when a concurrent save took it."""
        latest = await self.session.scalar(
            sa.select(sa.func.max(rule_versions.c.version)).where(
                rule_versions.c.tenant_id == tenant_id, rule_versions.c.kind == kind
            )
        )
        version = int(latest or 0) + 1
        inserted = await insert_unless_taken(
            self.session,
            sa.insert(rule_versions).values(
                tenant_id=tenant_id,
                kind=kind,
                version=version,
                body=body,
                comment=comment,
                created_by=actor,
                created_at=at,
            ),
        )
        if not inserted:
            return None
        await self.audit(tenant_id, kind, version, "saved", actor, at)
        return version

    async def audit(self, tenant_id: str, kind: str, version: int, action: str, actor: str, at: datetime) -> None:
        await self.session.execute(
            sa.insert(rule_audit).values(
                audit_id=new_id(), tenant_id=tenant_id, kind=kind, version=version, action=action, actor_id=actor, at=at
            )
        )

    async def version(self, tenant_id: str, kind: str, version: int) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                sa.select(rule_versions).where(
                    rule_versions.c.tenant_id == tenant_id,
                    rule_versions.c.kind == kind,
                    rule_versions.c.version == version,
                )
            )
        ).first()
        return _row(row) if row else None

    async def versions(self, tenant_id: str, kind: str) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            sa.select(rule_versions)
            .where(rule_versions.c.tenant_id == tenant_id, rule_versions.c.kind == kind)
            .order_by(rule_versions.c.version.desc())
        )
        return [_row(r) for r in rows.all()]

    async def active_versions(self, tenant_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            sa.select(active_rules.c.kind, active_rules.c.version).where(active_rules.c.tenant_id == tenant_id)
        )
        return {kind: version for kind, version in rows.all()}

    async def activate(self, tenant_id: str, kind: str, version: int, actor: str, at: datetime) -> None:
        updated = await self.session.execute(
            sa.update(active_rules)
            .where(active_rules.c.tenant_id == tenant_id, active_rules.c.kind == kind)
            .values(version=version, activated_by=actor, activated_at=at)
        )
        if not updated.rowcount:
            await self.session.execute(
                sa.insert(active_rules).values(
                    tenant_id=tenant_id, kind=kind, version=version, activated_by=actor, activated_at=at
                )
            )
        await self.audit(tenant_id, kind, version, "activated", actor, at)

    async def audit_trail(self, tenant_id: str, limit: int) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            sa.select(rule_audit)
            .where(rule_audit.c.tenant_id == tenant_id)
            .order_by(rule_audit.c.at.desc(), rule_audit.c.audit_id.desc())
            .limit(limit)
        )
        return [_row(r) for r in rows.all()]

    # ------------------------------------------------------------ leads and reps

    async def request_rerank(self, tenant_id: str, reason: str, at: datetime) -> None:
        """Ask for a whole-tenant re-rank; a pending ask is renewed, so one re-rank answers several."""
        values = {"tenant_id": tenant_id, "request_id": new_id(), "reason": reason, "requested_at": at}
        insert = upsert_insert(self.session, rerank_requests).values(values)
        await self.session.execute(
            insert.on_conflict_do_update(
                index_elements=[rerank_requests.c.tenant_id],
                set_={k: v for k, v in values.items() if k != "tenant_id"},
            )
        )

    async def rerank_requests(self) -> list[tuple[str, str]]:
        """(tenant, request id) of the re-ranks asked for, oldest first."""
        rows = await self.session.execute(
            sa.select(rerank_requests.c.tenant_id, rerank_requests.c.request_id).order_by(
                rerank_requests.c.requested_at
            )
        )
        return [(t, r) for t, r in rows.all()]

    async def clear_rerank_request(self, tenant_id: str, request_id: str) -> None:
        """Done with this ask; one made meanwhile stays."""
        await self.session.execute(
            sa.delete(rerank_requests).where(
                rerank_requests.c.tenant_id == tenant_id, rerank_requests.c.request_id == request_id
            )
        )

    async def tenants_with_open_leads(self) -> list[str]:
        rows = await self.session.execute(sa.select(leads.c.tenant_id).where(leads.c.status == "open").distinct())
        return [t for (t,) in rows.all()]

    async def open_lead_ids(self, tenant_id: str, *, unowned: bool = False) -> list[str]:
        query = sa.select(leads.c.lead_id).where(leads.c.tenant_id == tenant_id, leads.c.status == "open")
        if unowned:
            query = query.where(leads.c.owner_id.is_(None))
        return list((await self.session.scalars(query.order_by(leads.c.created_at, leads.c.lead_id))).all())

    async def open_leads(self, tenant_id: str, lead_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Open leads as rows for ranking (without their touches, which no rule reads)."""
        columns = [c for c in leads.c if c.name != "touches"]
        query = sa.select(*columns).where(leads.c.tenant_id == tenant_id, leads.c.status == "open")
        if lead_ids is None:
            return [_row(r) for r in (await self.session.execute(query.order_by(leads.c.created_at))).all()]
        out: list[dict[str, Any]] = []
        for chunk in in_chunks(list(lead_ids)):
            out += [_row(r) for r in (await self.session.execute(query.where(leads.c.lead_id.in_(chunk)))).all()]
        return out

    async def lead(self, tenant_id: str, lead_id: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                sa.select(leads).where(leads.c.tenant_id == tenant_id, leads.c.lead_id == lead_id)
            )
        ).first()
        return _row(row) if row else None

    async def rep_states(self, tenant_id: str, now: datetime, rep_id: str | None = None) -> list[RepState]:
        """Rep profiles with their open leads, overall conversion rate, wins of
        the last 3 months and whether they are on leave today."""
        query = sa.select(reps).where(reps.c.tenant_id == tenant_id)
        if rep_id is not None:
            query = query.where(reps.c.rep_id == rep_id)
            if self.is_postgres:
                # Serialises takes by one rep so capacity and daily limits hold under concurrency.
                query = query.with_for_update()
        profiles = [_row(r) for r in (await self.session.execute(query.order_by(reps.c.rep_id))).all()]
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
        if rep_id is not None:
            open_count = open_count.where(leads.c.owner_id == rep_id)
            outcome = outcome.where(rep_outcomes.c.rep_id == rep_id)
            wins = wins.where(rep_wins.c.rep_id == rep_id)
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
                profile=p,
                open_leads=int(counts.get(p["rep_id"], 0)),
                conversion=rates.get(p["rep_id"]),
                won_points=tuple(points.get(p["rep_id"], ())),
                on_leave=today_on_leave(p.get("leave"), today),
            )
            for p in profiles
        ]

    async def lock_reps(self, tenant_id: str) -> None:
        """Lock every rep row of the tenant until commit (PostgreSQL), in rep_id
        order: a batch assignment then reads free capacities no claim can
        change before it commits. Taken after the pool lock, before lead rows."""
        if self.is_postgres:
            await self.session.execute(
                sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id).order_by(reps.c.rep_id).with_for_update()
            )

    async def manager_of(self, tenant_id: str, rep_id: str) -> str | None:
        return await self.session.scalar(
            sa.select(reps.c.manager_id).where(reps.c.tenant_id == tenant_id, reps.c.rep_id == rep_id)
        )

    async def take_many(
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

    # ------------------------------------------------------------ pool

    async def lock_pool(self, tenant_id: str) -> None:
        """Serialise rewrites of a tenant's ranking until commit (PostgreSQL;
        SQLite has one writer anyway). Taken before any lead row is locked."""
        if self.is_postgres:
            await self.session.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"pool:{tenant_id}"}
            )

    async def replace_ranking(
        self,
        tenant_id: str,
        lead_ids: Sequence[str] | None,
        routes: Sequence[dict[str, Any]],
        scores: Sequence[dict[str, Any]],
    ) -> None:
        """Replace the stored route and best candidates of the given leads
        (None: every lead of the tenant)."""
        if lead_ids is None:
            for table in (lead_routes, pool_scores):
                await self.session.execute(sa.delete(table).where(table.c.tenant_id == tenant_id))
        else:
            for chunk in in_chunks(list(lead_ids)):
                for table in (lead_routes, pool_scores):
                    await self.session.execute(
                        sa.delete(table).where(table.c.tenant_id == tenant_id, table.c.lead_id.in_(chunk))
                    )
        for chunk in in_chunks(list(routes)):
            await self.session.execute(sa.insert(lead_routes), list(chunk))
        for chunk in in_chunks(list(scores)):
            await self.session.execute(sa.insert(pool_scores), list(chunk))

    async def pushed_pairs(self, tenant_id: str, lead_ids: Sequence[str]) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        for chunk in in_chunks(list(lead_ids)):
            rows = await self.session.execute(
                sa.select(pool_pushes.c.lead_id, pool_pushes.c.rep_id).where(
                    pool_pushes.c.tenant_id == tenant_id, pool_pushes.c.lead_id.in_(chunk)
                )
            )
            out |= {(a, b) for a, b in rows.all()}
        return out

    async def record_pushes(self, tenant_id: str, pushes: Sequence[tuple[str, str, float]], at: datetime) -> None:
        """Remember (lead, rep, score) pushes; one already recorded is kept as it was."""
        insert = upsert_insert(self.session, pool_pushes).on_conflict_do_nothing()
        rows = [
            {"tenant_id": tenant_id, "lead_id": lead_id, "rep_id": rep_id, "score": score, "pushed_at": at}
            for lead_id, rep_id, score in pushes
        ]
        for chunk in in_chunks(rows):
            await self.session.execute(insert, list(chunk))

    async def pool(
        self, tenant_id: str, *, rep_id: str | None, limit: int, offset: int
    ) -> list[tuple[dict[str, Any], dict[str, Any] | None, list[tuple[str, float]]]]:
        """Unowned open leads with their route and candidates: for a rep,
        only their own score and leads they are a candidate for, best first."""
        base = (
            sa.select(leads, lead_routes.c.route_id, lead_routes.c.route_name, lead_routes.c.ranked_at)
            .select_from(leads.outerjoin(lead_routes, lead_routes.c.lead_id == leads.c.lead_id))
            .where(leads.c.tenant_id == tenant_id, leads.c.status == "open", leads.c.owner_id.is_(None))
        )
        if rep_id is not None:
            # A rep sees the leads they are a candidate for, and those no route gives to anyone.
            mine = pool_scores.alias("mine")
            base = (
                base.add_columns(mine.c.score)
                .outerjoin(mine, sa.and_(mine.c.lead_id == leads.c.lead_id, mine.c.rep_id == rep_id))
                .where(
                    sa.or_(
                        mine.c.rep_id.is_not(None),
                        lead_routes.c.lead_id.is_(None),
                        lead_routes.c.to_pool == sa.true(),
                        lead_routes.c.route_id == "",
                    )
                )
                .order_by(mine.c.score.desc().nulls_last(), leads.c.created_at, leads.c.lead_id)
            )
        else:
            base = base.order_by(leads.c.created_at, leads.c.lead_id)
        rows = [_row(r) for r in (await self.session.execute(base.limit(limit).offset(offset))).all()]
        if not rows:
            return []
        ids = [r["lead_id"] for r in rows]
        cands: dict[str, list[tuple[str, float]]] = {}
        if rep_id is None:
            for chunk in in_chunks(ids):
                found = await self.session.execute(
                    sa.select(pool_scores.c.lead_id, pool_scores.c.rep_id, pool_scores.c.score)
                    .where(pool_scores.c.lead_id.in_(chunk))
                    .order_by(pool_scores.c.lead_id, pool_scores.c.position)
                )
                for lead_id, rep, score in found.all():
                    cands.setdefault(lead_id, []).append((rep, float(score)))
        else:
            cands = {r["lead_id"]: [(rep_id, float(r["score"]))] for r in rows if r.get("score") is not None}
        out = []
        for r in rows:
            route = {
                "route_id": r.get("route_id") or "",
                "route_name": r.get("route_name") or "",
                "ranked_at": r.get("ranked_at"),
            }
            out.append((r, route, cands.get(r["lead_id"], [])))
        return out

    async def lead_route(self, lead_id: str) -> dict[str, Any] | None:
        row = (await self.session.execute(sa.select(lead_routes).where(lead_routes.c.lead_id == lead_id))).first()
        return _row(row) if row else None

    # ------------------------------------------------------------ assignments

    async def add_assignments(self, rows: Sequence[dict[str, Any]]) -> None:
        for chunk in in_chunks(list(rows)):
            await self.session.execute(sa.insert(assignments), list(chunk))

    async def add_owner_changes(self, tenant_id: str, changes: Sequence[OwnerChange]) -> None:
        rows = [owner_change_row(tenant_id, c) for c in changes]
        for chunk in in_chunks(rows):
            await self.session.execute(sa.insert(owner_changes), list(chunk))

    async def latest_owner_change(self, tenant_id: str, lead_id: str) -> OwnerChange | None:
        row = (
            await self.session.execute(
                sa.select(owner_changes)
                .where(owner_changes.c.tenant_id == tenant_id, owner_changes.c.lead_id == lead_id)
                .order_by(owner_changes.c.at.desc(), owner_changes.c.change_id.desc())
                .limit(1)
            )
        ).first()
        return _owner_change(_row(row)) if row else None

    async def assignment(self, tenant_id: str, assignment_id: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                sa.select(assignments).where(
                    assignments.c.tenant_id == tenant_id, assignments.c.assignment_id == assignment_id
                )
            )
        ).first()
        return _row(row) if row else None

    async def end_current_assignments(self, tenant_id: str, lead_ids: Sequence[str], reason: str, at: datetime) -> None:
        """End the open assignments of these leads (they change hands)."""
        for chunk in in_chunks(list(lead_ids)):
            await self.session.execute(
                sa.update(assignments)
                .where(
                    assignments.c.tenant_id == tenant_id,
                    assignments.c.lead_id.in_(chunk),
                    assignments.c.ended_at.is_(None),
                )
                .values(ended_at=at, end_reason=reason)
            )

    async def current_assignment(self, tenant_id: str, lead_id: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                sa.select(assignments).where(
                    assignments.c.tenant_id == tenant_id,
                    assignments.c.lead_id == lead_id,
                    assignments.c.ended_at.is_(None),
                )
            )
        ).first()
        return _row(row) if row else None

    async def latest_assignment(self, tenant_id: str, lead_id: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                sa.select(assignments)
                .where(assignments.c.tenant_id == tenant_id, assignments.c.lead_id == lead_id)
                .order_by(assignments.c.assigned_at.desc(), assignments.c.assignment_id.desc())
                .limit(1)
            )
        ).first()
        return _row(row) if row else None

    async def end_assignment(self, assignment_id: str, reason: str, at: datetime) -> bool:
        result = await self.session.execute(
            sa.update(assignments)
            .where(assignments.c.assignment_id == assignment_id, assignments.c.ended_at.is_(None))
            .values(ended_at=at, end_reason=reason)
        )
        return result.rowcount == 1

    async def mark_touched(self, assignment_id: str, at: datetime) -> bool:
        result = await self.session.execute(
            sa.update(assignments)
            .where(assignments.c.assignment_id == assignment_id, assignments.c.first_touched_at.is_(None))
            .values(first_touched_at=at)
        )
        return result.rowcount == 1

    async def claims_between(self, tenant_id: str, rep_id: str, start: datetime, end: datetime) -> int:
        return int(
            await self.session.scalar(
                sa.select(sa.func.count())
                .select_from(assignments)
                .where(
                    assignments.c.tenant_id == tenant_id,
                    assignments.c.rep_id == rep_id,
                    assignments.c.mode == "claim",
                    assignments.c.assigned_at >= start,
                    assignments.c.assigned_at < end,
                )
            )
            or 0
        )

    async def overdue(self, now: datetime, limit: int) -> list[dict[str, Any]]:
        """Current assignments whose first-touch deadline passed untouched, every tenant."""
        rows = await self.session.execute(
            sa.select(assignments)
            .where(
                assignments.c.ended_at.is_(None),
                assignments.c.first_touched_at.is_(None),
                assignments.c.first_touch_due <= now,
            )
            .order_by(assignments.c.first_touch_due)
            .limit(limit)
        )
        return [_row(r) for r in rows.all()]

    async def cooldowns_for(self, tenant_id: str, lead_ids: Sequence[str], now: datetime) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        for chunk in in_chunks(list(lead_ids)):
            rows = await self.session.execute(
                sa.select(cooldowns.c.lead_id, cooldowns.c.rep_id).where(
                    cooldowns.c.tenant_id == tenant_id, cooldowns.c.lead_id.in_(chunk), cooldowns.c.until > now
                )
            )
            out |= {(a, b) for a, b in rows.all()}
        return out

    async def cooldown(self, tenant_id: str, lead_id: str, rep_id: str) -> datetime | None:
        until = await self.session.scalar(
            sa.select(cooldowns.c.until).where(
                cooldowns.c.tenant_id == tenant_id, cooldowns.c.lead_id == lead_id, cooldowns.c.rep_id == rep_id
            )
        )
        return as_utc(until) if until else None

    async def set_cooldown(self, tenant_id: str, lead_id: str, rep_id: str, until: datetime) -> None:
        await self.session.execute(
            sa.delete(cooldowns).where(cooldowns.c.lead_id == lead_id, cooldowns.c.rep_id == rep_id)
        )
        await self.session.execute(
            sa.insert(cooldowns).values(tenant_id=tenant_id, lead_id=lead_id, rep_id=rep_id, until=until)
        )

    async def idle_leads(self, now: datetime, idle_since: datetime) -> int:
        """Open leads untouched and unchanged for the idle period (every tenant)."""
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

    # ------------------------------------------------------------ wins

    async def record_win(self, tenant_id: str, values: dict[str, Any]) -> None:
        await self.session.execute(
            sa.delete(rep_wins).where(
                rep_wins.c.tenant_id == tenant_id, rep_wins.c.opportunity_id == values["opportunity_id"]
            )
        )
        await self.session.execute(sa.insert(rep_wins).values(tenant_id=tenant_id, **values))


def owner_change_row(tenant_id: str, c: OwnerChange) -> dict[str, Any]:
    """The owner_changes row of a change (also written by the lead repository)."""
    return {
        "change_id": new_id(),
        "tenant_id": tenant_id,
        "lead_id": c.lead_id,
        "at": c.at,
        "change": c.change,
        "actor_id": c.actor_id,
        "previous_owner_id": c.previous_owner_id,
        "owner_id": c.owner_id,
        "assignment_id": c.assignment_id,
        "reason": c.reason[:500],
        "details": c.details(),
    }


def _owner_change(row: dict[str, Any]) -> OwnerChange:
    details = row.get("details") or {}
    return OwnerChange(
        change=row["change"],
        lead_id=row["lead_id"],
        actor_id=row["actor_id"],
        at=row["at"],
        previous_owner_id=row.get("previous_owner_id"),
        owner_id=row.get("owner_id"),
        reason=row.get("reason") or "",
        score=details.get("score"),
        rank=int(details.get("rank") or 0),
        candidates=int(details.get("candidates") or 0),
        assignment_id=row.get("assignment_id"),
    )
