"""Structured fields extracted from a file in the recognised template, when
the uploader sent none (docs/adr/0007-documents.md, "The equipment-list template"):

- XLSX (openpyxl): the first worksheet holding, within its first 20 rows, a
  header row with the cells 型号, 数量 and 单价 (描述, 名称 or 规格 optional);
- DOCX (python-docx): the first table whose first row has those headers.

The rows below the header are equipment rows (型号, 描述, 数量, 单价 in 元)
until a row with no 型号; a row starting with 合计/总计/总价 gives the total
(else the rows' sum). A cell 交期/交货期 followed by a number of days and
质保/质保期 followed by a number of months, anywhere in the sheet or the
document's tables, give the lead time and the warranty. Anything else (no
such header, a PDF) extracts nothing: None. What is extracted is validated
like the uploader's fields (domain.fields.validate_fields)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from document_versioning.domain.fields import EquipmentRow, VersionFields

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MODEL = ("型号",)
DESCRIPTION = ("描述", "名称", "规格", "说明")
QUANTITY = ("数量",)
UNIT_PRICE = ("单价", "单价(元)", "单价（元）")
TOTAL = ("合计", "总计", "总价")
LEAD_TIME = ("交期", "交货期")
WARRANTY = ("质保", "质保期")
HEADER_ROWS = 20
MAX_ROWS = 1_000
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_LEAD_TEXT = re.compile(r"(?:交期|交货期)\s*[:：]?\s*(\d{1,4})\s*(?:个工作日|天|日)")
_WARRANTY_TEXT = re.compile(r"(?:质保期?)\s*[:：]?\s*(\d{1,3})\s*个?月")


class NotRecognised(Exception):
    """The file is not in the template (or not an XLSX/DOCX at all)."""


def kind_of(filename: str, content_type: str) -> str:
    name = filename.lower()
    if content_type == XLSX_TYPE or name.endswith(".xlsx"):
        return "xlsx"
    if content_type == DOCX_TYPE or name.endswith(".docx"):
        return "docx"
    return ""


def extract_fields(filename: str, content_type: str, content: bytes) -> VersionFields | None:
    """The fields of a file in the template, or None."""
    kind = kind_of(filename, content_type)
    try:
        if kind == "xlsx":
            return _from_rows(_xlsx_rows(content), "xlsx")
        if kind == "docx":
            tables, text = _docx(content)
            fields = _from_tables(tables, "docx")
            lead, warranty = _terms_in(text)
            return replace(
                fields,
                delivery_lead_time_days=fields.delivery_lead_time_days if lead is None else lead,
                warranty_months=fields.warranty_months if warranty is None else warranty,
            )
    except (NotRecognised, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    return None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _xlsx_rows(content: bytes) -> list[list[object]]:
    import openpyxl  # imported on use: most uploads are not spreadsheets

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            rows = [list(r) for _, r in zip(range(MAX_ROWS + HEADER_ROWS), sheet.iter_rows(values_only=True))]
            if _header_at(rows) is not None:
                return rows
    finally:
        book.close()
    raise NotRecognised


def _docx(content: bytes) -> tuple[list[list[list[object]]], str]:
    """The document's tables (cells' text) and its paragraphs' text."""
    import docx

    document = docx.Document(io.BytesIO(content))
    tables = [[[c.text for c in row.cells] for row in table.rows[: MAX_ROWS + 1]] for table in document.tables]
    return tables, "\n".join(p.text for p in document.paragraphs[:MAX_ROWS])


def _terms_in(text: str) -> tuple[int | None, int | None]:
    """ "交期 30 天" / "质保 12 个月" in running text; the first of each counts."""
    lead = _LEAD_TEXT.search(text)
    warranty = _WARRANTY_TEXT.search(text)
    return (int(lead.group(1)) if lead else None, int(warranty.group(1)) if warranty else None)


def _from_tables(tables: list[list[list[object]]], source: str) -> VersionFields:
    for table in tables:
        if table and _columns(table[0]) is not None:
            extras = [row for t in tables for row in t]
            return _from_rows(table, source, extras=extras)
    raise NotRecognised


def _columns(row: Sequence[object]) -> dict[str, int] | None:
    cells = [_text(c) for c in row]
    found: dict[str, int] = {}
    for key, names in (
        ("model", MODEL),
        ("description", DESCRIPTION),
        ("quantity", QUANTITY),
        ("unit_price", UNIT_PRICE),
    ):
        for i, cell in enumerate(cells):
            if cell in names and key not in found:
                found[key] = i
    return found if {"model", "quantity", "unit_price"} <= found.keys() else None


def _header_at(rows: list[list[object]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_ROWS]):
        if _columns(row) is not None:
            return i
    return None


def _number(cell: object) -> Decimal:
    if isinstance(cell, bool):
        raise NotRecognised
    if isinstance(cell, int | float | Decimal):
        return Decimal(str(cell))
    match = _NUMBER.search(_text(cell))
    if not match:
        raise NotRecognised
    try:
        return Decimal(match.group().replace(",", ""))
    except InvalidOperation as e:
        raise NotRecognised from e


def _minor(cell: object) -> int:
    """元 (as in the sheet) to 分, exact."""
    return int((_number(cell) * 100).to_integral_value())


def _from_rows(rows: list[list[object]], source: str, extras: Iterable[list[object]] = ()) -> VersionFields:
    at = _header_at(rows)
    if at is None:
        raise NotRecognised
    cols = _columns(rows[at])
    assert cols is not None
    equipment: list[EquipmentRow] = []
    total: int | None = None
    for row in rows[at + 1 :]:
        cells = [_text(c) for c in row]
        first = next((c for c in cells if c), "")
        if first in TOTAL:
            total = _minor(next(c for c in row[cells.index(first) + 1 :] if _text(c)))
            break
        model = cells[cols["model"]] if cols["model"] < len(cells) else ""
        if not model:
            break
        equipment.append(
            EquipmentRow(
                model=model,
                description=cells[cols["description"]] if "description" in cols else "",
                quantity=int(_number(row[cols["quantity"]])),
                unit_price_minor=_minor(row[cols["unit_price"]]),
            )
        )
    if not equipment:
        raise NotRecognised
    lead, warranty = _labelled(list(rows) + list(extras))
    return VersionFields(
        total_minor=total if total is not None else sum(r.line_minor for r in equipment),
        delivery_lead_time_days=lead,
        warranty_months=warranty,
        equipment=tuple(equipment),
        source=source,
    )


def _labelled(rows: Iterable[list[object]]) -> tuple[int | None, int | None]:
    """交期 / 质保 cells followed by a number in the same row."""
    found: dict[str, int] = {}
    for row in rows:
        cells = [_text(c) for c in row]
        for i, cell in enumerate(cells):
            for key, names in (("lead", LEAD_TIME), ("warranty", WARRANTY)):
                if cell in names and key not in found:
                    value = next((c for c in row[i + 1 :] if _text(c)), None)
                    try:
                        found[key] = int(_number(value))
                    except NotRecognised:
                        pass
    return found.get("lead"), found.get("warranty")
