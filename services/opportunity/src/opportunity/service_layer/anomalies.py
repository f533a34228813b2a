"""Use cases of anomaly flags: the scan (a leased periodic job runs it for
every tenant, a manager or admin runs it now for theirs), the list a manager
(their team) or admin reads, dismissing with a reason, and the tenant's
thresholds. The rules are in domain/anomalies/; a flag never edits data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.ids import new_id

from opportunity.domain.anomalies.backdating import backdating_flag
from opportunity.domain.anomalies.evidence_failures import evidence_failures_flag
from opportunity.domain.anomalies.flags import KINDS, Candidate, Flag, Recorded, dismiss, raise_flag
from opportunity.domain.anomalies.follow_up_moved import follow_up_moved_flag
from opportunity.domain.anomalies.manager import manager_notice, manager_task
from opportunity.domain.anomalies.month_end import month_end_flag
from opportunity.domain.anomalies.months import month_bounds, month_of, previous_month
from opportunity.domain.anomalies.settings import AnomalySettings, parse_settings
from opportunity.domain.anomalies.stuck import stuck_flag
from opportunity.domain.task import new_task
from opportunity.service_layer.common import notify
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
LIST_STATES = ("open", "dismissed", "all")


class AnomalyHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    # --- reading and dismissing ---------------------------------------------------

    async def _reviewable(self, uow: OpportunityUnitOfWork, caller: Caller) -> list[str] | None:
        """The reps whose flags the caller reviews: a manager their team (never
        themself), an admin everyone (None)."""
        caller.require_role(*roles.ANOMALY_REVIEWERS)
        if caller.role == roles.ADMIN:
            return None
        return [r for r in await uow.reps.reps_managed_by(caller.tenant_id, caller.user_id) if r != caller.user_id]

    async def list(self, caller: Caller, *, state: str, rep_id: str, kind: str) -> list[tuple[Flag, str]]:
        """(flag, rep name), newest first."""
        state = state.strip() or "open"
        if state not in LIST_STATES:
            raise InvalidArgument.field("state", f"must be one of {', '.join(LIST_STATES)}")
        kind = kind.strip()
        if kind and kind not in KINDS:
            raise InvalidArgument.field("kind", f"must be one of {', '.join(KINDS)}")
        async with self.uow() as uow:
            rep_ids = await self._reviewable(uow, caller)
            if rep_ids is not None and not rep_ids:
                return []
            flags = await uow.anomalies.list(
                caller.tenant_id, rep_ids=rep_ids, state=state, kind=kind, rep_id=rep_id.strip()[:64]
            )
            names = await uow.anomalies.rep_names(caller.tenant_id, {f.rep_id for f in flags})
        return [(f, names.get(f.rep_id, "")) for f in flags]

    async def dismiss(self, caller: Caller, flag_id: str, reason: str) -> tuple[Flag, str]:
        async with self.uow() as uow:
            rep_ids = await self._reviewable(uow, caller)
            flag = await uow.anomalies.get(caller.tenant_id, flag_id.strip()[:64])
            if flag is None or (rep_ids is not None and flag.rep_id not in rep_ids):
                raise NotFound(f"anomaly flag {flag_id} not found")
            done = dismiss(flag, by=caller.user_id, reason=reason, now=uow.clock.now())
            if not await uow.anomalies.dismiss(done):
                raise Conflict(f"anomaly flag {flag_id} was changed concurrently; try again")
            names = await uow.anomalies.rep_names(caller.tenant_id, [done.rep_id])
            await uow.commit()
        return done, names.get(done.rep_id, "")

    # --- thresholds -----------------------------------------------------------------

    async def settings(self, caller: Caller) -> tuple[int, AnomalySettings]:
        caller.require_role(*roles.SIGNAL_SETTINGS_READERS)
        async with self.uow() as uow:
            return await _settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: dict[str, Any]) -> tuple[int, AnomalySettings]:
        caller.require_role(*roles.SIGNAL_CONFIGURERS)
        parsed = parse_settings(data)
        async with self.uow() as uow:
            new_version = await uow.anomaly_settings.put(
                caller.tenant_id, version, parsed.as_dict(), caller.user_id, uow.clock.now()
            )
            await uow.commit()
        return new_version, parsed

    # --- the scan ---------------------------------------------------------------------

    async def scan_now(self, caller: Caller) -> dict[str, int]:
        caller.require_role(*roles.ANOMALY_REVIEWERS)
        return await self.scan_tenant(caller.tenant_id)

    async def run(self) -> dict[str, int]:
        """Every tenant's scan (the periodic job, under its lease)."""
        async with self.uow() as uow:
            tenants = await uow.anomalies.tenants()
        total: Counter[str] = Counter()
        for tenant_id in tenants:
            total.update(await self.scan_tenant(tenant_id))
        return dict(total)

    async def scan_tenant(self, tenant_id: str) -> dict[str, int]:
        """New flags raised per kind (a rerun raises none for the same occasions)."""
        raised = dict.fromkeys(KINDS, 0)
        async with self.uow() as uow:
            now = uow.clock.now()
            _, settings = await _settings(uow, tenant_id)
            managers = await uow.anomalies.managers(tenant_id)
            for candidate in await _candidates(uow, tenant_id, settings, managers, now):
                flag = raise_flag(candidate, tenant_id=tenant_id, flag_id=new_id(), now=now)
                if not await uow.anomalies.add_unless_exists(flag):
                    continue
                raised[flag.kind] += 1
                manager = managers.get(flag.rep_id, "")
                if manager and manager != flag.rep_id:
                    task = new_task(task_id=new_id(), tenant_id=tenant_id, draft=manager_task(flag, manager), now=now)
                    await uow.tasks.add_unless_exists(task)
                    await notify(uow, tenant_id, manager_notice(flag, manager))
            await uow.commit()
        return raised


