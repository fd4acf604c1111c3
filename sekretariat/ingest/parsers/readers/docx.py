"""Word documents (python-docx): paragraphs and tables in document order, headings kept.

python-docx reads a part's XML lazily and checks an attribute's value only when it is asked for,
so a damaged file (a styles part that is not a list of styles, a paragraph style without a name,
a cell span that is no number) fails in the middle of the document. Each such question is asked
under a guard: what cannot be read through python-docx is read from the raw XML instead (the
text of a paragraph or a cell, the style's id for its name), the rest of the document is still
read, and the result carries one warning that says what was damaged.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib

from lxml import etree

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
_WML = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _PARAGRAPH, _TABLE = f"{_WML}body", f"{_WML}p", f"{_WML}tbl"
_MISSING_PART = re.compile(r"no item named '([^']{1,120})'")


@functools.cache
def _damaged() -> tuple[type[Exception], ...]:
    """What python-docx raises when an element or attribute of a damaged part is not what it
    expects (looked up when first needed: importing python-docx costs 0.2 s)."""
    from docx.exceptions import InvalidXmlError as InvalidValueError
    from docx.oxml.exceptions import InvalidXmlError

    return (
        AttributeError,
        IndexError,
        KeyError,
        TypeError,
        ValueError,
        InvalidXmlError,
        InvalidValueError,
    )


class _Reading:
    """One document's blocks as lines; remembers which kinds of content were damaged."""

    def __init__(self, document) -> None:
        self.document = document
        self.damaged: set[str] = set()

    def paragraph_line(self, paragraph) -> str:
        text = self._text(paragraph).replace("\u00a0", " ").strip()
        if not text:
            return ""
        style = self._style_name(paragraph)
        match = _HEADING_STYLE.search(style)
        if match:
            return f"{'#' * max(1, min(6, int(match[1])))} {text}"
        if style.casefold() == "title":
            return f"# {text}"
        if self._all_bold(paragraph) and len(text) < 150:
            return f"**{text}**"
        if (
            "list" in style.casefold()
            or paragraph._p.pPr is not None
            and paragraph._p.pPr.numPr is not None
        ):
            return f"- {text}"
        return text

    def table_lines(self, table, depth: int = 0) -> list[str]:
        lines = []
        roots_above: dict = {}
        for tr in table._tbl.tr_lst:
            above, roots_above = roots_above, {}
            try:
                row_cells, roots_above = _row_cells(tr, above)
                if depth < MAX_TABLE_DEPTH and any(
                    _laid_out(tc) for tc in row_cells if tc is not None
                ):
                    lines += self._layout_row(table, row_cells, depth)
                    continue
                values = _row_values(table, row_cells)
            except _damaged():
                self.damaged.add("tabeller")
                values = [" ".join(_raw_text(tc).split()) for tc in tr.xpath("./w:tc")]
            cells: list[str] = []
            for value in values:
                if not cells or cells[-1] != value:  # merged cells repeat
                    cells.append(value)
            lines.append("\t".join(cells).strip())
        lines.append("")
        return lines

    def _layout_row(self, table, cells: list, depth: int) -> list[str]:
        """A row used for layout (a cell holds lines or a table of its own: a meeting header in
        two columns, members in a table per column): each cell's lines, column after column."""
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph

        lines: list[str] = []
        seen: set = set()
        for tc in cells:
            if tc is None or id(tc) in seen:
                continue
            seen.add(id(tc))
            cell = _Cell(tc, table)
            for block in tc.iterchildren():
                if block.tag == _PARAGRAPH:
                    text = self._text(Paragraph(block, cell)).replace("\u00a0", " ")
                    lines += [part.strip() for part in text.split("\n")]
                elif block.tag == _TABLE:
                    lines += self.table_lines(Table(block, cell), depth + 1)
        # one list, whatever the columns and empty paragraphs between them; a blank line after
        return [line for line in lines if line] + [""]

    def _text(self, paragraph) -> str:
        try:
            return paragraph.text
        except _damaged():
            self.damaged.add("tekst")
            return _raw_text(paragraph._p)

    def _style_name(self, paragraph) -> str:
        try:
            style = paragraph.style
            return (style.name if style is not None else "") or ""
        except _damaged():
            self.damaged.add("typografier")
            # the style's id ('Heading2', 'Overskrift1') usually says what its name would
            return paragraph._p.xpath("string(w:pPr/w:pStyle/@w:val)")

    def _all_bold(self, paragraph) -> bool:
        try:
            runs = [r for r in paragraph.runs if r.text.strip()]
            return bool(runs) and all(r.bold for r in runs)
        except _damaged():
            self.damaged.add("formatering")
            return False

    def warning(self) -> str | None:
        if not self.damaged:
            return None
        what = ", ".join(sorted(self.damaged))
        return (
            f"Word-filen er delvist beskadiget (fejl i {what}); teksten er læst, men overskrifter, "
            "lister og tabeller kan være genkendt forkert."
        )


MAX_TABLE_DEPTH = 8  # tables inside tables read as layout; deeper ones as their cells' text


def _laid_out(tc) -> bool:
    """A cell with more than one line of text or a table inside it."""
    lines = 0
    for block in tc.iterchildren():
        if block.tag == _TABLE:
            return True
        if block.tag == _PARAGRAPH:
            text = "".join(block.xpath(".//w:t/text()"))
            breaks = len(block.xpath(".//w:br[not(@w:type) or @w:type='textWrapping'] | .//w:cr"))
            if text.strip():
                lines += 1 + min(breaks, 1)
            if lines > 1:
                return True
    return False


