"""SQL of the ledger: postings are only inserted; the balance query adds
them up per entry, instalment and receipt for domain/ledger.problems."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from crm_shared.money import join_split_sums, split_sum_columns
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.plans import instalments
from finance_reconciliation.adapters.orm.receipts import ledger_postings, receipts, write_offs
from finance_reconciliation.domain.ledger import WRITE_OFF, Posting, Sums
from finance_reconciliation.domain.receipt import RECORDED
from finance_reconciliation.domain.settlement import ACTIVE

p = ledger_postings


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def post(self, postings: list[Posting]) -> None:
        if postings:
            await self.session.execute(sa.insert(ledger_postings), [asdict(x) for x in postings])

    async def sums(self, tenant_id: str) -> Sums:
        cash = sa.func.coalesce(sa.func.sum(sa.case((p.c.instalment_id.is_(None), p.c.amount_minor), else_=0)), 0)
        applied = sa.func.coalesce(sa.func.sum(sa.case((p.c.instalment_id.is_not(None), p.c.amount_minor), else_=0)), 0)
        entries = (
            await self.session.execute(
                sa.select(p.c.entry_id, cash, applied).where(p.c.tenant_id == tenant_id).group_by(p.c.entry_id)
            )
        ).all()
        is_write_off = p.c.kind == WRITE_OFF
        posted = (
            sa.select(
                p.c.instalment_id,
                sa.func.sum(sa.case((is_write_off, 0), else_=p.c.amount_minor)).label("paid"),
                sa.func.sum(sa.case((is_write_off, p.c.amount_minor), else_=0)).label("written_off"),
            )
            .where(p.c.tenant_id == tenant_id, p.c.instalment_id.is_not(None))
            .group_by(p.c.instalment_id)
            .subquery()
        )
        active = (
            sa.select(write_offs.c.instalment_id, sa.func.sum(write_offs.c.amount_minor).label("active"))
            .where(write_offs.c.tenant_id == tenant_id, write_offs.c.status == ACTIVE)
            .group_by(write_offs.c.instalment_id)
            .subquery()
        )
        by_instalment = (
            await self.session.execute(
                sa.select(
                    instalments.c.instalment_id,
                    sa.func.coalesce(posted.c.paid, 0),
                    instalments.c.paid_minor,
                    sa.func.coalesce(posted.c.written_off, 0),
                    instalments.c.written_off_minor,
                    sa.func.coalesce(active.c.active, 0),
                )
                .select_from(
                    instalments.outerjoin(posted, posted.c.instalment_id == instalments.c.instalment_id).outerjoin(
                        active, active.c.instalment_id == instalments.c.instalment_id
                    )
                )
                .where(instalments.c.tenant_id == tenant_id)
            )
        ).all()
        received = (
            sa.select(p.c.receipt_id, sa.func.sum(p.c.amount_minor).label("posted"))
            .where(p.c.tenant_id == tenant_id, p.c.receipt_id.is_not(None), p.c.instalment_id.is_(None), ~is_write_off)
            .group_by(p.c.receipt_id)
            .subquery()
        )
        expected = sa.case((receipts.c.status == RECORDED, receipts.c.amount_minor), else_=0)
        by_receipt = (
            await self.session.execute(
                sa.select(receipts.c.receipt_id, sa.func.coalesce(received.c.posted, 0), expected)
                .select_from(receipts.outerjoin(received, received.c.receipt_id == receipts.c.receipt_id))
                .where(receipts.c.tenant_id == tenant_id)
            )
        ).all()
        return Sums(
            entries={r[0]: (int(r[1]), int(r[2])) for r in entries},
            instalments={r[0]: (int(r[1]), int(r[2])) for r in by_instalment},
            receipts={r[0]: (int(r[1]), int(r[2])) for r in by_receipt},
            written_off={r[0]: (int(r[3]), int(r[4]), int(r[5])) for r in by_instalment},
        )

    async def totals(self, tenant_id: str) -> tuple[int, int, int, int]:
        """Postings, cash received, amounts applied to instalments and amounts written off, in 分: exact however
        many postings (summed in two halves, crm_shared.money.split_sum_columns; a plain SUM overflows on SQLite)."""
        outside = p.c.instalment_id.is_(None)
        kinds = {
            "received": outside & (p.c.kind != WRITE_OFF),
            "applied": ~outside,
            "written_off": outside & (p.c.kind == WRITE_OFF),
        }
        columns = [
            column
            for label, condition in kinds.items()
            for column in split_sum_columns(sa.case((condition, p.c.amount_minor), else_=0), label=label)
        ]
        row = (
            await self.session.execute(
                sa.select(sa.func.count().label("postings"), *columns).where(p.c.tenant_id == tenant_id)
            )
        ).one()
        received, applied, written_off = (join_split_sums(row, label) for label in kinds)
        return int(row.postings), received, applied, written_off
