"""Receipts: the ONE path that creates receipts, allocations and ledger
postings (manual ones here; confirmed matches through record_in inside their
own unit of work), reversals as reversing entries, the review of held
receipts, and settling an instalment without cash (write-offs, waivers;
domain/settlement.py). Every unit of work that moves money also publishes the
customer's payment figures (service_layer.aging.publish_customer_stats)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared import paging
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, Violation
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.access import READERS, RECORDERS
from finance_reconciliation.domain.contract import FinanceContract
from finance_reconciliation.domain.plan import WAIVED, Instalment, restated
from finance_reconciliation.domain.receipt import (
    HELD,
    MANUAL,
    RECORDED,
    REJECTED,
    REVERSED,
    STATEMENT,
    Receipt,
    ReceiptInput,
    Tolerance,
    check_line_room,
    check_lock,
    check_reason,
    check_review,
    not_held,
    parse_day,
    validate,
)
from finance_reconciliation.domain.settlement import (
    ACTIVE,
    WriteOff,
    check_waive,
    check_write_off,
    check_write_off_reversal,
    validate_amount,
)
from finance_reconciliation.domain.settlement import REVERSED as WRITE_OFF_REVERSED
from finance_reconciliation.service_layer.aging import publish_customer_stats
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


@dataclass(frozen=True)
class RecordReceipt:
    contract_id: str
    contract_version_id: str
    instalment_id: str
    amount_minor: int | None  # None: no amount in the request
    currency: str
    payer_name: str
    equipment: tuple[tuple[str, int], ...]
    paid_on: str = ""  # ISO date; empty: today
    reference: str = ""
    source: str = MANUAL
    statement_line_id: str = ""
    # A matching rule's over tolerance for this allocation, in 分; None: the service's setting.
    over_tolerance_minor: int | None = None


class ReceiptHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess, tolerance: Tolerance) -> None:
        self.uow = uow
        self.access = access
        self.tolerance = tolerance

    async def record(self, caller: Caller, cmd: RecordReceipt) -> Receipt:
        caller.require_role(*RECORDERS)
        await self._require_contract_access(caller, cmd.contract_id.strip())
        async with self.uow() as uow:
            receipt = await self.record_in(uow, caller, cmd)
            await uow.commit()
        return receipt

    async def record_in(self, uow: FinanceUnitOfWork, caller: Caller, cmd: RecordReceipt) -> Receipt:
        """Inside an open unit of work the caller commits (a match's confirm commits
        the match and the receipt together). Refused receipts raise before
        anything is written: FailedPrecondition naming each failing check."""
        caller.require_role(*RECORDERS)
        now = uow.clock.now()
        today = business_day(now)
        given = ReceiptInput(
            contract_id=cmd.contract_id.strip(),
            contract_version_id=cmd.contract_version_id.strip(),
            instalment_id=cmd.instalment_id.strip(),
            amount_minor=cmd.amount_minor,
            currency=cmd.currency,
            paid_on=parse_day("paid_on", cmd.paid_on, today),
            payer_name=cmd.payer_name.strip(),
            reference=cmd.reference.strip(),
            equipment=tuple((m.strip(), q) for m, q in cmd.equipment),
            source=cmd.source,
            statement_line_id=cmd.statement_line_id.strip(),
            over_tolerance_minor=cmd.over_tolerance_minor,
        )
        validate(given)
        tenant = caller.tenant_id
        versions = await uow.contracts.versions(tenant, given.contract_id)
        if not versions:
            raise NotFound(f"contract {given.contract_id} has no signed version known to finance")
        version = next((v for v in versions if v.version_id == given.contract_version_id), None)
        in_force = next((v for v in versions if v.status == "in_force"), None)
        if version is not None and given.source == STATEMENT and not given.equipment:
            # The bank sends no equipment list: a statement receipt is for the version's own.
            given = replace(given, equipment=tuple((r.model, r.quantity) for r in version.equipment))
        instalment = await uow.plans.instalment(tenant, given.instalment_id, for_update=True)
        if instalment is not None and instalment.contract_id != given.contract_id:
            instalment = None
        if instalment is not None:  # the state as of today (a due date may have passed since it was stored)
            instalment = restated(instalment, today)
        tolerance = self.tolerance.overridden(given.over_tolerance_minor)
        held = check_lock(given, version=version, in_force=in_force, instalment=instalment, tolerance=tolerance)
        assert version is not None and instalment is not None and given.amount_minor is not None
        if given.source == STATEMENT:
            # Locked: a receipt racing for the same line waits and then sees this one counted.
            line = await uow.statements.get_line(tenant, given.statement_line_id, for_update=True)
            if line is None:
                raise InvalidArgument.field("statement_line_id", "is not a statement line known to finance")
            counted = await uow.receipts.counted_on_line(tenant, line.line_id)
            check_line_room(line.line_id, line.amount_minor, counted, given.amount_minor)
        receipt = Receipt(
            receipt_id=new_id(),
            tenant_id=tenant,
            contract_id=given.contract_id,
            contract_version_id=version.version_id,
            instalment_id=instalment.instalment_id,
            opportunity_id=version.opportunity_id,
            customer_id=version.customer_id,
            amount_minor=given.amount_minor,
            currency=given.currency,
            paid_on=given.paid_on,
            payer_name=given.payer_name,
            reference=given.reference or None,
            lead_source=await uow.receipts.lead_source(tenant, version.opportunity_id),
            source=given.source,
            statement_line_id=given.statement_line_id or None,
            status=HELD if held else RECORDED,
            recorded_by=caller.user_id,
            recorded_at=now,
        )
        await uow.receipts.add(receipt)
        if not held:
            instalment = await self._apply(uow, receipt, instalment, version, caller)
        await self._announce(uow, receipt, instalment)
        return receipt

    async def _apply(
        self, uow: FinanceUnitOfWork, receipt: Receipt, instalment: Instalment, version: FinanceContract, caller: Caller
    ) -> Instalment:
        """The receipt's entry: cash +A, allocation +A on its instalment."""
        now = uow.clock.now()
        instalment = restated(
            replace(instalment, paid_minor=instalment.paid_minor + receipt.amount_minor), business_day(now)
        )
        await uow.plans.save_instalment(instalment)
        entry = new_id()
        await uow.ledger.post(
            [
                _posting(receipt, entry, ledger.RECEIPT, None, receipt.amount_minor, caller, "回款", now),
                _posting(
                    receipt,
                    entry,
                    ledger.ALLOCATION,
                    instalment.instalment_id,
                    receipt.amount_minor,
                    caller,
                    f"回款 → {version.label} {instalment.name}",
                    now,
                ),
            ]
        )
        return instalment

    async def _announce(self, uow: FinanceUnitOfWork, receipt: Receipt, instalment: Instalment) -> None:
        """payment.receipt_recorded (again with status recorded when a held one is released) and the figures."""
        await uow.publish(
            "payment.receipt_recorded",
            receipt.tenant_id,
            receipt.receipt_id,
            finance_pb2.ReceiptRecorded(
                receipt_id=receipt.receipt_id,
                contract_id=receipt.contract_id,
                contract_version_id=receipt.contract_version_id,
                instalment_id=receipt.instalment_id,
                opportunity_id=receipt.opportunity_id,
                customer_id=receipt.customer_id,
                amount=Money(amount_minor=receipt.amount_minor, currency=receipt.currency),
                paid_on=receipt.paid_on.isoformat(),
                lead_source=receipt.lead_source,
                source=receipt.source,
                statement_line_id=receipt.statement_line_id or "",
                status=receipt.status,
                instalment_state=instalment.state,
            ),
        )
        if receipt.status == RECORDED:
            await publish_customer_stats(uow, receipt.tenant_id, receipt.customer_id)

    async def reverse(self, caller: Caller, receipt_id: str, reason: str) -> Receipt:
        caller.require_role(*RECORDERS)
        why = check_reason(reason)
        found = await self._require_receipt_access(caller, receipt_id)
        async with self.uow() as uow:
            await self._refuse_matched(uow, found)
            receipt = await self.reverse_in(uow, caller, found.receipt_id, why)
            await uow.commit()
        return receipt

    @staticmethod
    async def _refuse_matched(uow: FinanceUnitOfWork, receipt: Receipt) -> None:
        """A receipt a confirmed match made is reversed with its match (ReverseMatch): reversed alone, the
        match would stay confirmed and its line matched while the money is gone."""
        if receipt.source != STATEMENT or not receipt.statement_line_id:
            return
        match = await uow.matches.confirmed_with_receipt(receipt.tenant_id, receipt.statement_line_id, receipt.receipt_id)
        if match is not None:
            raise FailedPrecondition(
                f"the receipt came from statement match {match.match_id}: reverse the match instead, "
                f"POST /v1/matching/matches/{match.match_id}/reversal",
                [Violation("match", match.match_id, "is confirmed; reversing it reverses this receipt")],
            )

    async def reverse_in(self, uow: FinanceUnitOfWork, caller: Caller, receipt_id: str, why: str) -> Receipt:
        """A reversing entry (cash −A, instalment −A); the receipt row only records that it was
        reversed. The write-offs of its shortfall go with it (each its own reversing entry)."""
        now = uow.clock.now()
        receipt = await uow.receipts.get(caller.tenant_id, receipt_id, for_update=True)
        if receipt is None:
            raise NotFound(f"receipt {receipt_id} not found")
        if receipt.status in (REVERSED, REJECTED):
            by = receipt.reversed_by if receipt.status == REVERSED else receipt.reviewed_by
            raise FailedPrecondition(
                f"receipt {receipt_id} is already {receipt.status}",
                [Violation("receipt", receipt_id, f"was {receipt.status} by {by}")],
            )
        inst = await uow.plans.instalment(caller.tenant_id, receipt.instalment_id, for_update=True)
        assert inst is not None
        if receipt.status == RECORDED:
            for write_off in await uow.receipts.active_write_offs(caller.tenant_id, receipt_id=receipt.receipt_id):
                _, inst = await self._reverse_write_off(uow, caller, write_off, inst, why)
            inst = restated(replace(inst, paid_minor=inst.paid_minor - receipt.amount_minor), business_day(now))
            await uow.plans.save_instalment(inst)
            entry = new_id()
            await uow.ledger.post(
                [
                    _posting(receipt, entry, ledger.REVERSAL, None, -receipt.amount_minor, caller, why, now),
                    _posting(
                        receipt, entry, ledger.REVERSAL, receipt.instalment_id, -receipt.amount_minor, caller, why, now
                    ),
                ]
            )
        reversed_ = replace(receipt, status=REVERSED, reversed_by=caller.user_id, reversal_reason=why, reversed_at=now)
        await uow.receipts.save_status(reversed_)
        await uow.publish(
            "payment.receipt_reversed",
            caller.tenant_id,
            receipt.receipt_id,
            finance_pb2.ReceiptReversed(
                receipt_id=receipt.receipt_id,
                instalment_id=receipt.instalment_id,
                opportunity_id=receipt.opportunity_id,
                amount=Money(amount_minor=receipt.amount_minor, currency=receipt.currency),
                reason=why,
                reversed_by=caller.user_id,
            ),
        )
        if receipt.status == RECORDED:
            await publish_customer_stats(uow, caller.tenant_id, receipt.customer_id)
        return reversed_

    async def release(self, caller: Caller, receipt_id: str, note: str) -> Receipt:
        """A held receipt accepted after review: recorded, posted now, announced again as recorded."""
        caller.require_role(*RECORDERS)
        why = check_reason(note, "say why the overpayment is accepted", "note")
        found = await self._require_receipt_access(caller, receipt_id)
        async with self.uow() as uow:
            now = uow.clock.now()
            receipt = await uow.receipts.get(caller.tenant_id, found.receipt_id, for_update=True)
            assert receipt is not None
            version = await uow.contracts.get(caller.tenant_id, receipt.contract_version_id)
            inst = await uow.plans.instalment(caller.tenant_id, receipt.instalment_id, for_update=True)
            inst = restated(inst, business_day(now)) if inst else None
            check_review(receipt, version=version, instalment=inst)
            assert version is not None and inst is not None
            released = replace(receipt, status=RECORDED, reviewed_by=caller.user_id, review_note=why, reviewed_at=now)
            await uow.receipts.save_status(released)
            inst = await self._apply(uow, released, inst, version, caller)
            await self._announce(uow, released, inst)
            await uow.commit()
        return released

    async def reject(self, caller: Caller, receipt_id: str, note: str) -> Receipt:
        """A held receipt refused after review: nothing is ever posted for it."""
        caller.require_role(*RECORDERS)
        why = check_reason(note, "say why the receipt is rejected", "note")
        found = await self._require_receipt_access(caller, receipt_id)
        async with self.uow() as uow:
            receipt = await uow.receipts.get(caller.tenant_id, found.receipt_id, for_update=True)
            assert receipt is not None
            failed = not_held(receipt)
            if failed:
                raise FailedPrecondition(f"receipt {receipt_id} is not held for review", failed)
            now = uow.clock.now()
            rejected = replace(receipt, status=REJECTED, reviewed_by=caller.user_id, review_note=why, reviewed_at=now)
            await uow.receipts.save_status(rejected)
            await uow.publish(
                "payment.receipt_rejected",
                caller.tenant_id,
                receipt.receipt_id,
                finance_pb2.ReceiptRejected(
                    receipt_id=receipt.receipt_id,
                    instalment_id=receipt.instalment_id,
                    opportunity_id=receipt.opportunity_id,
                    customer_id=receipt.customer_id,
                    amount=Money(amount_minor=receipt.amount_minor, currency=receipt.currency),
                    reason=why,
                    rejected_by=caller.user_id,
                ),
            )
            await uow.commit()
        return rejected

    async def held(self, caller: Caller, page_size: int, page_token: str) -> tuple[list[Receipt], str]:
        """The tenant's receipts waiting for review, oldest first (finance and admins: the whole tenant)."""
        caller.require_role(*RECORDERS)
        size, after = paging.page_size(page_size), paging.decode_token(page_token)
        async with self.uow() as uow:
            rows = await uow.receipts.with_status(caller.tenant_id, HELD, after, size + 1)
        page = rows[:size]
        token = paging.encode_token(page[-1].recorded_at, page[-1].receipt_id) if len(rows) > size else ""
        return page, token

    async def write_off(
        self, caller: Caller, instalment_id: str, amount_minor: int | None, currency: str, reason: str
    ) -> WriteOff:
        caller.require_role(*RECORDERS)
        validate_amount(amount_minor, currency)
        assert amount_minor is not None
        why = check_reason(reason, "say why the rest is written off")
        inst = await self._require_instalment_access(caller, instalment_id)
        if currency != inst.currency:
            raise InvalidArgument.field("amount.currency", f"must be the instalment's currency {inst.currency}")
        async with self.uow() as uow:
            written = await self.write_off_in(uow, caller, inst.instalment_id, amount_minor, why)
            await uow.commit()
        return written

    async def write_off_in(
        self,
        uow: FinanceUnitOfWork,
        caller: Caller,
        instalment_id: str,
        amount_minor: int,
        reason: str,
        receipt_id: str | None = None,
    ) -> WriteOff:
        """Inside an open unit of work the caller commits: writes off exactly what the instalment
        still owes (after any receipt recorded earlier in the same unit of work), settling it."""
        caller.require_role(*RECORDERS)
        validate_amount(amount_minor)
        why = check_reason(reason, "say why the rest is written off")
        now = uow.clock.now()
        tenant = caller.tenant_id
        inst = await uow.plans.instalment(tenant, instalment_id.strip(), for_update=True)
        if inst is None:
            raise NotFound(f"instalment {instalment_id} not found")
        inst = restated(inst, business_day(now))
        version = await uow.contracts.get(tenant, inst.contract_version_id)
        receipt = await uow.receipts.get(tenant, receipt_id) if receipt_id else None
        check_write_off(inst, amount_minor, version=version, receipt_id=receipt_id, receipt=receipt)
        write_off = WriteOff(
            write_off_id=new_id(),
            tenant_id=tenant,
            instalment_id=inst.instalment_id,
            contract_id=inst.contract_id,
            opportunity_id=inst.opportunity_id,
            customer_id=inst.customer_id,
            receipt_id=receipt_id,
            amount_minor=amount_minor,
            currency=inst.currency,
            reason=why,
            status=ACTIVE,
            written_by=caller.user_id,
            written_at=now,
        )
        await uow.receipts.add_write_off(write_off)
        inst = restated(replace(inst, written_off_minor=inst.written_off_minor + amount_minor), business_day(now))
        await uow.plans.save_instalment(inst)
        await uow.ledger.post(_write_off_entry(write_off, write_off.write_off_id, amount_minor, caller, why, now))
        await uow.publish(
            "payment.written_off",
            tenant,
            write_off.write_off_id,
            finance_pb2.InstalmentWrittenOff(
                write_off_id=write_off.write_off_id,
                instalment_id=inst.instalment_id,
                contract_id=inst.contract_id,
                contract_version_id=inst.contract_version_id,
                opportunity_id=inst.opportunity_id,
                customer_id=inst.customer_id,
                receipt_id=receipt_id or "",
                amount=Money(amount_minor=amount_minor, currency=inst.currency),
                reason=why,
                written_by=caller.user_id,
                instalment_state=inst.state,
            ),
        )
        await publish_customer_stats(uow, tenant, inst.customer_id)
        return write_off

    async def reverse_write_off(self, caller: Caller, write_off_id: str, reason: str) -> WriteOff:
        caller.require_role(*RECORDERS)
        why = check_reason(reason, "say why the write-off is reversed")
        async with self.uow() as uow:
            found = await uow.receipts.write_off(caller.tenant_id, write_off_id.strip())
        if found is None:
            raise NotFound(f"write-off {write_off_id} not found")
        await self.access.require(caller, "opportunity", found.opportunity_id)
        async with self.uow() as uow:
            reversed_ = await self.reverse_write_off_in(uow, caller, found.write_off_id, why)
            await uow.commit()
        return reversed_

    async def reverse_write_off_in(
        self, uow: FinanceUnitOfWork, caller: Caller, write_off_id: str, why: str
    ) -> WriteOff:
        """A reversing entry (−W on both sides); the instalment owes the amount again."""
        write_off = await uow.receipts.write_off(caller.tenant_id, write_off_id, for_update=True)
        if write_off is None:
            raise NotFound(f"write-off {write_off_id} not found")
        check_write_off_reversal(write_off)
        inst = await uow.plans.instalment(caller.tenant_id, write_off.instalment_id, for_update=True)
        assert inst is not None
        reversed_, _ = await self._reverse_write_off(uow, caller, write_off, inst, why)
        await publish_customer_stats(uow, caller.tenant_id, write_off.customer_id)
        return reversed_

    async def _reverse_write_off(
        self, uow: FinanceUnitOfWork, caller: Caller, write_off: WriteOff, inst: Instalment, why: str
    ) -> tuple[WriteOff, Instalment]:
        now = uow.clock.now()
        reversed_ = replace(
            write_off, status=WRITE_OFF_REVERSED, reversed_by=caller.user_id, reversal_reason=why, reversed_at=now
        )
        await uow.receipts.write_off_reversed(reversed_)
        inst = restated(
            replace(inst, written_off_minor=inst.written_off_minor - write_off.amount_minor), business_day(now)
        )
        await uow.plans.save_instalment(inst)
        await uow.ledger.post(_write_off_entry(write_off, new_id(), -write_off.amount_minor, caller, why, now))
        await uow.publish(
            "payment.write_off_reversed",
            caller.tenant_id,
            write_off.write_off_id,
            finance_pb2.WriteOffReversed(
                write_off_id=write_off.write_off_id,
                instalment_id=inst.instalment_id,
                opportunity_id=inst.opportunity_id,
                amount=Money(amount_minor=write_off.amount_minor, currency=write_off.currency),
                reason=why,
                reversed_by=caller.user_id,
                instalment_state=inst.state,
            ),
        )
        return reversed_, inst

    async def waive(self, caller: Caller, instalment_id: str, reason: str) -> Instalment:
        """The instalment is no longer owed (state waived, who and why); it then refuses receipts."""
        caller.require_role(*RECORDERS)
        why = check_reason(reason, "say why the instalment is waived")
        found = await self._require_instalment_access(caller, instalment_id)
        async with self.uow() as uow:
            now = uow.clock.now()
            inst = await uow.plans.instalment(caller.tenant_id, found.instalment_id, for_update=True)
            assert inst is not None
            inst = restated(inst, business_day(now))
            check_waive(inst, await uow.contracts.get(caller.tenant_id, inst.contract_version_id))
            owed = inst.outstanding_minor
            inst = replace(inst, state=WAIVED, waived_by=caller.user_id, waive_reason=why, waived_at=now)
            await uow.plans.save_instalment(inst)
            await uow.publish(
                "payment.instalment_waived",
                caller.tenant_id,
                inst.instalment_id,
                finance_pb2.InstalmentWaived(
                    instalment_id=inst.instalment_id,
                    contract_id=inst.contract_id,
                    contract_version_id=inst.contract_version_id,
                    opportunity_id=inst.opportunity_id,
                    customer_id=inst.customer_id,
                    waived=Money(amount_minor=owed, currency=inst.currency),
                    reason=why,
                    waived_by=caller.user_id,
                ),
            )
            await publish_customer_stats(uow, caller.tenant_id, inst.customer_id)
            await uow.commit()
        return inst

    async def listed(self, caller: Caller, *, contract_id: str = "", opportunity_id: str = "") -> list[Receipt]:
        caller.require_role(*READERS)
        opportunity_id = opportunity_id.strip() or await self._require_contract_access(caller, contract_id.strip())
        await self.access.require(caller, "opportunity", opportunity_id)
        async with self.uow() as uow:
            return await uow.receipts.listed(
                caller.tenant_id, contract_id=contract_id.strip(), opportunity_id=opportunity_id
            )

    async def check_ledger(self, caller: Caller) -> tuple[list[str], tuple[int, int, int, int]]:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            sums = await uow.ledger.sums(caller.tenant_id)
            totals = await uow.ledger.totals(caller.tenant_id)
        return ledger.problems(sums), totals

    async def _require_contract_access(self, caller: Caller, contract_id: str) -> str:
        """The contract's opportunity, when the caller may read it; another tenant's contract is not found."""
        async with self.uow() as uow:
            versions = await uow.contracts.versions(caller.tenant_id, contract_id) if contract_id else []
        if not versions:
            raise NotFound(f"contract {contract_id} has no signed version known to finance")
        await self.access.require(caller, "opportunity", versions[0].opportunity_id)
        return versions[0].opportunity_id

    async def _require_receipt_access(self, caller: Caller, receipt_id: str) -> Receipt:
        receipt_id = receipt_id.strip()
        async with self.uow() as uow:
            found = await uow.receipts.get(caller.tenant_id, receipt_id) if receipt_id else None
        if found is None:
            raise NotFound(f"receipt {receipt_id} not found")
        await self.access.require(caller, "opportunity", found.opportunity_id)
        return found

    async def _require_instalment_access(self, caller: Caller, instalment_id: str) -> Instalment:
        instalment_id = instalment_id.strip()
        async with self.uow() as uow:
            found = await uow.plans.instalment(caller.tenant_id, instalment_id) if instalment_id else None
        if found is None:
            raise NotFound(f"instalment {instalment_id} not found")
        await self.access.require(caller, "opportunity", found.opportunity_id)
        return found


