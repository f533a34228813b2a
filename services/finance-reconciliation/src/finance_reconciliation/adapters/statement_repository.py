"""SQL of bank statements and their lines. A line's identity is
(tenant, account, bank_ref): the unique key settles a file imported twice
and two imports racing on overlapping files alike."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import in_chunks, upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.statements import bank_statements, statement_lines
from finance_reconciliation.domain.statement import Statement, StatementLine


def _statement(row: sa.Row) -> Statement:
    data = dict(row._mapping)
    data["imported_at"] = as_utc(data["imported_at"])
    return Statement(**data)


class StatementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, statement: Statement) -> None:
        await self.session.execute(sa.insert(bank_statements).values(**asdict(statement)))

    async def add_lines(self, lines: list[StatementLine]) -> set[str]:
        """Insert the lines not already known; the bank_refs inserted."""
        inserted: set[str] = set()
        # One cached statement run with many parameter sets (SQLAlchemy's
        # insertmanyvalues batches them): a multi-VALUES literal per chunk
        # would be compiled anew every time.
        statement = (
            upsert_insert(self.session, statement_lines)
            .on_conflict_do_nothing(index_elements=["tenant_id", "account", "bank_ref"])
            .returning(statement_lines.c.bank_ref)
        )
        for chunk in in_chunks(lines, 2000):
            result = await self.session.execute(statement, [asdict(line) for line in chunk])
            inserted.update(result.scalars())
        return inserted

    async def known_refs(self, tenant_id: str, account: str, refs: list[str]) -> dict[str, str]:
        """bank_ref → line_id of those already stored."""
        known: dict[str, str] = {}
        for chunk in in_chunks(refs, 500):
            query = sa.select(statement_lines.c.bank_ref, statement_lines.c.line_id).where(
                statement_lines.c.tenant_id == tenant_id,
                statement_lines.c.account == account,
                statement_lines.c.bank_ref.in_(chunk),
            )
            known.update({r.bank_ref: r.line_id for r in (await self.session.execute(query)).all()})
        return known

    async def get(self, tenant_id: str, statement_id: str) -> Statement | None:
        query = sa.select(bank_statements).where(
            bank_statements.c.tenant_id == tenant_id, bank_statements.c.statement_id == statement_id
        )
        row = (await self.session.execute(query)).first()
        return _statement(row) if row else None

    async def list(self, tenant_id: str, limit: int, after: tuple[datetime, str] | None = None) -> list[Statement]:
        """Newest first; `after` is the (imported_at, statement_id) of the previous page's last one."""
        c = bank_statements.c
        query = sa.select(bank_statements).where(c.tenant_id == tenant_id)
        if after:
            at, last_id = after
            query = query.where(
                sa.tuple_(c.imported_at, c.statement_id)
                < sa.tuple_(sa.literal(at, sa.DateTime(timezone=True)), sa.literal(last_id))
            )
        query = query.order_by(c.imported_at.desc(), c.statement_id.desc()).limit(limit)
        return [_statement(r) for r in (await self.session.execute(query)).all()]

    async def lines(
        self, tenant_id: str, *, statement_id: str = "", status: str = "", after: tuple[date, str] | None = None,
        limit: int = 100, booked_from: date | None = None, booked_to: date | None = None,
    ) -> list[StatementLine]:
        """By booking day, then line id; `after` is the (booked_on, line_id) of the previous page's last line."""
        c = statement_lines.c
        query = sa.select(statement_lines).where(c.tenant_id == tenant_id)
        if statement_id:
            query = query.where(c.statement_id == statement_id)
        if status:
            query = query.where(c.status == status)
        if booked_from:
            query = query.where(c.booked_on >= booked_from)
        if booked_to:
            query = query.where(c.booked_on <= booked_to)
        if after:
            day, last_id = after
            query = query.where(
                sa.tuple_(c.booked_on, c.line_id) > sa.tuple_(sa.literal(day, sa.Date), sa.literal(last_id))
            )
        query = query.order_by(c.booked_on, c.line_id).limit(limit)
        return [StatementLine(**dict(r._mapping)) for r in (await self.session.execute(query)).all()]

    async def get_line(self, tenant_id: str, line_id: str, *, for_update: bool = False) -> StatementLine | None:
        query = sa.select(statement_lines).where(
            statement_lines.c.tenant_id == tenant_id, statement_lines.c.line_id == line_id
        )
        if for_update:  # receipts naming the line wait for each other (domain/receipt.py check_line_room)
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return StatementLine(**dict(row._mapping)) if row else None

    async def set_lines_status(self, tenant_id: str, line_ids: list[str], status: str, expected: str) -> set[str]:
        """set_line_status for many lines, a statement per chunk: the ids of those that were `expected`."""
        moved: set[str] = set()
        for chunk in in_chunks(sorted(set(line_ids))):
            result = await self.session.execute(
                sa.update(statement_lines)
                .where(statement_lines.c.tenant_id == tenant_id, statement_lines.c.line_id.in_(chunk),
                       statement_lines.c.status == expected)
                .values(status=status)
                .returning(statement_lines.c.line_id)
            )
            moved.update(result.scalars().all())
        return moved

    async def set_line_status(self, tenant_id: str, line_id: str, status: str, expected: str | tuple[str, ...]) -> bool:
        """Compare-and-set for matching (F3): False when the line is not in
        an expected status any more (another confirm won)."""
        allowed = (expected,) if isinstance(expected, str) else expected
        result = await self.session.execute(
            sa.update(statement_lines)
            .where(
                statement_lines.c.tenant_id == tenant_id,
                statement_lines.c.line_id == line_id,
                statement_lines.c.status.in_(allowed),
            )
            .values(status=status)
        )
        return result.rowcount == 1


