"""The text of a version's bytes, for the text diff and the knowledge-base
index: DOCX (paragraphs and tables in document order, python-docx), PDF
(pypdf, page by page), XLSX (openpyxl read-only, a sheet at a time, cells
tab-separated) and plain text.

Bounded: at most `max_pages` PDF pages, `max_rows` spreadsheet rows and
`max_chars` characters are read; a cut text says so. A PDF whose pages have
no text layer is a scan: it is marked `scanned`, and OCR (tesseract with
chi_sim, off by default) is tried only when the setting asks for it — when
tesseract is not installed the note says so and nothing fails.

CPU-bound and synchronous: callers run it in a worker thread."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Bump when extraction changes, so cached texts of older code are extracted again.
EXTRACTOR_VERSION = 1
MAX_CHARS = 1_000_000
MAX_PAGES = 500
MAX_ROWS = 20_000
OCR_TIMEOUT_S = 60

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class ExtractedText:
    text: str
    kind: str  # "docx", "pdf", "xlsx", "text" or "unsupported"
    pages: int = 0  # PDF pages (or spreadsheet sheets) read
    scanned: bool = False  # a PDF with no text layer
    truncated: bool = False  # a bound was reached: the text is the first part only
    note: str = ""  # why there is no or less text (scan, OCR not installed, unreadable file ...)


@dataclass(frozen=True)
class ExtractionLimits:
    max_chars: int = MAX_CHARS
    max_pages: int = MAX_PAGES
    max_rows: int = MAX_ROWS
    ocr: bool = False
    ocr_languages: str = "chi_sim+eng"


def kind_of(content_type: str, filename: str) -> str:
    content_type = content_type.split(";")[0].strip().lower()
    suffix = Path(filename).suffix.lower()
    if content_type == DOCX or suffix == ".docx":
        return "docx"
    if content_type == PDF or suffix == ".pdf":
        return "pdf"
    if content_type == XLSX or suffix == ".xlsx":
        return "xlsx"
    if content_type.startswith("text/") or suffix in (".txt", ".md", ".csv"):
        return "text"
    return "unsupported"


def extract_text(
    data: bytes, content_type: str, filename: str, limits: ExtractionLimits = ExtractionLimits()
) -> ExtractedText:
    kind = kind_of(content_type, filename)
    try:
        if kind == "docx":
            return _bounded(_docx(data), "docx", limits)
        if kind == "pdf":
            return _pdf(data, limits)
        if kind == "xlsx":
            return _xlsx(data, limits)
        if kind == "text":
            return _bounded(_plain(data), "text", limits)
    except Exception as exc:  # noqa: BLE001 - the parsers raise many kinds on a damaged file
        # A damaged or mislabelled file has no text; the diff says why instead of failing.
        return ExtractedText("", kind, note=f"the {kind} file could not be read: {type(exc).__name__}")
    return ExtractedText("", kind, note=f"no text is extracted from {content_type or 'this type'}")


def _bounded(text: str, kind: str, limits: ExtractionLimits, **more: object) -> ExtractedText:
    truncated = bool(more.pop("truncated", False)) or len(text) > limits.max_chars
    return ExtractedText(_storable(text[: limits.max_chars]), kind, truncated=truncated, **more)  # type: ignore[arg-type]


def _storable(text: str) -> str:
    """Without NUL characters and lone surrogates, which a parser may give and PostgreSQL's text refuses."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _docx(data: bytes) -> str:
    import docx  # python-docx; imported on use so the service starts without loading it
    from docx.table import Table

    lines: list[str] = []
    for block in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    # A merged cell is returned once per grid column it spans.
                    if not cells or cell.text != cells[-1]:
                        cells.append(cell.text.strip())
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf(data: bytes, limits: ExtractionLimits) -> ExtractedText:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    pages: list[str] = []
    size = 0
    for page in reader.pages[: limits.max_pages]:
        text = page.extract_text() or ""
        pages.append(text)
        size += len(text)
        if size > limits.max_chars:
            break
    text = "\n".join(pages)
    truncated = total > len(pages)
    if text.strip():
        return _bounded(text, "pdf", limits, pages=len(pages), truncated=truncated)
    # No text layer at all: a scan.
    if not limits.ocr:
        return ExtractedText("", "pdf", pages=len(pages), scanned=True, note="a scanned PDF without a text layer")
    ocr_text, note = _ocr(reader, len(pages), limits)
    return _bounded(ocr_text, "pdf", limits, pages=len(pages), scanned=True, note=note, truncated=truncated)


def _ocr(reader: object, pages: int, limits: ExtractionLimits) -> tuple[str, str]:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "", "a scanned PDF without a text layer; OCR is on but tesseract is not installed"
    texts: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for number, page in enumerate(reader.pages[:pages]):  # type: ignore[attr-defined]
            for index, image in enumerate(page.images):
                path = Path(folder) / f"p{number}-{index}{Path(image.name).suffix or '.png'}"
                path.write_bytes(image.data)
                try:
                    done = subprocess.run(
                        [tesseract, str(path), "stdout", "-l", limits.ocr_languages],
                        capture_output=True,
                        timeout=OCR_TIMEOUT_S,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    return "\n".join(texts), f"a scanned PDF; OCR stopped after {OCR_TIMEOUT_S} s on page {number + 1}"
                if done.returncode != 0:
                    return "\n".join(texts), "a scanned PDF; OCR failed: " + done.stderr.decode(errors="replace")[:200]
                texts.append(done.stdout.decode(errors="replace"))
    return "\n".join(texts), "a scanned PDF; the text is OCR's (tesseract)"


def _xlsx(data: bytes, limits: ExtractionLimits) -> ExtractedText:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    rows = sheets = 0
    truncated = False
    try:
        for sheet in workbook.worksheets:
            sheets += 1
            lines.append(f"[{sheet.title}]")
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                if rows > limits.max_rows:
                    truncated = True
                    break
                cells = ["" if value is None else str(value) for value in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    lines.append("\t".join(cells))
            if truncated:
                break
    finally:
        workbook.close()
    return _bounded("\n".join(lines), "xlsx", limits, pages=sheets, truncated=truncated)
