"""Use cases of process health (PHI): a team's PHI of a month (computed from
the facts on read, so always current, with the previous month's persisted
row for the "two months below" warning), the tenant's settings, the events
that move a rep's current month (activity.logged, stage changes, approvals
requested and decided, ECN tasks completed: the rep's row recomputed in the
event's unit of work), the leased sweep (every rep's current month, and the
month just ended once) and recompute_tenant for the bench. The facts are
read for all the reps at once (process_health_repository, chunked)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from crm_shared import roles
from crm_shared.clock import as_utc
from crm_shared.context import Caller
from crm_shared.db import in_chunks
from crm_shared.domain.errors import InvalidArgument

from opportunity.adapters.process_health_metrics import HEALTHY_SHARE, RECOMPUTE_SECONDS
from opportunity.domain.anomalies.months import month_bounds, month_label, month_of, previous_month
from opportunity.domain.indexes import phi as rules
from opportunity.domain.indexes.phi import Phi, PhiSettings
from opportunity.service_layer.tenant_settings import TenantSettings, VersionedSettings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = logging.getLogger(__name__)
MAX_MONTHS_BACK = 24
# A tenant's reps recomputed so many at a time: each chunk's month of stays and activities is read at once, so
# the whole tenant's never is (a tenant of 2,000,000 activities held them all: 990 MB).
REPS_A_CHUNK = 20


@dataclass(frozen=True)
class TeamPhi:
    period: str
    rows: list[Phi]  # the reps the caller may see
    team_average: dict[str, int | None]  # over the whole team (a rep sees the average, not colleagues' rows)
    warnings: dict[str, bool]  # rep → 关键动作饱和度 below the line this month and last
    computed_at: datetime


def parse_month(period: str, now: datetime) -> tuple[int, int]:
    """ "YYYY-MM" (Asia/Shanghai calendar month), "" for the current one; at most 24 months back, not ahead."""
    current = month_of(now)
    period = period.strip()
    if not period:
        return current
    try:
        year, mon = (int(x) for x in period.split("-"))
        if len(period) != 7 or not 1 <= mon <= 12:
            raise ValueError
    except ValueError:
        raise InvalidArgument.field("period", "must be a month as YYYY-MM") from None
    back = (current[0] - year) * 12 + current[1] - mon
    if back < 0:
        raise InvalidArgument.field("period", "is in the future")
    if back > MAX_MONTHS_BACK:
        raise InvalidArgument.field("period", f"is more than {MAX_MONTHS_BACK} months ago")
    return year, mon


# The tenant's process health settings (service_layer/tenant_settings.py).
SETTINGS = TenantSettings(
    lambda uow: uow.process_health_settings, rules.DEFAULT_SETTINGS, rules.settings_from_data, rules.settings_data
)
read_settings = SETTINGS.read


async def team_for(uow: OpportunityUnitOfWork, caller: Caller, team: str) -> tuple[list[str], list[str]]:
    """(the team the average is over, the reps whose rows the caller sees). A rep: their manager's
    reps (themselves alone without a manager), their own row only; a manager: the reps they
    manage; an admin: the reps of `team` (a manager's id) or every rep of the tenant (and
    anyone owning opportunities)."""
    caller.require_role(*rules.READERS)
    tenant = caller.tenant_id
    if caller.role == roles.REP:
        manager = await uow.reps.manager_of(tenant, caller.user_id)
        members = await uow.process_health.reps(tenant, manager) if manager else []
        return sorted({caller.user_id, *members}), [caller.user_id]
    if caller.role == roles.MANAGER:
        members = await uow.reps.reps_managed_by(tenant, caller.user_id)
        return members, members
    if team.strip():
        members = await uow.process_health.reps(tenant, team.strip())
    else:
        members = sorted(
            {*await uow.process_health.reps(tenant), *await uow.process_health.owners_with_opportunities(tenant)}
        )
    return members, members


def _fact_time(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


async def compute(
    uow: OpportunityUnitOfWork,
    tenant_id: str,
    reps: Sequence[str],
    month: tuple[int, int],
    now: datetime,
    s: PhiSettings,
) -> list[Phi]:
    """Every rep's PHI of the month, from facts read for all of them at once."""
    if not reps:
        return []
    start, end = month_bounds(month)
    until = min(end, now)
    repo = uow.process_health
    playbooks = {(p.pipeline_id, st.name): st.playbook for p in await uow.pipelines.list(tenant_id) for st in p.stages}
    stays = await repo.stays(tenant_id, reps, start, until)
    actions = await repo.actions(tenant_id, [r.opportunity_id for r in stays], until)
    owned = await repo.customers_of(tenant_id, reps)
    updates = await repo.field_updates(
        tenant_id, [r.customer_id for r in owned], until - rules.freshness_window(s), until
    )
    collab = await repo.collab(tenant_id, reps, start, until)
    by_owner_stays: dict[str, list[rules.StayFact]] = {}
    for r in stays:
        by_owner_stays.setdefault(r.owner_id, []).append(
            rules.StayFact(
                r.opportunity_id,
                r.stage,
                as_utc(r.entered_at),
                _fact_time(r.left_at),
                playbooks.get((r.pipeline_id, r.stage), ()),
            )
        )
    # Grouped once (per opportunity, per customer), so each rep reads only their own: no rep × rows scan.
    actions_of: dict[str, list[rules.ActionFact]] = {}
    for a in actions:
        actions_of.setdefault(a.opportunity_id, []).append(
            rules.ActionFact(a.opportunity_id, a.kind, as_utc(a.occurred_at))
        )
    updates_of: dict[str, list[tuple[str, str, datetime]]] = {}
    for u in updates:
        updates_of.setdefault(u[0], []).append(u)
    customers_by_owner: dict[str, list[str]] = {}
    for r in owned:
        customers_by_owner.setdefault(r.owner_id, []).append(r.customer_id)
    tasks_by_owner: dict[str, list[rules.CollabTask]] = {}
    for r in collab:
        tasks_by_owner.setdefault(r.owner_id, []).append(
            rules.CollabTask(r.kind, r.task_id, as_utc(r.started_at), as_utc(r.finished_at))
        )
    label = month_label(month)
    found = []
    for rep in reps:
        mine = by_owner_stays.get(rep, [])
        opp_ids = {x.opportunity_id for x in mine}
        indicators = [
            rules.key_action_saturation(mine, [a for o in opp_ids for a in actions_of.get(o, ())], start, until, s),
            rules.information_freshness(
                customers_by_owner.get(rep, []),
                [u for c in customers_by_owner.get(rep, []) for u in updates_of.get(c, ())],
                until,
                s,
            ),
            rules.collaboration_ratio(tasks_by_owner.get(rep, []), start, until, s),
        ]
        found.append(rules.phi_of(rep, label, indicators, s))
    return found


