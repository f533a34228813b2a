"""Dict-backed stand-ins for lead-routing's repositories (crm_shared.testing),
enough for the handlers' unit tests: what the real ones do, over `items()`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from crm_shared.business_calendar import business_day
from crm_shared.clock import FixedClock
from crm_shared.testing import FakeRepository, FakeUnitOfWork
from lead_routing.domain.assignment import Assignment
from lead_routing.domain.distributor import Distributor
from lead_routing.domain.duplicates import KnownLead
from lead_routing.domain.lead import Lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.pool import StoredRanking
from lead_routing.domain.rep import Rep, RepState
from lead_routing.domain.rule_set import RuleVersion

from tests.unit.lead_routing.factories import NOW


class FakeLeads(FakeRepository[Lead]):
    id_field = "lead_id"

    def __init__(self, items: Iterable[Lead] = (), custom: dict[str, str] | None = None) -> None:
        super().__init__(items)
        self.custom = custom or {}
        self.imports: list[tuple[str, str, object]] = []

    async def update(self, lead: Lead, previous: Lead | None = None) -> None:
        self.put(lead)

    async def update_many(self, changed: Sequence[tuple[Lead, Lead | None]]) -> None:
        for lead, previous in changed:
            await self.update(lead, previous)

    async def get_many(self, tenant_id: str, lead_ids: Iterable[str]) -> list[Lead]:
        return [x for lead_id in set(lead_ids) if (x := await self.get(tenant_id, lead_id)) is not None]

    async def add_many(self, new: Sequence[Lead]) -> None:
        for lead in new:
            await self.add(lead)

    async def add_import(self, tenant_id: str, import_id: str, filename: str, actor_id: str, now, report) -> None:
        self.imports.append((tenant_id, import_id, report))

    @asynccontextmanager
    async def alone(self) -> AsyncIterator[None]:
        yield

    async def custom_field_types(self, tenant_id: str) -> dict[str, str]:
        return dict(self.custom)

    async def duplicate_candidates(self, tenant_id: str, *, codes, phones, cities) -> list[KnownLead]:
        codes, phones, cities = set(codes), set(phones), set(cities)
        return [
            KnownLead(x.lead_id, x.company_name, x.credit_code, x.phone, x.city, x.created_at)
            for x in self.items(tenant_id)
            if x.credit_code in codes or x.phone in phones or x.city in cities
        ]

    async def similar_name_candidates(self, tenant_id: str, city: str, probes) -> list[KnownLead]:
        return await self.duplicate_candidates(tenant_id, codes=(), phones=(), cities=(city,))  # no index: the city

    async def open_leads(self, tenant_id: str, lead_ids: Sequence[str] | None = None) -> list[Lead]:
        return [x for x in self.items(tenant_id, status="open") if lead_ids is None or x.lead_id in lead_ids]

    async def open_leads_by_rep(self, tenant_id: str, rep_ids: Iterable[str] | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for x in self.items(tenant_id, status="open"):
            if x.owner_id and (rep_ids is None or x.owner_id in rep_ids):
                out[x.owner_id] = out.get(x.owner_id, 0) + 1
        return out

    async def change_owners(self, tenant_id: str, picks, expected: str | None, now: datetime) -> set[str]:
        taken = set()
        for lead_id, owner in picks:
            found = self.rows.get((tenant_id, lead_id))
            if found and found.status == "open" and found.owner_id == expected:
                self.put(replace(found, owner_id=owner, updated_at=now))
                taken.add(lead_id)
        return taken

    async def idle(self, idle_since: datetime) -> int:
        return 0


class FakeReps(FakeRepository[Rep]):
    id_field = "rep_id"

    def __init__(self, items: Iterable[Rep] = (), leads: FakeLeads | None = None) -> None:
        super().__init__(items)
        self.leads = leads or FakeLeads()
        self.locked: list[str] = []

    async def get(self, tenant_id: str, rep_id: str, *, lock: bool = False) -> Rep | None:
        if lock:
            self.locked.append(rep_id)
        return self.rows.get((tenant_id, rep_id))

    async def lock(self, tenant_id: str, rep_id: str) -> None:
        self.locked.append(rep_id)

    async def managed_by(self, tenant_id: str, manager_id: str) -> frozenset[str]:
        return frozenset(r.rep_id for r in self.items(tenant_id, manager_id=manager_id))

    async def states(self, tenant_id: str, now: datetime) -> list[RepState]:
        held = await self.leads.open_leads_by_rep(tenant_id)
        return [RepState(r, business_day(now), held.get(r.rep_id, 0)) for r in self.items(tenant_id)]

    async def state(self, tenant_id: str, rep_id: str, now: datetime) -> RepState | None:
        self.locked.append(rep_id)
        return next((s for s in await self.states(tenant_id, now) if s.rep_id == rep_id), None)


class FakeRules:
    """Saved rule versions; none active means the default route and formula."""

    def __init__(self, versions: Iterable[RuleVersion] = (), active: dict[str, int] | None = None) -> None:
        self.saved = {(v.tenant_id, v.kind, v.version): v for v in versions}
        self.active = active or {}
        self.fields = 0  # the tenant's own lead fields (the catalogue's version)
        self.reads = 0  # versions read (each a compile when the book had none)

    async def stamp(self, tenant_id: str) -> tuple[int, int, int]:
        return self.active.get("routes", 0), self.active.get("formula", 0), self.fields

    async def version(self, tenant_id: str, kind: str, version: int) -> RuleVersion | None:
        self.reads += 1
        return self.saved.get((tenant_id, kind, version))


class FakeAssignments(FakeRepository[Assignment]):
    id_field = "assignment_id"

    def __init__(self, items: Iterable[Assignment] = ()) -> None:
        super().__init__(items)
        self.changes: list[OwnerChange] = []
        self.barred: dict[tuple[str, str], datetime] = {}
        self.claims_today = 0

    async def add(self, done: Sequence[Assignment]) -> None:  # type: ignore[override]
        for a in done:
            self.put(a)

    async def current(self, tenant_id: str, lead_id: str) -> Assignment | None:
        return next((a for a in self.items(tenant_id, lead_id=lead_id) if a.ended_at is None), None)

    async def end_current(self, tenant_id: str, lead_ids: Sequence[str], reason: str, at: datetime) -> None:
        for a in self.items(tenant_id):
            if a.lead_id in lead_ids and a.ended_at is None:
                self.put(replace(a, ended_at=at, end_reason=reason))

    async def end(self, assignment_id: str, reason: str, at: datetime) -> bool:
        a = next((x for x in self.items() if x.assignment_id == assignment_id and x.ended_at is None), None)
        if a is None:
            return False
        self.put(replace(a, ended_at=at, end_reason=reason))
        return True

    async def mark_touched(self, assignment_id: str, at: datetime) -> bool:
        a = next((x for x in self.items() if x.assignment_id == assignment_id and x.first_touched_at is None), None)
        if a is None:
            return False
        self.put(replace(a, first_touched_at=at))
        return True

    async def overdue(self, now: datetime, limit: int) -> list[Assignment]:
        late = [
            a for a in self.items() if a.ended_at is None and a.first_touched_at is None and a.first_touch_due <= now
        ]
        return sorted(late, key=lambda a: a.first_touch_due)[:limit]

    async def claims_between(self, tenant_id: str, rep_id: str, start: datetime, end: datetime) -> int:
        return self.claims_today + len(
            [a for a in self.items(tenant_id, rep_id=rep_id, mode="claim") if start <= a.assigned_at < end]
        )

    async def cooldowns(self, tenant_id: str, lead_ids: Sequence[str]) -> dict[tuple[str, str], datetime]:
        return {k: v for k, v in self.barred.items() if k[0] in lead_ids}

    async def set_cooldown(self, tenant_id: str, lead_id: str, rep_id: str, until: datetime) -> None:
        self.barred[(lead_id, rep_id)] = until

    async def add_owner_changes(self, tenant_id: str, changes: Sequence[OwnerChange]) -> None:
        self.changes += changes


class FakePool:
    def __init__(self) -> None:
        self.ranking: dict[str, Any] = {}
        self.pushed: set[tuple[str, str]] = set()
        self.reranks: list[str] = []

    async def lock(self, tenant_id: str) -> None:
        pass

    async def lock_leads(self, tenant_id: str, lead_ids) -> None:
        pass

    async def replace_ranking(self, tenant_id: str, lead_ids, ranking: StoredRanking) -> None:
        for lead_id, *route in ranking.routes:
            self.ranking[lead_id] = route

    async def pushed_pairs(self, tenant_id: str, lead_ids) -> set[tuple[str, str]]:
        return set(self.pushed)

    async def record_pushes(self, tenant_id: str, pushes, at: datetime) -> None:
        self.pushed |= {(lead_id, rep_id) for lead_id, rep_id, _ in pushes}

    async def request_rerank(self, tenant_id: str, reason: str, at: datetime) -> None:
        self.reranks.append(reason)


class FakeDistributors(FakeRepository[Distributor]):
    id_field = "distributor_id"

    async def of_user(self, tenant_id: str, user_id: str) -> Distributor | None:
        return next((d for d in self.items(tenant_id) if user_id in d.users), None)

    async def list(self, tenant_id: str, *, active=None, channel_manager_id: str = "", ids=None) -> list[Distributor]:
        return sorted(
            (
                d
                for d in self.items(tenant_id)
                if (active is None or d.active == active)
                and (not channel_manager_id or d.channel_manager_id == channel_manager_id)
                and (ids is None or d.distributor_id in ids)
            ),
            key=lambda d: d.distributor_id,
        )

    async def save(self, distributor: Distributor, *, before: Distributor) -> bool:
        if self.rows[self.key(before)].version != before.version:
            return False
        self.put(distributor)
        return True


def unit_of_work(
    leads: Iterable[Lead] = (),
    reps: Iterable[Rep] = (),
    assignments: Iterable[Assignment] = (),
    rules: FakeRules | None = None,
    clock: Any = None,
    distributors: Iterable[Distributor] = (),
) -> FakeUnitOfWork:
    lead_repo = FakeLeads(leads)
    return FakeUnitOfWork(
        clock or FixedClock(NOW),
        leads=lead_repo,
        reps=FakeReps(reps, lead_repo),
        rules=rules or FakeRules(),
        assignments=FakeAssignments(assignments),
        pool=FakePool(),
        distributors=FakeDistributors(distributors),
    )