def _row_cells(tr, roots_above: dict) -> tuple[list, dict]:
    """The cells whose text python-docx's ``row.cells`` gives for a row (a cell that continues
    a vertical merge stands for the merge's first cell; None when there is none above), and the
    row's cells by grid offset for the next row. python-docx finds a merge's first cell by
    walking up from every continuing cell: quadratic, 38 s for a column merged over 2,000 rows
    (found by bench/fuzz_parsers.py); here each row looks one row up."""
    cells: list = []
    roots: dict = {}
    offset = furthest = tr.grid_before
    for tc in tr.tc_lst:
        root = roots_above.get(offset) if tc.vMerge == "continue" else tc
        cells.append(root)
        if offset not in roots and offset >= furthest:  # the cells tc_at_grid_offset finds
            roots[offset] = root
        furthest = max(furthest, offset)
        offset += tc.grid_span
    return cells, roots


def _row_values(table, cells: list) -> list[str]:
    """Each cell's text once per grid column it spans; ValueError, as python-docx raises, for
    a cell that continues a merge with no first cell above it."""
    from docx.table import _Cell

    values = []
    for root in cells:
        if root is None:
            raise ValueError("a cell continues a vertical merge that has no first cell")
        values += [" ".join(_Cell(root, table).text.split())] * root.grid_span
    return values


def _raw_text(element) -> str:
    """The text of a paragraph or cell straight from its XML, one line per paragraph."""
    paragraphs = element.xpath(".//w:p") or [element]
    return "\n".join("".join(p.xpath(".//w:t/text()")) for p in paragraphs)


def check_archive(data: bytes, filename: str) -> None:
    """Refuse an archive with too many parts or too much to unpack (by its own directory; a
    part that holds more than it declares fails its check when read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as err:
        raise CorruptFileError(filename, "Word-filen kan ikke åbnes") from err
    except NotImplementedError as err:  # 'zip file version 12.8': a damaged directory entry
        raise CorruptFileError(
            filename, "Word-filens ZIP-arkiv angiver en version, som ikke kan læses"
        ) from err
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


def open_failure(err: Exception) -> str:
    """Why python-docx could not open the package, in words for the person who sent the file."""
    if isinstance(err, KeyError):
        missing = _MISSING_PART.search(str(err))
        if missing and missing[1] == "[Content_Types].xml":
            return "Word-filen mangler sin liste over indhold ([Content_Types].xml)"
        if missing:
            return f"Word-filen mangler delen '{missing[1]}', som den selv henviser til"
        if "relationship" in str(err):
            return "Word-filens indholdsfortegnelse (_rels/.rels) peger ikke på et dokument"
        return "Word-filen mangler en af sine dele"
    if isinstance(err, etree.XMLSyntaxError):
        return "en af Word-filens XML-dele er beskadiget"
    if isinstance(err, (zipfile.BadZipFile, zlib.error, EOFError)) or "seek" in str(err):
        return "Word-filens ZIP-arkiv er beskadiget"
    if isinstance(err, AttributeError) and "Relationship" in str(err):
        return "en af Word-filens henvisningslister (.rels) er beskadiget"
    if isinstance(err, AttributeError) and ("overrides" in str(err) or "defaults" in str(err)):
        return "Word-filens liste over indhold ([Content_Types].xml) er beskadiget"
    if isinstance(err, ValueError) and "not a Word file" in str(err):
        return "filen er et ZIP-arkiv, men hoveddelen er ikke et Word-dokument"
    if isinstance(err, NotImplementedError):
        return "Word-filens ZIP-arkiv bruger en version eller komprimering, som ikke kan læses"
    return "Word-filens opbygning er ugyldig"


def docx_text(data: bytes, filename: str) -> str:
    """The document as Markdown-like text."""
    return read_docx(data, filename)[0]


def read_docx(data: bytes, filename: str) -> tuple[str, list[str]]:
    """The document as Markdown-like text, and the warnings for what was damaged."""
    import docx  # python-docx; imported here so the other readers do not pay for it

    if data.startswith(_OLE_MAGIC):
        raise EncryptedFileError(filename)
    check_archive(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises its own, zipfile's and lxml's errors
        raise CorruptFileError(filename, open_failure(err)) from err
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.find(_BODY)
    if body is None:
        raise CorruptFileError(
            filename, "Word-filens hoveddel, word/document.xml, har ingen brødtekst"
        )
    reading = _Reading(document)
    lines: list[str] = []
    for block in body.iterchildren():
        # Word's own namespace only: a 'p' of another (a damaged xmlns) is no paragraph to
        # python-docx, and its text came back as None
        if block.tag == _PARAGRAPH:
            lines.append(reading.paragraph_line(Paragraph(block, document)))
        elif block.tag == _TABLE:
            lines += reading.table_lines(Table(block, document))
    warning = reading.warning()
    return "\n".join(lines), [warning] if warning else []


def read(data: bytes, filename: str) -> ParsedDocument:
    text, warnings = read_docx(data, filename)
    if not text.strip():
        raise NotMeetingDocumentError(filename, "Word-dokumentet har ingen tekst")
    text, notes = repair_if_damaged(text)
    doc = parse_text(text, filename, wrapped=False)
    for message in warnings + notes:
        doc.warn(message)
    return doc
