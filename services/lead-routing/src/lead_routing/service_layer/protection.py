"""The protection window of approved registrations: approval's decision on a
registration (the customer's lead protected, or the registration rejected)
and on an extension; the leased job sending the reminders 7 and 1 days
before the end, lapsing what ended without progress, and submitting
extensions a stop left unsubmitted; a partner's extension request; a
tenant's terms. The rules are domain/protection.py's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crm.events.v1 import lead_pb2
from crm.events.v1 import registration_pb2 as events
from crm_shared import roles
from crm_shared.approval_kinds import PARTNER_REGISTRATION, PROTECTION_EXTENSION, REGISTRATION
from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.context import Caller
from crm_shared.convert import timestamp
from crm_shared.domain.errors import Conflict, DomainError, NotFound
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.notifications import publish_notification

from lead_routing.adapters.approvals import Approvals
from lead_routing.adapters.protection_repository import LOOK_AHEAD_DAYS
from lead_routing.domain import protection as rules
from lead_routing.domain.distributor import Distributor
from lead_routing.domain.lead import Lead
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.partner_access import decide as subject_access
from lead_routing.domain.registration import Registration
from lead_routing.service_layer import intake
from lead_routing.service_layer.intake_writes import Candidates, Writes
from lead_routing.service_layer.partners import partner_distributor, partner_or_none
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]
log = get_logger("lead_routing.protection")

SCAN_BATCH = 200  # registrations read per page of the job's scan
# An extension whose approval was not recorded this long after it was asked is taken as lost (the job submits it).
LOST_AFTER = timedelta(seconds=30)
RELEASE_REASON = "报备保护期已过，线索回到公海"


@dataclass(frozen=True)
class Decided:
    """approval.decided about a registration (kind partner_registration or protection_extension)."""

    approval_id: str
    registration_id: str
    kind: str
    decision: str  # approved | rejected
    comment: str  # the public comment only


class ProtectionHandlers:
    def __init__(self, uow: UowFactory, approvals: Approvals, intake_handlers: intake.IntakeHandlers) -> None:
        self.uow = uow
        self.approvals = approvals
        self.intake = intake_handlers

    # --- approval's decisions (inside the consumer's unit of work) -------------------

    async def approval_decided(self, uow: LeadRoutingUnitOfWork, tenant_id: str, made: Decided) -> None:
        reg = await uow.registrations.get(tenant_id, made.registration_id)
        if reg is None:
            log.warning("decision on an unknown registration", registration=made.registration_id)
            return
        if made.kind == PARTNER_REGISTRATION:
            await self._registration_decided(uow, reg, made)
        elif made.kind == PROTECTION_EXTENSION:
            await self._extension_decided(uow, reg, made)

    async def _registration_decided(self, uow: LeadRoutingUnitOfWork, reg: Registration, made: Decided) -> None:
        if rules.decided(reg) or (reg.approval_id and reg.approval_id != made.approval_id):
            return  # decided before, or a request the registration no longer waits for
        now = uow.clock.now()
        distributor = await uow.distributors.get(reg.tenant_id, reg.distributor_id)
        if made.decision != "approved":
            rejected = rules.reject(reg, made.comment, now)
            await _save(uow, rejected, reg)
            await uow.publish(
                "registration.rejected",
                reg.tenant_id,
                reg.registration_id,
                events.RegistrationRejected(
                    registration_id=reg.registration_id,
                    distributor_id=reg.distributor_id,
                    approval_id=made.approval_id,
                    comment=made.comment,
                ),
            )
            await _tell(
                uow, rejected, distributor, "registration_rejected", f"报备被驳回：{reg.company_name}", made.comment
            )
            return
        terms = await uow.protection.terms(reg.tenant_id)
        lead = await self._customer_lead(uow, reg)
        approved = rules.approve(reg, lead.lead_id, made.comment, terms.protection_days, now)
        if rules.may_protect(lead, approved):
            await uow.leads.update(rules.protect(lead, approved, distributor.name if distributor else "", now))
        else:  # another distributor holds it (the check should have refused): never handed over
            log.warning("registration approved on a lead another distributor holds", registration=reg.registration_id)
        await _save(uow, approved, reg)
        await uow.publish(
            "registration.approved",
            reg.tenant_id,
            reg.registration_id,
            events.RegistrationApproved(
                registration_id=reg.registration_id,
                distributor_id=reg.distributor_id,
                lead_id=lead.lead_id,
                protected_until=timestamp(approved.protected_until),
                approval_id=made.approval_id,
            ),
        )
        until = _day(approved.protected_until)
        await _tell(
            uow, approved, distributor, "registration_approved", f"报备已通过：{reg.company_name}", f"保护至 {until}"
        )

    async def _customer_lead(self, uow: LeadRoutingUnitOfWork, reg: Registration) -> Lead:
        """The open lead the registration matched in the manufacturer's pool, else the
        lead the intake path makes (or merges into) as the registering partner typed it."""
        matched = rules.protected_lead_id(reg)
        lead = await uow.leads.get(reg.tenant_id, matched) if matched else None
        if lead is not None and lead.status == "open":
            return lead
        partner = Caller(reg.tenant_id, reg.registered_by, roles.PARTNER, organisation=reg.distributor_id)
        types = await uow.leads.custom_field_types(reg.tenant_id)
        new = intake._new_lead(uow, partner, rules.lead_data(reg), types, None)
        done = await self.intake._ingest_in(uow, partner, new, Candidates(uow), Writes(uow))
        stored = await uow.leads.get(reg.tenant_id, done.lead.lead_id)  # as stored, not as the partner sees it
        assert stored is not None
        return stored

    async def _extension_decided(self, uow: LeadRoutingUnitOfWork, reg: Registration, made: Decided) -> None:
        extension = await uow.protection.extension_of_approval(reg.tenant_id, made.approval_id)
        if extension is None:  # decided before its approval id was recorded: the one waiting
            waiting = [
                x
                for x in await uow.protection.extensions_of(reg.tenant_id, reg.registration_id)
                if x.status in (rules.EXTENSION_SUBMITTING, rules.EXTENSION_PENDING)
            ]
            extension = waiting[-1] if waiting else None
        if extension is None or extension.status in (rules.EXTENSION_APPROVED, rules.EXTENSION_REJECTED):
            return
        now = uow.clock.now()
        extension = rules.decide_extension(
            extension if extension.approval_id else _with_approval(extension, made.approval_id),
            made.decision,
            made.comment,
            now,
        )
        await uow.protection.save_extension(extension)
        distributor = await uow.distributors.get(reg.tenant_id, reg.distributor_id)
        if extension.status == rules.EXTENSION_APPROVED:
            extended = rules.extend(reg, extension, now)
            await _save(uow, extended, reg)
            await self._move_lead_end(uow, extended, now)
            await uow.publish(
                "registration.extended",
                reg.tenant_id,
                reg.registration_id,
                events.RegistrationExtended(
                    registration_id=reg.registration_id,
                    distributor_id=reg.distributor_id,
                    extension_id=extension.extension_id,
                    days=extension.days,
                    protected_until=timestamp(extended.protected_until),
                ),
            )
            body = f"保护至 {_day(extended.protected_until)}"
            await _tell(
                uow, extended, distributor, "protection_extended", f"报备保护期已延长：{reg.company_name}", body
            )
            return
        refused = rules.extension_refused(reg, now)
        await _save(uow, refused, reg)
        await uow.publish(
            "registration.extension_rejected",
            reg.tenant_id,
            reg.registration_id,
            events.RegistrationExtensionRejected(
                registration_id=reg.registration_id,
                distributor_id=reg.distributor_id,
                extension_id=extension.extension_id,
                comment=made.comment,
            ),
        )
        title = f"报备保护期延长被驳回：{reg.company_name}"
        await _tell(uow, refused, distributor, "protection_extension_rejected", title, made.comment)

    async def _move_lead_end(self, uow: LeadRoutingUnitOfWork, reg: Registration, now: datetime) -> None:
        lead = await uow.leads.get(reg.tenant_id, reg.lead_id) if reg.lead_id else None
        if lead is not None and lead.partner_org_id == reg.distributor_id:
            await uow.leads.update(rules.protect(lead, reg, lead.partner_name, now))

    # --- the leased job ------------------------------------------------------------------

    async def sweep(self) -> int:
        """Submit lost extensions, then send the reminders due and lapse what ended
        without progress, each registration in its own unit of work. Returns the changes."""
        await self.submit_lost()
        changed = 0
        async with self.uow().reading() as uow:
            now = uow.clock.now()
        after: tuple[datetime, str] | None = None
        while True:
            async with self.uow().reading() as uow:
                page = await uow.protection.protections_ending(now + timedelta(days=LOOK_AHEAD_DAYS), SCAN_BATCH, after)
            for tenant_id, registration_id, _ in page:
                try:
                    changed += await self._look_at(tenant_id, registration_id)
                except Exception as exc:  # noqa: BLE001 - one registration's failure must not stop the sweep
                    log.warning("protection sweep failed", registration=registration_id, error=repr(exc))
            if len(page) < SCAN_BATCH:
                return changed
            after = (page[-1][2], page[-1][1])

    async def _look_at(self, tenant_id: str, registration_id: str) -> int:
        async with self.uow() as uow:
            reg = await uow.registrations.get(tenant_id, registration_id)
            if reg is None:
                return 0
            now = uow.clock.now()
            lead = await uow.leads.get(tenant_id, reg.lead_id) if reg.lead_id else None
            distributor = await uow.distributors.get(tenant_id, reg.distributor_id)
            if rules.expired(reg, now):
                if rules.progressed(lead):
                    await _converted(uow, reg, reg.lead_id)  # the conversion's own step missed it
                else:
                    await self._lapse(uow, reg, lead, distributor, now)
            elif (days := rules.reminder_due(reg, now)) is not None:
                reminded = rules.reminded(reg, days, now)
                await _save(uow, reminded, reg)
                await uow.publish(
                    "registration.protection_reminded",
                    tenant_id,
                    registration_id,
                    events.RegistrationProtectionReminded(
                        registration_id=registration_id,
                        distributor_id=reg.distributor_id,
                        days_before=days,
                        protected_until=timestamp(reg.protected_until),
                    ),
                )
                title = f"报备保护期还有{days}天到期：{reg.company_name}"
                body = f"保护至 {_day(reg.protected_until)}，可申请延长"
                await _tell(uow, reminded, distributor, "protection_reminder", title, body)
            else:
                return 0
            await uow.commit()
        return 1

    async def _lapse(
        self,
        uow: LeadRoutingUnitOfWork,
        reg: Registration,
        lead: Lead | None,
        distributor: Distributor | None,
        now: datetime,
    ) -> None:
        """The registration lapses; its lead loses the distributor and goes back to the pool, ownerless."""
        lapsed = rules.lapse(reg, now)
        await _save(uow, lapsed, reg)
        if lead is not None and lead.partner_org_id == reg.distributor_id:
            await uow.leads.update(rules.released(lead, now))
            if lead.owner_id and lead.status == "open":
                await self._to_pool(uow, lead, now)
        await uow.publish(
            "registration.lapsed",
            reg.tenant_id,
            reg.registration_id,
            events.RegistrationLapsed(
                registration_id=reg.registration_id, distributor_id=reg.distributor_id, lead_id=reg.lead_id
            ),
        )
        await _tell(
            uow, lapsed, distributor, "protection_lapsed", f"报备保护期已过：{reg.company_name}", RELEASE_REASON
        )

    async def _to_pool(self, uow: LeadRoutingUnitOfWork, lead: Lead, now: datetime) -> None:
        owner = lead.owner_id
        await uow.pool.lock(lead.tenant_id)
        if lead.lead_id not in await uow.leads.change_owners(lead.tenant_id, [(lead.lead_id, None)], owner, now):
            raise Conflict(f"lead {lead.lead_id} changed hands a moment ago")  # the sweep tries again
        await uow.assignments.end_current(lead.tenant_id, [lead.lead_id], "released", now)
        change = OwnerChange("release", lead.lead_id, rules.SYSTEM_ACTOR, now, owner, None, reason=RELEASE_REASON)
        await uow.assignments.add_owner_changes(lead.tenant_id, [change])
        await uow.publish(
            "lead.released",
            lead.tenant_id,
            lead.lead_id,
            lead_pb2.LeadReleased(
                lead_id=lead.lead_id, rep_id=owner or "", actor_id=rules.SYSTEM_ACTOR, reason=RELEASE_REASON
            ),
        )

    # --- extensions -----------------------------------------------------------------------

    async def request_extension(self, caller: Caller, registration_id: str, days: int, reason: str) -> rules.Extension:
        """A partner of the registering distributor asks for `days` more; approval decides."""
        async with self.uow() as uow:
            distributor = await partner_distributor(uow, caller)
            reg = await uow.registrations.get(caller.tenant_id, registration_id)
            if reg is None or reg.distributor_id != distributor.distributor_id:
                raise NotFound(f"registration {registration_id} not found")
            now = uow.clock.now()
            terms = await uow.protection.terms(caller.tenant_id)
            reason = rules.check_extension(reg, days, reason, terms.max_extension_days, now)
            extension = rules.Extension(new_id(), caller.tenant_id, registration_id, days, reason, caller.user_id, now)
            await uow.protection.add_extension(extension)
            await _save(uow, rules.extension_pending(reg, extension, now), reg)
            await uow.publish(
                "registration.extension_requested",
                caller.tenant_id,
                registration_id,
                events.RegistrationExtensionRequested(
                    registration_id=registration_id,
                    distributor_id=reg.distributor_id,
                    extension_id=extension.extension_id,
                    days=days,
                    requested_by=caller.user_id,
                ),
            )
            await uow.commit()
        return await self._submit(extension, reg, distributor) or extension

    async def _submit(
        self, extension: rules.Extension, reg: Registration, distributor: Distributor | None
    ) -> rules.Extension | None:
        """Ask approval for the extension and record the request; None when that did not happen now."""
        name, manager = (distributor.name, distributor.channel_manager_id) if distributor else (reg.distributor_id, "")
        reason, facts = rules.extension_facts(reg, extension, name, manager)
        try:
            latest = await self.approvals.latest(reg.tenant_id, REGISTRATION, reg.registration_id, PROTECTION_EXTENSION)
            approval_id = latest.approval_id if latest and latest.status == "pending" else ""
            if not approval_id:
                approval_id = await self.approvals.submit(
                    reg.tenant_id, REGISTRATION, reg.registration_id, PROTECTION_EXTENSION, reason, facts
                )
        except DomainError as error:
            log.warning(
                "extension not submitted to approval yet", extension=extension.extension_id, error=error.message
            )
            return None
        async with self.uow() as uow:
            current = await uow.protection.get_extension(extension.tenant_id, extension.extension_id)
            if current is None or current.status != rules.EXTENSION_SUBMITTING:
                return current  # decided meanwhile
            recorded = _with_approval(current, approval_id)
            await uow.protection.save_extension(recorded)
            now_reg = await uow.registrations.get(reg.tenant_id, reg.registration_id)
            if now_reg is not None and now_reg.extension_approval_id == extension.extension_id:
                await _save(uow, rules.extension_pending(now_reg, recorded, uow.clock.now()), now_reg)
            await uow.commit()
        return recorded

    async def submit_lost(self) -> None:
        async with self.uow().reading() as uow:
            waiting = await uow.protection.unsubmitted_extensions(uow.clock.now() - LOST_AFTER, SCAN_BATCH)
            owed = []
            for x in waiting:
                reg = await uow.registrations.get(x.tenant_id, x.registration_id)
                if reg is not None:
                    owed.append((x, reg, await uow.distributors.get(x.tenant_id, reg.distributor_id)))
        for x, reg, distributor in owed:
            await self._submit(x, reg, distributor)

    async def list_extensions(self, caller: Caller, registration_id: str) -> list[rules.Extension]:
        """The registration's extensions, for whoever may read the registration."""
        async with self.uow().reading() as uow:
            reg = await uow.registrations.get(caller.tenant_id, registration_id)
            distributor = await uow.distributors.get(caller.tenant_id, reg.distributor_id) if reg else None
            now = uow.clock.now()
            if reg is None or not subject_access(caller, REGISTRATION, reg.distributor_id, distributor, now).readable:
                raise NotFound(f"registration {registration_id} not found")
            return await uow.protection.extensions_of(caller.tenant_id, registration_id)

    # --- terms -------------------------------------------------------------------------

    async def terms(self, caller: Caller) -> rules.ProtectionTerms:
        caller.require_role(*rules.TERMS_READERS)
        async with self.uow().reading() as uow:
            await partner_or_none(uow, caller)
            return await uow.protection.terms(caller.tenant_id)

    async def set_terms(self, caller: Caller, protection_days: int, max_extension_days: int) -> rules.ProtectionTerms:
        caller.require_role(*rules.TERMS_WRITERS)
        async with self.uow() as uow:
            terms = rules.terms(caller.tenant_id, protection_days, max_extension_days, caller.user_id, uow.clock.now())
            await uow.protection.put_terms(terms)
            await uow.commit()
        return terms


