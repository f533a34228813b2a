"""Use cases of rebates: admins write programmes; a partner reads their own
organisation's progress; finance and admins read every partner's accruals,
settle a distributor's period once, and read the settlements.

Accruals are computed when read from the recorded receipts (one grouped sum
per programme and period over the receipts' (tenant, opportunity, paid_on)
index and the projection's partner index), so a receipt recorded, matched,
reversed or released shows at once and nothing has to be kept in step.

Who the partner is comes from Caller.organisation (the gateway checked the
token's organisation against its user directory); whether they still act for
that distributor — active, in contract, listing them — is lead-routing's
answer, asked at every partner call (crm_shared.partner_check): finance keeps
no distributor user lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Violation,
)
from crm_shared.ids import new_id
from crm_shared.paging import decode_token, encode_token, page_size
from crm_shared.partner_check import PartnerCheck
from crm_shared.roles import PARTNER_REBATE_READERS, REBATE_PROGRAMME_EDITORS, REBATE_READERS, REBATE_SETTLERS
from crm_shared.text import refused_character

from finance_reconciliation.domain.rebate import (
    DISTRIBUTOR_ID,
    FIRST_DAY,
    LAST_DAY,
    MAX_NOTE,
    MAX_SETTLEMENT_RECEIPTS,
    Period,
    ProgrammeInput,
    Progress,
    RebateProgramme,
    RebateSettlement,
    period_of,
    progress,
    validated,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]
MAX_PROGRAMMES = 100  # per tenant


@dataclass(frozen=True)
class Figures:
    """A distributor's progress, and the settlement of that period if there is one."""

    progress: Progress
    settlement: RebateSettlement | None


