"""Use cases of finance-reconciliation: check who may, open a unit of work,
call the domain, publish, commit.

Who may record or see an opportunity's payments follows who may see that
opportunity, as opportunity decides (crm_shared.subject_access), checked
before the unit of work opens so no transaction waits on another service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from finance_reconciliation.domain.access import READERS, RECORDERS
from finance_reconciliation.domain.opportunity import Opportunity
from finance_reconciliation.domain.payment import Payment, new_payment, total_minor
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


@dataclass(frozen=True)
class RecordPayment:
    opportunity_id: str
    amount_minor: int | None  # None: no amount in the request
    currency: str
    payer_name: str
    reference: str = ""
    paid_at: datetime | None = None  # None: now


async def project_opportunity(uow: FinanceUnitOfWork, opportunity: Opportunity) -> None:
    """opportunity.created -> local projection. Upserting on the id makes a
    re-published event (new event id, same opportunity) harmless too."""
    await uow.opportunities.upsert(opportunity)


class PaymentHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess) -> None:
        self.uow = uow
        self.access = access

    async def record(self, caller: Caller, cmd: RecordPayment) -> Payment:
        caller.require_role(*RECORDERS)
        # The fields (paid_at against the unit of work's clock) are checked before opportunity is asked.
        unit = self.uow()
        payment = new_payment(
            payment_id=new_id(),
            tenant_id=caller.tenant_id,
            recorded_by=caller.user_id,
            now=unit.clock.now(),
            **cmd.__dict__,
        )
        # Recording is finance's work on an opportunity it may read (finance never changes opportunities).
        await self.access.require(caller, "opportunity", payment.opportunity_id)
        async with unit as uow:
            await uow.payments.add(payment)
            await uow.publish(
                "payment.recorded",
                payment.tenant_id,
                payment.payment_id,
                finance_pb2.PaymentRecorded(
                    payment_id=payment.payment_id,
                    opportunity_id=payment.opportunity_id,
                    amount=Money(amount_minor=payment.amount_minor, currency=payment.currency),
                    payer_name=payment.payer_name,
                    reference=payment.reference or "",
                ),
            )
            await uow.commit()
        return payment

    async def list(self, caller: Caller, opportunity_id: str) -> tuple[list[Payment], int]:
        """Payments oldest first and their total in 分 (CNY)."""
        # Other roles are refused before the lookup, so they learn nothing about the opportunity.
        caller.require_role(*READERS)
        if not opportunity_id.strip():
            raise InvalidArgument.field("opportunity_id", "is required")
        await self.access.require(caller, "opportunity", opportunity_id.strip())
        async with self.uow() as uow:
            payments = await uow.payments.for_opportunity(caller.tenant_id, opportunity_id.strip())
        return payments, total_minor(payments)
