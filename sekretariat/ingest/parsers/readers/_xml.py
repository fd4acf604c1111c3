"""Shared XML helpers for the export readers: a recovering parser that never fetches anything."""

from __future__ import annotations

import re

from lxml import etree

from ..danish import find_date_span, find_times
from ..errors import CorruptFileError
from ..model import ParsedMeeting

_PARSER_OPTIONS = {
    "recover": True,
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "remove_blank_text": False,
}


_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,20});")


def _surrogate_to_replacement(match: re.Match) -> bytes:
    digits = match[1].decode("ascii")
    value = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else match[0]


def parse_xml(data: bytes, filename: str) -> etree._Element:
    """The root element; eDoc files are not well-formed (form feeds), so recover.

    A character reference to a UTF-16 surrogate ('&#xD800;') is no character: the recovering
    parser keeps it as bytes that no text can be read from, so it becomes U+FFFD first."""
    if b"&#" in data:
        data = _CHAR_REF.sub(_surrogate_to_replacement, data)
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        where = f" i linje {err.lineno}" if err.lineno else ""
        raise CorruptFileError(filename, f"XML-filen er beskadiget{where}") from err
    if root is None:
        raise CorruptFileError(filename, "XML uden indhold")
    return root


def text_of(node: etree._Element | None, path: str | None = None) -> str:
    if node is None:
        return ""
    if path is not None:
        found = node.find(path)
        return (found.text or "").strip() if found is not None else ""
    return (node.text or "").strip()


def set_when(meeting: ParsedMeeting, value: str, until: str = "") -> None:
    """'04-12-2012 13:00:00', '2013-06-20 10:30', '2025-06-25T16:30:00+02:00'."""
    found = find_date_span(value)
    if found:
        meeting.date = meeting.date or found[0]
        rest = value[found[2] :]
        match = re.search(r"(\d{1,2}):(\d{2})", rest)
        if match and meeting.start_time is None:
            meeting.start_time = f"{int(match[1]):02d}:{match[2]}"
    elif meeting.start_time is None:
        meeting.start_time = find_times(value)[0]
    if until:
        found = find_date_span(until)
        rest = until[found[2] :] if found else until
        match = re.search(r"(\d{1,2}):(\d{2})", rest)
        if match and meeting.end_time is None:
            meeting.end_time = f"{int(match[1]):02d}:{match[2]}"
