"""Cells of the spreadsheets the product hands out (CSV or .xlsx downloads of
leads, customers, payments, ...): text a client wrote must never run as a
formula in the spreadsheet of whoever opens the file (CSV or formula
injection). Lead imports store such text as it was written ("=HYPERLINK(...)"
as a company name is data); every export writes its cells through
`safe_cell`, or whole rows through `safe_row` / `csv_bytes`.

The rule is OWASP's (CSV Injection; ASVS 5.0 V1.2.10): a text cell that
begins with = + - @, a tab, a carriage return (also a line feed or NUL, and the
full-width ＝ ＋ － ＠ a Chinese input method types, which some spreadsheet
programs read as formula signs) gets a single quote in front, so the
spreadsheet shows it as text; CSV files quote every cell and double the
quotes inside (RFC 4180). A leading quote is visible in the cell, the lesser
evil; numbers written as numbers are left alone (a negative amount stays a
number), so pass numbers as int, float or Decimal, not as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["FORMULA_TRIGGERS", "csv_bytes", "safe_cell", "safe_row"]

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\x00＝＋－＠")


def safe_cell(value: Any) -> Any:
    """A value as an exported cell: numbers as they are, None as empty text,
    dates in ISO form, and any other value as text that cannot start a
    formula (a leading single quote when its first character, spaces aside,
    is one of FORMULA_TRIGGERS)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return value
    text = value.isoformat() if isinstance(value, datetime | date) else str(value)
    first = text.lstrip(" ")[:1]
    if first and first in FORMULA_TRIGGERS or text[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV download: UTF-8 with a BOM (so Excel reads the Chinese
    text right), every cell quoted, every cell through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8-sig")