def _write_off_entry(
    write_off: WriteOff, entry: str, amount: int, caller: Caller, why: str, now: datetime
) -> list[ledger.Posting]:
    """The two sides of a write-off (or, negative, of its reversal): the amount given up, and the instalment."""
    return [
        ledger.Posting(
            posting_id=new_id(),
            tenant_id=write_off.tenant_id,
            entry_id=entry,
            kind=ledger.WRITE_OFF,
            receipt_id=write_off.receipt_id,
            instalment_id=instalment_id,
            amount_minor=amount,
            currency=write_off.currency,
            posted_by=caller.user_id,
            reason=why,
            posted_at=now,
        )
        for instalment_id in (None, write_off.instalment_id)
    ]


def _posting(
    receipt: Receipt,
    entry: str,
    kind: str,
    instalment_id: str | None,
    amount: int,
    caller: Caller,
    why: str,
    now: datetime,
) -> ledger.Posting:
    return ledger.Posting(
        posting_id=new_id(),
        tenant_id=receipt.tenant_id,
        entry_id=entry,
        kind=kind,
        receipt_id=receipt.receipt_id,
        instalment_id=instalment_id,
        amount_minor=amount,
        currency=receipt.currency,
        posted_by=caller.user_id,
        reason=why,
        posted_at=now,
    )
