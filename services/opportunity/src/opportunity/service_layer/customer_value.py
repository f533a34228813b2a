"""Use cases of customer value tiers (seed 002, RFM). A customer's tier is
recomputed in the unit of work of what changed its facts (a receipt recorded or
reversed: projections.py; a referral) and monthly by a leased sweep (each row
knows the month of its last monthly run); it is written to the customer's
value_tier (where every department reads it), to the tier history and announced
(customer.value_tier_changed, through the outbox). Only while the tenant's
settings are active: otherwise tiers stay as set by hand. Reads: whoever sees
the customer (scope_of; finance and reviewers the tenant), partners refused."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from crm.events.v1 import customer_value_pb2 as events
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.convert import timestamp
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, Violation

from opportunity.adapters.customer_value_metrics import RECOMPUTE_DURATION, TIER_CUSTOMERS
from opportunity.adapters.customer_value_repository import HistoryRow, Member, TierRow
from opportunity.domain.indexes import value_tier as rules
from opportunity.domain.indexes.health import period_of
from opportunity.domain.indexes.value_tier import TierSettings
from opportunity.service_layer.common import scope_of, visible_customer
from opportunity.service_layer.tenant_settings import TenantSettings, VersionedSettings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]

CHUNK = 500  # customers per recompute transaction (one query each for receipts, last purchase, referrals)
SWEEP_BATCH = 2_000  # customers per monthly sweep run
MAX_PAGE = 200
MAX_OFFSET = 10_000
TIER_CHANGED = "customer.value_tier_changed"


@dataclass(frozen=True)
class CustomerValue:
    customer_id: str
    tier: str
    row: TierRow | None  # None: not computed (the formula off, or not yet)
    referred_by: str
    history: list[HistoryRow]


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int


# The tenant's customer value settings (service_layer/tenant_settings.py).
SETTINGS = TenantSettings(
    lambda uow: uow.customer_value_settings, rules.DEFAULT_SETTINGS, rules.settings_from_data, TierSettings.to_data
)
read_settings = SETTINGS.read


async def tiers_by_formula(uow: OpportunityUnitOfWork, tenant_id: str) -> bool:
    """Whether the tenant's tiers are the formula's (a hand-set tier is refused then)."""
    return (await read_settings(uow, tenant_id)).settings.active


async def refuse_hand_set(uow: OpportunityUnitOfWork, tenant_id: str, current: str, wanted: str | None) -> None:
    """A tier set by hand while the formula sets them: FailedPrecondition naming value_tier."""
    if wanted is None or (wanted.strip() or current) == current:
        return
    if await tiers_by_formula(uow, tenant_id):
        raise FailedPrecondition(
            "value_tier is computed by the tenant's value tier formula",
            [Violation("value_tier", wanted, "set by the value tier formula; change the formula instead")],
        )


async def recompute(uow: OpportunityUnitOfWork, tenant_id: str, customer_ids: Sequence[str], reason: str) -> int:
    """The customers' tiers written in `uow` (not committed), one query each for their receipts, last
    purchases, referrals, current rows and tiers whatever their number; nothing while the formula is off."""
    current = await read_settings(uow, tenant_id)
    if not customer_ids or not current.settings.active:
        return 0
    now = uow.clock.now()
    today = business_day(now)
    since = today - timedelta(days=rules.YEAR_DAYS - 1)
    purchases = await uow.customer_value.purchases(tenant_id, customer_ids, since)
    last = await uow.customer_value.last_purchases(tenant_id, customer_ids)
    referrals = await uow.customer_value.referral_counts(tenant_id, customer_ids)
    rows = await uow.customer_value.current(tenant_id, customer_ids)
    held = await uow.customer_value.customer_tiers(tenant_id, customer_ids)
    period = period_of(now)
    written, history, announced, tiers = [], [], [], {}
    for cid in customer_ids:
        if cid not in held:
            continue  # not a customer of the tenant (or gone)
        facts = rules.facts_of(purchases.get(cid, ()), referrals.get(cid, 0), today, last.get(cid))
        scored = rules.score(facts, current.settings)
        before = rows.get(cid)
        monthly = period if reason == "monthly" else (before.monthly_period if before else "")
        data = facts.to_data()
        row = TierRow(tenant_id, cid, scored.tier, scored.score, scored.error, data, current.version, monthly, now)
        written.append(row)
        moved = held[cid] != scored.tier or before is None or before.score != scored.score
        if moved or reason == "monthly":
            history.append((cid, HistoryRow(scored.tier, held[cid], scored.score, data, current.version, reason, now)))
        if held[cid] != scored.tier:
            tiers[cid] = scored.tier
        if moved:
            announced.append(
                (
                    TIER_CHANGED,
                    tenant_id,
                    cid,
                    events.CustomerValueTierChanged(
                        customer_id=cid,
                        tier=scored.tier,
                        previous_tier=held[cid],
                        score=scored.score,
                        reason=reason,
                        settings_version=current.version,
                        computed_at=timestamp(now),
                    ),
                )
            )
    await uow.customer_value.save_many(written, {r.customer_id for r in written} - set(rows))
    await uow.customer_value.add_history(tenant_id, history)
    await uow.customers.set_value_tiers(tenant_id, tiers)
    if announced:
        await uow.publish_many(announced)
    return len(written)


async def purchases_changed(uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str) -> None:
    """The per-event entry point (a receipt recorded or reversed), in the event's unit of work."""
    started = time.perf_counter()
    if await recompute(uow, tenant_id, [customer_id], "change"):
        RECOMPUTE_DURATION.labels("event").observe(time.perf_counter() - started)


