"""The scored pool: re-ranking some leads or a whole tenant (scheduled, or
asked for by a rule activation or a rep change), storing each lead's route
and best candidates, pushing reps about high matches, and listing the pool."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.db import in_chunks
from crm_shared.domain.errors import InvalidArgument
from crm_shared.logs import get_logger
from crm_shared.paging import decode_key, encode_key, page_size

from lead_routing.adapters.metrics import RERANK_SECONDS
from lead_routing.domain.lead import Lead
from lead_routing.domain.pool import (
    Pool,
    PoolEntry,
    StoredRanking,
    high_match_pushes,
    pool_candidate_filter,
    pool_page_after,
    pool_page_key,
    rank_pool,
    to_store,
)
from lead_routing.domain.rep import RepState
from lead_routing.domain.rule_set import RuleSet
from lead_routing.service_layer.messages import notification
from lead_routing.service_layer.rule_book import RuleBook
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

log = get_logger("lead_routing.routing")

UowFactory = Callable[[], LeadRoutingUnitOfWork]
RERANK_CHUNK = 10_000  # leads scored at a time in a whole-tenant re-rank: bounds its memory
Hot = tuple[Lead, str, float]  # an unowned lead, a rep, their score at or over the push threshold


class Ranking:
    def __init__(self, uow: UowFactory, book: RuleBook, *, push_threshold: float = 85.0, top_n: int = 5) -> None:
        self.uow = uow
        self.book = book
        self.push_threshold = push_threshold
        self.top_n = top_n

    # --- handlers -------------------------------------------------------------------

    async def rerank(self, caller: Caller) -> tuple[int, int, int]:
        caller.require_role(*roles.POOL_RERANKERS)
        async with self.uow() as uow:
            counts = await self.rerank_tenant(uow, caller.tenant_id)
            await uow.commit()
        return counts

    async def rerank_all(self) -> None:
        """The scheduled re-rank: every tenant with open leads."""
        async with self.uow().reading() as uow:
            tenants = await uow.leads.tenants_with_open_leads()
        await self._rerank_tenants(tenants)

    async def rerank_requested(self) -> None:
        """The prompt job: every tenant whose whole pool was asked to be
        re-ranked (a rule activated, a rep profile changed). The ask is
        cleared with the new ranking (`rerank_tenant`), unless it was renewed
        meanwhile; one that a batch assignment's re-rank answered first is gone."""
        async with self.uow().reading() as uow:
            pending = await uow.pool.rerank_requests()
        await self._rerank_tenants([tenant for tenant, _ in pending])

    async def _rerank_tenants(self, tenants: Sequence[str]) -> None:
        """Re-rank each tenant, one transaction each."""
        for tenant in tenants:
            try:
                async with self.uow() as uow:
                    await self.rerank_tenant(uow, tenant)
                    await uow.commit()
            except Exception as exc:  # noqa: BLE001 - one tenant's broken rules must not stop the others
                log.warning("re-rank failed", tenant=tenant, error=repr(exc))

    async def list_pool(self, caller: Caller, size: int, token: str) -> tuple[list[PoolEntry], str]:
        """Unowned open leads: managers see every candidate, a rep the leads
        they are a candidate for, with their own score; a page and the token
        of the next (keyset: a re-rank between pages moves leads, none is
        listed twice within one order)."""
        caller.require_role(*roles.POOL_USERS)
        limit = page_size(size)
        after = _after(token)
        async with self.uow().reading() as uow:
            found = await uow.pool.entries(
                caller.tenant_id, rep_id=pool_candidate_filter(caller.user_id, caller.role), limit=limit + 1, after=after
            )
        page = found[:limit]
        return page, encode_key(*pool_page_key(page[-1])) if len(found) > limit else ""

    # --- within a unit of work ------------------------------------------------------

    async def pool(
        self,
        uow: LeadRoutingUnitOfWork,
        tenant_id: str,
        lead_ids: Sequence[str] | None = None,
        *,
        rules: RuleSet | None = None,
        leads: list[Lead] | None = None,
        reps: list[RepState] | None = None,
    ) -> Pool:
        """These open leads (or `leads` already read) ranked against the
        tenant's reps (or `reps` already read) under the active rules, the
        cool-downs dropped."""
        now = uow.clock.now()
        rules = rules or await self.book.rules(uow, tenant_id)
        if leads is None:
            leads = await uow.leads.open_leads(tenant_id, lead_ids)
        if reps is None:
            reps = await uow.reps.states(tenant_id, now)
        cooldowns = await uow.assignments.cooldowns(tenant_id, [x.lead_id for x in leads])
        pool = rank_pool(rules, leads, reps, {pair for pair, until in cooldowns.items() if until > now})
        pool.cooldowns = cooldowns
        return pool

    async def rank_leads(
        self,
        uow: LeadRoutingUnitOfWork,
        tenant_id: str,
        lead_ids: Sequence[str],
        *,
        rules: RuleSet | None = None,
        leads: list[Lead] | None = None,
    ) -> Pool:
        """These leads (or `leads`, those open of them already read) scored
        afresh, under their pool locks (to be stored with `store`)."""
        await uow.pool.lock_leads(tenant_id, lead_ids)
        with RERANK_SECONDS.labels("leads").time():
            return await self.pool(uow, tenant_id, lead_ids, rules=rules, leads=leads)

    async def rescore(self, uow: LeadRoutingUnitOfWork, tenant_id: str, lead_ids: Sequence[str]) -> Pool:
        """Re-score these leads, store their best candidates and push high matches."""
        pool = await self.rank_leads(uow, tenant_id, lead_ids)
        await self.store(uow, tenant_id, pool, lead_ids)
        return pool

    async def rerank_tenant(
        self,
        uow: LeadRoutingUnitOfWork,
        tenant_id: str,
        rules: RuleSet | None = None,
        *,
        before_store: Callable[[list[Pool]], Awaitable[None]] | None = None,
    ) -> tuple[int, int, int]:
        """Re-score every open lead of the tenant, RERANK_CHUNK leads at a time,
        so memory stays bounded however big the tenant. The new ranking
        replaces the old in this transaction; the pushes go out after the last
        chunk (one digest per rep). With `before_store` every chunk's pool is
        kept and handed to it before anything is stored (the batch assignment
        solves on them instead of ranking the pool again, and the leads it
        gives away are then stored as owned: nobody is pushed about them).
        A pending ask for a whole-tenant re-rank is answered by this one
        (cleared with it; one renewed after the lock stays), whoever runs it:
        the ask job, a manager's re-rank or a batch assignment.
        Returns the leads, the scored pairs and the pushes sent."""
        await uow.pool.lock(tenant_id)
        asked = await uow.pool.rerank_request(tenant_id)
        rules = rules or await self.book.rules(uow, tenant_id)
        lead_ids = await uow.leads.open_lead_ids(tenant_id)
        hot: list[Hot] = []
        kept: list[Pool] = []
        pairs = 0
        with RERANK_SECONDS.labels("tenant").time():
            await uow.pool.replace_ranking(
                tenant_id, None, StoredRanking(uow.clock.now(), [], [])
            )  # closed leads go too
            for chunk in in_chunks(lead_ids, RERANK_CHUNK):
                pool = await self.pool(uow, tenant_id, chunk, rules=rules)
                pairs += len(pool.lead_idx)
                if before_store is None:
                    hot += await self._store(uow, tenant_id, pool, [])  # nothing of theirs left to replace
                else:
                    kept.append(pool)
            if before_store is not None:
                await before_store(kept)
                for pool in kept:
                    hot += await self._store(uow, tenant_id, pool, [])
        if asked:
            await uow.pool.clear_rerank_request(tenant_id, asked)
        return len(lead_ids), pairs, await self._push_high_matches(uow, tenant_id, hot)

    async def store(self, uow: LeadRoutingUnitOfWork, tenant_id: str, pool: Pool, lead_ids: Sequence[str]) -> int:
        """Store the pool's ranking in place of that of `lead_ids` (a lead closed
        since loses its own) and push reps reaching the threshold on unowned
        leads (once per lead and rep); returns the pushes."""
        hot = await self._store(uow, tenant_id, pool, lead_ids)
        return await self._push_high_matches(uow, tenant_id, hot)

    async def _store(
        self, uow: LeadRoutingUnitOfWork, tenant_id: str, pool: Pool, lead_ids: Sequence[str]
    ) -> list[Hot]:
        stored, hot = to_store(pool, self.top_n, self.push_threshold, uow.clock.now())
        await uow.pool.replace_ranking(tenant_id, lead_ids, stored)
        return hot

    async def _push_high_matches(self, uow: LeadRoutingUnitOfWork, tenant_id: str, hot: Sequence[Hot]) -> int:
        """Push each (lead, rep) of `hot` not pushed before: one message per
        lead, or one digest for a rep with many at once. Returns the pushes."""
        # each (lead, rep) is pushed once; the pool locks (the tenant's or the lead's) keep concurrent re-ranks
        # from pushing twice
        done = await uow.pool.pushed_pairs(tenant_id, list({lead.lead_id for lead, _, _ in hot}))
        fresh = [(lead, rep_id, s) for lead, rep_id, s in hot if (lead.lead_id, rep_id) not in done]
        await uow.pool.record_pushes(tenant_id, [(lead.lead_id, r, s) for lead, r, s in fresh], uow.clock.now())
        pushes = high_match_pushes([(rep_id, lead, s) for lead, rep_id, s in fresh])
        await uow.publish_many([notification(tenant_id, p, group=True) for p in pushes])
        return len(fresh)


def _after(token: str) -> PoolEntry | None:
    decoded = decode_key(token, 3)
    if decoded is None:
        return None
    try:
        return pool_page_after(*decoded)
    except (ValueError, OverflowError) as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc
