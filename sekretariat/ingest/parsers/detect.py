"""Which reader a file needs, from its first bytes and its name; an explicit registry."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import PurePath

from .errors import UnsupportedFormatError
from .model import ParsedDocument
from .readers import acadre_xml, agenda_json, docx, edoc_xml, html, pdf, publication_xml, text

Reader = Callable[[bytes, str], ParsedDocument]

READERS: dict[str, Reader] = {
    "text": text.read,
    "pdf": pdf.read,
    "docx": docx.read,
    "html": html.read,
    "edoc_xml": edoc_xml.read,
    "publication_xml": publication_xml.read,
    "acadre_xml": acadre_xml.read,
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
        if re.search(rb"<!doctype html|<html|<body|<div|<h1|<p[ >]", lowered):
            return "html"
        if b"<meeting" in lowered and (b"<committee" in lowered or b"meetingagenda" in lowered):
            return "edoc_xml"
        if b"<publication" in lowered:
            return "publication_xml"
        if b"<root" in lowered and b"<table name=" in lowered:
            return "acadre_xml"
        if suffix in {".html", ".htm", ".xhtml"}:
            return "html"
        raise UnsupportedFormatError(filename, "XML af en ukendt type")
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in _TEXT_SUFFIXES or _looks_like_text(data):
        return "text"
    raise UnsupportedFormatError(filename, f"ukendt filtype '{suffix}'")


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