async def registration_converted(uow: LeadRoutingUnitOfWork, lead: Lead) -> None:
    """The lead converted: its approved registration is converted (progress; the window no
    longer runs). Inside the conversion's unit of work."""
    if not lead.registration_id or not lead.partner_org_id:
        return
    reg = await uow.registrations.get(lead.tenant_id, lead.registration_id)
    if reg is not None and reg.status == rules.APPROVED:
        await _converted(uow, reg, lead.lead_id)


async def _converted(uow: LeadRoutingUnitOfWork, reg: Registration, lead_id: str) -> None:
    await _save(uow, rules.converted(reg, uow.clock.now()), reg)
    await uow.publish(
        "registration.converted",
        reg.tenant_id,
        reg.registration_id,
        events.RegistrationConverted(
            registration_id=reg.registration_id, distributor_id=reg.distributor_id, lead_id=lead_id
        ),
    )


async def _save(uow: LeadRoutingUnitOfWork, reg: Registration, before: Registration) -> None:
    if not await uow.registrations.save(reg, before=before):
        raise Conflict(f"registration {reg.registration_id} changed meanwhile; try again")


async def _tell(
    uow: LeadRoutingUnitOfWork, reg: Registration, distributor: Distributor | None, kind: str, title: str, body: str
) -> None:
    """The distributor's partner users and its channel manager, each once."""
    for recipient in _recipients(reg, distributor):
        await publish_notification(
            uow, reg.tenant_id, recipient, kind, title, body, subject_type=REGISTRATION, subject_id=reg.registration_id
        )


def _recipients(reg: Registration, distributor: Distributor | None) -> Iterable[str]:
    users = [*(distributor.users if distributor else (reg.registered_by,)), reg.registered_by]
    if distributor and distributor.channel_manager_id:
        users.append(distributor.channel_manager_id)
    return dict.fromkeys(u for u in users if u)


def _with_approval(extension: rules.Extension, approval_id: str) -> rules.Extension:
    status = extension.status if extension.status != rules.EXTENSION_SUBMITTING else rules.EXTENSION_PENDING
    return replace(extension, approval_id=approval_id, status=status)


def _day(value: datetime | None) -> str:
    """The end's day as the partner reads it (Asia/Shanghai)."""
    return value.astimezone(BUSINESS_TZ).date().isoformat() if value else ""
