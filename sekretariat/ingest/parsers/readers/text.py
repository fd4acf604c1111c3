"""Plain text and Markdown."""

from __future__ import annotations

from ..errors import CorruptFileError, EmptyFileError
from ..model import ParsedDocument
from ..ocr_repair import repair_if_damaged
from ..structure import parse_text


def decode(data: bytes, filename: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise CorruptFileError(filename, "ugyldig UTF-16-tekst") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(data: bytes, filename: str) -> ParsedDocument:
    text = decode(data, filename)
    if not text.strip():
        raise EmptyFileError(filename)
    if "\x00" in text:
        raise CorruptFileError(filename, "binære data i en tekstfil")
    text, notes = repair_if_damaged(text)
    doc = parse_text(text, filename)
    for message in notes:
        doc.warn(message)
    return doc
