"""HTML pages of municipal agenda sites.

The FirstAgenda publication page (rows ``tr.punktrow`` with the number, an ``h2.overskrift`` title,
a ``span.sagsnummer`` and the item's sections under ``h3`` headings) is read row by row. Any other
page is turned into Markdown-like text (headings kept) and read by ``structure`` like a text file.
"""

from __future__ import annotations

import contextlib
import re

import lxml.html
from lxml import etree

from ..danish import find_date_span, find_times
from ..errors import CorruptFileError, NotMeetingDocumentError
from ..header import people
from ..htmltext import element_text
from ..labels import clean_attachment
from ..model import ParsedDocument, ParsedItem
from ..structure import TextResult, finish_document, parse_text, read_item_text

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w\-]+)""", re.IGNORECASE)
# An XHTML page may begin with an XML declaration; lxml refuses text that names its encoding.
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")


def decode_html(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16")
    match = _CHARSET.search(data[:4096])
    encodings = [match[1].decode("ascii", "ignore")] if match else []
    if encodings and encodings[0].lower().startswith(("utf-16", "utf-32")):
        encodings = []  # read as ASCII, so the page is not in UTF-16 whatever its <meta> says
    for encoding in [*encodings, "utf-8", "cp1252"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def read(data: bytes, filename: str) -> ParsedDocument:
    text = _XML_DECLARATION.sub("", decode_html(data), count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as err:
        raise CorruptFileError(filename, "HTML-siden har intet indhold, der kan læses") from err
    rows = root.xpath("//tr[contains(concat(' ', normalize-space(@class), ' '), ' punktrow ')]")
    if rows:
        return _first_agenda(root, rows, filename)
    body = root.find("body")
    page_text = element_text(body if body is not None else root)
    if not page_text.strip():
        raise NotMeetingDocumentError(filename, "siden har ingen tekst")
    doc = parse_text(page_text, filename, wrapped=False)
    doc.warn("Ukendt HTML-layout: siden er læst som tekst ud fra overskrifter og afsnitsnavne.")
    return doc


def _text(nodes: list) -> str:
    return " ".join(" ".join(n.text_content().split()) for n in nodes).strip()


def _first_agenda(root, rows, filename: str) -> ParsedDocument:
    doc = ParsedDocument(source=filename)
    heading = _text(root.xpath("//h1[contains(@class,'dato')]")[:1])
    when = _text(root.xpath("//table[contains(@class,'dagsordeninfo')]//span[@class='dato']")[:1])
    for value in (when, heading):
        found = find_date_span(value)
        if found and doc.meeting.date is None:
            doc.meeting.date = found[0]
            doc.meeting.start_time, doc.meeting.end_time = find_times(value)
    doc.body = _text(root.xpath("//span[@class='udvalg']")[:1]) or None
    doc.meeting.location = (
        _text(root.xpath("//span[contains(@class,'sted')][not(contains(@class,'divider'))]")[:1])
        or None
    )
    attendees = [
        " ".join(n.text_content().split()) for n in root.xpath("//td[@class='deltagere']//li")
    ]
    doc.meeting.participants = people(attendees) if attendees else []
    result = TextResult()
    for row in rows:
        number = _text(
            row.xpath(".//span[contains(@class,'label')][not(contains(@class,'pdf'))]")[:1]
        )
        title = _text(row.xpath(".//h2[contains(@class,'overskrift')]")[:1])
        item = ParsedItem(title=title, number=number or None)
        if re.match(r"^lukket\b", title, re.IGNORECASE):
            item.closed = True
            item.title = re.sub(r"^lukket\s*(?:punkt)?\s*[:.\-–]?\s*", "", title, flags=re.I)
        item.journal_number = _text(row.xpath(".//span[@class='sagsnummer']")[:1]) or None
        for details in row.xpath(".//div[contains(@class,'punkt')]")[:1]:
            part = read_item_text(item, element_text(details), doc)
            result.decision_dates += part.decision_dates
        for link in row.xpath(".//a[contains(@class,'bilag-link')]"):
            name = clean_attachment(" ".join(link.text_content().split()))
            if name:
                item.sections.attachments.append(name)
        doc.items.append(item)
    finish_document(doc, result)
    if heading.casefold().startswith("referat") and doc.document_type == "agenda":
        doc.warn("Siden kaldes referat, men ingen beslutninger er fundet i punkterne.")
    return doc
