"""Which reader a file needs, from its first bytes and its name; an explicit registry."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import PurePath

from .errors import NotMeetingDocumentError, UnsupportedFormatError
from .model import ParsedDocument
from .readers import (
    acadre_xml,
    agenda_json,
    docx,
    edoc_xml,
    generic_xml,
    html,
    pdf,
    publication_xml,
    text,
)

Reader = Callable[[bytes, str], ParsedDocument]


def _or_generic(reader: Reader) -> Reader:
    """A known export's reader, and the generic XML reader when the file only looked like that
    export (the reader finds neither meeting nor items in it)."""

    def read(data: bytes, filename: str) -> ParsedDocument:
        try:
            doc = reader(data, filename)
        except NotMeetingDocumentError:
            return generic_xml.read(data, filename)
        if doc.items or doc.meeting.date or doc.body:
            return doc
        try:
            return generic_xml.read(data, filename)
        except NotMeetingDocumentError:
            return doc

    return read


READERS: dict[str, Reader] = {
    "text": text.read,
    "pdf": pdf.read,
    "docx": docx.read,
    "html": html.read,
    "edoc_xml": _or_generic(edoc_xml.read),
    "publication_xml": _or_generic(publication_xml.read),
    "acadre_xml": _or_generic(acadre_xml.read),
    "generic_xml": generic_xml.read,
    "agenda_json": agenda_json.read,
}

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
_BINARY_MAGIC = {
    b"\x89PNG": "et PNG-billede",
    b"\xff\xd8\xff": "et JPEG-billede",
    b"GIF8": "et GIF-billede",
    b"\xd0\xcf\x11\xe0": "et gammelt Office-dokument (DOC/XLS) eller en krypteret DOCX",
    b"Rar!": "et RAR-arkiv",
    b"\x1f\x8b": "en gzip-fil",
    b"{\\rtf": "et RTF-dokument",
}


def sniff(data: bytes, filename: str) -> str:
    """The registry key of the reader for ``data``; raises UnsupportedFormatError."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    suffix = PurePath(filename).suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:200_000] or suffix == ".docx":
            return "docx"
        raise UnsupportedFormatError(filename, "et ZIP-arkiv, der ikke er et Word-dokument")
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            if magic == b"\xd0\xcf\x11\xe0" and suffix == ".docx":
                return "docx"
            raise UnsupportedFormatError(filename, what)
    lowered = head[:4096].lower()
    if head.startswith((b"{", b"[")) or suffix == ".json":
        return "agenda_json"
    if head.startswith(b"<"):
        return _markup_kind(head, lowered, suffix)
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in _TEXT_SUFFIXES or _looks_like_text(data):
        return "text"
    raise UnsupportedFormatError(filename, f"ukendt filtype '{suffix}'")


# What comes before the first element: a declaration, comments, a doctype.
_PROLOGUE = re.compile(
    rb"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*", re.IGNORECASE | re.DOTALL
)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_ROOTS = {b"html", b"body", b"head", b"div", b"p", b"h1", b"h2", b"h3", b"table", b"section",
               b"article", b"main", b"span", b"ul", b"ol", b"meta", b"title", b"header", b"link",
               b"style", b"script", b"nav", b"form", b"font", b"b", b"strong", b"center", b"br",
               b"hr", b"img", b"a", b"base"}  # fmt: skip


def _markup_kind(head: bytes, lowered: bytes, suffix: str) -> str:
    """HTML or which XML, by the first element: an export whose fields hold HTML ('<p>' in
    CDATA) is still XML, and an XML export of a kind we have no reader for is read by structure."""
    prologue = _PROLOGUE.match(lowered)
    rest = lowered[prologue.end() if prologue else 0 :]
    first = _FIRST_TAG.match(rest)
    root = first[2] if first else b""
    declared_doctype_html = b"<!doctype html" in lowered[: prologue.end() if prologue else 0]
    if root in _HTML_ROOTS or declared_doctype_html:
        return "html"
    body = _without_cdata(lowered)
    if not lowered.startswith(b"<?xml") and (
        suffix in {".html", ".htm", ".xhtml"}
        or re.search(rb"<!doctype html|<html|<body|<div|<h1|<p[ >]", body)
    ):
        return "html"
    if re.search(rb"<(?:\w+:)?meeting[\s>]", body) and (
        re.search(rb"<(?:\w+:)?committee[\s>]", body) or b"meetingagenda" in body
    ):
        return "edoc_xml"
    if root == b"publication" or re.search(rb"<(?:\w+:)?publication[\s>]", body[:512]):
        return "publication_xml"
    if root == b"root" and b"<table name=" in body:
        return "acadre_xml"
    return "generic_xml"


def _without_cdata(data: bytes) -> bytes:
    return re.sub(rb"<!\[cdata\[.*?(?:\]\]>|$)", b"", data, flags=re.DOTALL)


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as err:
        return err.start > len(sample) - 4


def is_json(data: bytes) -> bool:
    try:
        json.loads(data)
        return True
    except ValueError:
        return False
