"""SQL of process health, the KPI views and the rep profile: the facts their
rules read (for a set of reps at once, in chunks: no query per rep), the
writes beside the customers and the activity chain (field update times, call
durations, cross-department tasks) and the persisted monthly rows. Every
query is scoped by tenant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, upsert_insert
from crm_shared.ids import new_id
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.activities import activities
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.intent import intent_hits
from opportunity.adapters.orm.opportunities import opportunities, stage_stays
from opportunity.adapters.orm.process_health import (
    call_durations,
    collab_tasks,
    customer_field_updates,
    phi_monthly,
    process_health_settings,
    rep_profiles,
)
from opportunity.adapters.orm.reps import reps
from opportunity.adapters.orm.tasks import tasks
from opportunity.adapters.settings_rows import SettingsRows


def process_health_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's PHI thresholds and weights, baseline hours, visit target, effective call seconds."""
    return SettingsRows(session, process_health_settings, "process health")


class ProcessHealthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, query: sa.Select) -> list[sa.Row]:
        return list((await self.session.execute(query)).all())

    # --- writes ---------------------------------------------------------------

    async def record_field_updates(
        self, tenant_id: str, customer_id: str, fields: Iterable[str], by: str, at: datetime
    ) -> None:
        rows = [
            {
                "update_id": new_id(),
                "tenant_id": tenant_id,
                "customer_id": customer_id,
                "field": f,
                "updated_at": at,
                "updated_by": by,
            }
            for f in fields
        ]
        if rows:
            await self.session.execute(sa.insert(customer_field_updates), rows)

    async def record_call(
        self, tenant_id: str, activity_id: str, actor_id: str, occurred_at: datetime, seconds: int
    ) -> None:
        insert = upsert_insert(self.session, call_durations).values(
            tenant_id=tenant_id,
            activity_id=activity_id,
            actor_id=actor_id,
            occurred_at=occurred_at,
            duration_seconds=seconds,
        )
        await self.session.execute(insert.on_conflict_do_nothing())

    async def collab_started(self, tenant_id: str, task_id: str, kind: str, opportunity_id: str, at: datetime) -> None:
        insert = upsert_insert(self.session, collab_tasks).values(
            tenant_id=tenant_id, task_id=task_id, kind=kind, opportunity_id=opportunity_id, started_at=at
        )
        await self.session.execute(
            insert.on_conflict_do_update(index_elements=["tenant_id", "task_id"], set_={"started_at": at})
        )

    async def collab_finished(self, tenant_id: str, task_id: str, kind: str, opportunity_id: str, at: datetime) -> None:
        insert = upsert_insert(self.session, collab_tasks).values(
            tenant_id=tenant_id, task_id=task_id, kind=kind, opportunity_id=opportunity_id, finished_at=at
        )
        await self.session.execute(
            insert.on_conflict_do_update(index_elements=["tenant_id", "task_id"], set_={"finished_at": at})
        )

    async def save_phi(
        self, tenant_id: str, rep_id: str, month: str, composite_bp: int | None, indicators: list[dict], at: datetime
    ) -> None:
        values = {"composite_bp": composite_bp, "indicators": indicators, "computed_at": at}
        insert = upsert_insert(self.session, phi_monthly).values(
            tenant_id=tenant_id, rep_id=rep_id, month=month, **values
        )
        await self.session.execute(
            insert.on_conflict_do_update(index_elements=["tenant_id", "rep_id", "month"], set_=values)
        )

    async def save_profile(self, tenant_id: str, rep_id: str, month: str, data: dict, at: datetime) -> None:
        values = {"data": data, "computed_at": at}
        insert = upsert_insert(self.session, rep_profiles).values(
            tenant_id=tenant_id, rep_id=rep_id, month=month, **values
        )
        await self.session.execute(
            insert.on_conflict_do_update(index_elements=["tenant_id", "rep_id", "month"], set_=values)
        )

    # --- persisted rows ---------------------------------------------------------

    async def phi_rows(self, tenant_id: str, rep_ids: Sequence[str], months: Sequence[str]) -> list[sa.Row]:
        found: list[sa.Row] = []
        for chunk in in_chunks(list(rep_ids)):
            found += await self._rows(
                sa.select(phi_monthly).where(
                    phi_monthly.c.tenant_id == tenant_id,
                    phi_monthly.c.rep_id.in_(chunk),
                    phi_monthly.c.month.in_(list(months)),
                )
            )
        return found

    async def profile(self, tenant_id: str, rep_id: str, month: str) -> tuple[dict[str, Any], datetime] | None:
        row = (
            await self.session.execute(
                sa.select(rep_profiles.c.data, rep_profiles.c.computed_at).where(
                    rep_profiles.c.tenant_id == tenant_id,
                    rep_profiles.c.rep_id == rep_id,
                    rep_profiles.c.month == month,
                )
            )
        ).first()
        return (dict(row.data), as_utc(row.computed_at)) if row else None

    async def has_profiles(self, tenant_id: str, month: str) -> bool:
        query = sa.select(rep_profiles.c.rep_id).where(
            rep_profiles.c.tenant_id == tenant_id, rep_profiles.c.month == month
        )
        return (await self.session.execute(query.limit(1))).first() is not None

    # --- facts ---------------------------------------------------------------------

    async def reps(self, tenant_id: str, manager_id: str = "") -> list[str]:
        query = sa.select(reps.c.rep_id).where(reps.c.tenant_id == tenant_id)
        if manager_id:
            query = query.where(reps.c.manager_id == manager_id)
        return list((await self.session.scalars(query.order_by(reps.c.rep_id))).all())

    async def tenants(self) -> list[str]:
        """Tenants with opportunities (the sweep's; a tenant without any has no PHI to move)."""
        query = sa.select(opportunities.c.tenant_id).distinct()
        return sorted((await self.session.scalars(query)).all())

    async def owners_with_opportunities(self, tenant_id: str) -> list[str]:
        query = sa.select(opportunities.c.owner_id).where(opportunities.c.tenant_id == tenant_id).distinct()
        return sorted((await self.session.scalars(query)).all())

    async def stays(self, tenant_id: str, owners: Sequence[str], start: datetime, end: datetime) -> list[sa.Row]:
        """Stays of the owners' opportunities overlapping [start, end), with the owner."""
        o, s = opportunities, stage_stays
        found: list[sa.Row] = []
        for chunk in in_chunks(list(owners)):
            found += await self._rows(
                sa.select(o.c.owner_id, s.c.opportunity_id, s.c.pipeline_id, s.c.stage, s.c.entered_at, s.c.left_at)
                .join(o, o.c.opportunity_id == s.c.opportunity_id)
                .where(
                    s.c.tenant_id == tenant_id,
                    # the owner's opportunities first (tenant, owner index), then their stays: without the
                    # opportunity's tenant SQLite scans every stay of the database
                    o.c.tenant_id == tenant_id,
                    o.c.owner_id.in_(chunk),
                    s.c.entered_at < end,
                    sa.or_(s.c.left_at.is_(None), s.c.left_at > start),
                )
            )
        return found

    async def actions(self, tenant_id: str, opportunity_ids: Sequence[str], end: datetime) -> list[sa.Row]:
        a = activities
        found: list[sa.Row] = []
        for chunk in in_chunks(sorted(set(opportunity_ids))):
            found += await self._rows(
                sa.select(a.c.opportunity_id, a.c.kind, a.c.occurred_at).where(
                    a.c.tenant_id == tenant_id,
                    a.c.opportunity_id.in_(chunk),
                    a.c.state == "submitted",
                    a.c.occurred_at < end,
                )
            )
        return found

    async def customers_of(self, tenant_id: str, owners: Sequence[str]) -> list[sa.Row]:
        found: list[sa.Row] = []
        for chunk in in_chunks(list(owners)):
            found += await self._rows(
                sa.select(customers.c.owner_id, customers.c.customer_id).where(
                    customers.c.tenant_id == tenant_id, customers.c.owner_id.in_(chunk)
                )
            )
        return found

    async def field_updates(
        self, tenant_id: str, customer_ids: Sequence[str], since: datetime, until: datetime
    ) -> list[tuple[str, str, datetime]]:
        u = customer_field_updates
        found: list[tuple[str, str, datetime]] = []
        for chunk in in_chunks(sorted(set(customer_ids))):
            rows = await self._rows(
                sa.select(u.c.customer_id, u.c.field, sa.func.max(u.c.updated_at).label("at"))
                .where(
                    u.c.tenant_id == tenant_id,
                    u.c.customer_id.in_(chunk),
                    u.c.updated_at > since,
                    u.c.updated_at <= until,
                )
                .group_by(u.c.customer_id, u.c.field)
            )
            found += [(r.customer_id, r.field, as_utc(r.at)) for r in rows]
        return found

    async def collab(self, tenant_id: str, owners: Sequence[str], start: datetime, end: datetime) -> list[sa.Row]:
        """(owner_id, kind, task_id, started_at, finished_at) finished in [start, end): approvals on the
        owners' opportunities and their ECN confirmation tasks."""
        o, c, t = opportunities, collab_tasks, tasks
        found: list[sa.Row] = []
        for chunk in in_chunks(list(owners)):
            # The owners' opportunities as a subquery, so the planner searches each one's tasks
            # (ix_collab_tasks_opportunity, migration 0021) rather than every task of the tenant finished in the
            # month: SQLite, without statistics, preferred that range for the join (40 ms → 4 ms a rep).
            mine = o.alias("mine")
            theirs = sa.select(mine.c.opportunity_id).where(mine.c.tenant_id == tenant_id, mine.c.owner_id.in_(chunk))
            found += await self._rows(
                sa.select(o.c.owner_id, c.c.kind, c.c.task_id, c.c.started_at, c.c.finished_at)
                .join(o, o.c.opportunity_id == c.c.opportunity_id)
                .where(
                    c.c.tenant_id == tenant_id,
                    c.c.opportunity_id.in_(theirs),
                    c.c.started_at.is_not(None),
                    c.c.finished_at >= start,
                    c.c.finished_at < end,
                )
            )
            found += await self._rows(
                sa.select(
                    t.c.owner_id,
                    sa.literal("ecn_confirmation").label("kind"),
                    t.c.task_id,
                    t.c.created_at.label("started_at"),
                    t.c.completed_at.label("finished_at"),
                ).where(
                    t.c.tenant_id == tenant_id,
                    t.c.owner_id.in_(chunk),
                    # not `ecn_id IS NOT NULL`: SQLite takes that as a range of ix_tasks_tenant_ecn and reads every
                    # ECN task of the tenant; written so, it reads the owners' tasks (ix_tasks_tenant_owner_state)
                    sa.func.coalesce(t.c.ecn_id, "") != "",
                    t.c.completed_at >= start,
                    t.c.completed_at < end,
                )
            )
        return found

    async def closed(self, tenant_id: str, owners: Sequence[str], start: datetime, end: datetime) -> list[sa.Row]:
        o = opportunities
        found: list[sa.Row] = []
        for chunk in in_chunks(list(owners)):
            found += await self._rows(
                sa.select(
                    o.c.owner_id,
                    o.c.opportunity_id,
                    o.c.customer_id,
                    o.c.status,
                    o.c.amount_minor,
                    o.c.currency,
                    o.c.created_at,
                    o.c.closed_at,
                ).where(
                    o.c.tenant_id == tenant_id,
                    o.c.owner_id.in_(chunk),
                    o.c.status.in_(("won", "lost")),
                    o.c.closed_at >= start,
                    o.c.closed_at < end,
                )
            )
        return found

    async def first_won(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, datetime]:
        o = opportunities
        out: dict[str, datetime] = {}
        for chunk in in_chunks(sorted(set(customer_ids))):
            rows = await self._rows(
                sa.select(o.c.customer_id, sa.func.min(o.c.closed_at).label("at"))
                .where(o.c.tenant_id == tenant_id, o.c.customer_id.in_(chunk), o.c.status == "won")
                .group_by(o.c.customer_id)
            )
            out |= {r.customer_id: as_utc(r.at) for r in rows if r.at is not None}
        return out

    async def stays_of(self, tenant_id: str, opportunity_ids: Sequence[str]) -> list[sa.Row]:
        """Every stay of the opportunities, with their status (for stage conversion)."""
        o, s = opportunities, stage_stays
        found: list[sa.Row] = []
        for chunk in in_chunks(sorted(set(opportunity_ids))):
            found += await self._rows(
                sa.select(o.c.owner_id, o.c.status, s.c.opportunity_id, s.c.pipeline_id, s.c.stage, s.c.entered_at)
                .join(o, o.c.opportunity_id == s.c.opportunity_id)
                .where(s.c.tenant_id == tenant_id, s.c.opportunity_id.in_(chunk))
            )
        return found

    async def visits(self, tenant_id: str, actors: Sequence[str], start: datetime, end: datetime) -> list[sa.Row]:
        a = activities
        found: list[sa.Row] = []
        for chunk in in_chunks(list(actors)):
            found += await self._rows(
                sa.select(a.c.actor_id, a.c.occurred_at).where(
                    a.c.tenant_id == tenant_id,
                    a.c.actor_id.in_(chunk),
                    a.c.kind == "visit",
                    a.c.state == "submitted",
                    a.c.occurred_at >= start,
                    a.c.occurred_at < end,
                )
            )
        return found

    async def calls(self, tenant_id: str, actors: Sequence[str], start: datetime, end: datetime) -> list[sa.Row]:
        d = call_durations
        found: list[sa.Row] = []
        for chunk in in_chunks(list(actors)):
            found += await self._rows(
                sa.select(d.c.actor_id, d.c.duration_seconds).where(
                    d.c.tenant_id == tenant_id,
                    d.c.actor_id.in_(chunk),
                    d.c.occurred_at >= start,
                    d.c.occurred_at < end,
                )
            )
        return found

    async def signals(self, tenant_id: str, owners: Sequence[str], start: datetime, end: datetime) -> list[sa.Row]:
        """(owner_id, signal, count) of intent hits on the owners' customers in [start, end)."""
        h, c = intent_hits, customers
        found: list[sa.Row] = []
        for chunk in in_chunks(list(owners)):
            found += await self._rows(
                sa.select(c.c.owner_id, h.c.signal, sa.func.count().label("n"))
                .join(c, c.c.customer_id == h.c.customer_id)
                .where(
                    h.c.tenant_id == tenant_id, c.c.owner_id.in_(chunk), h.c.occurred_at >= start, h.c.occurred_at < end
                )
                .group_by(c.c.owner_id, h.c.signal)
            )
        return found
