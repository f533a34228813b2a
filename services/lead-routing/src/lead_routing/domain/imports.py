"""Lead files (CSV or Excel .xlsx) to lead data, row by row, and the report
of what became of each row.

The template is one header row, then one lead per row. Headers (Chinese, any
order; only 公司名称 is required): see COLUMNS (渠道 and 活动 may also be headed
channel and campaign, see HEADER_ALIASES), plus the names of the tenant's own
lead fields. 渠道 and 活动 are the channel and campaign of the row's touch.
Money columns are in 元 and accept "5万", "1.2亿" and thousands separators;
行业标签 and tags fields are separated by , ， 、 ; or |.
A blank 来源 means 导入. A row that cannot be read is rejected with the
column and the reason; the other rows go on.

Bounds, checked while the file is read so nothing oversized is held or
stored: MAX_BYTES per file; an .xlsx at most MAX_UNPACKED_BYTES once
unpacked (a zip bomb is refused before it is opened) and only its first
sheet is read; MAX_ROWS data rows and MAX_LINES lines (blank ones included);
MAX_COLUMNS columns; a header at most MAX_HEADER characters; a cell at most
MAX_CELL characters. A file past any of them is refused as a whole (on field
"file", naming the row and column) and nothing of it is stored. A cell holding
a control character (NUL and the like, see crm_shared.text) rejects its row.
What a message quotes from the file is cut to a few characters.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from crm_shared import limits
from crm_shared.domain.errors import FieldViolation, InvalidArgument
from crm_shared.text import refused_character

from lead_routing.domain.fields import TAG_SPLIT
from lead_routing.domain.lead import LeadData

MAX_ROWS = 5000
MAX_LINES = 20_000  # rows read, blank ones included
MAX_BYTES = limits.MAX_IMPORT_BYTES
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx's parts once unzipped (openpyxl holds every shared string in memory)
MAX_COLUMNS = 100  # the template's 17 and a tenant's own fields
MAX_HEADER = 50  # characters; a column is a template name or a lead field's name (at most 30)
MAX_CELL = 1000  # characters; the longest field, 地址, holds 500
_QUOTE = 30  # characters of a cell a message quotes
IMPORT_SOURCE = "导入"

# Header -> LeadData attribute.
COLUMNS: dict[str, str] = {
    "公司名称": "company_name",
    "统一社会信用代码": "credit_code",
    "联系人": "contact_name",
    "电话": "phone",
    "地址": "address",
    "来源": "source",
    "行业标签": "industry_tags",
    "预算": "budget_minor",
    "年营业额": "annual_revenue_minor",
    "近6月采购金额": "purchases_6m_minor",
    "近3月订单数": "orders_3m",
    "纬度": "latitude",
    "经度": "longitude",
    "预算归属": "budget_attribution",
    "内容偏好": "content_preference",
    "渠道": "channel",
    "活动": "campaign",
}
# English headers the template also takes (any case) -> the template column they stand for.
HEADER_ALIASES: dict[str, str] = {"channel": "渠道", "campaign": "活动"}
# Every header the import reads as a template column: a tenant's own field may not be named so.
HEADERS: frozenset[str] = frozenset(COLUMNS) | frozenset(HEADER_ALIASES)
_MONEY = {"budget_minor", "annual_revenue_minor", "purchases_6m_minor"}
_FLOATS = {"latitude", "longitude"}
# Validation field names (as the lead model reports them) -> template column.
FIELD_COLUMNS: dict[str, str] = {attr: header for header, attr in COLUMNS.items()} | {
    "budget.amount_minor": "预算",
    "annual_revenue.amount_minor": "年营业额",
    "purchases_6m.amount_minor": "近6月采购金额",
}
_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "元": Decimal(1)}


@dataclass
class ParsedRow:
    row: int  # spreadsheet row number; the header is row 1
    data: LeadData | None
    errors: list[FieldViolation] = field(default_factory=list)  # field = column header


@dataclass
class RowOutcome:
    row: int
    outcome: str  # accepted | merged | rejected
    company_name: str = ""
    lead_id: str = ""
    matched_lead_id: str = ""
    matched_by: str = ""
    errors: list[FieldViolation] = field(default_factory=list)
    sources: tuple[str, ...] = ()  # merged: the sources the lead now has (empty if the importer may not see it)


@dataclass
class ImportReport:
    rows: list[RowOutcome]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def column_for(field_name: str) -> str:
    """A lead validation field ("phone", "custom_fields.开模数") as its column."""
    if field_name.startswith("custom_fields."):
        return field_name.removeprefix("custom_fields.")
    return FIELD_COLUMNS.get(field_name, field_name)


def _bad_file(description: str) -> InvalidArgument:
    return InvalidArgument(f"file: {description}", [FieldViolation("file", description)])


def _quote(cell: Any) -> str:
    """A cell as a message quotes it: cut to _QUOTE characters."""
    text = _text(cell)
    return repr(text if len(text) <= _QUOTE else text[:_QUOTE] + "…")


def _trimmed(cells: list[Any]) -> list[Any]:
    """A row without its trailing blank cells (spreadsheets pad rows)."""
    end = len(cells)
    while end and _blank(cells[end - 1]):
        end -= 1
    return cells[:end]


class _Rows:
    """The rows of a table as they are read, refused as soon as one breaks a
    bound; blank rows are dropped (their numbers still count)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[Any]]] = []  # (row number, cells)
        self.lines = 0

    def add(self, cells: Any) -> bool:
        """Take the next row; False once there are more rows than a file may
        hold (the caller stops reading: parse_rows refuses the file)."""
        self.lines += 1
        if self.lines > MAX_LINES:
            raise _bad_file(f"has more than {MAX_LINES} lines; split it")
        cells = _trimmed(list(cells))
        if not cells:
            return True
        if len(cells) > MAX_COLUMNS:
            raise _bad_file(f"row {self.lines} has more than {MAX_COLUMNS} columns")
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL:
                raise _bad_file(f"row {self.lines}, column {index + 1}: a cell is longer than {MAX_CELL} characters")
        self.rows.append((self.lines, cells))
        return len(self.rows) <= MAX_ROWS + 1  # the header and MAX_ROWS data rows, and one more to know


