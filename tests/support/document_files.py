"""Document files made by the tests, never committed binaries: DOCX with
python-docx, PDF with reportlab's built-in Chinese CID font (STSong-Light),
XLSX with openpyxl. Each takes the text it should contain."""

from __future__ import annotations

import io
from collections.abc import Sequence

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def make_docx(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """Paragraphs, then (when given) a table, then a closing paragraph."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        document.add_paragraph("以上。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """One page per item, one line per string, in STSong-Light (no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for lines in pages:
        pdf.setFont("STSong-Light", 11)
        y = 800
        for line in lines:
            pdf.drawString(50, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def make_scanned_pdf(pages: int = 1) -> bytes:
    """Pages with only a drawn shape on them: no text layer, as a scan has none."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(pages):
        pdf.rect(50, 50, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def make_xlsx(rows: Sequence[Sequence[object]], sheet: str = "设备清单") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_image_pdf() -> bytes:
    """A page holding only a picture (as a scanner makes): no text layer, one image to OCR."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = io.BytesIO()
    Image.new("RGB", (64, 32), (255, 255, 255)).save(picture, format="PNG")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 50, 600, width=128, height=64)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
