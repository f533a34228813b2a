"""Leads in: one at a time or a whole file, each a new lead or merged into
the open lead it duplicates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from crm.events.v1 import lead_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import DomainError, FieldViolation, InvalidArgument
from crm_shared.ids import new_id

from lead_routing.domain.address import Place, resolve_many
from lead_routing.domain.duplicates import DuplicateIndex, KnownLead, Match, merge, name_probes
from lead_routing.domain.imports import ImportReport, RowOutcome, column_for, parse_rows
from lead_routing.domain.lead import Lead, LeadData, intake_owner, intake_source, new_lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.sla import TakeCheck, check_take
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import may_see

UowFactory = Callable[[], LeadRoutingUnitOfWork]


@dataclass(frozen=True)
class Ingested:
    lead: Lead
    match: Match | None
    merged: bool
    visible: bool  # whether the caller may see `lead` (a merge may land in someone else's lead)


class IntakeHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def ingest(self, caller: Caller, cmd: LeadData) -> Ingested:
        """A new lead, or the open lead it duplicates with the new details
        merged in, and what it matched."""
        caller.require_role(*roles.LEAD_INTAKE)
        async with self.uow() as uow:
            types = await uow.leads.custom_field_types(caller.tenant_id)
            result = await self._ingest_in(uow, caller, cmd, types, None, _Candidates(uow))
            await uow.commit()
        return result

    async def import_leads(self, caller: Caller, filename: str, content: bytes) -> tuple[str, ImportReport]:
        """A whole file in one request; each row stands alone (stored on its
        own), so a bad row is reported and the others go on."""
        caller.require_role(*roles.LEAD_IMPORTERS)
        import_id = new_id()
        async with self.uow() as uow:
            types = await uow.leads.custom_field_types(caller.tenant_id)
            parsed = parse_rows(filename, content, types)
            places = resolve_many(
                f"{p.data.province}{p.data.city}{p.data.district}{p.data.address}" if p.data else "" for p in parsed
            )
            outcomes: list[RowOutcome] = []
            candidates = _Candidates(uow, whole_cities=True)
            for row, place in zip(parsed, places, strict=True):
                if row.data is None:
                    outcomes.append(RowOutcome(row.row, "rejected", errors=row.errors))
                    continue
                name = row.data.company_name
                try:
                    async with uow.leads.alone():
                        done = await self._ingest_in(uow, caller, row.data, types, place, candidates)
                except InvalidArgument as exc:
                    errors = [FieldViolation(column_for(v.field), v.description) for v in exc.violations]
                    outcomes.append(RowOutcome(row.row, "rejected", name, errors=errors))
                    continue
                except DomainError as exc:
                    outcomes.append(RowOutcome(row.row, "rejected", name, errors=[FieldViolation("", exc.message)]))
                    continue
                candidates.stored(done.lead)  # the next rows are tested against it too
                outcomes.append(
                    RowOutcome(
                        row.row,
                        "merged" if done.merged else "accepted",
                        name,
                        lead_id=done.lead.lead_id,
                        matched_lead_id=done.match.lead.lead_id if done.match else "",
                        matched_by=done.match.matched_by if done.match else "",
                        # as a single intake's merge answer: the sources the lead now has, if the caller may see it
                        sources=tuple(done.lead.sources) if done.merged and done.visible else (),
                    )
                )
            report = ImportReport(outcomes)
            await uow.leads.add_import(caller.tenant_id, import_id, filename, caller.user_id, uow.clock.now(), report)
            await uow.commit()
        return import_id, report

    async def _ingest_in(
        self,
        uow: LeadRoutingUnitOfWork,
        caller: Caller,
        cmd: LeadData,
        types: dict[str, str],
        place: Place | None,
        candidates: _Candidates,
    ) -> Ingested:
        """Store the lead, or merge it into the open lead it duplicates among
        `candidates` (an import keeps them for its whole file)."""
        cmd = replace(cmd, source=intake_source(cmd.source, caller.role))
        lead = new_lead(
            lead_id=new_id(),
            tenant_id=caller.tenant_id,
            owner_id=intake_owner(caller.user_id, caller.role),
            created_by=caller.user_id,
            now=uow.clock.now(),
            data=cmd,
            custom_types=types,
            place=place,
        )
        match = await candidates.match(lead)
        existing = await uow.leads.get(lead.tenant_id, match.lead.lead_id) if match else None
        if match and existing and existing.status == "open":
            merged = merge(existing, lead, uow.clock.now())
            await uow.leads.update(merged, existing)
            touch = lead.all_touches[0]
            await uow.publish(
                "lead.merged",
                merged.tenant_id,
                merged.lead_id,
                lead_pb2.LeadMerged(
                    lead_id=merged.lead_id,
                    matched_by=match.matched_by,
                    source=lead.source,
                    sources=list(merged.sources),
                    channel=touch.channel,
                    campaign=touch.campaign,
                ),
            )
            visible = await may_see(uow, caller, merged)
            return Ingested(merged.as_seen_by(caller.user_id, caller.role), match, True, visible)
        # A converted or lost lead is history: keep the new enquiry, say what it matched.
        if lead.owner_id:
            await self._check_capacity(uow, lead.tenant_id, lead.owner_id)
        await uow.leads.add(lead)
        if lead.owner_id:  # a rep's own lead is theirs from the start
            await uow.assignments.add_owner_changes(
                lead.tenant_id,
                [OwnerChange("intake", lead.lead_id, caller.user_id, lead.created_at, None, lead.owner_id)],
            )
        await uow.publish(
            "lead.created",
            lead.tenant_id,
            lead.lead_id,
            lead_pb2.LeadCreated(
                lead_id=lead.lead_id,
                company_name=lead.company_name,
                credit_code=lead.credit_code or "",
                phone=lead.phone or "",
                source=lead.source,
                owner_id=lead.owner_id or "",
            ),
        )
        return Ingested(lead, match, False, True)

    @staticmethod
    async def _check_capacity(uow: LeadRoutingUnitOfWork, tenant_id: str, rep_id: str) -> None:
        """A rep's own new lead counts against their capacity as a claim does;
        a rep without a profile has no capacity set. The rep's row is locked
        first, as a claim locks it, so of two intakes at once by a rep one below
        capacity only one is stored (the other counts the first's lead)."""
        rep = await uow.reps.get(tenant_id, rep_id, lock=True)
        if rep is not None:
            held = (await uow.leads.open_leads_by_rep(tenant_id, [rep_id])).get(rep_id, 0)
            check_take(TakeCheck(rep_id=rep_id, capacity=rep.capacity, open_leads=held), uow.clock.now())


class _Candidates:
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

    async def match(self, lead: Lead) -> Match | None:
        """What the lead duplicates. The same code or phone outranks a similar
        name, so names are looked up only when they match nothing."""
        await self._load(lead, {("code", lead.credit_code or ""), ("phone", lead.phone or "")})
        found = self.index.find(lead)
        if lead.city and (found is None or found.matched_by == "similar_name"):
            if self.whole_cities:
                await self._load(lead, {("city", lead.city)})
            else:
                probes = name_probes(lead.company_name)
                self._keep(await self.uow.leads.similar_name_candidates(lead.tenant_id, lead.city, probes))
            found = self.index.find(lead)
        return found

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
            if known.lead_id not in self.index:  # one stored meanwhile is kept as stored
                self.index.add(known)

    def stored(self, lead: Lead) -> None:
        self.index.add(lead)
