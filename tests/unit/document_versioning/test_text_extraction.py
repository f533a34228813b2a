"""Text extraction from files the test makes: DOCX paragraphs and tables in
order, a Chinese PDF, an XLSX equipment list, a scan, bounds, a damaged file."""

import shutil

import pytest
from document_versioning.adapters.text_extraction import ExtractionLimits, _storable, extract_text

from tests.support.document_files import (
    DOCX,
    PDF,
    XLSX,
    make_docx,
    make_image_pdf,
    make_pdf,
    make_scanned_pdf,
    make_xlsx,
)


def test_docx_paragraphs_and_table_in_document_order() -> None:
    data = make_docx(["技术方案", "交期 30 天"], table=[["型号", "数量"], ["XK-200", "2"]])

    extracted = extract_text(data, DOCX, "方案.docx")

    assert extracted.text.split("\n") == ["技术方案", "交期 30 天", "型号\t数量", "XK-200\t2", "以上。"]
    assert extracted.kind == "docx" and not extracted.scanned


def test_chinese_pdf_page_by_page() -> None:
    data = make_pdf([["技术方案 第一页", "交期 30 天"], ["第二页 验收合格支付尾款"]])

    extracted = extract_text(data, PDF, "方案.pdf")

    assert "交期 30 天" in extracted.text
    assert "验收合格支付尾款" in extracted.text
    assert extracted.pages == 2 and not extracted.scanned and not extracted.truncated


def test_pdf_page_bound_cuts_and_says_so() -> None:
    data = make_pdf([[f"第 {n} 页"] for n in range(1, 6)])

    extracted = extract_text(data, PDF, "x.pdf", ExtractionLimits(max_pages=2))

    assert extracted.pages == 2 and extracted.truncated
    assert "第 3 页" not in extracted.text


def test_scanned_pdf_is_marked_and_not_read() -> None:
    extracted = extract_text(make_scanned_pdf(2), PDF, "扫描件.pdf")

    assert extracted.scanned and extracted.text == ""
    assert "scanned" in extracted.note


@pytest.mark.skipif(shutil.which("tesseract") is not None, reason="tesseract is installed here")
def test_ocr_asked_for_without_tesseract_says_so() -> None:
    extracted = extract_text(make_scanned_pdf(), PDF, "扫描件.pdf", ExtractionLimits(ocr=True))

    assert extracted.scanned
    assert "tesseract is not installed" in extracted.note


def test_xlsx_equipment_list() -> None:
    data = make_xlsx([["型号", "描述", "数量", "单价"], ["XK-200", "注塑机", 2, 500000]])

    extracted = extract_text(data, XLSX, "设备清单.xlsx")

    assert extracted.text.split("\n") == ["[设备清单]", "型号\t描述\t数量\t单价", "XK-200\t注塑机\t2\t500000"]


def test_plain_text_in_gb18030_and_the_char_bound() -> None:
    extracted = extract_text("交期三十天".encode("gb18030"), "text/plain", "a.txt", ExtractionLimits(max_chars=2))

    assert extracted.text == "交期" and extracted.truncated


def test_damaged_and_unsupported_files_have_no_text_and_a_note() -> None:
    damaged = extract_text(b"PK\x03\x04 not really", DOCX, "坏.docx")
    image = extract_text(b"\x89PNG", "image/png", "图.png")

    assert damaged.text == "" and "could not be read" in damaged.note
    assert image.kind == "unsupported" and image.text == ""


def test_text_is_storable_without_nul_or_lone_surrogates() -> None:
    extracted = extract_text("交期\x0030 天".encode(), "text/plain", "a.txt")

    assert extracted.text == "交期30 天"
    # A PDF parser may hand back lone surrogates; PostgreSQL's text refuses them.
    assert _storable("天\ud800") == "天?"


def test_ocr_reads_the_page_images_of_a_scan_with_tesseract(tmp_path, monkeypatch) -> None:
    # A stand-in tesseract on PATH: what matters here is that each page image is handed over and its text kept.
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\ntest -s "$1" && echo "交期 45 天 ($4)"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")

    extracted = extract_text(make_image_pdf(), PDF, "扫描件.pdf", ExtractionLimits(ocr=True))
    off = extract_text(make_image_pdf(), PDF, "扫描件.pdf")

    assert extracted.scanned and extracted.text.strip() == "交期 45 天 (chi_sim+eng)"
    assert "OCR" in extracted.note
    assert off.scanned and off.text == ""
