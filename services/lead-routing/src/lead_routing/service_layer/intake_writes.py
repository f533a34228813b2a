"""What an intake writes and reads besides the lead itself: the tenant's field
types kept between intakes, the writes of one intake or of an import's batch
stored together, and the stored leads new ones are tested against for
duplicates."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager

from crm_shared.db import in_chunks
from google.protobuf.message import Message

from lead_routing.domain.duplicates import DuplicateIndex, KnownLead, Match, name_probes
from lead_routing.domain.lead import Lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.sla import TakeCheck, check_take
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork


class FieldTypes:
    """Each tenant's own lead field types, kept between intakes. A field is
    only ever added, never removed nor given another type (define_field
    refuses that), so kept types that name every field an intake gives
    answer as the table would; a name they do not know — defined since,
    perhaps through another replica, or not a field at all — reads the table
    again. No statement for intakes without custom fields."""

    def __init__(self) -> None:
        self._kept: dict[str, dict[str, str]] = {}

    async def covering(self, uow: LeadRoutingUnitOfWork, tenant_id: str, names: set[str]) -> dict[str, str]:
        kept = self._kept.get(tenant_id, {})
        if not names <= kept.keys():
            kept = self._kept[tenant_id] = await uow.leads.custom_field_types(tenant_id)
        return kept


class Writes:
    """What an intake stores, stored at once: a single intake, or an import's
    rows each on its own (`alone`) when storing them together was refused."""

    def __init__(self, uow: LeadRoutingUnitOfWork, *, alone: bool = False) -> None:
        self.uow = uow
        self._alone = alone

    def alone(self) -> AbstractAsyncContextManager[None]:
        return self.uow.leads.alone() if self._alone else contextlib.nullcontext()

    async def lead(self, tenant_id: str, lead_id: str) -> Lead | None:
        return await self.uow.leads.get(tenant_id, lead_id)

    async def add(self, lead: Lead) -> None:
        await self.uow.leads.add(lead)

    async def update(self, lead: Lead, previous: Lead) -> None:
        await self.uow.leads.update(lead, previous)

    async def owner_change(self, tenant_id: str, change: OwnerChange) -> None:
        await self.uow.assignments.add_owner_changes(tenant_id, [change])

    async def publish(self, type_: str, tenant_id: str, aggregate_id: str, payload: Message) -> None:
        await self.uow.publish(type_, tenant_id, aggregate_id, payload)

    async def check_capacity(self, tenant_id: str, rep_id: str) -> None:
        """A rep's own new lead counts against their capacity as a claim does;
        a rep without a profile has no capacity set. The rep's row is locked
        first, as a claim locks it, so of two intakes at once by a rep one below
        capacity only one is stored (the other counts the first's lead)."""
        rep = await self.uow.reps.get(tenant_id, rep_id, lock=True)
        if rep is not None:
            held = (await self.uow.leads.open_leads_by_rep(tenant_id, [rep_id])).get(rep_id, 0)
            check_take(TakeCheck(rep_id=rep_id, capacity=rep.capacity, open_leads=held), self.uow.clock.now())


class Batch(Writes):
    """Writes of an import or a group of intakes kept until flush(): the new
    leads, the final state of each merged lead, owner changes and events each
    stored in a few statements. The leads it holds are read from it, as
    stored, and those read() ahead are not read again."""

    def __init__(self, uow: LeadRoutingUnitOfWork) -> None:
        super().__init__(uow)
        self.new: dict[str, Lead] = {}
        self.merged: dict[str, tuple[Lead, Lead]] = {}  # lead id -> (now, as read)
        self.changes: dict[str, list[OwnerChange]] = {}
        self.events: list[tuple[str, str, str, Message]] = []
        self.held: dict[tuple[str, str], tuple[int, int | None]] = {}  # (tenant, rep) -> (open leads, capacity)
        self.stored: dict[str, Lead] = {}  # read ahead, as stored

    async def read(self, tenant_id: str, lead_ids: Iterable[str]) -> None:
        self.stored |= {x.lead_id: x for x in await self.uow.leads.get_many(tenant_id, lead_ids)}

    async def lead(self, tenant_id: str, lead_id: str) -> Lead | None:
        if (new := self.new.get(lead_id)) is not None:
            return new
        if (merged := self.merged.get(lead_id)) is not None:
            return merged[0]
        if (stored := self.stored.get(lead_id)) is not None:
            return stored
        return await super().lead(tenant_id, lead_id)

    async def add(self, lead: Lead) -> None:
        self.new[lead.lead_id] = lead

    async def update(self, lead: Lead, previous: Lead) -> None:
        if lead.lead_id in self.new:
            self.new[lead.lead_id] = lead
        else:
            self.merged[lead.lead_id] = (lead, self.merged.get(lead.lead_id, (lead, previous))[1])

    async def owner_change(self, tenant_id: str, change: OwnerChange) -> None:
        self.changes.setdefault(tenant_id, []).append(change)
        rep = (tenant_id, change.owner_id or "")
        if rep in self.held:
            held, capacity = self.held[rep]
            self.held[rep] = (held + 1, capacity)

    async def publish(self, type_: str, tenant_id: str, aggregate_id: str, payload: Message) -> None:
        self.events.append((type_, tenant_id, aggregate_id, payload))

    async def check_capacity(self, tenant_id: str, rep_id: str) -> None:
        """As for one intake, the rep locked and counted once for the file;
        each of its new leads counts from then on."""
        if (tenant_id, rep_id) not in self.held:
            rep = await self.uow.reps.get(tenant_id, rep_id, lock=True)
            held = (await self.uow.leads.open_leads_by_rep(tenant_id, [rep_id])).get(rep_id, 0) if rep else 0
            self.held[tenant_id, rep_id] = (held, rep.capacity if rep is not None else None)
        held, capacity = self.held[tenant_id, rep_id]
        if capacity is not None:
            check_take(TakeCheck(rep_id=rep_id, capacity=capacity, open_leads=held), self.uow.clock.now())

    async def flush(self) -> None:
        for chunk in in_chunks(list(self.new.values())):
            await self.uow.leads.add_many(chunk)
        await self.uow.leads.update_many(list(self.merged.values()))
        for tenant_id, changes in self.changes.items():
            await self.uow.assignments.add_owner_changes(tenant_id, changes)
        for chunk in in_chunks(self.events):
            await self.uow.publish_many(chunk)


class Candidates:
    """The leads new ones are tested against for duplicates: each credit
    code and phone read from the database once, plus what was stored
    meanwhile. For the similar-name test a single intake reads only the
    leads of its city sharing enough of the name's bigrams (the
    lead_name_grams index); an import (`whole_cities`) reads each city of its
    file once and probes it in memory, one read instead of one per row."""

    def __init__(self, uow: LeadRoutingUnitOfWork, *, whole_cities: bool = False) -> None:
        self.uow = uow
        self.whole_cities = whole_cities
        self.index = DuplicateIndex()
        self.loaded: set[tuple[str, str]] = set()
        self.read_ids: set[str] = set()  # the stored leads read

    async def match(self, lead: Lead) -> Match | None:
        """What the lead duplicates. The same code or phone outranks a similar
        name, so names are looked up only when they match nothing."""
        await self._load(lead, set(_keys(lead)[:2]))
        found = self.index.find(lead)
        if lead.city and (found is None or found.matched_by == "similar_name"):
            if self.whole_cities:
                await self._load(lead, {("city", lead.city)})
            else:
                probes = name_probes(lead.company_name)
                self._keep(await self.uow.leads.similar_name_candidates(lead.tenant_id, lead.city, probes))
            found = self.index.find(lead)
        return found

    async def preload(self, new: list[Lead]) -> None:
        """Read at once what the leads (an import's rows or a group of intakes,
        one tenant's) could duplicate by code or phone, and for a file by city."""
        if new:
            wanted = {(kind, value) for lead in new for kind, value in _keys(lead)[: 3 if self.whole_cities else 2]}
            await self._load(new[0], wanted)

    async def _load(self, lead: Lead, wanted: set[tuple[str, str]]) -> None:
        new = {(kind, value) for kind, value in wanted if value} - self.loaded
        if not new:
            return
        self._keep(
            await self.uow.leads.duplicate_candidates(
                lead.tenant_id,
                codes=[v for k, v in new if k == "code"],
                phones=[v for k, v in new if k == "phone"],
                cities=[v for k, v in new if k == "city"],
            )
        )
        self.loaded |= new

    def _keep(self, read: list[KnownLead]) -> None:
        for known in read:
            self.read_ids.add(known.lead_id)
            if known.lead_id not in self.index:  # one stored meanwhile is kept as stored
                self.index.add(known)

    def stored(self, lead: Lead) -> None:
        self.index.add(lead)


def _keys(lead: Lead) -> list[tuple[str, str]]:
    return [("code", lead.credit_code or ""), ("phone", lead.phone or ""), ("city", lead.city)]
