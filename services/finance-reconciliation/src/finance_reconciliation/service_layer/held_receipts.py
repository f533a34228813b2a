"""Held receipts: a receipt beyond the overpayment tolerance, with holding on, waits for finance's
review (domain/receipt.py check_review): released, it is recorded, posted and announced again as
recorded; rejected, nothing is ever posted for it."""

from __future__ import annotations

from collections.abc import Callable

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared import paging
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.plan import restated
from finance_reconciliation.domain.receipt import HELD, Receipt, check_reason, check_rejectable, check_review, reviewed
from finance_reconciliation.service_layer.finance_access import FinanceAccess
from finance_reconciliation.service_layer.receipts import announce_receipt, apply_receipt
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


class HeldReceiptHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = FinanceAccess(uow, access)

    async def held(self, caller: Caller, page_size: int, page_token: str) -> tuple[list[Receipt], str]:
        """The tenant's receipts waiting for review, oldest first (finance and admins: the whole tenant)."""
        caller.require_role(*RECORDERS)
        size, after = paging.page_size(page_size), paging.decode_token(page_token)
        async with self.uow() as uow:
            rows = await uow.receipts.with_status(caller.tenant_id, HELD, after, size + 1)
        page = rows[:size]
        token = paging.encode_token(page[-1].recorded_at, page[-1].receipt_id) if len(rows) > size else ""
        return page, token

    async def release(self, caller: Caller, receipt_id: str, note: str) -> Receipt:
        """A held receipt accepted after review: recorded, posted now, announced again as recorded."""
        caller.require_role(*RECORDERS)
        why = check_reason(note, "say why the overpayment is accepted", "note")
        found = await self.access.receipt(caller, receipt_id)
        async with self.uow() as uow:
            now = uow.clock.now()
            receipt = await uow.receipts.get(caller.tenant_id, found.receipt_id, for_update=True)
            assert receipt is not None
            version = await uow.contracts.get(caller.tenant_id, receipt.contract_version_id)
            inst = await uow.plans.instalment(caller.tenant_id, receipt.instalment_id, for_update=True)
            inst = restated(inst, business_day(now)) if inst else None
            check_review(receipt, version=version, instalment=inst)
            assert version is not None and inst is not None
            released = reviewed(receipt, release=True, by=caller.user_id, note=why, at=now)
            await uow.receipts.save_status(released)
            inst = await apply_receipt(uow, released, inst, version, caller)
            await announce_receipt(uow, released, inst)
            await uow.commit()
        return released

    async def reject(self, caller: Caller, receipt_id: str, note: str) -> Receipt:
        """A held receipt refused after review: nothing is ever posted for it."""
        caller.require_role(*RECORDERS)
        why = check_reason(note, "say why the receipt is rejected", "note")
        found = await self.access.receipt(caller, receipt_id)
        async with self.uow() as uow:
            receipt = await uow.receipts.get(caller.tenant_id, found.receipt_id, for_update=True)
            assert receipt is not None
            check_rejectable(receipt, receipt_id)
            now = uow.clock.now()
            rejected = reviewed(receipt, release=False, by=caller.user_id, note=why, at=now)
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
