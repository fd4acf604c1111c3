"""Shared XML helpers for the export readers: a recovering parser that never fetches anything,
element names without their namespaces, and the text of a field that may hold HTML."""

from __future__ import annotations

import contextlib
import html
import re

from lxml import etree

from ..danish import find_date_span, find_times
from ..errors import CorruptFileError
from ..htmltext import html_to_text
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
    strip_namespaces(root)
    return root


def strip_namespaces(root: etree._Element) -> None:
    """'{urn:x}Meeting' and 'edoc:Meeting' become 'Meeting': a known format written with a
    namespace is still the known format, and the readers look elements up by their own names.
    Comments and processing instructions are dropped (their tag is no name)."""
    for node in list(root.iter()):
        tag = node.tag
        if not isinstance(tag, str):
            parent = node.getparent()
            if parent is not None:
                _drop_keeping_tail(node, parent)
            continue
        local = tag.rpartition("}")[2] if tag[0] == "{" else tag.rpartition(":")[2]
        if local != tag and local:
            with contextlib.suppress(ValueError):  # a local name that is no name keeps its tag
                node.tag = local
        attrib = node.attrib
        if attrib and any(k[0] == "{" or ":" in k for k in attrib):
            for key in [k for k in attrib if k[0] == "{" or ":" in k]:
                value = attrib.pop(key)
                local = key.rpartition("}")[2].rpartition(":")[2]
                if local and local not in attrib:
                    with contextlib.suppress(ValueError):
                        attrib[local] = value
    etree.cleanup_namespaces(root)


def _drop_keeping_tail(node: etree._Element, parent: etree._Element) -> None:
    tail = node.tail or ""
    previous = node.getprevious()
    with contextlib.suppress(ValueError):  # text that lxml refuses to hold is left out
        if tail and previous is not None:
            previous.tail = (previous.tail or "") + tail
        elif tail:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


# Tags that make a field's text HTML: escaped ('&lt;p&gt;'), in CDATA, or as child elements.
_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|span|br|b|i|u|em|strong|ul|ol|li|table|tbody|thead|tr|td|th|h[1-6]|font|a|"
    r"img|section|article|blockquote|pre|sup|sub|hr|html|body|o:p|col|colgroup|center|small|big|"
    r"strike|s|dl|dt|dd|figure|caption|label)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_NAMES = frozenset({
    "p", "div", "span", "br", "b", "i", "u", "em", "strong", "ul", "ol", "li", "table", "tbody",
    "thead", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "font", "a", "img", "section",
    "article", "blockquote", "pre", "sup", "sub", "hr", "html", "body", "col", "colgroup",
    "center", "small", "big", "strike", "s", "dl", "dt", "dd", "figure", "caption", "label",
})  # fmt: skip
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def looks_like_html(text: str) -> bool:
    return "<" in text and bool(_HTML_TAG.search(text))


def field_text(value: str | None) -> str:
    """The text of an export field: HTML (escaped, doubly escaped or in CDATA) as text with its
    headings and lists kept, HTML entities resolved, plain text as it is."""
    if not value or not value.strip():
        return ""
    if "&lt;" in value and "<" not in value and _HTML_TAG.search(html.unescape(value)):
        value = html.unescape(value)  # escaped once more than the XML needed
    if looks_like_html(value):
        return html_to_text(value)
    if "&" in value and _ENTITY.search(value):
        value = html.unescape(value)
    return value.strip()


def is_html_element(node: etree._Element) -> bool:
    """An HTML element inside an export; an export's own <table name="agenda"> holding
    <fields> is not one (its children are no HTML)."""
    if not isinstance(node.tag, str) or node.tag.lower() not in _HTML_NAMES:
        return False
    return all(not isinstance(c.tag, str) or c.tag.lower() in _HTML_NAMES for c in node)


def node_text(node: etree._Element | None) -> str:
    """A field element's text; HTML written as child elements (XHTML inside the export) counts."""
    if node is None:
        return ""
    children = [c for c in node if isinstance(c.tag, str)]
    if children and all(is_html_element(c) for c in children):
        inner = (node.text or "") + "".join(
            etree.tostring(c, encoding="unicode", with_tail=True) for c in children
        )
        return html_to_text(inner)
    return field_text(node.text)


def one_line(text: str) -> str:
    """A title or a name: markup off (the '**' and '#' that HTML headings become, too), on one
    line."""
    plain = field_text(text)
    if "*" in plain or "#" in plain or "\n- " in plain:
        plain = re.sub(r"\*\*|^#{1,6}\s+|^- ", "", plain, flags=re.MULTILINE)
    return " ".join(plain.split())


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
