"""PDF with a text layer (pypdfium2, Apache/BSD licensed), with OCR for pages that have none.

A page that PDFium cannot load (a broken page object, a page tree that counts more pages than it
holds) is skipped with a warning naming it; the other pages are still read.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ..errors import CorruptFileError, EncryptedFileError, NotMeetingDocumentError
from ..model import ParsedDocument
from ..ocr_repair import repair_if_damaged
from ..structure import parse_text
from . import ocr

MIN_CHARS_PER_PAGE = 25  # fewer printable characters than this: the page is an image
# After this many pages in a row that cannot be loaded the rest are not tried: a page tree may
# claim a million pages while it holds one, and each failed load costs PDFium 35 µs.
MAX_BROKEN_IN_A_ROW = 100


def open_pdf(data: bytes, filename: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        message = str(err).casefold()
        if "password" in message or "security" in message:
            raise EncryptedFileError(filename) from err
        raise CorruptFileError(filename, "PDF-filen kan ikke åbnes") from err


def page_text(pdf: pdfium.PdfDocument, index: int) -> str | None:
    """The text layer of one page; None when PDFium cannot load the page or its text."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_pages(pdf: pdfium.PdfDocument) -> list[str | None]:
    """Every page's text layer; None for a page that cannot be loaded (or is not tried)."""
    texts: list[str | None] = []
    broken_in_a_row = 0
    for index in range(len(pdf)):
        text = page_text(pdf, index) if broken_in_a_row < MAX_BROKEN_IN_A_ROW else None
        broken_in_a_row = broken_in_a_row + 1 if text is None else 0
        texts.append(text)
    return texts


def page_texts(pdf: pdfium.PdfDocument) -> list[str]:
    """Every page's text layer; '' for a page that cannot be loaded."""
    return [text or "" for text in load_pages(pdf)]


def pages_named(numbers: list[int]) -> str:
    """'side 3', 'side 2 og 5', 'side 2-9, 12 og 14': runs joined, at most ten parts shown."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    if len(parts) > 10:
        parts = [*parts[:9], f"{len(parts) - 9} flere"]
    if len(parts) == 1:
        return f"side {parts[0]}"
    return f"side {', '.join(parts[:-1])} og {parts[-1]}"


def read(data: bytes, filename: str) -> ParsedDocument:
    pdf = open_pdf(data, filename)
    warnings: list[str] = []
    try:
        if len(pdf) == 0:
            raise CorruptFileError(filename, "PDF-filen har ingen sider")
        loaded = load_pages(pdf)
        broken = [i for i, t in enumerate(loaded) if t is None]
        if len(broken) == len(loaded):
            raise CorruptFileError(
                filename,
                "ingen af PDF-filens sider kan indlæses; siderne er beskadigede eller mangler",
            )
        if broken:
            warnings.append(
                f"PDF-filens {pages_named([i + 1 for i in broken])} kan ikke indlæses "
                f"(beskadiget eller manglende side) og er sprunget over."
            )
        texts = [t or "" for t in loaded]
        readable = [i for i, t in enumerate(loaded) if t is not None]
        empty = [i for i in readable if len("".join(texts[i].split())) < MIN_CHARS_PER_PAGE]
        scanned = bool(empty) and len(empty) >= max(1, len(readable) // 2)
        if empty:
            recognised, message = ocr.recognise_pages(pdf, empty)
            if message:
                warnings.append(message)
            for index, text in recognised.items():
                texts[index] = text
    finally:
        pdf.close()
    text = "\f".join(texts[i] for i in readable)  # a page that is not there is no page
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
