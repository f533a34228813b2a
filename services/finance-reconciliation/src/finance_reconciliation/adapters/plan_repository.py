"""SQL of payment plans and their instalments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.plans import instalments, payment_plans
from finance_reconciliation.domain.plan import Instalment, PaymentPlan


def _to_plan(row: sa.Row) -> PaymentPlan:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    data["closed_at"] = as_utc(data["closed_at"]) if data["closed_at"] else None
    return PaymentPlan(**data)


def _to_instalment(row: sa.Row) -> Instalment:
    data = dict(row._mapping)
    data["waived_at"] = as_utc(data["waived_at"]) if data["waived_at"] else None
    return Instalment(**data)


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, plan: PaymentPlan, items: list[Instalment]) -> None:
        await self.session.execute(sa.insert(payment_plans).values(**asdict(plan)))
        if items:
            await self.session.execute(sa.insert(instalments), [asdict(i) for i in items])

    async def for_version(self, tenant_id: str, version_id: str) -> PaymentPlan | None:
        row = (
            await self.session.execute(
                sa.select(payment_plans).where(
                    payment_plans.c.tenant_id == tenant_id, payment_plans.c.contract_version_id == version_id
                )
            )
        ).first()
        return _to_plan(row) if row else None

    async def for_contract(self, tenant_id: str, contract_id: str) -> list[PaymentPlan]:
        query = (
            sa.select(payment_plans)
            .where(payment_plans.c.tenant_id == tenant_id, payment_plans.c.contract_id == contract_id)
            .order_by(payment_plans.c.created_at, payment_plans.c.plan_id)
        )
        return [_to_plan(r) for r in (await self.session.execute(query)).all()]

    async def close(self, plan: PaymentPlan) -> None:
        """The only change a plan ever sees: closed, and by which plan."""
        await self.session.execute(
            sa.update(payment_plans)
            .where(payment_plans.c.tenant_id == plan.tenant_id, payment_plans.c.plan_id == plan.plan_id)
            .values(status=plan.status, closed_at=plan.closed_at, replaced_by_plan_id=plan.replaced_by_plan_id)
        )

    async def instalments(self, tenant_id: str, plan_id: str) -> list[Instalment]:
        query = (
            sa.select(instalments)
            .where(instalments.c.tenant_id == tenant_id, instalments.c.plan_id == plan_id)
            .order_by(instalments.c.seq)
        )
        return [_to_instalment(r) for r in (await self.session.execute(query)).all()]

    async def instalment(self, tenant_id: str, instalment_id: str, *, for_update: bool = False) -> Instalment | None:
        query = sa.select(instalments).where(
            instalments.c.tenant_id == tenant_id, instalments.c.instalment_id == instalment_id
        )
        if for_update:  # PostgreSQL: two receipts on one instalment wait for each other (SQLite serialises writers)
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _to_instalment(row) if row else None

    async def instalments_by_id(self, tenant_id: str, ids: Iterable[str], *, for_update: bool = False
                                ) -> dict[str, Instalment]:
        """Several instalments in one query (a batch of match confirms), locked in id order on PostgreSQL."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = sa.select(instalments).where(
            instalments.c.tenant_id == tenant_id, instalments.c.instalment_id.in_(wanted)
        ).order_by(instalments.c.instalment_id)
        if for_update:
            query = query.with_for_update()
        return {r.instalment_id: _to_instalment(r) for r in (await self.session.execute(query)).all()}

    async def save_instalment(self, inst: Instalment) -> None:
        """Paid and written-off amounts, due date, state and the waiver: what receipts, reversals,
        write-offs, waivers and triggers move (its amount and terms are never edited)."""
        await self.session.execute(
            sa.update(instalments)
            .where(instalments.c.tenant_id == inst.tenant_id, instalments.c.instalment_id == inst.instalment_id)
            .values(
                paid_minor=inst.paid_minor,
                written_off_minor=inst.written_off_minor,
                due_on=inst.due_on,
                state=inst.state,
                waived_by=inst.waived_by,
                waive_reason=inst.waive_reason,
                waived_at=inst.waived_at,
            )
        )
