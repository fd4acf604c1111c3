"""PDF with a text layer (pypdfium2, Apache/BSD licensed), with OCR for pages that have none."""

from __future__ import annotations

import pypdfium2 as pdfium

from ..errors import CorruptFileError, EncryptedFileError, NotMeetingDocumentError
from ..model import ParsedDocument
from ..ocr_repair import repair_if_damaged
from ..structure import parse_text
from . import ocr

MIN_CHARS_PER_PAGE = 25  # fewer printable characters than this: the page is an image


def open_pdf(data: bytes, filename: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        message = str(err).casefold()
        if "password" in message or "security" in message:
            raise EncryptedFileError(filename) from err
        raise CorruptFileError(filename, "PDF-filen kan ikke åbnes") from err


def page_texts(pdf: pdfium.PdfDocument) -> list[str]:
    texts = []
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        try:
            texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
        finally:
            textpage.close()
            page.close()
    return texts


def read(data: bytes, filename: str) -> ParsedDocument:
    pdf = open_pdf(data, filename)
    try:
        if len(pdf) == 0:
            raise CorruptFileError(filename, "PDF-filen har ingen sider")
        texts = page_texts(pdf)
        empty = [i for i, t in enumerate(texts) if len("".join(t.split())) < MIN_CHARS_PER_PAGE]
        warnings: list[str] = []
        scanned = bool(empty) and len(empty) >= max(1, len(texts) // 2)
        if empty:
            recognised, message = ocr.recognise_pages(pdf, empty)
            if message:
                warnings.append(message)
            for index, text in recognised.items():
                texts[index] = text
    finally:
        pdf.close()
    text = "\f".join(texts)
    if not text.strip():
        doc = ParsedDocument(source=filename, document_type="attachment")
        for message in warnings:
            doc.warn(message)
        doc.warn("PDF-filen har ingen læsbar tekst; intet er indlæst.")
        return doc
    text, repair_notes = repair_if_damaged(text, force=scanned)
    doc = parse_text(text, filename)
    for message in warnings + repair_notes:
        doc.warn(message)
    if not doc.items and doc.document_type == "attachment" and len(text.split()) < 5:
        raise NotMeetingDocumentError(filename, "PDF-filen har næsten ingen tekst")
    return doc
