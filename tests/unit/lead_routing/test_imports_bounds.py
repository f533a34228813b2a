"""Lead files past a bound are refused as a whole before anything is held or
stored, naming the row and column; a control character rejects its row."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from crm_shared.domain.errors import InvalidArgument
from lead_routing.domain.imports import (
    MAX_CELL,
    MAX_COLUMNS,
    MAX_HEADER,
    MAX_LINES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    parse_rows,
)

HEADER = "公司名称,统一社会信用代码,电话"


def _refused(content: bytes, filename: str = "x.csv", custom: dict | None = None) -> str:
    with pytest.raises(InvalidArgument) as exc:
        parse_rows(filename, content, custom or {})
    assert [v.field for v in exc.value.violations] == ["file"]
    description = exc.value.violations[0].description
    assert len(exc.value.message) < 600  # a refusal travels in gRPC trailers: it stays small
    return description


def test_ten_thousand_columns_and_a_ten_thousand_character_id_are_refused_briefly() -> None:
    header = ",".join(["公司名称", "统一社会信用代码"] + [f"列{i}" for i in range(10_000)])
    row = ",".join(["甲公司", "9" * 10_000] + ["y"] * 10_000)
    says = _refused(f"{header}\n{row}\n".encode())
    assert says == f"row 1 has more than {MAX_COLUMNS} columns"


def test_a_cell_longer_than_the_bound_is_refused_with_its_row_and_column() -> None:
    says = _refused(f"{HEADER}\n甲公司,,13805751234\n乙公司,{'9' * 10_000},\n".encode())
    assert says == f"row 3, column 2: a cell is longer than {MAX_CELL} characters"


def test_many_blank_header_columns_count_too() -> None:
    says = _refused(("公司名称" + "," * 10_000 + "电话\n甲,13805751234\n").encode())
    assert "more than 100 columns" in says


def test_trailing_blank_cells_do_not_count_as_columns() -> None:
    rows = parse_rows("x.csv", (HEADER + "," * 500 + "\n甲公司,,13805751234" + "," * 500 + "\n").encode(), {})
    assert rows[0].data is not None and rows[0].data.phone == "13805751234"


def test_a_long_header_is_refused() -> None:
    says = _refused(f"公司名称,{'列' * (MAX_HEADER + 1)}\n甲,x\n".encode())
    assert says == f"row 1, column 2: a header is longer than {MAX_HEADER} characters"


def test_unknown_columns_are_listed_ten_at_most() -> None:
    header = ",".join(["公司名称"] + [f"备注{i}" for i in range(90)])
    says = _refused(f"{header}\n甲\n".encode())
    assert "备注9," not in says or says.count("备注") <= 10
    assert "and 80 more" in says


def test_rows_and_lines_are_bounded_while_reading() -> None:
    body = "".join(f"公司{i},,1380575{i:04d}\n" for i in range(MAX_ROWS + 1))
    assert "more than 5000 rows" in _refused(f"{HEADER}\n{body}".encode())
    assert f"more than {MAX_LINES} lines" in _refused((HEADER + "\n" * (MAX_LINES + 5)).encode())


def test_a_nul_in_a_cell_rejects_that_row_only() -> None:
    content = f"{HEADER},地址\n甲\x00公司,,13805751234,\n乙公司,,13805751235,杭州\x07\n丙公司,,13805751236,\n"
    rows = parse_rows("x.csv", content.encode(), {})
    assert [(r.row, [(e.field, e.description[:43]) for e in r.errors]) for r in rows if r.errors] == [
        (2, [("公司名称", "must not contain control characters (U+0000")]),
        (3, [("地址", "must not contain control characters (U+0007")]),
    ]
    assert rows[2].data is not None and rows[2].data.company_name == "丙公司"


def test_a_bad_cell_is_quoted_briefly() -> None:
    rows = parse_rows("x.csv", f"公司名称,电话,预算\n甲,13805751234,{'很多' * 400}\n".encode(), {})
    assert len(rows[0].errors[0].description) < 60


def _xlsx(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_with_too_many_columns_is_refused() -> None:
    def fill(sheet):
        sheet.append(["公司名称", "电话"])
        sheet.cell(row=2, column=1, value="甲")
        sheet.cell(row=2, column=MAX_COLUMNS + 40, value="x")

    assert _refused(_xlsx(fill), "x.xlsx") == f"row 2 has more than {MAX_COLUMNS} columns"


def test_an_xlsx_cell_longer_than_the_bound_is_refused() -> None:
    def fill(sheet):
        sheet.append(["公司名称", "电话"])
        sheet.append(["甲", "1" * (MAX_CELL + 1)])

    assert _refused(_xlsx(fill), "x.xlsx") == f"row 2, column 2: a cell is longer than {MAX_CELL} characters"


def test_an_xlsx_that_unpacks_past_the_bound_is_refused_before_it_is_opened() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b" " * (1 << 20)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                part.write(chunk)
    content = out.getvalue()
    assert len(content) < 1 << 20  # a small file that unpacks to over 50 MB
    assert "unpacks to more than 50 MB" in _refused(content, "bomb.xlsx")
