"""SQL of contact depth (domain/indexes/cdi.py, heat_map.py): the only writer
of contact_depth; reads of a chunk of customers' recent log and analyses in
one query each (no query per customer); the aggregations and the heat map
grouped in SQL over the caller's scope. Every query is scoped by tenant."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from opportunity.adapters.orm.activities import activities
from opportunity.adapters.orm.contact_depth import contact_depth, contact_depth_settings
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.tagging import activity_analyses
from opportunity.adapters.rows import in_scope
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.domain.access import Scope
from opportunity.domain.activity import CONTACT_KINDS
from opportunity.domain.indexes.cdi import Cdi, Entry, Plan, TagFound, Touch
from opportunity.domain.indexes.heat_map import BUCKETS, bucket_bounds

GROUP_COLUMNS = {"rep": customers.c.owner_id, "region": customers.c.province, "tier": customers.c.value_tier}
SORTS = {
    "cdi": (contact_depth.c.cdi, customers.c.customer_id),
    "-cdi": (contact_depth.c.cdi.desc(), customers.c.customer_id),
    "name": (customers.c.name, customers.c.customer_id),
}
Tagged = tuple[str, datetime, dict[str, list[str]]]


@dataclass(frozen=True)
class CdiRow:
    customer_id: str
    customer_name: str
    owner_id: str
    province: str
    value_tier: str
    index: Cdi
    computed_at: datetime


@dataclass(frozen=True)
class Group:
    key: str
    average: float
    customers: int
    red: int


def _t(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None


def _evidence(c: Cdi) -> dict[str, Any]:
    return {
        "touches": [
            {"activity_id": t.activity_id, "kind": t.kind, "occurred_at": _t(t.occurred_at)} for t in c.touches
        ],
        "tags": [{"tag": t.tag, "activity_id": t.activity_id, "words": list(t.words)} for t in c.tags],
        "plans": [
            {
                "activity_id": p.activity_id,
                "due_at": _t(p.due_at),
                "state": p.state,
                "met_by": p.met_by,
                "met_at": _t(p.met_at),
            }
            for p in c.plans
        ],
    }


def _index(m: Mapping[str, Any]) -> Cdi:
    ev = m["evidence"] or {}
    return Cdi(
        cdi=float(m["cdi"]),
        coverage=m["coverage"],
        needs=m["needs"],
        closure=m["closure"],
        red=bool(m["red"]),
        touches=tuple(Touch(t["activity_id"], t["kind"], _dt(t["occurred_at"])) for t in ev.get("touches", ())),  # type: ignore[arg-type]
        tags=tuple(TagFound(t["tag"], t["activity_id"], tuple(t["words"])) for t in ev.get("tags", ())),
        plans=tuple(
            Plan(p["activity_id"], _dt(p["due_at"]), p["state"], p["met_by"], _dt(p["met_at"]))  # type: ignore[arg-type]
            for p in ev.get("plans", ())
        ),
        plans_due=int(m["plans_due"]),
        plans_on_time=int(m["plans_on_time"]),
        last_contact_at=as_utc(m["last_contact_at"]) if m["last_contact_at"] else None,
        next_due_at=as_utc(m["next_due_at"]) if m["next_due_at"] else None,
    )


_READ = (
    contact_depth,
    customers.c.name.label("customer_name"),
    customers.c.owner_id,
    customers.c.province,
    customers.c.value_tier,
)


def _row(row: sa.Row) -> CdiRow:
    m = row._mapping
    return CdiRow(
        m["customer_id"],
        m["customer_name"],
        m["owner_id"],
        m["province"],
        m["value_tier"],
        _index(m),
        as_utc(m["computed_at"]),
    )


class ContactDepthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- what a recompute reads ------------------------------------------------

    async def entries(self, tenant_id: str, customer_ids: Sequence[str], since: datetime) -> dict[str, list[Entry]]:
        """The customers' activities that happened since `since`, in one query per 500 customers."""
        out: dict[str, list[Entry]] = defaultdict(list)
        a = activities.c
        for chunk in in_chunks(list(customer_ids)):
            query = sa.select(
                a.activity_id,
                a.customer_id,
                a.kind,
                a.occurred_at,
                a.next_follow_up_at,
                a.state,
                a.relation,
                a.refers_to,
                # Whether the visit's evidence check refused its follow-up, without decoding every entry's JSON.
                sa.cast(a.violations, sa.Text).like('%"next_follow_up_at"%').label("rejected"),
            ).where(a.tenant_id == tenant_id, a.customer_id.in_(chunk), a.occurred_at >= since)
            for r in (await self.session.execute(query)).all():
                rejected = bool(r.rejected) and r.next_follow_up_at is not None
                out[r.customer_id].append(
                    Entry(
                        r.activity_id,
                        r.kind,
                        as_utc(r.occurred_at),
                        as_utc(r.next_follow_up_at) if r.next_follow_up_at else None,
                        r.state,
                        r.relation,
                        r.refers_to,
                        rejected,
                    )
                )
        return out

    async def last_contacts(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, datetime]:
        """Each customer's last submitted contact activity, whenever it was."""
        a = activities.c
        out: dict[str, datetime] = {}
        for chunk in in_chunks(list(customer_ids)):
            query = (
                sa.select(a.customer_id, sa.func.max(a.occurred_at))
                .where(
                    a.tenant_id == tenant_id,
                    a.customer_id.in_(chunk),
                    a.kind.in_(CONTACT_KINDS),
                    a.state == "submitted",
                )
                .group_by(a.customer_id)
            )
            out.update({cid: as_utc(at) for cid, at in (await self.session.execute(query)).all() if at})
        return out

    async def tagged(self, tenant_id: str, customer_ids: Sequence[str]) -> dict[str, list[Tagged]]:
        """The customers' analysed activities that carry any tag."""
        t = activity_analyses.c
        out: dict[str, list[Tagged]] = defaultdict(list)
        for chunk in in_chunks(list(customer_ids)):
            query = sa.select(t.customer_id, t.activity_id, t.occurred_at, t.tags).where(
                t.tenant_id == tenant_id, t.customer_id.in_(chunk)
            )
            for r in (await self.session.execute(query)).all():
                if r.tags:
                    out[r.customer_id].append((r.activity_id, as_utc(r.occurred_at), dict(r.tags)))
        return out

    async def customer_ids(self, tenant_id: str, after: str, limit: int) -> list[str]:
        """The tenant's customers in id order, after `after` (a recompute's chunks)."""
        query = (
            sa.select(customers.c.customer_id)
            .where(customers.c.tenant_id == tenant_id, customers.c.customer_id > after)
            .order_by(customers.c.customer_id)
            .limit(limit)
        )
        return list((await self.session.scalars(query)).all())

    async def due(self, now: datetime, stale_before: datetime, limit: int) -> list[tuple[str, str]]:
        """(tenant, customer) whose index time has changed: its next change passed, computed
        before `stale_before`, or never computed."""
        cd = contact_depth.c
        changed = sa.select(cd.tenant_id, cd.customer_id).where(
            sa.or_(cd.next_due_at <= now, cd.computed_at < stale_before)
        )
        missing = (
            sa.select(customers.c.tenant_id, customers.c.customer_id)
            .outerjoin(contact_depth, contact_depth.c.customer_id == customers.c.customer_id)
            .where(contact_depth.c.customer_id.is_(None))
        )
        rows = (await self.session.execute(changed.limit(limit))).all()
        rows += (
            (await self.session.execute(missing.limit(max(0, limit - len(rows))))).all() if len(rows) < limit else []
        )
        return [(r[0], r[1]) for r in rows]

    # --- writing --------------------------------------------------------------

    async def save_many(self, tenant_id: str, computed: Sequence[tuple[str, Cdi]], version: int, now: datetime) -> None:
        """Insert or replace each customer's row (a concurrent recompute of the same customer: the last write wins)."""
        for chunk in in_chunks(list(computed), 200):
            rows = [
                {
                    "customer_id": cid,
                    "tenant_id": tenant_id,
                    "cdi": c.cdi,
                    "coverage": c.coverage,
                    "needs": c.needs,
                    "closure": c.closure,
                    "red": c.red,
                    "plans_due": c.plans_due,
                    "plans_on_time": c.plans_on_time,
                    "last_contact_at": c.last_contact_at,
                    "evidence": _evidence(c),
                    "settings_version": version,
                    "next_due_at": c.next_due_at,
                    "computed_at": now,
                }
                for cid, c in chunk
            ]
            insert = upsert_insert(self.session, contact_depth)
            updated = {k: insert.excluded[k] for k in rows[0] if k not in ("customer_id", "tenant_id")}
            await self.session.execute(insert.on_conflict_do_update(index_elements=["customer_id"], set_=updated), rows)

    async def mark_tenant_due(self, tenant_id: str, now: datetime) -> None:
        """The tenant's settings changed: every row is recomputed by the next sweeps."""
        await self.session.execute(
            sa.update(contact_depth).where(contact_depth.c.tenant_id == tenant_id).values(next_due_at=now)
        )

    # --- reads ----------------------------------------------------------------

    def _scoped(self, query: sa.Select, scope: Scope, owner_id: str = "") -> sa.Select:
        query = query.where(*in_scope(customers, scope))
        return query.where(customers.c.owner_id == owner_id) if owner_id else query

    async def get(self, tenant_id: str, customer_id: str) -> CdiRow | None:
        query = (
            sa.select(*_READ)
            .join(customers, customers.c.customer_id == contact_depth.c.customer_id)
            .where(contact_depth.c.tenant_id == tenant_id, contact_depth.c.customer_id == customer_id)
        )
        row = (await self.session.execute(query)).first()
        return _row(row) if row else None

    async def groups(self, scope: Scope, group_by: str) -> list[Group]:
        key = GROUP_COLUMNS[group_by]
        query = self._scoped(
            sa.select(
                key,
                sa.func.avg(contact_depth.c.cdi),
                sa.func.count(),
                sa.func.sum(sa.case((contact_depth.c.red, 1), else_=0)),
            ).join(customers, customers.c.customer_id == contact_depth.c.customer_id),
            scope,
        ).group_by(key)
        rows = (await self.session.execute(query)).all()
        return sorted(
            (Group(k or "", round(float(avg), 1), int(n), int(red or 0)) for k, avg, n, red in rows),
            key=lambda g: g.key,
        )

    async def members(
        self, scope: Scope, group_by: str, key: str, red_only: bool, sort: str, offset: int, limit: int
    ) -> tuple[list[CdiRow], int]:
        """A group's customers (all of the scope when group_by is empty), one page and the total."""
        query = self._scoped(
            sa.select(*_READ).join(customers, customers.c.customer_id == contact_depth.c.customer_id), scope
        )
        if group_by:
            query = query.where(GROUP_COLUMNS[group_by] == key)
        if red_only:
            query = query.where(contact_depth.c.red.is_(True))
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        page = query.order_by(*SORTS[sort]).offset(offset).limit(limit)
        return [_row(r) for r in (await self.session.execute(page)).all()], int(total or 0)

    def _last_contact(self) -> sa.ColumnElement[Any]:
        # Computed from the log when the row exists; a customer not yet computed: its last interaction.
        return sa.func.coalesce(contact_depth.c.last_contact_at, customers.c.last_interaction_at)

    def _bucket(self, name: str, now: datetime) -> sa.ColumnElement[bool]:
        since, before = bucket_bounds(name, now)
        last = self._last_contact()
        conditions = []
        if since is not None:
            conditions.append(last >= since)
        if before is not None:
            conditions.append(last < before)
        if since is None:  # the 90+ bucket also holds customers never contacted
            return sa.or_(last.is_(None), *conditions)
        return sa.and_(*conditions)

    def _heat_base(self, columns: Sequence[Any], scope: Scope, owner_id: str) -> sa.Select:
        return self._scoped(
            sa.select(*columns).select_from(
                customers.outerjoin(contact_depth, contact_depth.c.customer_id == customers.c.customer_id)
            ),
            scope,
            owner_id,
        )

    async def heat_counts(self, scope: Scope, owner_id: str, now: datetime) -> dict[tuple[str, str], int]:
        """(value tier, bucket) → customers, in one grouped query."""
        bucket = sa.case(*((self._bucket(name, now), name) for name, _, _ in BUCKETS), else_="90+")
        # Grouped over a subquery: PostgreSQL would not match a CASE with bound parameters in GROUP BY.
        cells = self._heat_base([customers.c.value_tier, bucket.label("bucket")], scope, owner_id).subquery()
        query = sa.select(cells.c.value_tier, cells.c.bucket, sa.func.count()).group_by(
            cells.c.value_tier, cells.c.bucket
        )
        rows = (await self.session.execute(query)).all()
        return {(tier, b): int(n) for tier, b, n in rows}

    async def heat_cell(
        self, scope: Scope, owner_id: str, tier: str, bucket: str, now: datetime, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A cell's customers, longest untouched first, one page and the total."""
        last = self._last_contact()
        query = self._heat_base(
            [
                customers.c.customer_id,
                customers.c.name,
                customers.c.owner_id,
                customers.c.value_tier,
                last.label("last"),
            ],
            scope,
            owner_id,
        ).where(self._bucket(bucket, now))
        if tier:
            query = query.where(customers.c.value_tier == tier)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        page = query.order_by(last.is_(None).desc(), last, customers.c.customer_id).offset(offset).limit(limit)
        items = [
            {
                "customer_id": r.customer_id,
                "customer_name": r.name,
                "owner_id": r.owner_id,
                "value_tier": r.value_tier,
                "last_contact_at": as_utc(r.last) if r.last else None,
            }
            for r in (await self.session.execute(page)).all()
        ]
        return items, int(total or 0)


def contact_depth_settings_rows(session: AsyncSession) -> SettingsRows:
    """The tenant's CDI weights, windows and thresholds (versioned settings row)."""
    return SettingsRows(session, contact_depth_settings, "contact depth")
