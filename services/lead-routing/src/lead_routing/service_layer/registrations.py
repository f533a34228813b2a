"""Deal registrations (报备): a partner registers a customer and hears at once
what the conflict check decided (domain/conflicts.py); the manufacturer reads
them with the conflicts; the channel manager decides clashes (撞单). The
approval of a registration that may go on is submitted right after the
registration (or the clash decision) committed — approval asks lead-routing
about the subject, which must exist by then — and again by a leased sweep for
any whose submission failed or was lost in a stop; never twice: the
subject's latest request is looked up first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import registration_pb2 as events
from crm_shared import roles
from crm_shared.approval_kinds import (
    FACT_AMOUNT,
    FACT_APPLICANT,
    FACT_CHANNEL_MANAGER,
    FACT_DISTRIBUTOR,
    PARTNER_REGISTRATION,
    REGISTRATION,
)
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, DomainError, InvalidArgument, NotFound, PermissionDenied
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.paging import decode_token, encode_token, page_size

from lead_routing.adapters.approvals import Approvals
from lead_routing.adapters.customers import Customers
from lead_routing.domain.conflicts import DEFAULT_CHECK_WINDOW, check
from lead_routing.domain.distributor import Distributor
from lead_routing.domain.duplicates import name_probes
from lead_routing.domain.partner_access import decide
from lead_routing.domain.registration import (
    CLASH,
    CLASH_OPEN,
    STATUSES,
    TERMS_EDITORS,
    TERMS_READERS,
    UNDER_REVIEW,
    Clash,
    Registration,
    RegistrationInput,
    RegistrationTerms,
    check_comment,
    registration,
    registration_terms,
    sees_conflicts,
)
from lead_routing.service_layer.partners import partner_distributor
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

log = get_logger(__name__)

UowFactory = Callable[[], LeadRoutingUnitOfWork]

MANUFACTURER = (roles.ADMIN, roles.MANAGER, roles.SYSTEM)
MAX_ID = 64
SWEEP_BATCH = 100  # registrations owed an approval, submitted per sweep
SWEEP_AFTER = timedelta(seconds=30)  # the submission right after commit goes first
SWEEP_GIVE_UP = 3  # failures in a row that end a sweep


@dataclass(frozen=True)
class RegistrationView:
    registration: Registration
    distributor_name: str
    conflicts_shown: bool  # False: the partner's view (never the conflicts)

    @property
    def shown(self) -> Registration:
        """What the caller is shown: a partner neither the conflicts nor that
        another distributor's registration is why theirs is in review."""
        r = self.registration
        if self.conflicts_shown:
            return r
        return replace(r, conflicts=(), approval_id="", status=UNDER_REVIEW if r.status == CLASH else r.status)


@dataclass(frozen=True)
class ClashView:
    clash: Clash
    first: RegistrationView
    second: RegistrationView