def indicator_data(p: Phi) -> list[dict[str, Any]]:
    # Field by field, not dataclasses.asdict: that deep-copies every evidence row (a fifth of a busy rep's
    # per-event recompute), and the stored JSON is written from them as they are.
    return [{f.name: getattr(i, f.name) for f in fields(i)} | {"evidence": list(i.evidence)} for i in p.indicators]


class ProcessHealthHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    # --- reading ----------------------------------------------------------------

    async def team_phi(self, caller: Caller, period: str, team: str) -> TeamPhi:
        async with self.uow().reading() as uow:
            now = uow.clock.now()
            month = parse_month(period, now)
            members, visible = await team_for(uow, caller, team)
            s = (await read_settings(uow, caller.tenant_id)).settings
            rows = await compute(uow, caller.tenant_id, members, month, now, s)
            last = {
                r.rep_id: r.indicators[0]["value_bp"] if r.indicators else None
                for r in await uow.process_health.phi_rows(
                    caller.tenant_id, visible, [month_label(previous_month(month))]
                )
            }
        shown = [r for r in rows if r.rep_id in set(visible)]
        warnings = {r.rep_id: rules.saturation_warning(r.indicators[0].value_bp, last.get(r.rep_id), s) for r in shown}
        return TeamPhi(month_label(month), shown, rules.team_average(rows), warnings, now)

    async def settings(self, caller: Caller) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_READERS)
        async with self.uow().reading() as uow:
            return await read_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: Mapping[str, Any]) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_EDITORS)
        parsed = SETTINGS.parse_new(version, data)
        async with self.uow() as uow:
            saved = await SETTINGS.save(uow, caller, version, parsed)
            await uow.commit()
        return saved

    # --- events (in the event's unit of work) -------------------------------------

    async def recompute_reps(
        self, uow: OpportunityUnitOfWork, tenant_id: str, reps: Sequence[str], month: tuple[int, int] | None = None
    ) -> list[Phi]:
        now = uow.clock.now()
        month = month or month_of(now)
        s = (await read_settings(uow, tenant_id)).settings
        rows = await compute(uow, tenant_id, sorted(set(reps)), month, now, s)
        for p in rows:
            await uow.process_health.save_phi(tenant_id, p.rep_id, p.period, p.composite_bp, indicator_data(p), now)
        return rows

    async def opportunity_moved(self, uow: OpportunityUnitOfWork, tenant_id: str, opportunity_id: str) -> None:
        """activity.logged on an opportunity, a stage change, an approval requested or decided."""
        if not opportunity_id:
            return
        opp = await uow.opportunities.get(tenant_id, opportunity_id)
        if opp is not None:
            started = time.perf_counter()
            await self.recompute_reps(uow, tenant_id, [opp.owner_id])
            RECOMPUTE_SECONDS.labels("event").observe(time.perf_counter() - started)

    async def customer_changed(self, uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str) -> None:
        customer = await uow.customers.get(tenant_id, customer_id)
        if customer is not None:
            await self.recompute_reps(uow, tenant_id, [customer.owner_id])

    async def approval_requested(
        self, uow: OpportunityUnitOfWork, tenant_id: str, approval_id: str, opportunity_id: str, at: datetime
    ) -> None:
        await uow.process_health.collab_started(tenant_id, approval_id, "approval", opportunity_id, at)
        await self.opportunity_moved(uow, tenant_id, opportunity_id)

    async def approval_decided(
        self, uow: OpportunityUnitOfWork, tenant_id: str, approval_id: str, opportunity_id: str, at: datetime
    ) -> None:
        await uow.process_health.collab_finished(tenant_id, approval_id, "approval", opportunity_id, at)
        await self.opportunity_moved(uow, tenant_id, opportunity_id)

    # --- jobs -----------------------------------------------------------------------

    async def recompute_tenant(self, tenant_id: str, month: tuple[int, int] | None = None) -> int:
        """Every rep's PHI of the month (current by default), persisted: rows recomputed."""
        started = time.perf_counter()
        async with self.uow() as uow:
            reps = sorted(
                {
                    *await uow.process_health.reps(tenant_id),
                    *await uow.process_health.owners_with_opportunities(tenant_id),
                }
            )
            scored: list[int] = []
            count = 0
            for chunk in in_chunks(reps, REPS_A_CHUNK):
                rows = await self.recompute_reps(uow, tenant_id, chunk, month)
                scored += [r.composite_bp for r in rows if r.composite_bp is not None]
                count += len(rows)
            await uow.commit()
        if month is None:
            HEALTHY_SHARE.labels(tenant_id).set(sum(v >= 5_000 for v in scored) / len(scored) if scored else 0)
        RECOMPUTE_SECONDS.labels("tenant").observe(time.perf_counter() - started)
        return count

    async def sweep(self) -> int:
        """Leased: what time alone changes (the 7-day window slides, a month ends): every tenant's current
        month, and the month just ended (its final row)."""
        async with self.uow().reading() as uow:
            tenants = await uow.process_health.tenants()
            now = uow.clock.now()
        total = 0
        for tenant_id in tenants:
            total += await self.recompute_tenant(tenant_id)
            total += await self.recompute_tenant(tenant_id, previous_month(month_of(now)))
        return total
