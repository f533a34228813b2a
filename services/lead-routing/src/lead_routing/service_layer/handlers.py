"""Use cases of lead-routing: open a unit of work, call the domain, publish, commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.exc import SQLAlchemyError

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import lead_pb2, rep_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import (
    Conflict,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from crm_shared.ids import new_id
from crm_shared.money import validate_amount
from crm_shared.paging import decode_token, encode_token, page_size
from lead_routing.domain.address import Place, resolve_many
from lead_routing.domain.catalogue import MAX_CUSTOM_FIELDS, STANDARD
from lead_routing.domain.duplicates import DuplicateIndex, Match, merge
from lead_routing.domain.imports import HEADERS, ImportReport, RowOutcome, column_for, parse_rows
from lead_routing.domain.model import PARTNER_SOURCE, Lead, LeadData, check_field_definition, new_lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.sla import TakeCheck, check_take
from lead_routing.domain.reps import (
    Rep,
    RepInput,
    SegmentRate,
    check_may_write,
    conversion_rates,
    may_read,
    outcome_segments,
    rep_profile,
)
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]

# Kept for callers written against the first intake command.
IngestLead = LeadData


@dataclass(frozen=True)
class Ingested:
    lead: Lead
    match: Match | None
    merged: bool
    visible: bool  # whether the caller may see `lead` (a merge may land in someone else's lead)


@dataclass(frozen=True)
class RepView:
    rep: Rep
    open_leads: int
    available_today: bool
    overall: SegmentRate
    segments: list[SegmentRate]


class LeadHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    # --- intake ---------------------------------------------------------------

    async def ingest(self, caller: Caller, cmd: LeadData) -> Ingested:
        """A new lead, or the open lead it duplicates with the new details
        merged in, and what it matched."""
        caller.require_role("rep", "manager", "admin", "partner", "system")
        async with self.uow() as uow:
            types = await uow.leads.custom_field_types(caller.tenant_id)
            result = await self._ingest_in(uow, caller, cmd, types, None, _Candidates(uow))
            await uow.commit()
        return result

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
        if caller.role == "partner":
            cmd = replace(cmd, source=PARTNER_SOURCE)  # what a partner enters is a partner registration
        elif not cmd.source.strip():
            cmd = replace(cmd, source="手工录入")
        lead = new_lead(
            lead_id=new_id(),
            tenant_id=caller.tenant_id,
            owner_id=caller.user_id if caller.role == "rep" else None,
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
            await uow.leads.update(merged)
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
            visible = await self._visible(uow, caller, merged)
            return Ingested(merged.as_seen_by(caller.user_id, caller.role), match, True, visible)
        # A converted or lost lead is history: keep the new enquiry, say what it matched.
        if lead.owner_id:
            await self._check_capacity(uow, lead.tenant_id, lead.owner_id)
        await uow.leads.add(lead)
        if lead.owner_id:  # a rep's own lead is theirs from the start
            await uow.leads.add_owner_change(
                lead.tenant_id,
                OwnerChange("intake", lead.lead_id, caller.user_id, lead.created_at, None, lead.owner_id),
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

    async def import_leads(self, caller: Caller, filename: str, content: bytes) -> tuple[str, ImportReport]:
        """A whole file in one request; each row stands alone (a savepoint
        each), so a bad row is reported and the others go on."""
        caller.require_role("rep", "manager", "admin")
        import_id = new_id()
        async with self.uow() as uow:
            types = await uow.leads.custom_field_types(caller.tenant_id)
            parsed = parse_rows(filename, content, types)
            places = resolve_many(
                "".join((p.data.province, p.data.city, p.data.district, p.data.address)) if p.data else ""
                for p in parsed
            )
            outcomes: list[RowOutcome] = []
            candidates = _Candidates(uow)
            for row, place in zip(parsed, places, strict=True):
                if row.data is None:
                    outcomes.append(RowOutcome(row.row, "rejected", errors=row.errors))
                    continue
                name = row.data.company_name
                try:
                    async with uow.session.begin_nested():
                        done = await self._ingest_in(uow, caller, row.data, types, place, candidates)
                except InvalidArgument as exc:
                    errors = [FieldViolation(column_for(v.field), v.description) for v in exc.violations]
                    outcomes.append(RowOutcome(row.row, "rejected", name, errors=errors))
                    continue
                except (DomainError, SQLAlchemyError) as exc:
                    reason = exc.message if isinstance(exc, DomainError) else "could not be stored"
                    outcomes.append(RowOutcome(row.row, "rejected", name, errors=[FieldViolation("", reason)]))
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

    # --- reading --------------------------------------------------------------

    async def _visible(self, uow: LeadRoutingUnitOfWork, caller: Caller, lead: Lead) -> bool:
        managed = await uow.reps.managed_by(caller.tenant_id, caller.user_id) if caller.role == "manager" else frozenset()
        return lead.visible_to(caller.user_id, caller.role, managed)

    async def _get_visible(self, uow: LeadRoutingUnitOfWork, caller: Caller, lead_id: str) -> Lead:
        lead = await uow.leads.get(caller.tenant_id, lead_id)
        if lead is None or not await self._visible(uow, caller, lead):
            raise NotFound(f"lead {lead_id} not found")
        return lead

    async def get(self, caller: Caller, lead_id: str) -> Lead:
        async with self.uow() as uow:
            return (await self._get_visible(uow, caller, lead_id)).as_seen_by(caller.user_id, caller.role)

    async def list(self, caller: Caller, *, status: str, size: int, token: str) -> tuple[list[Lead], str]:
        limit = page_size(size)
        async with self.uow() as uow:
            found = await uow.leads.list(
                caller.tenant_id, status=status, limit=limit + 1, after=decode_token(token), caller=caller
            )
        page = found[:limit]
        next_token = encode_token(page[-1].created_at, page[-1].lead_id) if len(found) > limit else ""
        return [x.as_seen_by(caller.user_id, caller.role) for x in page], next_token

    # --- outcomes -------------------------------------------------------------

    async def convert(self, caller: Caller, lead_id: str, opportunity_name: str, amount: Money | None) -> Lead:
        caller.require_role("rep", "manager", "admin")
        if amount is not None:
            validate_amount("expected_amount", amount.amount_minor, amount.currency or "CNY")
        async with self.uow() as uow:
            lead = await self._get_visible(uow, caller, lead_id)
            now = uow.clock.now()
            converted = lead.convert(opportunity_name, caller.user_id, now, claim_first=caller.role == "rep")
            await uow.leads.update(converted)
            if converted.owner_id != lead.owner_id:  # a pool lead becomes the converting manager's or admin's
                await uow.leads.add_owner_change(
                    converted.tenant_id,
                    OwnerChange("convert", converted.lead_id, caller.user_id, now, None, converted.owner_id),
                )
            if converted.owner_id:
                await uow.reps.count_outcome(
                    converted.tenant_id, converted.owner_id, outcome_segments(converted), converted=True
                )
            await uow.publish(
                "lead.converted",
                converted.tenant_id,
                converted.lead_id,
                lead_pb2.LeadConverted(
                    lead_id=converted.lead_id,
                    company_name=converted.company_name,
                    credit_code=converted.credit_code or "",
                    contact_name=converted.contact_name,
                    phone=converted.phone or "",
                    province=converted.province,
                    city=converted.city,
                    district=converted.district,
                    owner_id=converted.owner_id or "",
                    opportunity_name=converted.opportunity_name or "",
                    expected_amount=amount or converted_amount(converted),
                    source=converted.source,
                    address=converted.address,
                    latitude=converted.latitude,
                    longitude=converted.longitude,
                    industry_tags=list(converted.industry_tags),
                    sources=list(converted.sources),
                    coordinates_approximate=converted.coordinates_approximate,
                ),
            )
            await uow.commit()
        return converted

    async def lose(self, caller: Caller, lead_id: str, reason: str) -> Lead:
        """The owner, their manager or an admin closes an open lead as lost."""
        caller.require_role("rep", "manager", "admin")
        async with self.uow() as uow:
            lead = await self._get_visible(uow, caller, lead_id)
            if caller.role == "rep" and lead.owner_id != caller.user_id:
                raise PermissionDenied("only the lead's owner, a manager or an admin marks it lost")
            lost = lead.lose(reason, caller.user_id, uow.clock.now())
            await uow.leads.update(lost)
            if lost.owner_id:
                await uow.reps.count_outcome(lost.tenant_id, lost.owner_id, outcome_segments(lost), converted=False)
            await uow.publish(
                "lead.lost",
                lost.tenant_id,
                lost.lead_id,
                lead_pb2.LeadLost(
                    lead_id=lost.lead_id,
                    owner_id=lost.owner_id or "",
                    reason=lost.lost_reason or "",
                    source=lost.source,
                    industry_tags=list(lost.industry_tags),
                    actor_id=caller.user_id,
                ),
            )
            await uow.commit()
        return lost

    # --- a tenant's own lead fields -----------------------------------------------

    async def define_field(self, caller: Caller, name: str, kind: str) -> tuple[str, str]:
        caller.require_role("admin")
        name = check_field_definition(name, kind, STANDARD, HEADERS)
        async with self.uow() as uow:
            defined = await uow.leads.custom_field_types(caller.tenant_id)
            existing = defined.get(name)
            if existing is None and len(defined) >= MAX_CUSTOM_FIELDS:
                raise FailedPrecondition(
                    f"a tenant has at most {MAX_CUSTOM_FIELDS} lead fields of its own; this one has {len(defined)}"
                )
            if existing is None:
                if not await uow.leads.add_custom_field(caller.tenant_id, name, kind, caller.user_id, uow.clock.now()):
                    raise Conflict(f"lead field {name} was defined at the same moment; retry")
                await uow.commit()
            elif existing != kind:
                raise FailedPrecondition(f"lead field {name} is already defined as {existing}; its type cannot change")
        return name, kind

    async def list_fields(self, caller: Caller) -> dict[str, str]:
        async with self.uow() as uow:
            return await uow.leads.custom_field_types(caller.tenant_id)

    # --- rep profiles -------------------------------------------------------------

    async def put_rep(self, caller: Caller, cmd: RepInput) -> tuple[RepView, bool]:
        """Create or replace a rep profile; `rep.profile_changed` when anything changed."""
        if caller.role == "manager" and not cmd.manager_id.strip():
            cmd = replace(cmd, manager_id=caller.user_id)
        async with self.uow() as uow:
            now = uow.clock.now()
            existing = await uow.reps.get(caller.tenant_id, cmd.rep_id.strip())
            check_may_write(caller, existing, cmd.manager_id.strip())
            rep = rep_profile(cmd, tenant_id=caller.tenant_id, actor_id=caller.user_id, now=now, existing=existing)
            if existing is not None and existing.same_profile(rep):
                return await self._view(uow, existing), False
            if existing is None:
                if not await uow.reps.add(rep):
                    raise Conflict(f"rep {rep.rep_id} was created at the same moment; retry")
            else:
                await uow.reps.update(rep)
            await uow.publish(
                "rep.profile_changed",
                rep.tenant_id,
                rep.rep_id,
                rep_pb2.RepProfileChanged(
                    rep_id=rep.rep_id,
                    name=rep.name,
                    team=rep.team,
                    manager_id=rep.manager_id,
                    region=rep.region,
                    seniority=rep.seniority,
                    active=rep.active,
                ),
            )
            view = await self._view(uow, rep)
            await uow.commit()
        return view, existing is None

    async def get_rep(self, caller: Caller, rep_id: str) -> RepView:
        async with self.uow() as uow:
            rep = await uow.reps.get(caller.tenant_id, rep_id)
            if rep is None or not may_read(caller, rep):
                raise NotFound(f"rep profile {rep_id} not found")
            return await self._view(uow, rep)

    async def list_reps(self, caller: Caller, team: str) -> list[RepView]:
        """Admins list the tenant's reps, a manager theirs (and their own
        profile), a rep only their own."""
        caller.require_role("manager", "admin", "system", "rep")
        async with self.uow() as uow:
            if caller.role == "rep":
                own = await uow.reps.get(caller.tenant_id, caller.user_id)
                found = [own] if own and (not team or own.team == team) else []
            else:
                manager = caller.user_id if caller.role == "manager" else None
                found = await uow.reps.list(caller.tenant_id, manager_id=manager, team=team)
            return await self._views(uow, found)

    async def _view(self, uow: LeadRoutingUnitOfWork, rep: Rep) -> RepView:
        return (await self._views(uow, [rep]))[0]

    async def _views(self, uow: LeadRoutingUnitOfWork, found: list[Rep]) -> list[RepView]:
        if not found:
            return []
        tenant = found[0].tenant_id
        ids = [r.rep_id for r in found]
        open_leads = await uow.leads.open_leads_by_rep(tenant, ids)
        outcomes = await uow.reps.outcomes(tenant, ids)
        now = uow.clock.now()
        views = []
        for rep in found:
            overall, segments = conversion_rates(outcomes.get(rep.rep_id, []))
            views.append(RepView(rep, open_leads.get(rep.rep_id, 0), rep.available(now), overall, segments))
        return views


class _Candidates:
    """The leads new ones are tested against for duplicates: each credit
    code, phone and city read from the database once (an import of
    thousands of rows reads a city once, not once per row), plus what was
    stored meanwhile."""

    def __init__(self, uow: LeadRoutingUnitOfWork) -> None:
        self.uow = uow
        self.index = DuplicateIndex()
        self.loaded: set[tuple[str, str]] = set()

    async def match(self, lead: Lead) -> Match | None:
        """What the lead duplicates. The same code or phone outranks a similar
        name, so the city (the big read) is read only when they match nothing."""
        await self._load(lead, {("code", lead.credit_code or ""), ("phone", lead.phone or "")})
        found = self.index.find(lead)
        if found is None or found.matched_by == "similar_name":
            await self._load(lead, {("city", lead.city)})
            found = self.index.find(lead)
        return found

    async def _load(self, lead: Lead, wanted: set[tuple[str, str]]) -> None:
        new = {(kind, value) for kind, value in wanted if value} - self.loaded
        if not new:
            return
        read = await self.uow.leads.duplicate_candidates(
            lead.tenant_id,
            codes=[v for k, v in new if k == "code"],
            phones=[v for k, v in new if k == "phone"],
            cities=[v for k, v in new if k == "city"],
        )
        for known in read:
            if known.lead_id not in self.index:  # one stored meanwhile is kept as stored
                self.index.add(known)
        self.loaded |= new

    def stored(self, lead: Lead) -> None:
        self.index.add(lead)


def converted_amount(lead: Lead) -> Money | None:
    """The opportunity's expected amount from the lead's budget; none when no budget is known
    (an amount of 0 would read as a deal worth nothing)."""
    if lead.budget_minor is None:
        return None
    return Money(amount_minor=lead.budget_minor, currency=lead.currency)
