"""Receipts: the ONE path that creates receipts, allocations and ledger
postings (manual ones here; F3's confirmed matches through record_in inside
their own unit of work), and reversals as reversing entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, NotFound, Violation
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.access import READERS, RECORDERS
from finance_reconciliation.domain.plan import state_of
from finance_reconciliation.domain.receipt import (
    HELD,
    MANUAL,
    RECORDED,
    REVERSED,
    Receipt,
    ReceiptInput,
    Tolerance,
    check_lock,
    check_reason,
    parse_day,
    validate,
)
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
        """Inside an open unit of work the caller commits (F3's confirm commits
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
        )
        validate(given)
        tenant = caller.tenant_id
        versions = await uow.contracts.versions(tenant, given.contract_id)
        if not versions:
            raise NotFound(f"contract {given.contract_id} has no signed version known to finance")
        version = next((v for v in versions if v.version_id == given.contract_version_id), None)
        in_force = next((v for v in versions if v.status == "in_force"), None)
        instalment = await uow.plans.instalment(tenant, given.instalment_id, for_update=True)
        if instalment is not None and instalment.contract_id != given.contract_id:
            instalment = None
        if instalment is not None:  # the state as of today (a due date may have passed since it was stored)
            instalment = replace(
                instalment,
                state=state_of(
                    instalment.amount_minor, instalment.paid_minor, instalment.due_on, today, instalment.state
                ),
            )
        held = check_lock(given, version=version, in_force=in_force, instalment=instalment, tolerance=self.tolerance)
        assert version is not None and instalment is not None and given.amount_minor is not None
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
            paid = instalment.paid_minor + receipt.amount_minor
            instalment = replace(
                instalment, paid_minor=paid, state=state_of(instalment.amount_minor, paid, instalment.due_on, today)
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
        await uow.publish(
            "payment.receipt_recorded",
            tenant,
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
        return receipt

    async def reverse(self, caller: Caller, receipt_id: str, reason: str) -> Receipt:
        caller.require_role(*RECORDERS)
        why = check_reason(reason)
        async with self.uow() as uow:
            found = await uow.receipts.get(caller.tenant_id, receipt_id.strip())
        if found is None:
            raise NotFound(f"receipt {receipt_id} not found")
        await self.access.require(caller, "opportunity", found.opportunity_id)
        async with self.uow() as uow:
            receipt = await self.reverse_in(uow, caller, receipt_id.strip(), why)
            await uow.commit()
        return receipt

    async def reverse_in(self, uow: FinanceUnitOfWork, caller: Caller, receipt_id: str, why: str) -> Receipt:
        """A reversing entry (cash −A, instalment −A); the receipt row only records that it was reversed."""
        now = uow.clock.now()
        receipt = await uow.receipts.get(caller.tenant_id, receipt_id, for_update=True)
        if receipt is None:
            raise NotFound(f"receipt {receipt_id} not found")
        if receipt.status == REVERSED:
            raise FailedPrecondition(
                f"receipt {receipt_id} is already reversed",
                [Violation("receipt", receipt_id, f"was reversed by {receipt.reversed_by}")],
            )
        if receipt.status == RECORDED:
            inst = await uow.plans.instalment(caller.tenant_id, receipt.instalment_id, for_update=True)
            assert inst is not None
            paid = inst.paid_minor - receipt.amount_minor
            inst = replace(
                inst, paid_minor=paid, state=state_of(inst.amount_minor, paid, inst.due_on, business_day(now))
            )
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
        await uow.receipts.reversed(reversed_)
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
        return reversed_

    async def listed(self, caller: Caller, *, contract_id: str = "", opportunity_id: str = "") -> list[Receipt]:
        caller.require_role(*READERS)
        opportunity_id = opportunity_id.strip() or await self._require_contract_access(caller, contract_id.strip())
        await self.access.require(caller, "opportunity", opportunity_id)
        async with self.uow() as uow:
            return await uow.receipts.listed(
                caller.tenant_id, contract_id=contract_id.strip(), opportunity_id=opportunity_id
            )

    async def check_ledger(self, caller: Caller) -> tuple[list[str], tuple[int, int, int]]:
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
