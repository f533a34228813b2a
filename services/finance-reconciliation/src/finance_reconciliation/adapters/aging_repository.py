"""Read-only SQL over F1's instalments and receipts (and the opportunity
projection for the region), giving the views domain/aging.py works on.
What was paid by a date comes from receipts' paid_on; a reversed receipt
counts negatively from the (UTC) day it was reversed; held receipts never."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm import follow_up_actions, instalments, opportunities, payment_plans, receipts
from finance_reconciliation.domain.aging import InstalmentView, Payment

PAID_STATUSES = ("recorded", "reversed")


class AgingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def instalments(
        self, tenant_id: str, owner_ids: Collection[str] | None = None, customer_id: str = ""
    ) -> list[InstalmentView]:
        """The tenant's instalments, leaving out those of a plan replaced by
        a superseding version (what they owe moved to the new plan)."""
        i, o, p = instalments, opportunities, payment_plans
        q = (
            sa.select(i.c.instalment_id, i.c.customer_id, i.c.owner_id, i.c.contract_id, i.c.amount_minor,
                      i.c.currency, i.c.due_on, i.c.state, sa.func.coalesce(o.c.province, "").label("region"))
            .select_from(
                i.join(p, sa.and_(p.c.tenant_id == i.c.tenant_id, p.c.plan_id == i.c.plan_id))
                .outerjoin(o, sa.and_(o.c.tenant_id == i.c.tenant_id, o.c.opportunity_id == i.c.opportunity_id)))
            .where(i.c.tenant_id == tenant_id, p.c.replaced_by_plan_id == "")
        )
        if owner_ids is not None:
            q = q.where(i.c.owner_id.in_(list(owner_ids)))
        if customer_id:
            q = q.where(i.c.customer_id == customer_id)
        rows = await self.session.execute(q.order_by(i.c.instalment_id))
        return [
            InstalmentView(r.instalment_id, r.customer_id, r.owner_id, r.region, r.contract_id, r.amount_minor,
                           r.currency, r.due_on, waived=r.state == "waived")
            for r in rows
        ]

    async def payments(self, tenant_id: str, instalment_ids: Collection[str]) -> list[Payment]:
        if not instalment_ids:
            return []
        r = receipts
        rows = await self.session.execute(
            sa.select(r.c.instalment_id, r.c.paid_on, r.c.amount_minor, r.c.status, r.c.reversed_at)
            .where(r.c.tenant_id == tenant_id, r.c.instalment_id.in_(list(instalment_ids)),
                   r.c.status.in_(PAID_STATUSES))
        )
        out: list[Payment] = []
        for row in rows:
            out.append(Payment(row.instalment_id, row.paid_on, row.amount_minor))
            if row.status == "reversed" and row.reversed_at is not None:
                out.append(Payment(row.instalment_id, row.reversed_at.date(), -row.amount_minor))
        return out

    async def done_keys(self, tenant_id: str) -> set[str]:
        rows = await self.session.execute(
            sa.select(follow_up_actions.c.action_key).where(follow_up_actions.c.tenant_id == tenant_id))
        return {k for (k,) in rows}
