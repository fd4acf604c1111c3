"""PDF: text layer through pypdfium2; pages without text go to OCR or give a warning."""

from __future__ import annotations

import pytest

from sekretariat.ingest.parsers import parse_bytes
from sekretariat.ingest.parsers.readers import ocr

from .conftest import html_pdf

AGENDA_HTML = """
<html><body style="font-family: sans-serif">
<p>Referat</p><p>Integrationsrådet</p><p>Torsdag den 5. december 2024 kl. 17.00-19.00</p>
<p>Afbud: Amira Hansen</p>
<h2>1. Sprogcaféer på bibliotekerne</h2>
<p>Sagsnr.: 24/33001</p>
<p>Indstilling</p><p>Det indstilles, at rådet støtter en forsøgsperiode på et år.</p>
<p>Beslutning</p><p>Rådet støtter forsøget. Notat 7f3a udsendes.</p>
<h2 style="page-break-before: always">2. Eventuelt</h2>
<p>Beslutning</p><p>Næste møde flyttes en uge.</p>
</body></html>
"""


def test_text_layer_pdf():
    doc = parse_bytes(html_pdf(AGENDA_HTML), "integrationsraad.pdf")
    assert doc.body == "Integrationsrådet" and doc.meeting.date == "2024-12-05"
    assert [i.title for i in doc.items] == ["Sprogcaféer på bibliotekerne", "Eventuelt"]
    assert doc.items[0].journal_number == "24/33001"
    assert "Notat 7f3a" in doc.items[0].sections.decision
    assert doc.document_type == "minutes"


def test_scanned_pdf_without_tesseract_warns_and_continues(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_command", lambda: None)
    blank = html_pdf("<html><body><div style='height:10px'></div></body></html>")
    doc = parse_bytes(blank, "scannet.pdf")
    assert doc.items == []
    assert any("OCR" in w and "ikke installeret" in w for w in doc.warnings)


@pytest.mark.skipif(
    ocr.tesseract_command() is None, reason="tesseract with Danish is not installed"
)
def test_scanned_pdf_with_tesseract_is_read():  # pragma: no cover - depends on the machine
    import pypdfium2 as pdfium

    text_pdf = html_pdf(AGENDA_HTML)
    source = pdfium.PdfDocument(text_pdf)
    image = source[0].render(scale=3).to_pil()
    out = pdfium.PdfDocument.new()
    page_image = pdfium.PdfImage.new(out)
    page_image.set_bitmap(pdfium.PdfBitmap.from_pil(image))
    width, height = source[0].get_size()
    page_image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page = out.new_page(width, height)
    page.insert_obj(page_image)
    page.gen_content()
    import io

    buffer = io.BytesIO()
    out.save(buffer)
    doc = parse_bytes(buffer.getvalue(), "scannet.pdf")
    assert any("OCR" in w for w in doc.warnings)
    assert doc.items and doc.items[0].title.startswith("Sprogcaf")
