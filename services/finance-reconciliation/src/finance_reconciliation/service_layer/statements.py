"""Use cases of bank statements: import a file (idempotent, balance
checked, all or nothing), list statements and lines, and the tenant's
bank export layouts. Bank statements are the company's accounts, not an
opportunity's: finance and admins only."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from crm.events.v1 import finance_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound, TooLarge
from crm_shared.ids import new_id
from crm_shared.paging import decode_key, decode_token, encode_key, encode_token, page_size

from finance_reconciliation.adapters.parsers import camt053, cn_bank, mt940
from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.bank_layout import DEFAULT_LAYOUTS, BankLayout
from finance_reconciliation.domain.statement import (
    LINE_STATUSES,
    MAX_FILE_BYTES,
    MAX_LINES,
    ImportReport,
    ParsedStatement,
    ReportLine,
    Statement,
    StatementLine,
    detect_format,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]


@dataclass(frozen=True)
class ImportFile:
    filename: str
    content: bytes
    account: str = ""  # for exports naming no account in a title row
    format: str = ""  # "" = detect


def _line_key(token: str) -> tuple[date, str] | None:
    """The (booked_on, line_id) a lines page token was made from."""
    key = decode_key(token, arity=1)
    if key is None:
        return None
    (day,), line_id = key
    try:
        return date.fromisoformat(str(day)), line_id
    except ValueError as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc


def _merge_layouts(stored: list[BankLayout]) -> list[BankLayout]:
    """The tenant's layouts first; a stored one named like a default replaces it."""
    names = {layout.name for layout in stored}
    return stored + [layout for layout in DEFAULT_LAYOUTS if layout.name not in names]


async def _publish_imported(uow: FinanceUnitOfWork, report: ImportReport) -> None:
    """payment.statement_imported, one per statement of the file, committed with its lines."""
    [statement] = report.statements
    await uow.publish(
        "payment.statement_imported",
        statement.tenant_id,
        statement.statement_id,
        finance_pb2.StatementImported(
            statement_id=statement.statement_id,
            account=statement.account,
            format=statement.format,
            filename=statement.filename,
            sha256=statement.sha256,
            new_count=report.count("new"),
            known_count=report.count("known"),
            rejected_count=report.count("rejected"),
            held_count=report.count("held"),
            held=report.held,
            held_reason=statement.held_reason,
            imported_by=statement.imported_by,
        ),
    )


class StatementHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def _parse(self, caller: Caller, cmd: ImportFile) -> list[ParsedStatement]:
        fmt = cmd.format or detect_format(cmd.content)
        if fmt == "camt053":
            return camt053.parse(cmd.content)
        if fmt == "mt940":
            return mt940.parse(cmd.content)
        if fmt == "cn_bank":
            async with self.uow() as uow:
                layouts = _merge_layouts(await uow.layouts.for_tenant(caller.tenant_id))
            return cn_bank.parse(cmd.content, layouts, account=cmd.account.strip())
        raise InvalidArgument.field("format", f"{fmt!r} is not one of camt053, mt940, cn_bank")

    async def import_file(self, caller: Caller, cmd: ImportFile) -> ImportReport:
        caller.require_role(*RECORDERS)
        if len(cmd.content) > MAX_FILE_BYTES:
            raise TooLarge(f"a statement file may be at most {MAX_FILE_BYTES} bytes", MAX_FILE_BYTES)
        if not cmd.content.strip():
            raise InvalidArgument.field("file", "is empty")
        if len(cmd.filename) > 255:
            raise InvalidArgument.field("filename", "at most 255 characters")
        parsed = await self._parse(caller, cmd)
        if sum(len(p.lines) for p in parsed) > MAX_LINES:
            raise InvalidArgument.field("file", f"more than {MAX_LINES} lines; split the export")
        if not any(p.lines for p in parsed) and not any(p.rejected for p in parsed):
            raise InvalidArgument.field("file", "has no booked lines")
        digest = hashlib.sha256(cmd.content).hexdigest()
        # A mismatch anywhere holds the whole file: lines of a file whose
        # balances do not add up are not trusted one by one either.
        problems = [(p.account, p.balance_problem()) for p in parsed]
        held_reason = "; ".join(f"{account}: {problem}" for account, problem in problems if problem)
        report: list[ReportLine] = []
        statements: list[Statement] = []
        async with self.uow() as uow:
            now = uow.clock.now()
            for p in parsed:
                statement = Statement(
                    new_id(), caller.tenant_id, p.account, p.format, cmd.filename or "statement", digest,
                    p.opening_minor, p.closing_minor, p.currency, p.period_from, p.period_to, caller.user_id, now,
                    "held" if held_reason else "imported", held_reason[:500],
                )
                await uow.statements.add(statement)
                statements.append(statement)
                outcomes = [ReportLine(r.row, "rejected", p.account, reason=r.reason) for r in p.rejected]
                if held_reason:
                    outcomes.extend(ReportLine(line.row, "held", p.account, line.key(p.account)) for line in p.lines)
                else:
                    outcomes.extend(await self._store_lines(uow, caller, statement, p))
                report.extend(outcomes)
                await _publish_imported(uow, ImportReport([statement], outcomes))
            await uow.commit()
        report.sort(key=lambda line: (line.account, line.row))
        return ImportReport(statements, report)

    async def _store_lines(
        self, uow: FinanceUnitOfWork, caller: Caller, statement: Statement, p: ParsedStatement
    ) -> list[ReportLine]:
        keyed = [(line.key(p.account), line) for line in p.lines]
        known = await uow.statements.known_refs(caller.tenant_id, p.account, [key for key, _ in keyed])
        fresh: dict[str, StatementLine] = {}
        for key, line in keyed:
            if key in known or key in fresh:
                continue
            fresh[key] = StatementLine(
                new_id(), caller.tenant_id, statement.statement_id, p.account, key, line.booked_on, line.value_on,
                line.amount_minor, line.currency, line.direction, line.counterparty_name,
                line.counterparty_account, line.remark,
            )
        inserted = await uow.statements.add_lines(list(fresh.values()))
        out, seen = [], set()
        for key, line in keyed:
            if key in inserted and key not in seen:
                seen.add(key)
                out.append(ReportLine(line.row, "new", p.account, key, fresh[key].line_id))
            else:  # stored before, by a racing import, or twice in this file
                out.append(ReportLine(line.row, "known", p.account, key, known.get(key, "")))
        return out

    async def list_statements(self, caller: Caller, size: int = 0, token: str = "") -> tuple[list[Statement], str]:
        """A page of statements, newest first, and the token of the next page ("" on the last)."""
        caller.require_role(*RECORDERS)
        limit, after = page_size(size), decode_token(token)
        async with self.uow() as uow:
            found = await uow.statements.list(caller.tenant_id, limit + 1, after)
        page = found[:limit]
        more = len(found) > limit
        return page, encode_token(page[-1].imported_at, page[-1].statement_id) if more else ""  # type: ignore[arg-type]

    async def get_statement(self, caller: Caller, statement_id: str) -> Statement:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            found = await uow.statements.get(caller.tenant_id, statement_id)
        if found is None:
            raise NotFound(f"statement {statement_id} not found")
        return found

    async def list_lines(
        self, caller: Caller, statement_id: str = "", status: str = "", size: int = 0, token: str = ""
    ) -> tuple[list[StatementLine], str]:
        """A page of lines by booking day, and the token of the next page ("" on the last)."""
        caller.require_role(*RECORDERS)
        if status and status not in LINE_STATUSES:
            raise InvalidArgument.field("status", f"one of {', '.join(LINE_STATUSES)}")
        limit, after = page_size(size), _line_key(token)
        if statement_id:
            await self.get_statement(caller, statement_id)
        async with self.uow() as uow:
            found = await uow.statements.lines(
                caller.tenant_id, statement_id=statement_id, status=status, after=after, limit=limit + 1
            )
        page = found[:limit]
        if len(found) <= limit:
            return page, ""
        return page, encode_key([page[-1].booked_on.isoformat()], page[-1].line_id)

    async def layouts(self, caller: Caller) -> list[BankLayout]:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            return _merge_layouts(await uow.layouts.for_tenant(caller.tenant_id))

    async def put_layout(self, caller: Caller, layout: BankLayout) -> BankLayout:
        caller.require_role(*RECORDERS)
        if not layout.name.strip() or len(layout.name) > 50:
            raise InvalidArgument.field("name", "1 to 50 characters")
        layout = replace(layout, columns={k: tuple(t.strip() for t in v if t.strip()) for k, v in layout.columns.items()})
        layout.validate()
        async with self.uow() as uow:
            await uow.layouts.put(caller.tenant_id, layout, caller.user_id, uow.clock.now())
            await uow.commit()
        return layout
