"""Use cases of contact depth (CDI, seed 001) and the follow-up heat map (seed
002). A customer's CDI is recomputed in the unit of work of the event that
changed its log (activity.logged / activity.tagged, inbox-idempotent) and by a
leased sweep for what time alone changes (each row knows when that is:
next_due_at); the freshness is the consumer's seconds, at worst the sweep's
interval (30 s by default) — under the seed's 3 minutes. Owner and tier are
read from the customer at query time, so a reassignment or a new tier shows at
once. Reads: a rep their own customers, a manager their team's, an admin the
tenant's; finance, reviewers and partners are refused (a rep's process measure
is not theirs to read)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument

from opportunity.adapters.contact_depth_metrics import RECOMPUTE_DURATION, RECOMPUTE_LAG
from opportunity.adapters.contact_depth_repository import CdiRow, Group
from opportunity.domain.indexes import cdi as rules
from opportunity.domain.indexes import heat_map as heat
from opportunity.domain.indexes.cdi import CdiSettings
from opportunity.service_layer.common import scope_of, visible_customer
from opportunity.service_layer.tagging import tenant_settings as tagging_settings
from opportunity.service_layer.tenant_settings import TenantSettings, VersionedSettings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]

CHUNK = 500  # customers per recompute transaction (one query each for log, analyses, last contacts)
SWEEP_BATCH = 2_000  # customers per read of what is due
SWEEP_ROUNDS = 50  # batches per run at most (100,000 customers), the rest next run
STALE_AFTER = timedelta(days=1)  # recomputed at least daily (e.g. the tagging settings' required tags changed)
MAX_PAGE = 200
MAX_OFFSET = 10_000
GROUP_BY = ("rep", "region", "tier")
SORTS = ("cdi", "-cdi", "name")


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int


@dataclass(frozen=True)
class HeatMap:
    rows: list[heat.TierRow]
    total: heat.TierRow
    as_of: datetime


# The tenant's contact depth settings (service_layer/tenant_settings.py).
SETTINGS = TenantSettings(
    lambda uow: uow.contact_depth_settings, rules.DEFAULT_SETTINGS, rules.settings_from_data, CdiSettings.to_data
)
read_settings = SETTINGS.read


async def recompute(uow: OpportunityUnitOfWork, tenant_id: str, customer_ids: Sequence[str]) -> int:
    """The customers' CDI rows written in `uow` (not committed): one query each for
    their recent log, their analyses and their last contacts, whatever their number."""
    if not customer_ids:
        return 0
    now = uow.clock.now()
    current = await read_settings(uow, tenant_id)
    required = (await tagging_settings(uow, tenant_id)).required_tags
    entries = await uow.contact_depth.entries(tenant_id, customer_ids, rules.read_since(current.settings, now))
    tagged = await uow.contact_depth.tagged(tenant_id, customer_ids)
    computed = [
        (cid, rules.compute(entries.get(cid, ()), tagged.get(cid, []), required, current.settings, now))
        for cid in customer_ids
    ]
    # A customer with no contact in the log read: its last contact, older, asked of those customers only.
    unseen = [cid for cid, index in computed if index.last_contact_at is None]
    if unseen:
        last = await uow.contact_depth.last_contacts(tenant_id, unseen)
        computed = [(cid, replace(i, last_contact_at=last.get(cid, i.last_contact_at))) for cid, i in computed]
    await uow.contact_depth.save_many(tenant_id, computed, current.version, now)
    return len(computed)


def _page(page_size: int, page: int) -> tuple[int, int]:
    if not 1 <= page_size <= MAX_PAGE:
        raise InvalidArgument.field("page_size", f"must be between 1 and {MAX_PAGE}")
    if page < 1 or (page - 1) * page_size > MAX_OFFSET:
        raise InvalidArgument.field("page", f"must be 1 or more, at most {MAX_OFFSET} rows in")
    return (page - 1) * page_size, page_size


class ContactDepthHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    # --- recomputing ------------------------------------------------------------

    async def customers_changed(
        self, uow: OpportunityUnitOfWork, tenant_customers: Mapping[str, set[str]], occurred: Sequence[datetime]
    ) -> int:
        """The per-event entry point, in the events' unit of work: each tenant's customers recomputed."""
        started = time.perf_counter()
        done = 0
        for tenant_id, customer_ids in tenant_customers.items():
            done += await recompute(uow, tenant_id, sorted(customer_ids))
        RECOMPUTE_DURATION.labels("event").observe(time.perf_counter() - started)
        now = uow.clock.now()
        for at in occurred:
            RECOMPUTE_LAG.observe(max(0.0, (now - at).total_seconds()))
        return done

    async def recompute_tenant(self, tenant_id: str, chunk: int = CHUNK) -> int:
        """Every customer of the tenant, `chunk` customers per transaction (the scale bench's entry point)."""
        started = time.perf_counter()
        done, after = 0, ""
        while True:
            async with self.uow() as uow:
                ids = await uow.contact_depth.customer_ids(tenant_id, after, chunk)
                if not ids:
                    break
                done += await recompute(uow, tenant_id, ids)
                await uow.commit()
            after = ids[-1]
        RECOMPUTE_DURATION.labels("tenant").observe(time.perf_counter() - started)
        return done

    async def sweep(self) -> int:
        """The leased sweep: rows whose next change by time has passed (a touch left
        the window, a plan came due or turned red), rows older than a day, customers
        never computed — SWEEP_BATCH at a time, CHUNK per transaction, until none is
        left (at most SWEEP_ROUNDS batches a run): a tenant's settings saved make every
        row due, and 50,000 are recomputed in about a minute, within the freshness."""
        started = time.perf_counter()
        done = 0
        for _ in range(SWEEP_ROUNDS):
            async with self.uow() as uow:
                now = uow.clock.now()
                due = await uow.contact_depth.due(now, now - STALE_AFTER, SWEEP_BATCH)
            by_tenant: dict[str, list[str]] = {}
            for tenant_id, customer_id in due:
                by_tenant.setdefault(tenant_id, []).append(customer_id)
            for tenant_id, ids in by_tenant.items():
                for start in range(0, len(ids), CHUNK):
                    async with self.uow() as uow:
                        done += await recompute(uow, tenant_id, ids[start : start + CHUNK])
                        await uow.commit()
            if len(due) < SWEEP_BATCH:
                break
        if done:
            RECOMPUTE_DURATION.labels("sweep").observe(time.perf_counter() - started)
        return done

    # --- reading ----------------------------------------------------------------

    async def groups(self, caller: Caller, group_by: str) -> list[Group]:
        caller.require_role(*rules.READERS)
        if group_by not in GROUP_BY:
            raise InvalidArgument.field("group_by", f"must be one of {', '.join(GROUP_BY)}")
        async with self.uow() as uow:
            return await uow.contact_depth.groups(await scope_of(uow, caller), group_by)

    async def members(
        self,
        caller: Caller,
        *,
        group_by: str = "",
        key: str = "",
        red_only: bool = False,
        sort: str = "cdi",
        page: int = 1,
        page_size: int = 50,
    ) -> Page:
        caller.require_role(*rules.READERS)
        if group_by and group_by not in GROUP_BY:
            raise InvalidArgument.field("group_by", f"must be empty or one of {', '.join(GROUP_BY)}")
        if sort not in SORTS:
            raise InvalidArgument.field("sort", f"must be one of {', '.join(SORTS)}")
        offset, limit = _page(page_size, page)
        async with self.uow() as uow:
            scope = await scope_of(uow, caller)
            items, total = await uow.contact_depth.members(scope, group_by, key, red_only, sort, offset, limit)
        return Page(items, total)

    async def customer(self, caller: Caller, customer_id: str) -> CdiRow:
        """One customer's CDI with each factor's evidence; computed now (not stored) if
        its first computation is still to come."""
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id)
            found = await uow.contact_depth.get(caller.tenant_id, customer.customer_id)
            if found is not None:
                return found
        async with self.uow() as uow:
            await recompute(uow, caller.tenant_id, [customer.customer_id])
            found = await uow.contact_depth.get(caller.tenant_id, customer.customer_id)
            await uow.commit()
        assert found is not None
        return found

    async def heat_map(self, caller: Caller, owner_id: str = "") -> HeatMap:
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            now = uow.clock.now()
            counts = await uow.contact_depth.heat_counts(await scope_of(uow, caller), owner_id, now)
        rows, total = heat.heat_map(counts)
        return HeatMap(rows, total, now)

    async def heat_cell(
        self, caller: Caller, *, tier: str, bucket: str, owner_id: str = "", page: int = 1, page_size: int = 50
    ) -> Page:
        caller.require_role(*rules.READERS)
        if bucket not in {b for b, _, _ in heat.BUCKETS}:
            raise InvalidArgument.field("bucket", f"must be one of {', '.join(b for b, _, _ in heat.BUCKETS)}")
        offset, limit = _page(page_size, page)
        async with self.uow() as uow:
            scope = await scope_of(uow, caller)
            items, total = await uow.contact_depth.heat_cell(
                scope, owner_id, tier, bucket, uow.clock.now(), offset, limit
            )
        return Page(items, total)

    # --- settings -----------------------------------------------------------------

    async def settings(self, caller: Caller) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_READERS)
        async with self.uow() as uow:
            return await read_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: Mapping[str, Any]) -> VersionedSettings:
        """Saved over the version read (a stale one is Conflict); every row of the tenant
        is then due, so the sweeps bring them to the new settings."""
        caller.require_role(*rules.SETTINGS_EDITORS)
        parsed = SETTINGS.parse_new(version, data)
        async with self.uow() as uow:
            saved = await SETTINGS.save(uow, caller, version, parsed)
            await uow.contact_depth.mark_tenant_due(caller.tenant_id, uow.clock.now())
            await uow.commit()
        return saved
