"""SWIFT MT940 → ParsedStatement, one per :20: block, through the mt-940
library (tags, balances, :61:/:86: pairing); amounts come out of it as
Decimal and go to 分 with to_minor."""

from __future__ import annotations

import re
from datetime import date

import mt940
from crm_shared.domain.errors import InvalidArgument

from finance_reconciliation.domain.statement import ParsedLine, ParsedStatement, Rejected, to_minor

_BLOCK = re.compile(r"(?m)^(?=:20:)")


def _day(value: object) -> date | None:
    return date(value.year, value.month, value.day) if value else None  # type: ignore[attr-defined]


def _balance(data: dict, key: str) -> int | None:
    balance = data.get(key)
    if balance is None:
        return None
    return to_minor(balance.amount.amount, key)


def _parse_block(text: str) -> ParsedStatement:
    transactions = mt940.models.Transactions()
    try:
        transactions.parse(text)
    except Exception as exc:  # noqa: BLE001 - the library raises bare ValueError/RuntimeError on bad tags
        raise InvalidArgument.field("file", f"not a readable MT940 statement: {exc}") from None
    data = transactions.data
    account = str(data.get("account_identification") or "").strip()
    if not account:
        raise InvalidArgument.field(":25:", "the statement names no account")
    opening = data.get("final_opening_balance")
    currency = str(getattr(getattr(opening, "amount", None), "currency", "") or "CNY")
    out = ParsedStatement(
        "mt940", account[:64], currency, _balance(data, "final_opening_balance"), _balance(data, "final_closing_balance")
    )
    for row, tx in enumerate(transactions, start=1):
        d = tx.data
        try:
            amount = to_minor(abs(d["amount"].amount), ":61: amount")
            direction = "debit" if str(d.get("status", "")).endswith("D") else "credit"
            if d.get("status") in ("RC", "RD"):  # a reversal books the other way
                direction = "debit" if direction == "credit" else "credit"
            details = str(d.get("transaction_details") or "").replace("\n", " ").strip()
            ref = str(d.get("bank_reference") or "").strip()
            out.lines.append(
                ParsedLine(
                    booked_on=_day(d.get("entry_date") or d.get("date")),  # type: ignore[arg-type]
                    value_on=_day(d.get("date")),
                    amount_minor=amount,
                    currency=str(d.get("currency") or currency),
                    direction=direction,
                    counterparty_name="",
                    remark=details[:500],
                    bank_ref=ref if ref and ref.upper() != "NONREF" else "",
                    row=row,
                )
            )
        except (InvalidArgument, KeyError, TypeError) as exc:
            out.rejected.append(Rejected(row, getattr(exc, "message", str(exc))))
    return out


def parse(content: bytes) -> list[ParsedStatement]:
    text = content.decode("utf-8", errors="strict") if content.isascii() else content.decode("utf-8", "replace")
    blocks = [b for b in _BLOCK.split(text) if b.strip().startswith(":20:")]
    if not blocks:
        raise InvalidArgument.field("file", "no :20: tag: not an MT940 statement")
    return [_parse_block(block) for block in blocks]