class RegistrationHandlers:
    def __init__(
        self,
        uow: UowFactory,
        approvals: Approvals,
        customers: Customers | None = None,
        *,
        check_window: timedelta = DEFAULT_CHECK_WINDOW,
    ) -> None:
        self.uow = uow
        self.approvals = approvals
        self.customers = customers
        self.check_window = check_window

    # --- the partner -------------------------------------------------------

    async def submit(self, caller: Caller, cmd: RegistrationInput) -> RegistrationView:
        """Register a customer: checked against the manufacturer's leads, the
        tenant's active registrations and the territory, stored with what the
        partner is told, evented in the same transaction. The manufacturer's
        customers are asked of opportunity first, outside the transaction."""
        async with self.uow().reading() as uow:
            distributor = await partner_distributor(uow, caller)
            new = registration(
                cmd,
                registration_id=new_id(),
                tenant_id=caller.tenant_id,
                distributor_id=distributor.distributor_id,
                registered_by=caller.user_id,
                now=uow.clock.now(),
            )
        customers = (
            await self.customers.candidates(new.tenant_id, credit_code=new.credit_code, phone=new.phone, city=new.city)
            if self.customers is not None
            else []
        )
        async with self.uow() as uow:
            distributor = await partner_distributor(uow, caller)  # still theirs, in this transaction
            now = uow.clock.now()
            new = replace(new, created_at=now, updated_at=now)
            await uow.registrations.lock(caller.tenant_id)
            terms = await uow.registrations.terms(caller.tenant_id)
            window = timedelta(days=terms.check_window_days) if terms.updated_by else self.check_window
            verdict = check(
                new,
                leads=await _lead_candidates(uow, new),
                customers=customers,
                registrations=await uow.registrations.active_for_customer(
                    new.tenant_id, credit_code=new.credit_code, phone=new.phone, city=new.city
                ),
                in_territory=distributor.covers(
                    new.province, new.city, new.industry, new.credit_code, new.company_name
                ),
                now=now,
                window=window,
            )
            made = replace(new, status=verdict.status, outcome=verdict.outcome, conflicts=verdict.conflicts)
            if verdict.status == "refused":
                made = replace(made, decision="refused")
            await uow.registrations.add(made)
            await uow.publish("registration.submitted", made.tenant_id, made.registration_id, _submitted(made))
            if verdict.status == "refused":
                await uow.publish(
                    "registration.refused",
                    made.tenant_id,
                    made.registration_id,
                    events.RegistrationRefused(
                        registration_id=made.registration_id,
                        distributor_id=made.distributor_id,
                        reason="already_registered",
                    ),
                )
            if verdict.clash_with is not None:
                first = verdict.clash_with
                clash = Clash(
                    clash_id=new_id(),
                    tenant_id=made.tenant_id,
                    first_registration_id=first.registration_id,
                    second_registration_id=made.registration_id,
                    first_distributor_id=first.distributor_id,
                    second_distributor_id=made.distributor_id,
                    matched_by=verdict.matched_by,
                    status=CLASH_OPEN,
                    created_at=now,
                )
                await uow.registrations.add_clash(clash)
                await uow.publish(
                    "registration.clash_opened",
                    clash.tenant_id,
                    clash.clash_id,
                    events.RegistrationClashOpened(
                        clash_id=clash.clash_id,
                        first_registration_id=clash.first_registration_id,
                        second_registration_id=clash.second_registration_id,
                        first_distributor_id=clash.first_distributor_id,
                        second_distributor_id=clash.second_distributor_id,
                        matched_by=clash.matched_by,
                    ),
                )
            await uow.commit()
        return RegistrationView(await self._submitted_now(made), distributor.name, conflicts_shown=False)

    # --- the tenant's terms --------------------------------------------------

    async def terms(self, caller: Caller) -> RegistrationTerms:
        caller.require_role(*TERMS_READERS)
        async with self.uow().reading() as uow:
            found = await uow.registrations.terms(caller.tenant_id)
        if found.updated_by:
            return found
        return RegistrationTerms(caller.tenant_id, self.check_window.days)  # the deployment's default

    async def set_terms(self, caller: Caller, check_window_days: int) -> RegistrationTerms:
        caller.require_role(*TERMS_EDITORS)
        async with self.uow() as uow:
            terms = registration_terms(caller.tenant_id, check_window_days, caller.user_id, uow.clock.now())
            await uow.registrations.save_terms(terms)
            await uow.commit()
        return terms

    # --- reading -----------------------------------------------------------

    async def get(self, caller: Caller, registration_id: str) -> RegistrationView:
        async with self.uow().reading() as uow:
            reg, distributor = await _readable(uow, caller, registration_id)
            return RegistrationView(reg, distributor.name if distributor else "", sees_conflicts(caller))

    async def list(
        self, caller: Caller, *, status: str, distributor_id: str, size: int, token: str
    ) -> tuple[list[RegistrationView], str]:
        """A partner's organisation's registrations; the manufacturer's (admin
        and managers) the tenant's, or one distributor's."""
        if status and status not in STATUSES:
            raise InvalidArgument.field("status", f"must be one of {', '.join(STATUSES)}")
        if len(distributor_id) > MAX_ID:
            raise InvalidArgument.field("distributor_id", f"is longer than {MAX_ID} characters")
        limit = page_size(size)
        async with self.uow().reading() as uow:
            if caller.role == roles.PARTNER:
                own = await partner_distributor(uow, caller)
                ids: list[str] | None = [own.distributor_id]
            else:
                caller.require_role(*MANUFACTURER)
                ids = [distributor_id] if distributor_id else None
            found = await uow.registrations.list(
                caller.tenant_id, distributor_ids=ids, status=status, limit=limit + 1, after=decode_token(token)
            )
            page = found[:limit]
            names = await _names(uow, caller.tenant_id, {r.distributor_id for r in page})
        next_token = encode_token(page[-1].created_at, page[-1].registration_id) if len(found) > limit else ""
        shown = sees_conflicts(caller)
        return [RegistrationView(r, names.get(r.distributor_id, ""), shown) for r in page], next_token

    # --- clashes -----------------------------------------------------------

    async def clashes(self, caller: Caller, *, status: str, size: int) -> list[ClashView]:
        """An admin's tenant's clashes; a channel manager's, of the distributors they manage (both)."""
        caller.require_role(roles.ADMIN, roles.MANAGER)
        if status and status not in (CLASH_OPEN, "decided"):
            raise InvalidArgument.field("status", "must be open or decided")
        async with self.uow().reading() as uow:
            ids: list[str] | None = None
            if caller.role == roles.MANAGER:
                managed = await uow.distributors.list(caller.tenant_id, channel_manager_id=caller.user_id)
                ids = [d.distributor_id for d in managed]
            found = await uow.registrations.clashes(
                caller.tenant_id, distributor_ids=ids, status=status, limit=page_size(size)
            )
            return await _clash_views(uow, caller, found)

    async def get_clash(self, caller: Caller, clash_id: str) -> ClashView:
        caller.require_role(roles.ADMIN, roles.MANAGER)
        async with self.uow().reading() as uow:
            clash = await _decidable_clash(uow, caller, clash_id)
            return (await _clash_views(uow, caller, [clash]))[0]

    async def decide_clash(self, caller: Caller, clash_id: str, winner_id: str, comment: str) -> ClashView:
        """The channel manager of both distributors (or an admin) names the
        registration that goes on; the other is refused with the comment."""
        caller.require_role(roles.ADMIN, roles.MANAGER)
        comment = check_comment(comment)
        async with self.uow() as uow:
            clash = await _decidable_clash(uow, caller, clash_id)
            now = uow.clock.now()
            decided = clash.decide(winner_id.strip(), caller.user_id, comment, now)
            regs = await uow.registrations.get_many(caller.tenant_id, clash.registration_ids)
            winner = regs[decided.winner_registration_id]
            loser_id = next(i for i in clash.registration_ids if i != decided.winner_registration_id)
            loser = regs[loser_id]
            # The winner may meet another open clash still (a third distributor): it stays in clash until then.
            others = [c for c in await uow.registrations.open_clashes_of(caller.tenant_id, winner.registration_id)]
            went_on = winner.goes_on(comment, now) if len(others) <= 1 else replace(winner, updated_at=now)
            refused = loser.refused(comment, now)
            saved = await uow.registrations.save_clash(decided, before=clash)
            saved = saved and await uow.registrations.save(went_on, before=winner)
            saved = saved and await uow.registrations.save(refused, before=loser)
            if not saved:
                raise Conflict(f"clash {clash_id} was changed at the same moment; read it again")
            await uow.publish(
                "registration.clash_decided",
                decided.tenant_id,
                decided.clash_id,
                events.RegistrationClashDecided(
                    clash_id=decided.clash_id,
                    winner_registration_id=went_on.registration_id,
                    loser_registration_id=refused.registration_id,
                    decided_by=caller.user_id,
                ),
            )
            await uow.publish(
                "registration.refused",
                refused.tenant_id,
                refused.registration_id,
                events.RegistrationRefused(
                    registration_id=refused.registration_id, distributor_id=refused.distributor_id, reason="clash_lost"
                ),
            )
            await uow.commit()
            names = await _names(uow, caller.tenant_id, set(decided.distributor_ids))
        if refused.approval_id:  # the first's request, submitted before the clash: nothing to decide any more
            await self._recall(refused, comment)
        updated = {went_on.registration_id: await self._submitted_now(went_on), refused.registration_id: refused}
        return ClashView(
            decided,
            RegistrationView(updated[decided.first_registration_id], names.get(decided.first_distributor_id, ""), True),
            RegistrationView(
                updated[decided.second_registration_id], names.get(decided.second_distributor_id, ""), True
            ),
        )

    # --- the approval ------------------------------------------------------

    async def _recall(self, reg: Registration, comment: str) -> None:
        """Best effort: a request left open is decided in vain (a decision of a refused registration changes nothing)."""
        try:
            await self.approvals.recall(reg.tenant_id, reg.approval_id, comment or "撞单: 另一分销商的报备获准继续")
        except DomainError as error:
            log.warning("clash loser's approval not recalled", registration_id=reg.registration_id, error=str(error))

    async def _submitted_now(self, reg: Registration) -> Registration:
        """`reg` with its approval submitted, when it is owed one; as it was when
        approval did not take it now (the sweep submits it later)."""
        if not reg.awaits_submission:
            return reg
        try:
            return await self.submit_approval(reg.tenant_id, reg.registration_id) or reg
        except DomainError as error:
            log.warning(
                "registration approval not submitted yet", registration_id=reg.registration_id, error=str(error)
            )
            return reg

    async def submit_approval(self, tenant_id: str, registration_id: str) -> Registration | None:
        """Submit the registration's approval if it is owed one and has none
        (a request found for it already — submitted before a stop — is
        recorded instead); the registration as stored then. Unavailable when
        approval does not answer: the sweep tries again later."""
        async with self.uow().reading() as uow:
            reg = await uow.registrations.get(tenant_id, registration_id)
            if reg is None or not reg.awaits_submission:
                return reg
            distributor = await uow.distributors.get(tenant_id, reg.distributor_id)
        if not self.approvals.configured:
            return reg  # nothing to submit to: the sweep submits once approval is configured
        found = await self.approvals.latest(tenant_id, REGISTRATION, reg.registration_id, PARTNER_REGISTRATION)
        approval_id = (
            found.approval_id
            if found is not None
            else await self.approvals.submit(
                tenant_id,
                REGISTRATION,
                reg.registration_id,
                PARTNER_REGISTRATION,
                f"{distributor.name if distributor else reg.distributor_id} 报备 {reg.company_name}",
                _facts(reg, distributor),
            )
        )
        async with self.uow() as uow:
            current = await uow.registrations.get(tenant_id, registration_id)
            if current is None or current.approval_id:
                return current
            recorded = current.submitted(approval_id, uow.clock.now())
            if not await uow.registrations.save(recorded, before=current):
                raise Conflict(f"registration {registration_id} changed while its approval was submitted")
            await uow.commit()
        return recorded

    async def submit_owed_approvals(self) -> None:
        """The sweep: registrations owed an approval a while already (their
        event's submission failed or was lost), every tenant."""
        async with self.uow().reading() as uow:
            owed = await uow.registrations.awaiting_submission(uow.clock.now() - SWEEP_AFTER, SWEEP_BATCH)
        failures = 0
        for reg in owed:
            try:
                await self.submit_approval(reg.tenant_id, reg.registration_id)
                failures = 0
            except DomainError as error:
                log.warning(
                    "registration approval not submitted yet", registration_id=reg.registration_id, error=str(error)
                )
                # One refused stays owed without holding up the others; several in a row: approval is away.
                failures += 1
                if failures >= SWEEP_GIVE_UP:
                    return