async def _settings(uow: OpportunityUnitOfWork, tenant_id: str) -> tuple[int, AnomalySettings]:
    """The tenant's thresholds (version 0 = the defaults, never saved)."""
    found = await uow.anomaly_settings.get(tenant_id)
    if found is None:
        return 0, AnomalySettings()
    version, data = found
    return version, parse_settings(data)


async def _candidates(
    uow: OpportunityUnitOfWork, tenant_id: str, settings: AnomalySettings, managers: dict[str, str], now: datetime
) -> list[Candidate]:
    out: list[Candidate] = []
    this_month = month_of(now)
    last_month = previous_month(this_month)
    first = this_month
    for _ in range(settings.history_months + 1):
        first = previous_month(first)
    since, _ = month_bounds(first)

    by_rep: dict[str, list[Recorded]] = defaultdict(list)
    for a in await uow.anomalies.recorded_since(tenant_id, since):
        by_rep[a.actor_id].append(a)
    for rep_id, acts in sorted(by_rep.items()):
        found = [
            month_end_flag(rep_id, [a.recorded_at for a in acts], last_month, settings),
            backdating_flag(rep_id, acts, last_month, settings),
            backdating_flag(rep_id, acts, this_month, settings),
            evidence_failures_flag(rep_id, acts, now, settings),
        ]
        out.extend(c for c in found if c is not None)

    # Stuck: the stage's allowed days, or the p90 of the team's completed stays there.
    max_days: dict[tuple[str, str], int | None] = {}
    for pipeline in await uow.pipelines.list(tenant_id):
        for stage in pipeline.stages:
            max_days[(pipeline.pipeline_id, stage.name)] = stage.max_days
    team_days: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for owner_id, pipeline_id, stage, days in await uow.anomalies.completed_stays(tenant_id):
        team_days[(managers.get(owner_id, ""), pipeline_id, stage)].append(days)
    for stay in await uow.anomalies.open_stays(tenant_id):
        hit = stuck_flag(
            stay,
            max_days=max_days.get((stay.pipeline_id, stay.stage)),
            team_days=team_days.get((managers.get(stay.owner_id, ""), stay.pipeline_id, stay.stage), []),
            now=now,
            settings=settings,
        )
        if hit is not None:
            out.append(hit)

    for customer_id, name, owner_id, moves, next_at in await uow.anomalies.follow_up_flagged(tenant_id):
        hit = follow_up_moved_flag(
            customer_id=customer_id,
            customer_name=name,
            owner_id=owner_id,
            moves=moves,
            flagged=True,
            next_follow_up_at=next_at,
        )
        if hit is not None:
            out.append(hit)
    return out
