"""Receipts: the ONE path that creates receipts, allocations and ledger
postings (manual ones here; confirmed matches through record_in inside their
own unit of work) and reversals as reversing entries. The review of held
receipts is held_receipts.py, settling an instalment without cash
write_offs.py and waivers.py (domain/settlement.py). Every unit of work that
moves money also publishes the customer's payment figures
(service_layer.aging.publish_customer_stats)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.access import READERS, RECORDERS
from finance_reconciliation.domain.contract import FinanceContract
from finance_reconciliation.domain.plan import Instalment
from finance_reconciliation.domain.receipt import (
    MANUAL,
    RECORDED,
    STATEMENT,
    Receipt,
    ReceiptInput,
    Tolerance,
    applied,
    check_line_room,
    check_lock,
    check_not_matched,
    check_reason,
    check_reversible,
    from_statement,
    new_receipt,
    own_instalment,
    parse_day,
    reversed_receipt,
    validate,
    with_version_equipment,
)
from finance_reconciliation.domain.settlement import WriteOff
from finance_reconciliation.service_layer.aging import publish_customer_stats
from finance_reconciliation.service_layer.finance_access import FinanceAccess
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork
from finance_reconciliation.service_layer.write_offs import WriteOffHandlers, undo_write_off

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
    """Recording and reversing receipts. write_offs: the write-off handlers a confirmed match settles
    a shortfall through (write_offs.write_off_in, in the match's unit of work)."""

    def __init__(
        self,
        uow: UowFactory,
        access: SubjectAccess,
        tolerance: Tolerance,
        write_offs: WriteOffHandlers | None = None,
    ) -> None:
        self.uow = uow
        self.access = FinanceAccess(uow, access)
        self.tolerance = tolerance
        self.write_offs = write_offs or WriteOffHandlers(uow, access)

    async def record(self, caller: Caller, cmd: RecordReceipt) -> Receipt:
        caller.require_role(*RECORDERS)
        await self.access.contract(caller, cmd.contract_id.strip())
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
        given = with_version_equipment(given, version)
        instalment = own_instalment(
            await uow.plans.instalment(tenant, given.instalment_id, for_update=True), given.contract_id, today
        )
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
        receipt = new_receipt(
            given,
            version,
            instalment,
            receipt_id=new_id(),
            tenant_id=tenant,
            lead_source=await uow.receipts.lead_source(tenant, version.opportunity_id),
            held=held,
            recorded_by=caller.user_id,
            recorded_at=now,
        )
        await uow.receipts.add(receipt)
        if not held:
            instalment = await apply_receipt(uow, receipt, instalment, version, caller)
        await announce_receipt(uow, receipt, instalment)
        return receipt

    async def reverse(self, caller: Caller, receipt_id: str, reason: str) -> Receipt:
        caller.require_role(*RECORDERS)
        why = check_reason(reason)
        found = await self.access.receipt(caller, receipt_id)
        async with self.uow() as uow:
            if from_statement(found):
                assert found.statement_line_id is not None
                match = await uow.matches.confirmed_with_receipt(
                    found.tenant_id, found.statement_line_id, found.receipt_id
                )
                check_not_matched(match.match_id if match is not None else None)
            receipt = await self.reverse_in(uow, caller, found.receipt_id, why)
            await uow.commit()
        return receipt

    async def reverse_in(self, uow: FinanceUnitOfWork, caller: Caller, receipt_id: str, why: str) -> Receipt:
        """A reversing entry (cash −A, instalment −A); the receipt row only records that it was
        reversed. The write-offs of its shortfall go with it (each its own reversing entry)."""
        now = uow.clock.now()
        receipt = await uow.receipts.get(caller.tenant_id, receipt_id, for_update=True)
        if receipt is None:
            raise NotFound(f"receipt {receipt_id} not found")
        check_reversible(receipt, receipt_id)
        inst = await uow.plans.instalment(caller.tenant_id, receipt.instalment_id, for_update=True)
        assert inst is not None
        if receipt.status == RECORDED:
            for write_off in await uow.receipts.active_write_offs(caller.tenant_id, receipt_id=receipt.receipt_id):
                _, inst = await undo_write_off(uow, caller, write_off, inst, why)
            inst = applied(inst, -receipt.amount_minor, business_day(now))
            await uow.plans.save_instalment(inst)
            await uow.ledger.post(
                ledger.reversal_entry(
                    receipt, entry_id=new_id(), ids=new_id, posted_by=caller.user_id, reason=why, posted_at=now
                )
            )
        reversed_ = reversed_receipt(receipt, by=caller.user_id, reason=why, at=now)
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

    async def write_off_in(
        self,
        uow: FinanceUnitOfWork,
        caller: Caller,
        instalment_id: str,
        amount_minor: int,
        reason: str,
        receipt_id: str | None = None,
    ) -> WriteOff:
        """A confirmed match's accepted shortfall, in its unit of work next to its receipts
        (WriteOffHandlers.write_off_in)."""
        return await self.write_offs.write_off_in(uow, caller, instalment_id, amount_minor, reason, receipt_id)

    async def listed(self, caller: Caller, *, contract_id: str = "", opportunity_id: str = "") -> list[Receipt]:
        caller.require_role(*READERS)
        opportunity_id = opportunity_id.strip() or await self.access.contract(caller, contract_id.strip())
        await self.access.opportunity(caller, opportunity_id)
        async with self.uow() as uow:
            return await uow.receipts.listed(
                caller.tenant_id, contract_id=contract_id.strip(), opportunity_id=opportunity_id
            )


async def apply_receipt(
    uow: FinanceUnitOfWork, receipt: Receipt, instalment: Instalment, version: FinanceContract, caller: Caller
) -> Instalment:
    """Inside an open unit of work: the receipt's entry (cash +A, allocation +A on its instalment)."""
    now = uow.clock.now()
    instalment = applied(instalment, receipt.amount_minor, business_day(now))
    await uow.plans.save_instalment(instalment)
    await uow.ledger.post(
        ledger.receipt_entry(
            receipt,
            entry_id=new_id(),
            ids=new_id,
            applied_to=f"{version.label} {instalment.name}",
            posted_by=caller.user_id,
            posted_at=now,
        )
    )
    return instalment


async def announce_receipt(uow: FinanceUnitOfWork, receipt: Receipt, instalment: Instalment) -> None:
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
