"""SQL of payments."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.domain.errors import AlreadyExists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm import payments
from finance_reconciliation.domain.payment import Payment


def _to_payment(row: sa.Row) -> Payment:
    data = dict(row._mapping)
    data["paid_at"] = as_utc(data["paid_at"])
    data["recorded_at"] = as_utc(data["recorded_at"])
    return Payment(**data)


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, payment: Payment) -> None:
        try:
            await self.session.execute(sa.insert(payments).values(**asdict(payment)))
        except IntegrityError as exc:
            # The only key a client can collide on is (tenant_id, reference);
            # the constraint also settles two replicas racing on one reference.
            raise AlreadyExists(f"a payment with reference {payment.reference!r} is already recorded") from exc

    async def for_opportunity(self, tenant_id: str, opportunity_id: str) -> list[Payment]:
        query = (
            sa.select(payments)
            .where(payments.c.tenant_id == tenant_id, payments.c.opportunity_id == opportunity_id)
            .order_by(payments.c.paid_at, payments.c.payment_id)
        )
        return [_to_payment(r) for r in (await self.session.execute(query)).all()]
