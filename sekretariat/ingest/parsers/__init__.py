"""Indlæsning: the pure parser package (bytes in, dataclasses out; no Django, no other app).

    >>> doc = parse_bytes("1. Eventuelt\\n\\nReferat:\\nIntet nyt.".encode(), "mini.txt")
    >>> doc.items[0].title, doc.document_type
    ('Eventuelt', 'minutes')

``parse_bytes`` picks a reader by sniffing the bytes (``detect``); every reader that ends in running
text shares ``structure``. Errors are ``ParseError`` subclasses with a one-line Danish message.
"""

from __future__ import annotations

from pathlib import Path

from .detect import READERS, sniff
from .errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    NotMeetingDocumentError,
    ParseError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .model import ParsedDocument, ParsedItem, ParsedMeeting, PersonRef, Sections
from .titles import mark_closed_items

MAX_BYTES = 100 * 1024 * 1024

# What each reader reads, as the last-resort message names it ("filen ligner en PDF-fil, ...").
KIND_NAMES = {
    "text": "en tekstfil",
    "pdf": "en PDF-fil",
    "docx": "et Word-dokument",
    "html": "en HTML-side",
    "edoc_xml": "en eDoc-eksport (XML)",
    "publication_xml": "en SBSYS-eksport (Publication-XML)",
    "acadre_xml": "en Acadre-eksport (XML)",
    "generic_xml": "en XML-fil",
    "agenda_json": "en eksport fra en dagsordens-API (JSON)",
}

__all__ = [
    "CorruptFileError",
    "EmptyFileError",
    "EncryptedFileError",
    "FileTooLargeError",
    "MAX_BYTES",
    "NotMeetingDocumentError",
    "ParseError",
    "ParsedDocument",
    "ParsedItem",
    "ParsedMeeting",
    "PersonRef",
    "Sections",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "parse_bytes",
    "parse_path",
]


def parse_bytes(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> ParsedDocument:
    """Parse one file's bytes; ``filename`` is reported as the source and helps pick the reader."""
    name = Path(filename).name or filename
    if len(data) > max_bytes:
        raise FileTooLargeError(name, len(data), max_bytes)
    if not data.strip():
        raise EmptyFileError(name)
    kind = sniff(data, name)
    try:
        doc = READERS[kind](data, name)
    except ParseError:
        raise
    except (RecursionError, MemoryError) as err:
        raise CorruptFileError(name, "filen er for kompleks til at blive læst") from err
    except Exception as err:  # a reader bug must not take the whole run down
        raise UnreadableFileError(name, KIND_NAMES.get(kind, "en fil af en kendt type")) from err
    doc.source = name
    # Every reader's items: a closed marker in a title, however written, closes the item.
    mark_closed_items(doc)
    return doc


def parse_path(path: str | Path, max_bytes: int = MAX_BYTES) -> ParsedDocument:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ParseError(f"{path.name}: filen kan ikke åbnes ({err.strerror}).") from err
    if size > max_bytes:
        raise FileTooLargeError(path.name, size, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ParseError(f"{path.name}: filen kan ikke læses ({err.strerror}).") from err
    return parse_bytes(data, path.name, max_bytes=max_bytes)
