"""Write-offs: settling what an instalment still owes without cash (domain/settlement.py), each a
ledger entry of kind write_off, and their reversal (the instalment owes the amount again). A
matching rule's accepted shortfall writes off through write_off_in inside the match's own unit of
work; a receipt's reversal takes its write-offs with it (undo_write_off)."""

from __future__ import annotations

from collections.abc import Callable

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.plan import Instalment, restated
from finance_reconciliation.domain.receipt import check_reason
from finance_reconciliation.domain.settlement import (
    WriteOff,
    check_currency,
    check_write_off,
    check_write_off_reversal,
    new_write_off,
    reversed_write_off,
    validate_amount,
    written_off,
)
from finance_reconciliation.service_layer.aging import publish_customer_stats
from finance_reconciliation.service_layer.finance_access import FinanceAccess
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


class WriteOffHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = FinanceAccess(uow, access)

    async def write_off(
        self, caller: Caller, instalment_id: str, amount_minor: int | None, currency: str, reason: str
    ) -> WriteOff:
        caller.require_role(*RECORDERS)
        validate_amount(amount_minor, currency)
        assert amount_minor is not None
        why = check_reason(reason, "say why the rest is written off")
        inst = await self.access.instalment(caller, instalment_id)
        check_currency(inst, currency)
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
        write_off = new_write_off(
            inst,
            write_off_id=new_id(),
            receipt_id=receipt_id,
            amount_minor=amount_minor,
            reason=why,
            written_by=caller.user_id,
            written_at=now,
        )
        await uow.receipts.add_write_off(write_off)
        inst = written_off(inst, amount_minor, business_day(now))
        await uow.plans.save_instalment(inst)
        await uow.ledger.post(
            ledger.write_off_entry(
                write_off,
                entry_id=write_off.write_off_id,
                ids=new_id,
                amount_minor=amount_minor,
                posted_by=caller.user_id,
                reason=why,
                posted_at=now,
            )
        )
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
        await self.access.opportunity(caller, found.opportunity_id)
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
        reversed_, _ = await undo_write_off(uow, caller, write_off, inst, why)
        await publish_customer_stats(uow, caller.tenant_id, write_off.customer_id)
        return reversed_


async def undo_write_off(
    uow: FinanceUnitOfWork, caller: Caller, write_off: WriteOff, inst: Instalment, why: str
) -> tuple[WriteOff, Instalment]:
    """Inside an open unit of work: the write-off marked reversed, its reversing entry (−W on both sides)
    posted and announced; returns it and its instalment as it now stands (the caller publishes the figures)."""
    now = uow.clock.now()
    reversed_ = reversed_write_off(write_off, by=caller.user_id, reason=why, at=now)
    await uow.receipts.write_off_reversed(reversed_)
    inst = written_off(inst, -write_off.amount_minor, business_day(now))
    await uow.plans.save_instalment(inst)
    await uow.ledger.post(
        ledger.write_off_entry(
            write_off,
            entry_id=new_id(),
            ids=new_id,
            amount_minor=-write_off.amount_minor,
            posted_by=caller.user_id,
            reason=why,
            posted_at=now,
        )
    )
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
