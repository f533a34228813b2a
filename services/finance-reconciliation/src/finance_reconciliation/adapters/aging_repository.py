"""Read-only SQL over the plans, receipts and ledger (and the opportunity
projection for 大区 and product line), giving the views domain/aging.py and
domain/payment_stats.py work on.

What settled an instalment by a date: receipts by their paid_on (a reversed
one counts negatively from the business day it was reversed; held and
rejected ones never), and the ledger's postings that move money onto an
instalment without a receipt of its own: carry-overs from a superseded
version's plan and write-offs (each on the business day it was posted)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from crm_shared.business_calendar import BUSINESS_TZ, business_day
from crm_shared.db import in_chunks
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.plans import instalments, payment_plans
from finance_reconciliation.adapters.orm.projections import lead_sources, opportunities
from finance_reconciliation.adapters.orm.receipts import ledger_postings, receipts
from finance_reconciliation.domain.aging import CARRIED, WRITTEN_OFF, InstalmentView, Payment
from finance_reconciliation.domain.ledger import ALLOCATION, WRITE_OFF
from finance_reconciliation.domain.payment_stats import Collected, Facts, Planned
from finance_reconciliation.domain.receipt import DIRECT

PAID_STATUSES = ("recorded", "reversed")
REVERSED = "reversed"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, BUSINESS_TZ)


class AgingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _current(self) -> sa.Select:
        """The tenant's instalments of plans still in force (a superseded
        version's plan is left out: what it owes moved to the new plan), with
        their opportunity's facts."""
        i, o, p, s = instalments, opportunities, payment_plans, lead_sources
        return (
            sa.select(
                i.c.instalment_id, i.c.customer_id, i.c.owner_id, i.c.contract_id, i.c.opportunity_id,
                i.c.amount_minor, i.c.currency, i.c.due_on, i.c.state,
                sa.func.coalesce(o.c.region, "").label("region"),
                sa.func.coalesce(o.c.product_line, "").label("product_line"),
                # As receipts are tagged: an opportunity from no lead is "direct".
                sa.func.coalesce(s.c.source, DIRECT).label("lead_source"),
            )
            .select_from(
                i.join(p, sa.and_(p.c.tenant_id == i.c.tenant_id, p.c.plan_id == i.c.plan_id))
                .outerjoin(o, sa.and_(o.c.tenant_id == i.c.tenant_id, o.c.opportunity_id == i.c.opportunity_id))
                .outerjoin(s, sa.and_(s.c.tenant_id == o.c.tenant_id, s.c.lead_id == o.c.lead_id))
            )
            .where(p.c.replaced_by_plan_id == "")
        )

    async def instalments(
        self, tenant_id: str, owner_ids: Collection[str] | None = None, customer_id: str = "", contract_id: str = ""
    ) -> list[InstalmentView]:
        i = instalments
        q = self._current().where(i.c.tenant_id == tenant_id)
        if owner_ids is not None:
            q = q.where(i.c.owner_id.in_(sorted(owner_ids)))
        if customer_id:
            q = q.where(i.c.customer_id == customer_id)
        if contract_id:
            q = q.where(i.c.contract_id == contract_id)
        rows = await self.session.execute(q.order_by(i.c.instalment_id))
        return [
            InstalmentView(r.instalment_id, r.customer_id, r.owner_id, r.region, r.contract_id, r.amount_minor,
                           r.currency, r.due_on, waived=r.state == "waived")
            for r in rows
        ]

    async def payments(self, tenant_id: str, instalment_ids: Sequence[str]) -> list[Payment]:
        out: list[Payment] = []
        r, lp = receipts, ledger_postings
        for chunk in in_chunks(sorted(instalment_ids)):
            rows = await self.session.execute(
                sa.select(r.c.instalment_id, r.c.paid_on, r.c.amount_minor, r.c.status, r.c.reversed_at).where(
                    r.c.tenant_id == tenant_id, r.c.instalment_id.in_(chunk), r.c.status.in_(PAID_STATUSES)
                )
            )
            for row in rows:
                out.append(Payment(row.instalment_id, row.paid_on, row.amount_minor))
                if row.status == REVERSED and row.reversed_at is not None:
                    out.append(Payment(row.instalment_id, business_day(row.reversed_at), -row.amount_minor))
            moved = await self.session.execute(
                sa.select(lp.c.instalment_id, lp.c.kind, lp.c.amount_minor, lp.c.posted_at).where(
                    lp.c.tenant_id == tenant_id,
                    lp.c.instalment_id.in_(chunk),
                    sa.or_(lp.c.kind == WRITE_OFF, sa.and_(lp.c.kind == ALLOCATION, lp.c.receipt_id.is_(None))),
                )
            )
            for row in moved:
                kind = WRITTEN_OFF if row.kind == WRITE_OFF else CARRIED
                out.append(Payment(row.instalment_id, business_day(row.posted_at), row.amount_minor, kind))
        return out

    async def planned(
        self, tenant_id: str, owner_ids: Collection[str] | None, start: date, end: date
    ) -> list[Planned]:
        i = instalments
        q = self._current().where(i.c.tenant_id == tenant_id, i.c.due_on >= start, i.c.due_on <= end)
        if owner_ids is not None:
            q = q.where(i.c.owner_id.in_(sorted(owner_ids)))
        rows = await self.session.execute(q)
        return [
            Planned(r.due_on, r.amount_minor, r.currency, Facts(r.lead_source, r.region, r.product_line, r.owner_id),
                    waived=r.state == "waived")
            for r in rows
        ]

    async def collected(
        self, tenant_id: str, owner_ids: Collection[str] | None, start: date, end: date
    ) -> list[Collected]:
        """Cash in [start, end] (business days): receipts paid then, and the
        reversals made then (negative); the lead source is the receipt's own."""
        r, i, o = receipts, instalments, opportunities
        q = (
            sa.select(r.c.paid_on, r.c.amount_minor, r.c.currency, r.c.status, r.c.reversed_at, r.c.lead_source,
                      i.c.owner_id,
                      sa.func.coalesce(o.c.region, "").label("region"),
                      sa.func.coalesce(o.c.product_line, "").label("product_line"))
            .select_from(
                r.join(i, sa.and_(i.c.tenant_id == r.c.tenant_id, i.c.instalment_id == r.c.instalment_id))
                .outerjoin(o, sa.and_(o.c.tenant_id == r.c.tenant_id, o.c.opportunity_id == r.c.opportunity_id))
            )
            .where(
                r.c.tenant_id == tenant_id,
                r.c.status.in_(PAID_STATUSES),
                sa.or_(
                    sa.and_(r.c.paid_on >= start, r.c.paid_on <= end),
                    sa.and_(r.c.status == REVERSED, r.c.reversed_at >= _day_start(start),
                            r.c.reversed_at < _day_start(end + timedelta(days=1))),
                ),
            )
        )
        if owner_ids is not None:
            q = q.where(i.c.owner_id.in_(sorted(owner_ids)))
        out: list[Collected] = []
        for row in await self.session.execute(q):
            facts = Facts(row.lead_source, row.region, row.product_line, row.owner_id)
            if start <= row.paid_on <= end:
                out.append(Collected(row.paid_on, row.amount_minor, row.currency, facts))
            if row.status == REVERSED and row.reversed_at is not None:
                undone = business_day(row.reversed_at)
                if start <= undone <= end:
                    out.append(Collected(undone, -row.amount_minor, row.currency, facts))
        return out

    async def opportunity_of_contract(self, tenant_id: str, contract_id: str) -> str | None:
        p = payment_plans
        row = (
            await self.session.execute(
                sa.select(p.c.opportunity_id).where(p.c.tenant_id == tenant_id, p.c.contract_id == contract_id).limit(1)
            )
        ).first()
        return row.opportunity_id if row else None
