"""eDoc (KMD/Fujitsu) 'eDocAgendaPublishing.xml': a meeting with its items' full text.

The file is not well-formed (it holds form feeds), so it is read with lxml's recovering parser.
Items can be out of order in the file; they are sorted by number.
"""

from __future__ import annotations

import re

from ..errors import NotMeetingDocumentError
from ..lines import split_lines
from ..model import ParsedDocument, ParsedItem
from ..structure import TextResult, finish_document, numbered_candidate, read_item_text
from ._xml import node_text, one_line, parse_xml, set_when, text_of


def read(data: bytes, filename: str) -> ParsedDocument:
    root = parse_xml(data, filename)
    doc = ParsedDocument(source=filename)
    doc.body = text_of(root, "Committee") or None
    set_when(doc.meeting, text_of(root, "MeetingDate"))
    items: list[tuple[int, ParsedItem]] = []
    result = TextResult()
    seen: set[tuple[str, str]] = set()
    for agenda_type in root.iter("MeetingAgendaType"):
        kind = text_of(agenda_type, "AgendaType").casefold()
        closed = "lukket" in kind
        for node in agenda_type.iter("MeetingAgendaItem"):
            number = text_of(node, "AgendaItemNumber")
            document = node.find("Document")
            title = one_line(text_of(document, "Title")) if document is not None else ""
            full_text = node_text(node.find("FullText")).replace("\f", "\n")
            key = (number, title)
            if key in seen:
                continue
            seen.add(key)
            item = ParsedItem(title=title, number=number or None, closed=closed)
            body, heading_title = _strip_heading(full_text)
            if not item.title:
                item.title = heading_title or f"Punkt {number}"
            part = read_item_text(item, body, doc)
            result.decision_bodies += part.decision_bodies
            result.decision_dates += part.decision_dates
            if document is not None:
                for attachment in document.iter("Attachment"):
                    name = one_line(text_of(attachment, "Title"))
                    if name and name not in item.sections.attachments:
                        item.sections.attachments.append(name)
            # isdecimal, not isdigit: int('²') fails; and int() refuses over 4,300 digits
            plain = number.isdecimal() and len(number) < 4_000
            order = int(number) if plain else 10_000 + len(items)
            items.append((order, item))
    if not items and doc.body is None:
        raise NotMeetingDocumentError(filename, "eDoc-filen har hverken udvalg eller punkter")
    items.sort(key=lambda pair: pair[0])
    doc.items = [item for _, item in items]
    state = text_of(root, "MeetingState").casefold()
    finish_document(doc, result)
    if "referat" in state and doc.document_type == "agenda":
        doc.warn("Mødet er markeret som referat, men ingen beslutninger er fundet i punkterne.")
    return doc


def _strip_heading(text: str) -> tuple[str, str | None]:
    """Drop the '2.<TAB>Title' heading that starts an item's full text."""
    lines, _ = split_lines(text)
    for i, line in enumerate(lines):
        if not line.text:
            continue
        cand = numbered_candidate(lines, i)
        if cand is None:
            return text, None
        rest = text.split("\n")
        # find the raw line holding the heading's last line and cut after it
        target = re.sub(r"\s+", " ", lines[cand.end_index].text)
        for k, raw in enumerate(rest):
            if target and target in re.sub(r"\s+", " ", raw).strip():
                return "\n".join(rest[k + 1 :]), cand.title
        return text, cand.title
    return text, None
