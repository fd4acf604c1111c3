"""Word documents (python-docx): paragraphs and tables in document order, headings kept."""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import CorruptFileError, EncryptedFileError, NotMeetingDocumentError
from ..model import ParsedDocument
from ..ocr_repair import repair_if_damaged
from ..structure import parse_text

# A Word file is a zip archive: its declared contents are checked before anything is unpacked,
# so a small file that unpacks to gigabytes (a decompression bomb) is refused at once.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 5_000

_HEADING_STYLE = re.compile(r"(?:heading|overskrift)\s*(\d)", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _paragraph_line(paragraph) -> str:
    text = paragraph.text.replace("\u00a0", " ").strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    match = _HEADING_STYLE.search(style)
    if match:
        return f"{'#' * max(1, min(6, int(match[1])))} {text}"
    if style.casefold() == "title":
        return f"# {text}"
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and len(text) < 150:
        return f"**{text}**"
    if (
        "list" in style.casefold()
        or paragraph._p.pPr is not None
        and paragraph._p.pPr.numPr is not None
    ):
        return f"- {text}"
    return text


def check_archive(data: bytes, filename: str) -> None:
    """Refuse an archive with too many parts or too much to unpack (by its own directory; a
    part that holds more than it declares fails its check when read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise CorruptFileError(filename, "Word-filen kan ikke åbnes") from err
    if len(parts) > MAX_PARTS:
        raise CorruptFileError(
            filename, f"Word-filen har over {MAX_PARTS:,} dele".replace(",", ".")
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise CorruptFileError(
            filename,
            f"Word-filen pakker ud til {unpacked // (1024 * 1024):,} MB; grænsen er "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB".replace(",", "."),
        )


def docx_text(data: bytes, filename: str) -> str:
    import docx  # python-docx; imported here so the other readers do not pay for it

    if data.startswith(_OLE_MAGIC):
        raise EncryptedFileError(filename)
    check_archive(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise CorruptFileError(filename, "Word-filen kan ikke åbnes") from err
    except Exception as err:  # python-docx raises its own and lxml's errors on broken parts
        raise CorruptFileError(
            filename, f"Word-filen kan ikke åbnes ({type(err).__name__})"
        ) from err
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_paragraph_line(Paragraph(block, document)))
        elif tag == "tbl":
            table = Table(block, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or cells[-1] != value:  # merged cells repeat
                        cells.append(value)
                lines.append("\t".join(cells).strip())
            lines.append("")
    return "\n".join(lines)


def read(data: bytes, filename: str) -> ParsedDocument:
    text = docx_text(data, filename)
    if not text.strip():
        raise NotMeetingDocumentError(filename, "Word-dokumentet har ingen tekst")
    text, notes = repair_if_damaged(text)
    doc = parse_text(text, filename)
    for message in notes:
        doc.warn(message)
    return doc