def page_bounds(page_size: int, page: int) -> tuple[int, int]:
    if not 1 <= page_size <= MAX_PAGE:
        raise InvalidArgument.field("page_size", f"must be between 1 and {MAX_PAGE}")
    if page < 1 or (page - 1) * page_size > MAX_OFFSET:
        raise InvalidArgument.field("page", f"must be 1 or more, at most {MAX_OFFSET} rows in")
    return (page - 1) * page_size, page_size


class CustomerValueHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    # --- recomputing ------------------------------------------------------------

    async def recompute_tenant(self, tenant_id: str, chunk: int = CHUNK, reason: str = "monthly") -> int:
        """Every customer of the tenant, `chunk` customers per transaction (the scale bench's entry point)."""
        started = time.perf_counter()
        done, after = 0, ""
        while True:
            async with self.uow() as uow:
                ids = await uow.customer_value.customer_ids(tenant_id, after, chunk)
                if not ids:
                    break
                done += await recompute(uow, tenant_id, ids, reason)
                await uow.commit()
            after = ids[-1]
        RECOMPUTE_DURATION.labels("tenant").observe(time.perf_counter() - started)
        return done

    async def monthly(self) -> int:
        """The leased monthly run: customers not yet computed this month (Asia/Shanghai), every tenant
        whose formula is on, at most SWEEP_BATCH per run, CHUNK per transaction; then the tier gauge."""
        started = time.perf_counter()
        async with self.uow() as uow:
            active = [t for t, data in await uow.customer_value.settings_of_tenants() if data.get("active") is True]
            due = await uow.customer_value.due_monthly(period_of(uow.clock.now()), active, SWEEP_BATCH)
        by_tenant: dict[str, list[str]] = {}
        for tenant_id, customer_id in due:
            by_tenant.setdefault(tenant_id, []).append(customer_id)
        done = 0
        for tenant_id, ids in by_tenant.items():
            for start in range(0, len(ids), CHUNK):
                async with self.uow() as uow:
                    done += await recompute(uow, tenant_id, ids[start : start + CHUNK], "monthly")
                    await uow.commit()
        if done:
            RECOMPUTE_DURATION.labels("monthly").observe(time.perf_counter() - started)
        await self._gauge()
        return done

    async def _gauge(self) -> None:
        async with self.uow() as uow:
            for tenant_id, tier, n in await uow.customer_value.tier_counts_by_tenant():
                TIER_CUSTOMERS.labels(tenant_id, tier).set(n)

    # --- reading ----------------------------------------------------------------

    async def customer(self, caller: Caller, customer_id: str) -> CustomerValue:
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id)
            rows = await uow.customer_value.current(caller.tenant_id, [customer.customer_id])
            return CustomerValue(
                customer.customer_id,
                customer.value_tier,
                rows.get(customer.customer_id),
                await uow.customer_value.referrer_of(caller.tenant_id, customer.customer_id) or "",
                await uow.customer_value.history(caller.tenant_id, customer.customer_id),
            )

    async def counts(self, caller: Caller) -> dict[str, int]:
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            return rules.counts(await uow.customer_value.tier_counts(await scope_of(uow, caller)))

    async def members(self, caller: Caller, tier: str = "", page: int = 1, page_size: int = 50) -> Page:
        caller.require_role(*rules.READERS)
        if tier and tier not in rules.VALUE_TIERS:
            raise InvalidArgument.field("tier", f"must be empty or one of {', '.join(rules.VALUE_TIERS)}")
        offset, limit = page_bounds(page_size, page)
        async with self.uow() as uow:
            items, total = await uow.customer_value.members(await scope_of(uow, caller), tier, offset, limit)
        return Page(items, total)

    # --- writing --------------------------------------------------------------------

    async def record_referral(self, caller: Caller, customer_id: str, referred_by: str) -> tuple[str, str]:
        """`referred_by` referred the new customer `customer_id`: both the caller's to see, in the
        tenant, not the same; one referrer per customer (a second: FailedPrecondition)."""
        caller.require_role(*rules.REFERRAL_RECORDERS)
        if not referred_by.strip():
            raise InvalidArgument.field("referred_by", "must name the customer who referred this one")
        if referred_by == customer_id:
            raise InvalidArgument.field("referred_by", "a customer cannot refer itself")
        async with self.uow() as uow:
            new = await visible_customer(uow, caller, customer_id)
            try:
                referrer = await visible_customer(uow, caller, referred_by)
            except NotFound as e:
                raise InvalidArgument.field("referred_by", "no such customer") from e
            added = await uow.customer_value.add_referral(
                caller.tenant_id, new.customer_id, referrer.customer_id, caller.user_id, uow.clock.now()
            )
            if not added:
                raise FailedPrecondition(
                    f"customer {customer_id} has a referrer already",
                    [Violation("referral", customer_id, "has a referrer already")],
                )
            await recompute(uow, caller.tenant_id, [referrer.customer_id], "change")
            await uow.commit()
        return new.customer_id, referrer.customer_id

    async def recompute_now(self, caller: Caller) -> int:
        caller.require_role(*rules.RECOMPUTERS)
        return await self.recompute_tenant(caller.tenant_id, reason="settings")

    # --- settings -----------------------------------------------------------------

    async def settings(self, caller: Caller) -> VersionedSettings:
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            return await read_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: Mapping[str, Any]) -> VersionedSettings:
        """Saved over the version read (a stale one is Conflict), then every tier of the tenant recomputed
        (reason settings)."""
        caller.require_role(*rules.CONFIGURERS)
        parsed = SETTINGS.parse_new(version, data)
        async with self.uow() as uow:
            saved = await SETTINGS.save(uow, caller, version, parsed)
            await uow.commit()
        await self.recompute_tenant(caller.tenant_id, reason="settings")
        return saved


__all__ = ["CustomerValueHandlers", "Member", "purchases_changed", "refuse_hand_set", "tiers_by_formula"]
