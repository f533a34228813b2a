"""CSV and xlsx exports of Chinese banks (工商银行, 建设银行, 招商银行 …).
Encoding: UTF-8 (with or without BOM), else GB18030 (a superset of GBK and
GB2312). Title rows above the header are skipped: the header is the row a
tenant layout's keywords name (domain/bank_layout.py). Account from a
"账号" title row when the caller names none."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date, datetime

import openpyxl
from crm_shared.domain.errors import InvalidArgument

from finance_reconciliation.domain.bank_layout import BankLayout, match_header, missing_columns
from finance_reconciliation.domain.statement import ParsedLine, ParsedStatement, Rejected, to_minor

_ACCOUNT = re.compile(r"(?:账号|帐号|账户)[:：]?\s*([0-9][0-9 \-*]{5,40})")
XLSX_MAGIC = b"PK\x03\x04"


def decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidArgument.field("file", "neither UTF-8 nor GBK/GB18030 text") from None


def rows_of(content: bytes) -> list[list[object]]:
    if content.startswith(XLSX_MAGIC):
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - zipfile/openpyxl raise many kinds for a broken file
            raise InvalidArgument.field("file", f"not a readable xlsx workbook: {exc}") from None
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    text = decode(content)
    dialect = "excel-tab" if text[:4096].count("\t") > text[:4096].count(",") else "excel"
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), dialect=dialect)]
    except csv.Error as exc:
        raise InvalidArgument.field("file", f"not a readable CSV export: {exc}") from None


def _cell(row: list[object], col: int | None) -> object:
    if col is None or col >= len(row):
        return None
    value = row[col]
    return value.strip().lstrip("'\t") if isinstance(value, str) else value


def _day(value: object, layout: BankLayout) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in layout.date_formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidArgument.field("booked_on", f"{text!r} is not a date")


def _amount(value: object, what: str) -> int:
    if value in (None, "", "-"):
        return 0
    return to_minor(value if isinstance(value, str | int | float) else str(value), what)


def _runs(balances: list[tuple[int, int]]) -> bool:
    """Each balance is the one before plus the line's amount."""
    return all(after == before + signed for (_, before), (signed, after) in itertools.pairwise(balances))


def parse(content: bytes, layouts: list[BankLayout], account: str = "", currency: str = "CNY") -> list[ParsedStatement]:
    rows = rows_of(content)
    header = layout = None
    for candidate in layouts:
        header = match_header(candidate, rows)
        if header:
            layout = candidate
            break
    if header is None or layout is None:
        raise InvalidArgument.field("file", f"unknown bank export layout: {missing_columns(layouts, rows)}")
    if not account:
        for row in rows[: header.row]:
            found = _ACCOUNT.search(" ".join(str(c) for c in row if c))
            if found:
                account = found.group(1).replace(" ", "").replace("-", "")
                break
    if not account:
        raise InvalidArgument.field("account", "the export names no account (no 账号 title row): name it")
    pos = header.positions
    out = ParsedStatement("cn_bank", account[:64], currency)
    balances: list[tuple[int, int]] = []  # (signed amount, balance after) per accepted line, for the check
    for index, row in enumerate(rows[header.row + 1 :], start=header.row + 2):
        if not any(c not in (None, "") for c in row):
            continue
        first = str(_cell(row, pos["booked_on"]) or "")
        if first.startswith(("合计", "总计", "本页", "共")):
            continue  # footer totals
        try:
            booked = _day(_cell(row, pos["booked_on"]), layout)
            if booked is None:
                raise InvalidArgument.field("booked_on", "missing")
            if "credit" in pos:
                credit, debit = _amount(_cell(row, pos["credit"]), "credit"), _amount(_cell(row, pos["debit"]), "debit")
                if bool(credit) == bool(debit):
                    raise InvalidArgument.field("amount", "exactly one of 贷方/借方 must carry an amount")
                amount, direction = (credit, "credit") if credit else (abs(debit), "debit")
            else:
                amount = _amount(_cell(row, pos["amount"]), "amount")
                mark = str(_cell(row, pos["direction"]) or "")
                direction = "credit" if mark in layout.credit_marks else "debit"
                if amount < 0:
                    amount, direction = -amount, "debit"
            if amount <= 0:
                raise InvalidArgument.field("amount", "zero")
            line = ParsedLine(
                booked_on=booked,
                value_on=_day(_cell(row, pos.get("value_on")), layout) if "value_on" in pos else None,
                amount_minor=amount,
                currency=str(_cell(row, pos.get("currency")) or currency).replace("人民币", "CNY")[:3],
                direction=direction,
                counterparty_name=str(_cell(row, pos.get("counterparty_name")) or "")[:200],
                counterparty_account=str(_cell(row, pos.get("counterparty_account")) or "")[:64],
                remark=str(_cell(row, pos.get("remark")) or "")[:500],
                bank_ref=str(_cell(row, pos.get("bank_ref")) or "")[:100],
                row=index,
            )
            out.lines.append(line)
            if "balance" in pos and _cell(row, pos["balance"]) not in (None, ""):
                balances.append((line.signed_minor, _amount(_cell(row, pos["balance"]), "balance")))
        except InvalidArgument as exc:
            out.rejected.append(Rejected(index, exc.message))
    if balances and len(balances) == len(out.lines):
        if not _runs(balances) and _runs(balances[::-1]):
            out.lines.reverse()  # a newest-first export (建设银行's default)
            balances.reverse()
        out.opening_minor = balances[0][1] - balances[0][0]
        out.closing_minor = balances[-1][1]
    if out.lines:
        out.period_from = min(line.booked_on for line in out.lines)
        out.period_to = max(line.booked_on for line in out.lines)
    return [out]