def _day(text: str, today: date) -> date:
    if not text.strip():
        return today
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgument.field("on", "an ISO date (2026-12-01)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidArgument.field("on", f"between {FIRST_DAY} and {LAST_DAY}")
    return day


def _organisation(caller: Caller) -> str:
    caller.require_role(*PARTNER_REBATE_READERS)
    if not DISTRIBUTOR_ID.match(caller.organisation):
        raise PermissionDenied("the caller's token names no distributor organisation")
    return caller.organisation


async def _figures(
    uow: FinanceUnitOfWork, programme: RebateProgramme, period: Period, distributor_ids: list[str] | None
) -> list[Figures]:
    """Progress of the named distributors (None: every one with receipts, plus those the programme lists)."""
    tenant = programme.tenant_id
    sums = await uow.rebates.collected(tenant, programme.currency, period, distributor_ids)
    settled = await uow.rebates.settled(tenant, programme.programme_id, period.label, distributor_ids)
    wanted = distributor_ids if distributor_ids is not None else [*sums, *programme.distributor_ids]
    return [
        Figures(progress(programme, d, period, *sums.get(d, (0, 0))), settled.get(d))
        for d in sorted(set(wanted))
        if programme.applies_to(d)
    ]


def _saved_event(p: RebateProgramme) -> finance_pb2.RebateProgrammeSaved:
    return finance_pb2.RebateProgrammeSaved(
        programme_id=p.programme_id,
        name=p.name,
        period_kind=p.period_kind,
        thresholds_minor=[t.threshold_minor for t in p.tiers],
        rates_bp=[t.rate_bp for t in p.tiers],
        basis=p.basis,
        currency=p.currency,
        distributor_ids=list(p.distributor_ids),
        active=p.active,
        version=p.version,
        saved_by=p.updated_by,
    )


class RebateHandlers:
    def __init__(self, uow: UowFactory, partners: PartnerCheck) -> None:
        self.uow = uow
        self.partners = partners

    # --- programmes (admins write; finance and admins read) ---

    async def programmes(self, caller: Caller) -> list[RebateProgramme]:
        caller.require_role(*REBATE_READERS)
        async with self.uow() as uow:
            return await uow.rebates.programmes(caller.tenant_id)

    async def programme(self, caller: Caller, programme_id: str) -> RebateProgramme:
        caller.require_role(*REBATE_READERS)
        async with self.uow() as uow:
            return await self._programme(uow, caller, programme_id)

    async def _programme(self, uow: FinanceUnitOfWork, caller: Caller, programme_id: str) -> RebateProgramme:
        found = await uow.rebates.programme(caller.tenant_id, programme_id.strip())
        if not found:
            raise NotFound(f"rebate programme {programme_id} not found")
        return found

    async def create_programme(self, caller: Caller, given: ProgrammeInput) -> RebateProgramme:
        caller.require_role(*REBATE_PROGRAMME_EDITORS)
        fields = validated(given)
        async with self.uow() as uow:
            if await uow.rebates.count_programmes(caller.tenant_id) >= MAX_PROGRAMMES:
                raise FailedPrecondition(
                    f"a tenant has at most {MAX_PROGRAMMES} rebate programmes; close (deactivate) and replace one",
                    [Violation("programme", "count", f"at most {MAX_PROGRAMMES}")],
                )
            programme = RebateProgramme(
                programme_id=new_id(),
                tenant_id=caller.tenant_id,
                version=1,
                updated_by=caller.user_id,
                updated_at=uow.clock.now(),
                **fields,
            )
            await uow.rebates.add_programme(programme)
            await uow.publish(
                "rebate.programme_saved", caller.tenant_id, programme.programme_id, _saved_event(programme)
            )
            await uow.commit()
        return programme

    async def update_programme(
        self, caller: Caller, programme_id: str, given: ProgrammeInput, expected_version: int = 0
    ) -> RebateProgramme:
        """Replaces the programme; settlements made keep the tiers they were made with."""
        caller.require_role(*REBATE_PROGRAMME_EDITORS)
        fields = validated(given)
        async with self.uow() as uow:
            before = await self._programme(uow, caller, programme_id)
            if expected_version and expected_version != before.version:
                raise Conflict(
                    f"rebate programme {programme_id} is at version {before.version}, not {expected_version}"
                )
            programme = replace(
                before, version=before.version + 1, updated_by=caller.user_id, updated_at=uow.clock.now(), **fields
            )
            if not await uow.rebates.save_programme(programme, before=before):
                raise Conflict(f"rebate programme {programme_id} was changed meanwhile; read it again")
            await uow.publish(
                "rebate.programme_saved", caller.tenant_id, programme.programme_id, _saved_event(programme)
            )
            await uow.commit()
        return programme

    # --- a partner's own figures ---

    async def partner_rebates(self, caller: Caller, on: str = "") -> list[tuple[RebateProgramme, Figures]]:
        """The caller's organisation's progress in each active programme for it, in the period holding `on`."""
        organisation = _organisation(caller)
        # Before anything is read: a partner of no current distributor is refused as lead-routing refuses them.
        await self.partners.require(caller)
        async with self.uow() as uow:
            day = _day(on, business_day(uow.clock.now()))
            found = []
            for programme in await uow.rebates.programmes(caller.tenant_id):
                period = period_of(programme.period_kind, day)
                if programme.active and programme.applies_to(organisation) and programme.runs_in(period):
                    period = period.clamped(programme.starts_on, programme.ends_on)
                    [figures] = await _figures(uow, programme, period, [organisation])
                    found.append((programme, figures))
            return found

    # --- finance: every partner, settlements ---

    async def accruals(
        self, caller: Caller, programme_id: str, period: str = "", on: str = ""
    ) -> tuple[RebateProgramme, list[Figures]]:
        caller.require_role(*REBATE_READERS)
        async with self.uow() as uow:
            programme = await self._programme(uow, caller, programme_id)
            chosen = programme.period(period, _day(on, business_day(uow.clock.now())))
            return programme, await _figures(uow, programme, chosen, None)

    async def settle(
        self, caller: Caller, programme_id: str, distributor_id: str, period: str, note: str = ""
    ) -> RebateSettlement:
        """Freezes the distributor's period once it has ended: figures, tiers and the receipts counted."""
        caller.require_role(*REBATE_SETTLERS)
        distributor_id, note = distributor_id.strip(), note.strip()
        if len(note) > MAX_NOTE or refused_character(note):
            raise InvalidArgument.field("note", f"at most {MAX_NOTE} characters, no control characters")
        if not period.strip():
            raise InvalidArgument.field("period", "the period to settle is required")
        async with self.uow() as uow:
            programme = await self._programme(uow, caller, programme_id)
            if not DISTRIBUTOR_ID.match(distributor_id) or not programme.applies_to(distributor_id):
                raise InvalidArgument.field("distributor_id", f"not a distributor of {programme.name}")
            chosen = programme.period(period)
            today = business_day(uow.clock.now())
            if chosen.ends_on >= today:
                raise FailedPrecondition(
                    f"{chosen.label} has not ended (it runs to {chosen.ends_on}); settle it from the day after",
                    [Violation("period", chosen.label, f"runs to {chosen.ends_on}")],
                )
            counted = await uow.rebates.counted_receipts(
                caller.tenant_id, programme.currency, chosen, distributor_id, MAX_SETTLEMENT_RECEIPTS + 1
            )
            if len(counted) > MAX_SETTLEMENT_RECEIPTS:
                raise FailedPrecondition(
                    f"more than {MAX_SETTLEMENT_RECEIPTS} receipts in one settlement",
                    [Violation("period", chosen.label, f"more than {MAX_SETTLEMENT_RECEIPTS} receipts")],
                )
            figures = progress(programme, distributor_id, chosen, sum(a for _, a in counted), len(counted))
            settlement = RebateSettlement(
                settlement_id=new_id(),
                tenant_id=caller.tenant_id,
                programme_id=programme.programme_id,
                programme_name=programme.name,
                distributor_id=distributor_id,
                period=chosen,
                currency=programme.currency,
                collected_minor=figures.collected_minor,
                tier=figures.tier,
                rate_bp=figures.rate_bp,
                basis=programme.basis,
                tiers=programme.tiers,
                rebate_minor=figures.accrued_minor,
                receipt_ids=tuple(r for r, _ in counted),
                note=note,
                settled_by=caller.user_id,
                settled_at=uow.clock.now(),
            )
            await uow.rebates.add_settlement(settlement, counted)
            await uow.publish(
                "rebate.settled",
                caller.tenant_id,
                settlement.settlement_id,
                finance_pb2.RebateSettled(
                    settlement_id=settlement.settlement_id,
                    programme_id=programme.programme_id,
                    distributor_id=distributor_id,
                    period=chosen.label,
                    collected=Money(amount_minor=settlement.collected_minor, currency=settlement.currency),
                    tier=settlement.tier,
                    rate_bp=settlement.rate_bp,
                    rebate=Money(amount_minor=settlement.rebate_minor, currency=settlement.currency),
                    receipt_count=len(counted),
                    settled_by=caller.user_id,
                ),
            )
            await uow.commit()
        return settlement

    async def settlements(
        self,
        caller: Caller,
        programme_id: str = "",
        distributor_id: str = "",
        period: str = "",
        size: int = 0,
        token: str = "",
    ) -> tuple[list[RebateSettlement], str]:
        """A page of settlements, newest first, and the next page's token ("" on the last)."""
        caller.require_role(*REBATE_READERS)
        limit, before = page_size(size), decode_token(token)
        async with self.uow() as uow:
            found = await uow.rebates.settlements(
                caller.tenant_id,
                programme_id=programme_id.strip(),
                distributor_ids=[distributor_id.strip()] if distributor_id.strip() else None,
                period=period.strip(),
                before=before,
                limit=limit + 1,
            )
        page = found[:limit]
        more = len(found) > limit
        return page, encode_token(page[-1].settled_at, page[-1].settlement_id) if more else ""

    async def settlement(self, caller: Caller, settlement_id: str) -> RebateSettlement:
        caller.require_role(*REBATE_READERS)
        async with self.uow() as uow:
            found = await uow.rebates.settlement(caller.tenant_id, settlement_id.strip())
        if not found:
            raise NotFound(f"rebate settlement {settlement_id} not found")
        return found
