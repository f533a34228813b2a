"""Leads in: one at a time or a whole file, each a new lead or merged into
the open lead it duplicates."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from crm.events.v1 import lead_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, DomainError, FieldViolation, InvalidArgument
from crm_shared.ids import new_id

from lead_routing.domain.address import Place, resolve_many
from lead_routing.domain.duplicates import Match, merge
from lead_routing.domain.imports import ImportReport, ParsedRow, RowOutcome, column_for, parse_rows
from lead_routing.domain.lead import Lead, LeadData, intake_owner, intake_source, new_lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.service_layer.intake_writes import Batch, Candidates, FieldTypes, Writes
from lead_routing.service_layer.partners import partner_or_none
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from lead_routing.service_layer.visible import may_see

UowFactory = Callable[[], LeadRoutingUnitOfWork]


@dataclass(frozen=True)
class Ingested:
    lead: Lead
    match: Match | None
    merged: bool
    visible: bool  # whether the caller may see `lead` (a merge may land in someone else's lead)


# Intakes of one tenant waiting while others are stored are stored together, at most this many.
GROUP_LIMIT = 64


@dataclass
class _Waiting:
    """An intake waiting for its group to be stored, and what it is told."""

    caller: Caller
    cmd: LeadData
    told: asyncio.Future[Ingested] = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    def tell(self, outcome: Ingested | BaseException) -> None:
        if self.told.done():  # the caller went away
            return
        if isinstance(outcome, BaseException):
            self.told.set_exception(outcome)
        else:
            self.told.set_result(outcome)


class IntakeHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow
        self.field_types = FieldTypes()
        self._waiting: dict[str, list[_Waiting]] = {}  # tenant -> intakes not yet being stored
        self._storing: dict[str, asyncio.Task[None]] = {}  # tenant -> the task storing its groups

    async def ingest(self, caller: Caller, cmd: LeadData) -> Ingested:
        """A new lead, or the open lead it duplicates with the new details
        merged in, and what it matched. Group commit: an intake arriving while
        the tenant's previous ones are being stored waits for them, then all
        that waited are decided in order (each against the stored leads and
        those before it, as an import's rows) and stored in one unit of work;
        alone, an intake is stored at once."""
        caller.require_role(*roles.LEAD_INTAKE)
        waiting = _Waiting(caller, cmd)
        self._waiting.setdefault(caller.tenant_id, []).append(waiting)
        if caller.tenant_id not in self._storing:
            self._storing[caller.tenant_id] = asyncio.create_task(self._store_waiting(caller.tenant_id))
        return await waiting.told

    async def ingest_within(self, uow: LeadRoutingUnitOfWork, caller: Caller, cmd: LeadData) -> Ingested:
        """ingest() inside a unit of work the caller opened and commits: for a
        use case whose lead is stored together with its own changes (an
        approved registration's lead, say). The same rules and writes."""
        types = await self.field_types.covering(uow, caller.tenant_id, set(cmd.custom_fields))
        [done] = await self._ingest_all(uow, [(caller, _new_lead(uow, caller, cmd, types, None))], fall_back=False)
        if isinstance(done, DomainError):
            raise done
        return done

    async def _store_waiting(self, tenant_id: str) -> None:
        try:
            while group := self._waiting.get(tenant_id):
                self._waiting[tenant_id] = group[GROUP_LIMIT:]
                await self._store_group(tenant_id, group[:GROUP_LIMIT])
        finally:
            del self._storing[tenant_id]
            for waiting in self._waiting.pop(tenant_id, []):  # only when stopped midway
                waiting.tell(asyncio.CancelledError("intake stopped"))

    async def _store_group(self, tenant_id: str, group: list[_Waiting]) -> None:
        outcomes: list[Ingested | BaseException] = []
        try:
            async with self.uow() as uow:
                names = {name for w in group for name in w.cmd.custom_fields}
                types = await self.field_types.covering(uow, tenant_id, names)
                valid: list[tuple[Caller, Lead]] = []
                for w in group:
                    try:
                        partner = await partner_or_none(uow, w.caller)  # a partner enters leads for a current one
                        entered_for = partner.distributor_id if partner else ""
                        valid.append((w.caller, _new_lead(uow, w.caller, w.cmd, types, None, entered_for)))
                        outcomes.append(None)  # type: ignore[arg-type]  # filled below
                    except DomainError as exc:
                        outcomes.append(exc)
                stored = iter(await self._ingest_all(uow, valid, fall_back=len(valid) > 1) if valid else [])
                outcomes = [next(stored) if o is None else o for o in outcomes]
                await uow.commit()
        except BaseException as exc:  # nothing stored: every intake of the group hears why
            for w in group:
                w.tell(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for w, outcome in zip(group, outcomes, strict=True):
            w.tell(outcome)

    async def import_leads(self, caller: Caller, filename: str, content: bytes) -> tuple[str, ImportReport]:
        """A whole file in one request and one transaction (a failure stores
        none of it, so a retry doubles nothing); each row stands alone: a bad
        row is reported and the others go on. The rows are decided in memory
        against the leads their codes, phones and cities read at once, and
        stored together, as concurrent single intakes are."""
        caller.require_role(*roles.LEAD_IMPORTERS)
        import_id = new_id()
        async with self.uow() as uow:
            # Read, not kept: a file's headers name the fields, a header unknown is not a field.
            types = await uow.leads.custom_field_types(caller.tenant_id)
            parsed = parse_rows(filename, content, types)
            places = resolve_many(
                f"{p.data.province}{p.data.city}{p.data.district}{p.data.address}" if p.data else "" for p in parsed
            )
            rows = [_read_row(uow, caller, row, types, place) for row, place in zip(parsed, places, strict=True)]
            valid = [(row, lead) for row, lead in rows if isinstance(lead, Lead)]
            stored = iter(await self._ingest_all(uow, [(caller, lead) for _, lead in valid], whole_cities=True))
            outcomes = [
                lead if isinstance(lead, RowOutcome) else _row_outcome(row, lead, next(stored)) for row, lead in rows
            ]
            report = ImportReport(outcomes)
            await uow.leads.add_import(caller.tenant_id, import_id, filename, caller.user_id, uow.clock.now(), report)
            await uow.commit()
        return import_id, report

    async def _ingest_all(
        self,
        uow: LeadRoutingUnitOfWork,
        intakes: Sequence[tuple[Caller, Lead]],
        *,
        whole_cities: bool = False,
        fall_back: bool = True,
    ) -> list[Ingested | DomainError]:
        """The leads (one tenant's) decided in memory in order, each against
        the stored leads their codes and phones (and, for a file, cities) read
        at once and the leads before it, and stored together in a few
        statements. Each stands alone: one the rules refuse is told why and the
        others go on. Should the database refuse them together (no lead the
        rules accept should make it), they are stored again one by one, each
        on its own (`fall_back`), so only the refused one is refused."""
        try:
            async with uow.leads.alone() if fall_back else contextlib.nullcontext():
                candidates = Candidates(uow, whole_cities=whole_cities)
                await candidates.preload([lead for _, lead in intakes])
                batch = Batch(uow)
                if not whole_cities and intakes:  # the leads a code or phone may merge into, in one read
                    await batch.read(intakes[0][1].tenant_id, candidates.read_ids)
                done = await self._each(uow, intakes, candidates, batch)
                await batch.flush()
        except Conflict:
            if not fall_back:
                raise
            candidates = Candidates(uow, whole_cities=whole_cities)
            done = await self._each(uow, intakes, candidates, Writes(uow, alone=True))
        return done

    async def _each(
        self,
        uow: LeadRoutingUnitOfWork,
        intakes: Sequence[tuple[Caller, Lead]],
        candidates: Candidates,
        writes: Writes,
    ) -> list[Ingested | DomainError]:
        done: list[Ingested | DomainError] = []
        for caller, lead in intakes:
            try:
                async with writes.alone():
                    ingested = await self._ingest_in(uow, caller, lead, candidates, writes)
            except DomainError as exc:
                done.append(exc)
                continue
            candidates.stored(ingested.lead)  # the next ones are tested against it too
            done.append(ingested)
        return done

    async def _ingest_in(
        self,
        uow: LeadRoutingUnitOfWork,
        caller: Caller,
        lead: Lead,
        candidates: Candidates,
        writes: Writes,
    ) -> Ingested:
        """Store the lead, or merge it into the open lead it duplicates among
        `candidates` (an import keeps them for its whole file), through `writes`."""
        match = await candidates.match(lead)
        existing = await writes.lead(lead.tenant_id, match.lead.lead_id) if match else None
        if match and existing and existing.status == "open":
            merged = merge(existing, lead, uow.clock.now())
            await writes.update(merged, existing)
            touch = lead.all_touches[0]
            await writes.publish(
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
            await writes.check_capacity(lead.tenant_id, lead.owner_id)
        await writes.add(lead)
        if lead.owner_id:  # a rep's own lead is theirs from the start
            await writes.owner_change(
                lead.tenant_id,
                OwnerChange("intake", lead.lead_id, caller.user_id, lead.created_at, None, lead.owner_id),
            )
        await writes.publish(
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


def _new_lead(
    uow: LeadRoutingUnitOfWork,
    caller: Caller,
    cmd: LeadData,
    types: dict[str, str],
    place: Place | None,
    entered_for: str = "",
) -> Lead:
    """The caller's new lead, validated (InvalidArgument naming each field);
    `entered_for` the distributor a partner caller acts for, never from the body."""
    return new_lead(
        lead_id=new_id(),
        tenant_id=caller.tenant_id,
        owner_id=intake_owner(caller.user_id, caller.role),
        created_by=caller.user_id,
        now=uow.clock.now(),
        data=replace(cmd, source=intake_source(cmd.source, caller.role)),
        custom_types=types,
        place=place,
        entered_for=entered_for,
    )


def _read_row(
    uow: LeadRoutingUnitOfWork, caller: Caller, row: ParsedRow, types: dict[str, str], place: Place | None
) -> tuple[ParsedRow, Lead | RowOutcome]:
    """A file's row as the lead it makes, or its rejection naming the columns."""
    if row.data is None:
        return row, RowOutcome(row.row, "rejected", errors=row.errors)
    try:
        return row, _new_lead(uow, caller, row.data, types, place)
    except InvalidArgument as exc:
        errors = [FieldViolation(column_for(v.field), v.description) for v in exc.violations]
        return row, RowOutcome(row.row, "rejected", row.data.company_name, errors=errors)


def _row_outcome(row: ParsedRow, lead: Lead, done: Ingested | DomainError) -> RowOutcome:
    """A row's lead, stored or refused, as the import's report tells it."""
    if isinstance(done, DomainError):
        return RowOutcome(row.row, "rejected", lead.company_name, errors=[FieldViolation("", done.message)])
    return RowOutcome(
        row.row,
        "merged" if done.merged else "accepted",
        row.data.company_name if row.data else lead.company_name,
        lead_id=done.lead.lead_id,
        matched_lead_id=done.match.lead.lead_id if done.match else "",
        matched_by=done.match.matched_by if done.match else "",
        # as a single intake's merge answer: the sources the lead now has, if the caller may see it
        sources=tuple(done.lead.sources) if done.merged and done.visible else (),
    )