def read_table(filename: str, content: bytes) -> list[tuple[int, list[Any]]]:
    """The file's non-blank rows as (row number, cell values), header first,
    at most MAX_ROWS + 2 of them; raises InvalidArgument on "file" past a bound."""
    if not content:
        raise _bad_file("is empty")
    if len(content) > MAX_BYTES:
        raise _bad_file(f"is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _bad_file("is an old Excel .xls file; save it as .xlsx or CSV")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise _bad_file("is not a readable .xlsx file")
    return _read_csv(content)


def _check_unpacked_size(content: bytes) -> None:
    """Refuse an .xlsx whose parts unpack to more than MAX_UNPACKED_BYTES
    (a zip bomb) before anything is decompressed. The sizes are the archive's
    own; zipfile stops reading a part at its stated size, so they hold."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _bad_file(f"is not a readable .xlsx file ({type(exc).__name__})") from exc
    if len(parts) > 10_000 or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise _bad_file(f"unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; save it as CSV or split it")


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    _check_unpacked_size(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _bad_file(f"is not a readable .xlsx file ({type(exc).__name__})") from exc
    try:
        if not book.worksheets:
            raise _bad_file("has no sheet")
        sheet = book.worksheets[0]
        # Without the sheet's stated dimensions each row is as wide as its last cell (a stated
        # A1:XFD1048576 would pad every row to 16,384 cells and add rows past the last one).
        sheet.reset_dimensions()
        rows = _Rows()
        for values in sheet.iter_rows(values_only=True):
            if not rows.add(values):
                break
        return rows.rows
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _bad_file(f"is not a readable .xlsx file ({type(exc).__name__})") from exc
    finally:
        book.close()


def _read_csv(content: bytes) -> list[list[Any]]:
    # Excel saves CSV as UTF-8 with a BOM, or in the Chinese code page.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise _bad_file("is neither UTF-8 nor GB18030 text")
    if encoding != "utf-8-sig" and "\x00" in text:
        # not UTF-8 and holding NUL: binary (a picture, a zip); a UTF-8 file with a NUL in a cell loses that row only
        raise _bad_file("is not a CSV or .xlsx file")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows = _Rows()
    try:
        for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
            if not rows.add(cells):
                break
    except csv.Error as exc:
        raise _bad_file(f"row {rows.lines + 1} is not valid CSV ({exc})") from exc
    return rows.rows


def parse_rows(filename: str, content: bytes, custom_types: Mapping[str, str]) -> list[ParsedRow]:
    """Every non-blank data row, parsed; a file that is not a lead table
    (unreadable, no 公司名称 column, unknown columns, too many rows) raises
    InvalidArgument on field "file"."""
    table = read_table(filename, content)
    if not table:
        raise _bad_file("has no header row")
    header_row, header_cells = table[0]
    headers = [_text(h) for h in header_cells]
    for index, header in enumerate(headers):
        if len(header) > MAX_HEADER:
            raise _bad_file(f"row {header_row}, column {index + 1}: a header is longer than {MAX_HEADER} characters")
        if refused_character(header):
            raise _bad_file(
                f"row {header_row}, column {index + 1}: the header holds control characters; "
                "is this a CSV or .xlsx file?"
            )
    # An English header is read as its template column (so 渠道 and channel side by side appear twice),
    # unless it is a tenant's own field of that name.
    headers = [h if h in custom_types else HEADER_ALIASES.get(h.lower(), h) for h in headers]
    known = set(COLUMNS) | set(custom_types)
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        listed = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise _bad_file(
            f"unknown column(s) {listed}; the template's columns are {', '.join(COLUMNS)} and this tenant's lead fields"
        )
    seen = [h for h in headers if h]
    if len(seen) != len(set(seen)):
        raise _bad_file("a column appears twice")
    if "公司名称" not in headers:
        raise _bad_file("needs a 公司名称 column (the template's header row is the first row)")
    data_rows = table[1:]
    if len(data_rows) > MAX_ROWS:
        raise _bad_file(f"has more than {MAX_ROWS} rows; split it")
    return [_parse_row(number, headers, cells, custom_types) for number, cells in data_rows]


def _parse_row(number: int, headers: list[str], cells: list[Any], custom_types: Mapping[str, str]) -> ParsedRow:
    values: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    errors: list[FieldViolation] = []
    for header, cell in zip(headers, cells, strict=False):
        if not header or _blank(cell):
            continue
        if isinstance(cell, str) and (problem := refused_character(cell)):
            errors.append(FieldViolation(header, problem))
            continue
        if header in custom_types:
            custom[header] = cell.strip() if isinstance(cell, str) else _cell_value(cell)
            continue
        attr = COLUMNS[header]
        try:
            if attr in _MONEY:
                values[attr] = money_minor(cell)
            elif attr == "orders_3m":
                values[attr] = _integer(cell)
            elif attr in _FLOATS:
                values[attr] = _float(cell)
            elif attr == "industry_tags":
                values[attr] = tuple(TAG_SPLIT.split(_text(cell)))
            else:
                values[attr] = _text(cell)
        except ValueError as exc:
            errors.append(FieldViolation(header, str(exc)))
    values.setdefault("source", IMPORT_SOURCE)
    values.setdefault("company_name", "")
    if errors:
        return ParsedRow(number, None, errors)
    return ParsedRow(number, LeadData(**values, custom_fields=custom))


def money_minor(cell: Any) -> int:
    """元 as written in a sheet ("12000", "1.2万", "1,200,000", 12000.5) to 分."""
    if isinstance(cell, bool):
        raise ValueError("must be an amount in 元")
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise ValueError("must be an amount in 元")
        amount = Decimal(str(cell))
    else:
        text = _text(cell).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        unit = Decimal(1)
        while text and text[-1] in _UNITS:
            unit *= _UNITS[text[-1]]
            text = text[:-1].strip()
        try:
            amount = Decimal(text) * unit
        except InvalidOperation as exc:
            raise ValueError(f"{_quote(cell)} is not an amount in 元") from exc
    if not amount.is_finite():
        raise ValueError("must be an amount in 元")
    minor = amount * 100
    if minor != minor.to_integral_value():
        raise ValueError("has more than 2 decimal places (分)")
    if minor < 0:
        raise ValueError("must not be negative")
    if minor > 2**63 - 1:
        raise ValueError("is too large")
    return int(minor)


def _integer(cell: Any) -> int:
    try:
        number = float(_text(cell).replace(",", "")) if isinstance(cell, str) else float(cell)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{_quote(cell)} is not a whole number") from exc
    if not math.isfinite(number) or not number.is_integer():
        raise ValueError(f"{_quote(cell)} is not a whole number")
    return int(number)


def _float(cell: Any) -> float:
    try:
        number = float(_text(cell)) if isinstance(cell, str) else float(cell)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{_quote(cell)} is not a number") from exc
    if not math.isfinite(number):
        raise ValueError("is not a number")
    return number


def _cell_value(cell: Any) -> Any:
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return cell


def _text(cell: Any) -> str:
    """A cell as text; whole floats lose their ".0" (Excel stores phone
    numbers typed as numbers as floats)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell).strip()


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
