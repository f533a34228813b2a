"""SQL of the ledger: postings are only inserted; the balance query adds
them up per entry, instalment and receipt for domain/ledger.problems."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm import instalments, ledger_postings, receipts
from finance_reconciliation.domain.ledger import Posting, Sums
from finance_reconciliation.domain.receipt import RECORDED

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
        posted = (
            sa.select(p.c.instalment_id, sa.func.sum(p.c.amount_minor).label("posted"))
            .where(p.c.tenant_id == tenant_id, p.c.instalment_id.is_not(None))
            .group_by(p.c.instalment_id)
            .subquery()
        )
        by_instalment = (
            await self.session.execute(
                sa.select(instalments.c.instalment_id, sa.func.coalesce(posted.c.posted, 0), instalments.c.paid_minor)
                .select_from(instalments.outerjoin(posted, posted.c.instalment_id == instalments.c.instalment_id))
                .where(instalments.c.tenant_id == tenant_id)
            )
        ).all()
        received = (
            sa.select(p.c.receipt_id, sa.func.sum(p.c.amount_minor).label("posted"))
            .where(p.c.tenant_id == tenant_id, p.c.receipt_id.is_not(None), p.c.instalment_id.is_(None))
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
        )

    async def totals(self, tenant_id: str) -> tuple[int, int, int]:
        """Postings, cash received and amounts applied to instalments, in 分."""
        row = (
            await self.session.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.coalesce(sa.func.sum(sa.case((p.c.instalment_id.is_(None), p.c.amount_minor), else_=0)), 0),
                    sa.func.coalesce(
                        sa.func.sum(sa.case((p.c.instalment_id.is_not(None), p.c.amount_minor), else_=0)), 0
                    ),
                ).where(p.c.tenant_id == tenant_id)
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2])
