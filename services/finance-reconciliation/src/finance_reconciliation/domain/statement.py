"""Bank statements and their lines: amounts in integer 分, the idempotency
key of a line, and the balance check that holds a file instead of half
importing it. Pure Python; the parsers in adapters/parsers produce these."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from crm_shared.domain.errors import InvalidArgument

FORMATS = ("camt053", "mt940", "cn_bank")
DIRECTIONS = ("credit", "debit")
LINE_STATUSES = ("unmatched", "suggested", "matched", "ignored")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000


def to_minor(text: str | Decimal | float, what: str = "amount") -> int:
    """'1,234.50' / '¥1234.5' / Decimal → 123450 分, exactly. A float (an
    xlsx numeric cell) goes through its shortest repr, never binary
    arithmetic; more than two decimals is refused, not rounded."""
    if isinstance(text, float):
        text = repr(text)
    raw = str(text).strip()
    for noise in (",", "，", "¥", "￥", " "):
        raw = raw.replace(noise, "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument.field(what, f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise InvalidArgument.field(what, f"{text!r} is not an amount")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise InvalidArgument.field(what, f"{text!r} has more than two decimals")
    return int(cents)


@dataclass(frozen=True)
class ParsedLine:
    """One booked entry as the bank states it. amount_minor is positive;
    direction says which way the money went."""

    booked_on: date
    value_on: date | None
    amount_minor: int
    currency: str
    direction: str
    counterparty_name: str = ""
    counterparty_account: str = ""
    remark: str = ""
    bank_ref: str = ""  # 流水号 / AcctSvcrRef; "" when the bank gives none
    row: int = 0  # where in the file (1-based entry or row number), for the report

    def key(self, account: str) -> str:
        """The line's identity within its account: the bank's own transaction
        id, or a hash of its fields when the bank gives none (so an
        overlapping export names the same line the same way)."""
        if self.bank_ref:
            return self.bank_ref
        fields = "|".join(
            [account, self.booked_on.isoformat(), str(self.amount_minor), self.currency, self.direction,
             self.counterparty_name, self.counterparty_account, self.remark]
        )
        return "h:" + hashlib.sha256(fields.encode()).hexdigest()[:40]

    @property
    def signed_minor(self) -> int:
        return self.amount_minor if self.direction == "credit" else -self.amount_minor


@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str


@dataclass
class ParsedStatement:
    format: str
    account: str
    currency: str
    opening_minor: int | None = None
    closing_minor: int | None = None
    period_from: date | None = None
    period_to: date | None = None
    lines: list[ParsedLine] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def balance_problem(self) -> str:
        """'' when opening + lines = closing (or the file gives no balances)."""
        if self.opening_minor is None or self.closing_minor is None:
            return ""
        total = self.opening_minor + sum(line.signed_minor for line in self.lines)
        if total != self.closing_minor:
            return (
                f"opening {self.opening_minor} + lines {total - self.opening_minor} = {total}, "
                f"but the closing balance is {self.closing_minor} (分)"
            )
        return ""


@dataclass(frozen=True)
class Statement:
    statement_id: str
    tenant_id: str
    account: str
    format: str
    filename: str
    sha256: str
    opening_minor: int | None
    closing_minor: int | None
    currency: str
    period_from: date | None
    period_to: date | None
    imported_by: str
    imported_at: object  # aware datetime
    status: str  # imported | held
    held_reason: str = ""


@dataclass(frozen=True)
class StatementLine:
    line_id: str
    tenant_id: str
    statement_id: str
    account: str
    bank_ref: str
    booked_on: date
    value_on: date | None
    amount_minor: int
    currency: str
    direction: str
    counterparty_name: str
    counterparty_account: str
    remark: str
    status: str = "unmatched"


@dataclass(frozen=True)
class ReportLine:
    row: int
    outcome: str  # new | known | rejected | held
    account: str = ""
    bank_ref: str = ""
    line_id: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ImportReport:
    statements: list[Statement]
    lines: list[ReportLine]

    @property
    def held(self) -> bool:
        return any(s.status == "held" for s in self.statements)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


def detect_format(content: bytes) -> str:
    """camt053 (XML), mt940 (SWIFT tags) or cn_bank (CSV/xlsx export)."""
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "camt053"
    if head.startswith((b":20:", b"{1:")) or (b"\n:20:" in head and b":25:" in head):
        return "mt940"
    return "cn_bank"
