"""All SQL of the ranked pool: each open lead's route and best candidates at
the last re-rank, the high-match pushes sent, and whole-pool re-ranks asked for."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, upsert_insert
from crm_shared.ids import new_id
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.leads import leads
from lead_routing.adapters.orm.pool import lead_routes, pool_pushes, pool_scores, rerank_requests
from lead_routing.domain.pool import PoolEntry, StoredRanking


class PoolRepository:
    def __init__(self, session: AsyncSession, is_postgres: bool = False) -> None:
        self.session = session
        self.is_postgres = is_postgres

    async def lock(self, tenant_id: str) -> None:
        """Serialise rewrites of a tenant's ranking until commit (PostgreSQL;
        SQLite has one writer anyway): the whole ranking, against every other
        rewrite, `lock_leads` included. Taken before any lead row is locked."""
        if self.is_postgres:
            await self.session.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"pool:{tenant_id}"}
            )

    async def lock_leads(self, tenant_id: str, lead_ids: Sequence[str]) -> None:
        """Serialise rewrites of these leads' ranking and pushes until commit
        (PostgreSQL): the tenant's pool lock shared (a whole-tenant `lock`
        waits for it, and it for that), then one lock per lead, taken in key
        order so two holders never wait on each other. Two replicas ranking
        different leads of one tenant go side by side; the same lead, in turn
        (so each (lead, rep) is still pushed once). Taken before any lead row."""
        if not self.is_postgres:
            return
        await self.session.execute(
            sa.text("SELECT pg_advisory_xact_lock_shared(hashtext(:key))"), {"key": f"pool:{tenant_id}"}
        )
        keys = sorted({_lead_key(tenant_id, lead_id) for lead_id in lead_ids})
        if keys:
            await self.session.execute(
                sa.text(
                    "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(:keys) AS k ORDER BY k) AS ordered"
                ).bindparams(sa.bindparam("keys", type_=postgresql.ARRAY(sa.BigInteger))),
                {"keys": keys},
            )

    async def replace_ranking(self, tenant_id: str, lead_ids: Sequence[str] | None, ranking: StoredRanking) -> None:
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
        routes = [
            {
                "lead_id": lead_id,
                "tenant_id": tenant_id,
                "route_id": route_id,
                "route_name": route_name,
                "to_pool": to_pool,
                "ranked_at": ranking.ranked_at,
            }
            for lead_id, route_id, route_name, to_pool in ranking.routes
        ]
        scores = [
            {"lead_id": lead_id, "rep_id": rep_id, "tenant_id": tenant_id, "position": position, "score": score}
            for lead_id, rep_id, position, score in ranking.scores
        ]
        for chunk in in_chunks(routes):
            await self.session.execute(sa.insert(lead_routes), list(chunk))
        for chunk in in_chunks(scores):
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

    async def entries(
        self, tenant_id: str, *, rep_id: str | None, limit: int, after: PoolEntry | None = None
    ) -> list[PoolEntry]:
        """Unowned open leads with their route and candidates: for a rep,
        only their own score and leads they are a candidate for, best first;
        those that come after `after` in that order (keyset paging)."""
        base = (
            sa.select(
                leads.c.lead_id,
                leads.c.company_name,
                leads.c.source,
                leads.c.created_at,
                lead_routes.c.route_id,
                lead_routes.c.route_name,
                lead_routes.c.ranked_at,
            )
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
            if after is not None:
                later = _later(after)
                if after.score is None:  # the scored leads are all behind
                    base = base.where(mine.c.score.is_(None), later)
                else:
                    base = base.where(
                        sa.or_(
                            mine.c.score < after.score,
                            sa.and_(mine.c.score == after.score, later),
                            mine.c.score.is_(None),
                        )
                    )
        else:
            base = base.add_columns(sa.null().label("score")).order_by(leads.c.created_at, leads.c.lead_id)
            if after is not None:
                base = base.where(_later(after))
        rows = (await self.session.execute(base.limit(limit))).all()
        if not rows:
            return []
        cands: dict[str, list[tuple[str, float]]] = {}
        if rep_id is None:
            for chunk in in_chunks([r.lead_id for r in rows]):
                found = await self.session.execute(
                    sa.select(pool_scores.c.lead_id, pool_scores.c.rep_id, pool_scores.c.score)
                    .where(pool_scores.c.lead_id.in_(chunk))
                    .order_by(pool_scores.c.lead_id, pool_scores.c.position)
                )
                for lead_id, rep, score in found.all():
                    cands.setdefault(lead_id, []).append((rep, float(score)))
        else:
            cands = {r.lead_id: [(rep_id, float(r.score))] for r in rows if r.score is not None}
        return [
            PoolEntry(
                lead_id=r.lead_id,
                company_name=r.company_name,
                source=r.source,
                created_at=as_utc(r.created_at),
                route_id=r.route_id or "",
                route_name=r.route_name or "",
                ranked_at=as_utc(r.ranked_at) if r.ranked_at else None,
                candidates=tuple(cands.get(r.lead_id, [])),
                score=float(r.score) if r.score is not None else None,
            )
            for r in rows
        ]

    # --- whole-pool re-ranks asked for -------------------------------------------

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

    async def rerank_request(self, tenant_id: str) -> str | None:
        """The id of this tenant's pending ask, if any."""
        return await self.session.scalar(
            sa.select(rerank_requests.c.request_id).where(rerank_requests.c.tenant_id == tenant_id)
        )

    async def clear_rerank_request(self, tenant_id: str, request_id: str) -> None:
        """Done with this ask; one made meanwhile stays."""
        await self.session.execute(
            sa.delete(rerank_requests).where(
                rerank_requests.c.tenant_id == tenant_id, rerank_requests.c.request_id == request_id
            )
        )


def _lead_key(tenant_id: str, lead_id: str) -> int:
    """A lead's advisory lock key: 64 bits of a hash of tenant and lead (a collision only makes one wait)."""
    digest = hashlib.blake2b(f"pool:{tenant_id}:{lead_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _later(after: PoolEntry) -> sa.ColumnElement[bool]:
    """Created after `after`, or at the same time with a greater id."""
    return sa.or_(
        leads.c.created_at > after.created_at,
        sa.and_(leads.c.created_at == after.created_at, leads.c.lead_id > after.lead_id),
    )
