"""SQL of matches: suggestions, confirmed, rejected and reversed ones (domain/matching.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, replace

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm import finance_contracts, instalments, matches, opportunities, statement_lines
from finance_reconciliation.domain.matching import Allocation, Line, OpenItem, StoredMatch

LIVE = ("suggested", "confirmed")
SETTLED_STATES = ("paid", "waived")


def _match(row: sa.Row) -> StoredMatch:
    m = dict(row._mapping)
    return StoredMatch(**{**m, "at": as_utc(m["at"]), "allocations": tuple(Allocation(**a) for a in m["allocations"])})


def _values(m: StoredMatch) -> dict:
    return {**asdict(m), "allocations": [asdict(a) for a in m.allocations]}


class MatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, found: Iterable[StoredMatch]) -> None:
        rows = [_values(m) for m in found]
        if rows:
            await self.session.execute(sa.insert(matches), rows)

    async def get(self, tenant_id: str, match_id: str, *, for_update: bool = False) -> StoredMatch | None:
        q = sa.select(matches).where(matches.c.tenant_id == tenant_id, matches.c.match_id == match_id)
        row = (await self.session.execute(q.with_for_update() if for_update else q)).first()
        return _match(row) if row else None

    async def list(self, tenant_id: str, status: str, *, after: str = "", limit: int = 100) -> list[StoredMatch]:
        """Keyset page by match_id within one status."""
        rows = await self.session.execute(
            sa.select(matches)
            .where(matches.c.tenant_id == tenant_id, matches.c.status == status, matches.c.match_id > after)
            .order_by(matches.c.match_id)
            .limit(limit)
        )
        return [_match(r) for r in rows]

    async def live_for_line(self, tenant_id: str, line_id: str) -> list[StoredMatch]:
        """A line's suggested or confirmed matches (a line is offered once at a time)."""
        rows = await self.session.execute(
            sa.select(matches).where(
                matches.c.tenant_id == tenant_id, matches.c.line_id == line_id,
                matches.c.status.in_(LIVE),
            )
        )
        return [_match(r) for r in rows]

    async def set_status(self, m: StoredMatch, status: str, *, expected: str, **changes: object) -> StoredMatch | None:
        """Compare-and-set on the status: None when someone else moved it first."""
        updated = replace(m, status=status, **changes)
        done = await self.session.execute(
            sa.update(matches)
            .where(matches.c.tenant_id == m.tenant_id, matches.c.match_id == m.match_id, matches.c.status == expected)
            .values(status=status, **{k: v for k, v in changes.items()})
        )
        return updated if done.rowcount else None

    # -- what a run reads: F1's instalments and F2's lines (read only here) --------------------------
    async def open_items(self, tenant_id: str) -> list[OpenItem]:
        """Instalments with something outstanding, with their contract's number and the customer's name."""
        i, c, o = instalments, finance_contracts, opportunities
        rows = await self.session.execute(
            sa.select(i.c.instalment_id, i.c.contract_id, c.c.label, o.c.customer_name, i.c.due_on,
                      (i.c.amount_minor - i.c.paid_minor).label("outstanding"), i.c.currency, i.c.seq)
            .join(c, (c.c.tenant_id == i.c.tenant_id) & (c.c.version_id == i.c.contract_version_id))
            .outerjoin(o, (o.c.tenant_id == i.c.tenant_id) & (o.c.opportunity_id == i.c.opportunity_id))
            .where(i.c.tenant_id == tenant_id, i.c.state.not_in(SETTLED_STATES),
                   i.c.amount_minor > i.c.paid_minor, c.c.status == "in_force")
        )
        return [OpenItem(r.instalment_id, r.contract_id, r.label, r.customer_name or "", r.due_on,
                         int(r.outstanding), r.currency, r.seq) for r in rows]

    async def unmatched_credits(self, tenant_id: str) -> list[Line]:
        """Credit lines still unmatched (not offered, matched nor ignored) and in no live match."""
        s = statement_lines
        live = sa.select(matches.c.match_id).where(
            matches.c.tenant_id == s.c.tenant_id, matches.c.line_id == s.c.line_id, matches.c.status.in_(LIVE)
        )
        rows = await self.session.execute(
            sa.select(s.c.line_id, s.c.booked_on, s.c.amount_minor, s.c.currency, s.c.counterparty_name, s.c.remark)
            .where(s.c.tenant_id == tenant_id, s.c.direction == "credit",
                   s.c.status == "unmatched", ~live.exists())
        )
        return [Line(r.line_id, r.booked_on, r.amount_minor, r.currency, r.counterparty_name, r.remark) for r in rows]
