"""SQL of matches: suggestions, confirmed, rejected and reversed ones (domain/match_state.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import date

import sqlalchemy as sa
from crm_shared.clock import as_utc
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.contracts import finance_contracts
from finance_reconciliation.adapters.orm.matching import matches
from finance_reconciliation.adapters.orm.plans import instalments
from finance_reconciliation.adapters.orm.projections import opportunities
from finance_reconciliation.adapters.orm.statements import statement_lines
from finance_reconciliation.domain.match_state import SUGGESTED, StoredMatch, pairing
from finance_reconciliation.domain.matching import Allocation, Line, OpenItem
from finance_reconciliation.domain.statement import StatementLine

LIVE = ("suggested", "confirmed")
DROPPED = ("rejected", "reversed")


def _allocations(rows: list[dict]) -> tuple[Allocation, ...]:
    return tuple(Allocation(**a) for a in rows)


def _match(row: sa.Row) -> StoredMatch:
    m = dict(row._mapping)
    return StoredMatch(**{
        **m, "at": as_utc(m["at"]), "confirmed_at": as_utc(m["confirmed_at"]) if m["confirmed_at"] else None,
        "allocations": _allocations(m["allocations"]), "write_offs": _allocations(m["write_offs"]),
        "receipt_ids": tuple(m["receipt_ids"]),
    })


def _column(value: object) -> object:
    """A StoredMatch field as its column holds it (tuples of allocations and ids are JSON lists)."""
    if isinstance(value, tuple):
        return [asdict(v) if isinstance(v, Allocation) else v for v in value]
    return value


def _values(m: StoredMatch) -> dict:
    return {k: _column(getattr(m, k)) for k in StoredMatch.__dataclass_fields__}


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

    async def list(self, tenant_id: str, status: str = "", *, after: str = "", limit: int = 100) -> list[StoredMatch]:
        """Keyset page by match_id (time-ordered ids: oldest first), of one status or all."""
        q = sa.select(matches).where(matches.c.tenant_id == tenant_id, matches.c.match_id > after)
        if status:
            q = q.where(matches.c.status == status)
        rows = await self.session.execute(q.order_by(matches.c.match_id).limit(limit))
        return [_match(r) for r in rows]

    async def confirmed_with_receipt(self, tenant_id: str, line_id: str, receipt_id: str) -> StoredMatch | None:
        """The confirmed match of the line whose receipts include `receipt_id`, if any (a line has few matches)."""
        rows = await self.session.execute(
            sa.select(matches).where(matches.c.tenant_id == tenant_id, matches.c.line_id == line_id,
                                     matches.c.status == "confirmed")
        )
        return next((m for m in map(_match, rows) if receipt_id in m.receipt_ids), None)

    async def confident_suggestions(self, tenant_id: str, limit: int) -> list[StoredMatch]:
        """Suggestions a run confirms itself: this run's and any an earlier run stored but did not get to."""
        rows = await self.session.execute(
            sa.select(matches)
            .where(matches.c.tenant_id == tenant_id, matches.c.status == SUGGESTED, matches.c.confident.is_(True))
            .order_by(matches.c.match_id)
            .limit(limit)
        )
        return [_match(r) for r in rows]

    async def lock_suggested(self, tenant_id: str, match_ids: Iterable[str]) -> dict[str, StoredMatch]:
        """The given matches still suggested, locked (FOR UPDATE on PostgreSQL, in id order), by id: a batch
        of confirms reads them in one query; one another confirm moved meanwhile is not among them."""
        wanted = sorted(set(match_ids))
        if not wanted:
            return {}
        rows = await self.session.execute(
            sa.select(matches)
            .where(matches.c.tenant_id == tenant_id, matches.c.match_id.in_(wanted), matches.c.status == SUGGESTED)
            .order_by(matches.c.match_id)
            .with_for_update()
        )
        return {m.match_id: m for m in map(_match, rows)}

    async def lines(self, tenant_id: str, line_ids: Iterable[str]) -> dict[str, StatementLine]:
        """F2's statement lines of a batch of matches, by id, in one query (read only here)."""
        wanted = sorted(set(line_ids))
        if not wanted:
            return {}
        rows = await self.session.execute(
            sa.select(statement_lines).where(statement_lines.c.tenant_id == tenant_id,
                                             statement_lines.c.line_id.in_(wanted))
        )
        return {r.line_id: StatementLine(**dict(r._mapping)) for r in rows}

    async def set_status(self, m: StoredMatch, status: str, *, expected: str, **changes: object) -> StoredMatch | None:
        """Compare-and-set on the status: None when someone else moved it first."""
        updated = replace(m, status=status, **changes)
        done = await self.session.execute(
            sa.update(matches)
            .where(matches.c.tenant_id == m.tenant_id, matches.c.match_id == m.match_id, matches.c.status == expected)
            .values(status=status, **{k: _column(v) for k, v in changes.items()})
        )
        return updated if done.rowcount else None

    async def not_confident(self, m: StoredMatch, evidence: dict) -> bool:
        """A confident suggestion the receipt lock refused: a suggestion for finance, with why in the evidence."""
        done = await self.session.execute(
            sa.update(matches)
            .where(matches.c.tenant_id == m.tenant_id, matches.c.match_id == m.match_id,
                   matches.c.status == SUGGESTED)
            .values(confident=False, evidence=evidence)
        )
        return bool(done.rowcount)

    async def dropped(self, tenant_id: str) -> set[tuple[str, frozenset[str]]]:
        """(line, instalments) pairings finance rejected or reversed, of lines that are unmatched again."""
        s = statement_lines
        rows = await self.session.execute(
            sa.select(matches.c.line_id, matches.c.allocations)
            .join(s, (s.c.tenant_id == matches.c.tenant_id) & (s.c.line_id == matches.c.line_id))
            .where(matches.c.tenant_id == tenant_id, matches.c.status.in_(DROPPED), s.c.status == "unmatched")
        )
        return {pairing(r.line_id, _allocations(r.allocations)) for r in rows}

    async def tenants_to_match(self) -> list[str]:
        """Tenants with unmatched credit lines or confident suggestions waiting: what a periodic run visits."""
        s = statement_lines
        lines = sa.select(s.c.tenant_id).where(s.c.direction == "credit", s.c.status == "unmatched")
        waiting = sa.select(matches.c.tenant_id).where(matches.c.status == SUGGESTED, matches.c.confident.is_(True))
        rows = await self.session.execute(sa.union(lines, waiting))
        return sorted(r[0] for r in rows)

    # -- what a run reads: F1's instalments and F2's lines (read only here) --------------------------
    async def open_items(self, tenant_id: str, today: date) -> list[OpenItem]:
        """What the receipt lock would take a receipt for today, with the contract's number and the customer's
        name: an instalment of the version in force, not waived, still owing, and due (its due date today or
        past, whatever state was stored last) or partly paid. Not due, paid and waived ones are never offered."""
        i, c, o = instalments, finance_contracts, opportunities
        owed = i.c.amount_minor - i.c.paid_minor - i.c.written_off_minor
        # The contract number customers write (合同编号); a contract signed without one by its version label.
        ref = sa.func.coalesce(sa.func.nullif(c.c.contract_number, ""), c.c.label).label("ref")
        rows = await self.session.execute(
            sa.select(i.c.instalment_id, i.c.contract_id, ref, o.c.customer_name, i.c.due_on,
                      owed.label("outstanding"), i.c.currency, i.c.seq)
            .join(c, (c.c.tenant_id == i.c.tenant_id) & (c.c.version_id == i.c.contract_version_id))
            .outerjoin(o, (o.c.tenant_id == i.c.tenant_id) & (o.c.opportunity_id == i.c.opportunity_id))
            .where(i.c.tenant_id == tenant_id, i.c.state != "waived", owed > 0, c.c.status == "in_force",
                   sa.or_(i.c.due_on <= today, i.c.paid_minor > 0))
        )
        return [OpenItem(r.instalment_id, r.contract_id, r.ref, r.customer_name or "", r.due_on,
                         int(r.outstanding), r.currency, r.seq) for r in rows]

    async def unmatched_credits(self, tenant_id: str, limit: int) -> list[Line]:
        """Credit lines still unmatched (not offered, matched nor ignored) and in no live match, oldest booked
        first, at most `limit` (a run's bound; the rest wait for the next run)."""
        s = statement_lines
        live = sa.select(matches.c.match_id).where(
            matches.c.tenant_id == s.c.tenant_id, matches.c.line_id == s.c.line_id, matches.c.status.in_(LIVE)
        )
        rows = await self.session.execute(
            sa.select(s.c.line_id, s.c.booked_on, s.c.amount_minor, s.c.currency, s.c.counterparty_name, s.c.remark)
            .where(s.c.tenant_id == tenant_id, s.c.direction == "credit",
                   s.c.status == "unmatched", ~live.exists())
            .order_by(s.c.booked_on, s.c.line_id)
            .limit(limit)
        )
        return [Line(r.line_id, r.booked_on, r.amount_minor, r.currency, r.counterparty_name, r.remark) for r in rows]