def _submitted(reg: Registration) -> events.RegistrationSubmitted:
    return events.RegistrationSubmitted(
        registration_id=reg.registration_id,
        distributor_id=reg.distributor_id,
        registered_by=reg.registered_by,
        company_name=reg.company_name,
        status=reg.status,
        outcome=reg.outcome,
        expected_amount=Money(amount_minor=reg.expected_amount, currency=reg.currency),
        conflict_kinds=list(dict.fromkeys(c.kind for c in reg.conflicts)),
    )


def _facts(reg: Registration, distributor: Distributor | None) -> dict[str, str]:
    """What approval's policy reads: the amount in whole 元, who decides, whose it is."""
    return {
        FACT_AMOUNT: str(reg.expected_amount // 100),
        FACT_CHANNEL_MANAGER: distributor.channel_manager_id if distributor else "",
        FACT_DISTRIBUTOR: reg.distributor_id,
        FACT_APPLICANT: reg.registered_by,
    }


async def _lead_candidates(uow: LeadRoutingUnitOfWork, reg: Registration) -> list:
    """The manufacturer's leads that could be this customer, read as lead
    intake reads them: by credit code and phone, and through the city's name
    bigrams (not every lead of the city)."""
    found = {
        k.lead_id: k
        for k in await uow.leads.duplicate_candidates(
            reg.tenant_id, codes=[reg.credit_code], phones=[reg.phone], cities=()
        )
    }
    if reg.city:
        for k in await uow.leads.similar_name_candidates(reg.tenant_id, reg.city, name_probes(reg.company_name)):
            found[k.lead_id] = k
    return list(found.values())


async def _readable(
    uow: LeadRoutingUnitOfWork, caller: Caller, registration_id: str
) -> tuple[Registration, Distributor | None]:
    """The registration if the caller may read it; not found otherwise (existence never leaks)."""
    if caller.role == roles.PARTNER:
        await partner_distributor(uow, caller)
    elif caller.role not in MANUFACTURER:
        raise PermissionDenied(f"role {caller.role!r} may not read registrations")
    registration_id = registration_id.strip()
    reg = await uow.registrations.get(caller.tenant_id, registration_id) if len(registration_id) <= MAX_ID else None
    distributor = await uow.distributors.get(caller.tenant_id, reg.distributor_id) if reg else None
    if reg is None or not decide(caller, REGISTRATION, reg.distributor_id, distributor, uow.clock.now()).readable:
        raise NotFound(f"registration {registration_id} not found")
    return reg, distributor


async def _decidable_clash(uow: LeadRoutingUnitOfWork, caller: Caller, clash_id: str) -> Clash:
    """The clash if the caller may decide it: an admin, or the channel manager of both distributors."""
    clash_id = clash_id.strip()
    clash = await uow.registrations.get_clash(caller.tenant_id, clash_id) if len(clash_id) <= MAX_ID else None
    if clash is not None and caller.role != roles.ADMIN:
        both = [await uow.distributors.get(caller.tenant_id, d) for d in clash.distributor_ids]
        if not all(d is not None and d.channel_manager_id == caller.user_id for d in both):
            clash = None
    if clash is None:
        raise NotFound(f"clash {clash_id} not found")
    return clash


async def _names(uow: LeadRoutingUnitOfWork, tenant_id: str, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {d.distributor_id: d.name for d in await uow.distributors.list(tenant_id, ids=sorted(ids))}


async def _clash_views(uow: LeadRoutingUnitOfWork, caller: Caller, found: Sequence[Clash]) -> list[ClashView]:
    regs = await uow.registrations.get_many(caller.tenant_id, {i for c in found for i in c.registration_ids})
    names = await _names(uow, caller.tenant_id, {d for c in found for d in c.distributor_ids})
    views = []
    for c in found:
        first, second = regs.get(c.first_registration_id), regs.get(c.second_registration_id)
        if first is None or second is None:
            continue
        views.append(
            ClashView(
                c,
                RegistrationView(first, names.get(first.distributor_id, ""), True),
                RegistrationView(second, names.get(second.distributor_id, ""), True),
            )
        )
    return views
