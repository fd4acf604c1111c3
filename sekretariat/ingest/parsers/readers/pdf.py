"""PDF with a text layer (pypdfium2, Apache/BSD licensed), with OCR for pages that have none.

A page that PDFium cannot load (a broken page object, a page tree that counts more pages than it
holds) is skipped with a warning naming it; the other pages are still read.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

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


def page_text(
    pdf: pdfium.PdfDocument, index: int, styles: list[LineStyle] | None = None
) -> str | None:
    """The text layer of one page; None when PDFium cannot load the page or its text.

    With ``styles``, the look of each of the page's lines is added to it (``line_styles``)."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            if styles is not None:
                styles += line_styles(textpage, text)
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_pages(
    pdf: pdfium.PdfDocument, styles: list[list[LineStyle]] | None = None
) -> list[str | None]:
    """Every page's text layer; None for a page that cannot be loaded (or is not tried).
    With ``styles``, each page's line styles are appended to it, one list per page."""
    texts: list[str | None] = []
    broken_in_a_row = 0
    for index in range(len(pdf)):
        own: list[LineStyle] | None = [] if styles is not None else None
        text = page_text(pdf, index, own) if broken_in_a_row < MAX_BROKEN_IN_A_ROW else None
        broken_in_a_row = broken_in_a_row + 1 if text is None else 0
        texts.append(text)
        if styles is not None:
            styles.append(own if text is not None and own is not None else [])
    return texts


# ---------------------------------------------------------------- how a line looks

_BOLD_FONT = re.compile(rb"bold|black|heavy|semibold|demibold|fett", re.IGNORECASE)
_LINE = re.compile(r"[^\r\n]+")


@dataclass(frozen=True)
class LineStyle:
    """A line of a page as PDFium draws it: whether all of it is bold, and its font size."""

    bold: bool
    size: float
    length: int


def line_styles(textpage: pdfium.PdfTextPage, text: str) -> list[LineStyle]:
    """One ``LineStyle`` per line of ``text`` (PDFium's characters are the string's, one for
    one), from three characters of each line: its first, middle and last letters."""
    count = textpage.count_chars()
    if count != len(text):
        return []
    handle = textpage.raw
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    out: list[LineStyle] = []
    for match in _LINE.finditer(text):
        line = match[0]
        letters = [match.start() + k for k, ch in enumerate(line) if not ch.isspace()]
        if not letters:
            continue  # a line of spaces is no line to the reader either
        sample = {letters[0], letters[len(letters) // 2], letters[-1]}
        bold = True
        size = 1e9
        for index in sample:
            pdfium_raw.FPDFText_GetFontInfo(handle, index, buffer, 128, ctypes.byref(flags))
            weight = pdfium_raw.FPDFText_GetFontWeight(handle, index)
            if not (weight >= 600 or _BOLD_FONT.search(buffer.value)):
                bold = False
            size = min(size, pdfium_raw.FPDFText_GetFontSize(handle, index))
        out.append(LineStyle(bold, round(size, 1), len(letters)))
    return out


def mark_headings(texts: list[str], styles: list[list[LineStyle]]) -> list[str]:
    """The pages' text with lines that look like headings (bold all through, or clearly larger
    than the running text) written as '**line**', as a bold line of Word reads in Markdown.

    Nothing is marked when the styles cannot be matched to the lines, or when bold is the
    common case (a document set in a bold font says nothing by being bold)."""
    sizes: list[float] = []
    for page in styles:
        for style in page:
            sizes += [style.size] * min(style.length, 200)
    lines_total = sum(len(page) for page in styles)
    bold_total = sum(1 for page in styles for style in page if style.bold)
    if not sizes or not lines_total or bold_total > 0.4 * lines_total:
        return texts
    sizes.sort()
    body = sizes[len(sizes) // 2]
    out: list[str] = []
    for text, page in zip(texts, styles, strict=True):
        rows = text.split("\n")
        filled = [k for k, row in enumerate(rows) if row.strip()]
        if len(filled) != len(page) or not page:
            out.append(text)
            continue
        for k, style in zip(filled, page, strict=True):
            row = rows[k].strip()
            heading = style.bold or (body > 0 and style.size >= 1.2 * body)
            if heading and len(row) <= 150 and "*" not in row:
                rows[k] = f"**{row}**"
        out.append("\n".join(rows))
    return out


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
        styles: list[list[LineStyle]] = []
        loaded = load_pages(pdf, styles)
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
    if not scanned:
        marked = mark_headings([texts[i] for i in readable], [styles[i] for i in readable])
        for i, page in zip(readable, marked, strict=True):
            texts[i] = page
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
