"""The JSON of municipal agenda APIs (FirstAgenda 'dagsordener.<kommune>.dk/api/agenda/...').

Top level: Dagsordenpunkter[] (items: Number, Caption, SagsNummer, Felter[].Html, Bilag[]),
Udvalg.Navn (the forum), Moede (Dato, Sted, Moededeltagere[]). Closed items ('Lukket: ...') carry
only the decision text. Keys are looked up under their Danish and English names.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from ..errors import CorruptFileError, NotMeetingDocumentError
from ..header import person
from ..labels import DECISION, clean_attachment, section_name
from ..model import ParsedDocument, ParsedItem
from ..structure import TextResult, finish_document, read_item_text
from . import generic_xml
from ._xml import field_text, one_line, set_when
from .text import decode

ITEM_LISTS = (
    "Dagsordenpunkter",
    "dagsordenpunkter",
    "items",
    "agendaItems",
    "AgendaItems",
    "punkter",
)
TITLE_KEYS = ("Caption", "Navn", "title", "Title", "name", "overskrift", "Overskrift")
NUMBER_KEYS = ("Number", "Punktnummer", "number", "nummer", "Nummer")
CASE_KEYS = ("SagsNummer", "CaseNumber", "caseNumber", "sagsnummer", "journalnummer")
FIELD_LISTS = ("Felter", "fields", "Fields", "felter")
ATTACHMENT_LISTS = ("Bilag", "attachments", "Attachments", "bilag")


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", []):
            return value
    return None


def _list(value: Any) -> list:
    """A list the file holds where a list belongs; anything else counts as none."""
    return value if isinstance(value, list) else []


def _string(value: Any) -> str:
    """Text the file holds where text belongs (a number is written out); anything else is ''."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def read(data: bytes, filename: str) -> ParsedDocument:
    try:
        payload = json.loads(decode(data, filename))
    except json.JSONDecodeError as err:
        raise CorruptFileError(
            filename, f"ugyldig JSON i linje {err.lineno}, kolonne {err.colno}"
        ) from err
    except ValueError as err:  # e.g. a number with more digits than Python converts
        raise CorruptFileError(filename, "ugyldig JSON (en værdi kan ikke læses)") from err
    whole = payload
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        payload = payload[0]
    if not isinstance(payload, dict):
        raise NotMeetingDocumentError(filename, "JSON uden en dagsorden")
    items = _first(payload, ITEM_LISTS)
    if not isinstance(items, list):
        # An API we do not know: its objects as elements, read by structure and names.
        return generic_xml.read_tree(json_tree(whole), filename, "JSON")
    doc = ParsedDocument(source=filename)
    committee = _first(payload, ("Udvalg", "committee", "Committee"))
    if isinstance(committee, dict):
        doc.body = _string(_first(committee, ("Navn", "name", "Name"))) or None
    elif isinstance(committee, str):
        doc.body = committee
    meeting = _first(payload, ("Moede", "meeting", "Meeting"))
    if isinstance(meeting, dict):
        _meeting(doc, meeting)
    result = TextResult()
    for raw in items:
        if isinstance(raw, dict):
            doc.items.append(_item(raw, doc, result))
    finish_document(doc, result)
    return doc


MAX_DEPTH = 200
_TAG_CHARS = re.compile(r"[^\w.\-]")


def _tag(key: str) -> str:
    tag = _TAG_CHARS.sub("_", key.strip())[:80] or "felt"
    return tag if re.match(r"[A-Za-z_]", tag) else f"_{tag}"


def json_tree(value: Any) -> etree._Element:
    """JSON as elements: an object's keys are child elements, a list's entries repeat the list's
    own name (so a list of items is a repeated element, as in an XML export)."""
    root = etree.Element("json")
    _add(root, value, "json", 0)
    return root


def _add(node: etree._Element, value: Any, name: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, list):
                holder = etree.SubElement(node, _tag(str(key)))
                for entry in inner:
                    child = etree.SubElement(holder, _tag(str(key)))
                    _add(child, entry, str(key), depth + 1)
            else:
                child = etree.SubElement(node, _tag(str(key)))
                _add(child, inner, str(key), depth + 1)
    elif isinstance(value, list):
        for entry in value:
            child = etree.SubElement(node, _tag(name))
            _add(child, entry, name, depth + 1)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        node.text = str(value)
    elif isinstance(value, str):
        node.text = _xml_safe(value)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def _meeting(doc: ParsedDocument, meeting: dict[str, Any]) -> None:
    when = _first(meeting, ("Dato", "MeetingBeginUtc", "date", "start"))
    until = _first(meeting, ("MeetingEndUtc", "Slut", "end")) or ""
    if isinstance(when, str):
        set_when(doc.meeting, when[:16].replace("T", " "), str(until)[:16].replace("T", " "))
    place = _first(meeting, ("Sted", "location", "Location"))
    doc.meeting.location = _string(place) or None
    for attendee in _list(_first(meeting, ("Moededeltagere", "participants", "attendees"))):
        if not isinstance(attendee, dict):
            continue
        ref = person(_string(_first(attendee, ("Name", "Navn", "name"))))
        if ref is None:
            continue
        away = attendee.get("Absent") or attendee.get("ParticipationCancelled")
        (doc.meeting.absent if away else doc.meeting.participants).append(ref)


def _item(raw: dict[str, Any], doc: ParsedDocument, result: TextResult) -> ParsedItem:
    title = one_line(_string(_first(raw, TITLE_KEYS)))
    closed = bool(re.match(r"^lukket\b", title, re.IGNORECASE))
    if closed:
        title = re.sub(r"^lukket\s*(?:punkt)?\s*[:.\-–]?\s*", "", title, flags=re.IGNORECASE)
    number = _first(raw, NUMBER_KEYS)
    item = ParsedItem(title=title, number=_string(number) or None, closed=closed)
    case = _first(raw, CASE_KEYS)
    item.journal_number = _string(case) or None
    for field in _list(_first(raw, FIELD_LISTS)):
        if not isinstance(field, dict):
            continue
        html = _string(field.get("Html") or field.get("html"))
        plain = _string(field.get("Tekst") or field.get("text") or field.get("Text"))
        text = field_text(html or plain)
        caption = one_line(_string(field.get("Navn") or field.get("name")))
        if not text.strip():
            continue
        default = section_name(caption) if caption else None
        if closed and default is None:
            default = DECISION
        heading = f"### {caption}\n" if caption else ""
        part = read_item_text(item, heading + text, doc, default=default)
        result.decision_dates += part.decision_dates
    for attachment in _list(_first(raw, ATTACHMENT_LISTS)):
        name = (
            one_line(_string(attachment.get("Navn") or attachment.get("name")))
            if isinstance(attachment, dict)
            else None
        )
        if name:
            cleaned = clean_attachment(re.sub(r"^bilag\s*\d+\s*[-–:]\s*", "", name, flags=re.I))
            if cleaned:
                item.sections.attachments.append(cleaned)
    return item
