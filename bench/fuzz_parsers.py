"""Fuzz the importer's parsers: mutated real documents through ``parse_bytes``, each input in a
worker process with a wall-time and a memory limit.

Usage:
    .venv/bin/python bench/fuzz_parsers.py --inputs 100000 --workers 1 --seed 1
    .venv/bin/python bench/fuzz_parsers.py --seed 1 --index 4711      # rebuild and parse one input
    .venv/bin/python bench/fuzz_parsers.py --replay var/fuzz/seed1/findings/escaped/x.pdf

The seeds are our own test fixtures (every ``fixtures`` folder under ``sekretariat/ingest``), a
PDF and a DOCX built here, and, when they exist, ``../shared/seeds`` and ``../shared/real``
(``--no-shared`` leaves them out). Input number I of seed S is built from a random generator
seeded with ``S:I`` alone, so any input is rebuilt exactly by ``--seed S --index I``: a format,
a seed file of it, and one to three mutations, byte-level (bit flips, insertions, deletions,
truncation, duplicated chunks, splices) or structure-aware (a DOCX part's XML changed inside a
valid zip, parts dropped or doubled; PDF objects, numbers, references, streams and the xref
table; tags, nesting, entities and huge attributes of XML and HTML; types and nesting of JSON;
long lines, huge words, odd Unicode, control characters and deep numbering in text).

Reading the output: every input ends in one outcome. ``ok`` (parsed) and ``clean`` (a
``ParseError`` with a one-line Danish message) are good. Findings are ``unexpected`` (the last-
resort catch-all of ``parse_bytes``: a reader failed in a way nobody wrote a message for),
``escaped`` (an exception other than ``ParseError`` left ``parse_bytes``), ``bad_message`` (a
``ParseError`` whose message is not one line starting with the file name), ``bad_output`` (the
parsed document cannot be turned into JSON, or a field breaks the `sekretariat.parse/1` types),
``timeout`` (over ``--timeout`` seconds; the worker's stack a second before is in the note),
``memory`` (the ``--memory-mb`` address-space limit was hit) and ``crash`` (the worker died: a
fault in PDFium or lxml). Exit status 1 when there is any finding. Each finding's
input is saved under ``--out`` (default ``var/fuzz/seedS/findings/<outcome>/``) with a JSON note
holding the traceback and the command that reproduces it; at most ``--keep`` inputs per distinct
cause. The closing figures: inputs, counts per outcome, inputs/s, parse time percentiles, the
workers' largest resident set, the most frequent clean messages and the distinct findings.
PDF pages without text would go to OCR: ``--ocr off`` (default) acts as if tesseract were
missing, ``--ocr fake`` renders the pages but hands them to ``true`` instead of tesseract.
A run of 100,000 inputs takes 1-1.5 hours on one core; findings and ``summary.json`` (written
every ``--progress`` inputs, so a stopped run still has its figures) stay under ``var/``, which
is not committed. ``sekretariat/ingest/tests/test_fuzz_harness.py`` runs fifty inputs in-process.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import faulthandler
import functools
import hashlib
import heapq
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

GOOD = ("ok", "clean")
FINDINGS = ("unexpected", "escaped", "bad_message", "bad_output", "timeout", "memory", "crash")
MAX_INPUT_BYTES = 1024 * 1024  # a mutated input is cut here (the parse limit is 100 MB)
LARGE_SEED_BYTES = 200 * 1024  # a seed this large is picked a quarter as often as the others
SMALL_SEED_BYTES = 48 * 1024  # a larger text, HTML, XML or JSON seed also comes cut down
FORMATS = ("pdf", "docx", "xml", "html", "json", "text")


# ---------------------------------------------------------------------------------------------
# Seeds


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    fmt: str


def format_of(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix == ".json" or head.startswith((b"{", b"[")):
        return "json"
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix == ".xml" or head.startswith(b"<"):
        return "xml"
    return "text"


def synthetic_pdf() -> bytes:
    """Two pages with a text layer (Helvetica), an outline of an agenda; written by hand."""
    pages = [
        ["Dagsorden", "Fuzzudvalget 7f3a", "Mandag den 3. marts 2025 kl. 9.00-11.00", "",
         "1. Godkendelse af dagsorden", "Indstilling:", "Det indstilles, at dagsordenen godkendes.",
         "Beslutning:", "Godkendt."],
        ["2. Budget for fuzz 2026", "Sagsnr.: 00.01.00-A00-7-25", "Sagsfremstilling:",
         "Forvaltningen har lavet et budget med tre rammer.", "Bilag:", "1. Budgetoversigt",
         "3. Eventuelt"],
    ]  # fmt: skip
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>"]  # fmt: skip
    kids = []
    for lines in pages:
        body = b"BT /F1 11 Tf 56 780 Td 15 TL " + b" ".join(
            b"(" + line.encode("cp1252") + b") '" for line in lines
        )
        stream = zlib.compress(body + b" ET")
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + stream + b"\nendstream"
        )  # fmt: skip
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        kids.append(f"{len(objects)} 0 R")
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    from sekretariat.ingest.parsers.tests.pdf_objects import pdf_from_objects

    return pdf_from_objects(objects)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def synthetic_docx() -> bytes:
    """A Word file written part by part: styles, numbering, a heading, bold runs, a merged table."""

    def para(text: str, style: str = "", bold: bool = False, num: bool = False) -> str:
        ppr = ""
        if style or num:
            ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
            ppr += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if num else ""
            ppr += "</w:pPr>"
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    def cell(text: str, extra: str = "") -> str:
        return f"<w:tc><w:tcPr>{extra}</w:tcPr>{para(text)}</w:tc>"

    restart, merged, span = '<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:gridSpan w:val="2"/>'
    table = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{cell('Ramme', restart)}{cell('Beløb 7f3a', span)}</w:tr>"
        f"<w:tr>{cell('', merged)}{cell('1.000 kr.')}{cell('2.000 kr.')}</w:tr></w:tbl>"
    )
    body = "".join(
        [
            para("Referat", "Title"),
            para("Fuzzudvalget 7f3a", bold=True),
            para("Tirsdag den 4. februar 2025 kl. 10.00"),
            para("1. Godkendelse af referat", "Heading2"),
            para("Beslutning:", bold=True),
            para("Godkendt uden bemærkninger."),
            para("2. Budget for fuzz 2026", "Heading2"),
            para("Indstilling", "Heading3"),
            para("at rammerne godkendes", num=True),
            table,
            para("Bilag: Budgetoversigt"),
        ]
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override '
            'PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'numbering+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target='
            '"styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}'
            '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
        ),
        "word/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:styles {_W}>'
            + "".join(
                f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
                for sid, name in [
                    ("Normal", "Normal"),
                    ("Title", "Title"),
                    ("Heading2", "heading 2"),
                    ("Heading3", "heading 3"),
                    ("ListParagraph", "List Paragraph"),
                ]
            )
            + "</w:styles>"
        ),
        "word/numbering.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {_W}><w:abstractNum '
            'w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>'
            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
            "</w:numbering>"
        ),
    }
    return zip_parts(
        [(name, text.encode("utf-8"), zipfile.ZIP_DEFLATED) for name, text in parts.items()]
    )


def zip_parts(parts: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of (name, content, compression) with fixed dates, so the bytes depend on nothing
    else; a name may come twice."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'Duplicate name' is what a doubled part is for
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content, compression in parts:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = compression
                archive.writestr(info, content)
    return buffer.getvalue()


def fixture_dirs() -> list[Path]:
    base = ROOT / "sekretariat" / "ingest"
    return sorted(p for p in base.rglob("fixtures") if p.is_dir())


def load_seeds(include_shared: bool = True) -> list[Seed]:
    """Every seed file, in a fixed order (the order decides which seed an input starts from)."""
    paths: list[Path] = []
    for folder in fixture_dirs():
        paths += sorted(p for p in folder.rglob("*") if p.is_file())
    if include_shared:
        for folder in (SHARED / "seeds", SHARED / "real"):
            if folder.is_dir():
                paths += sorted(
                    p
                    for p in folder.rglob("*")
                    if p.is_file() and "truth" not in p.relative_to(folder).parts[0]
                )
    seeds = [Seed("fuzz_dagsorden.pdf", synthetic_pdf(), "pdf")]
    seeds.append(Seed("fuzz_referat.docx", synthetic_docx(), "docx"))
    for path in paths:
        data = path.read_bytes()
        if data.strip():
            seeds.append(Seed(path.name, data, format_of(path.name, data)))
            small = shrink(seeds[-1])
            if small is not None:
                seeds.append(small)
    return seeds


ITEM_ELEMENTS = [
    r"<tr\b[^>]*punktrow",  # FirstAgenda pages
    r"<MeetingAgendaItem[\s>]",  # eDoc
    r"<Item[\s>]",  # SBSYS Publication
    r"<table name=\"agendaitemparents\"",  # Acadre
    r"<(?:h2|h3|section|article)[\s>]",  # other pages
]


def shrink(seed: Seed) -> Seed | None:
    """A large seed cut down to its first few items, its structure kept (parsing a 500 kB
    seed costs 100 ms; most mutations are as good on a small one)."""
    if len(seed.data) <= SMALL_SEED_BYTES or seed.fmt in ("pdf", "docx"):
        return None
    name = f"{Path(seed.name).stem}_lille{Path(seed.name).suffix}"
    if seed.fmt == "json":
        try:
            value = json.loads(seed.data)
        except ValueError:
            return None
        for key, items in value.items() if isinstance(value, dict) else []:
            if isinstance(items, list) and len(items) > 4:
                value[key] = items[:4]
        return Seed(name, json.dumps(value, ensure_ascii=False, indent=1).encode(), "json")
    text = seed.data.decode("utf-8", errors="surrogateescape")
    if seed.fmt == "text":
        cut = text.rfind("\n", 0, SMALL_SEED_BYTES // 2)
        return Seed(name, _encode(text[: max(cut, 1000)]), "text")
    # markup: keep the first four items and the last (the readers' item elements)
    for pattern in ITEM_ELEMENTS:
        starts = [m.start() for m in re.finditer(pattern, text)]
        if len(starts) >= 6:
            best = (starts[4], starts[-1])
            break
    else:
        return None
    return Seed(name, _encode(text[: best[0]] + text[best[1] :]), seed.fmt)


# ---------------------------------------------------------------------------------------------
# Payloads: the odd things a mutation puts in


ODD_CHARS = [
    "\u200b", "\u200e", "\u200f", "\u202e", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u0301",
    "\u00a0", "\u00ad", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\x1b", "\x7f", "\x00",
    "\r", "\t", "²", "³", "¹", "①", "½", "١٢", "１２", "𝟙", "ß", "İ", "ﬁ", "Å", "Å", "😀",
    "\U0010ffff", "\udcff",
]  # fmt: skip
DATES = [
    "31. februar 2025", "den 99. december 99999", "kl. 25.61-99.99", "1. januar 0000",
    "2025-13-45", "00.00.0000", "29-02-2023", "9999-99-99T99:99:99", "kl. 9-", "fra kl. til",
    "Mandag den 3. marts 2025 kl. 9.00 – 8.00",
]  # fmt: skip
LABELS = [
    "Beslutning:", "Indstilling:", "Sagsfremstilling:", "Bilag:", "Resumé:", "Lukket punkt:",
    "Fraværende:", "Deltagere:", "Sagsnr.:", "Tidsramme: 999999999999999999999 min",
    "Sagsbehandler:", "Beslutning i Fuzzudvalget den 31. februar 2025:", "Lukket",
]  # fmt: skip


REPEATED = ["[", "![", "[a](", "**a ", "__a ", "*a", "<b", "<u ", "**a** *", "\\", "#", "1. ",
            "( ", " \t", "a:", "kl. 1", "1.1", "- ", "v. ", "Bilag "]  # fmt: skip


def _size(rng: random.Random) -> int:
    return rng.choice([10, 100, 1_000, 10_000, 10_000, 50_000, 100_000, 300_000])


def odd_text(rng: random.Random) -> str:
    """A piece of text meant to upset a line-based reader."""
    kind = rng.randrange(10)
    if kind == 9:  # one short pattern many times: slow regular expressions show here
        unit = rng.choice(REPEATED)
        return unit * (_size(rng) // len(unit) + 1)
    if kind == 0:
        return "".join(rng.choice(ODD_CHARS) for _ in range(rng.randint(1, 40)))
    if kind == 1:  # a huge word
        return rng.choice("aæøZ1") * _size(rng)
    if kind == 2:  # a long line of words
        words = ["fuzz", "Beslutning", "1.", "kl.", "§", "#", "**", "Bilag", "Punkt"]
        return " ".join(rng.choice(words) for _ in range(_size(rng) // 5 + 1))
    if kind == 3:  # deep numbering
        depth = rng.choice([5, 50, 500, 5_000])
        return ".".join(["1"] * depth) + ". Fuzz"
    if kind == 4:  # many numbered lines
        count = rng.choice([10, 200, 2_000, 20_000])
        return "\n".join(f"{n}. Punkt {n}" for n in range(1, count + 1))
    if kind == 5:
        return rng.choice(DATES)
    if kind == 6:
        return "\n".join(rng.choice(LABELS) for _ in range(rng.randint(1, 300)))
    if kind == 7:  # a huge number as an item number
        return "9" * rng.choice([20, 400, 5_000]) + ". Titel"
    return rng.choice(["#" * 50 + " x", "* " * 5_000, "[" * 10_000, "\\" * 1_000, "<b>" * 3_000])


# ---------------------------------------------------------------------------------------------
# Byte-level mutations: (rng, data, seeds) -> (data, description)

INTERESTING = [
    b"\x00", b"\xff", b"\x7f", b"\x80", b"<", b">", b"(", b")", b"%", b"\n", b'"', b"{", b"}",
    b"[", b"]", b"/", b"\\", b"&", b"R", b"obj", b"endobj", b"stream", b"endstream", b"trailer",
    b"%%EOF", b"PK\x03\x04", b"%PDF-1.7", b"\xef\xbb\xbf", b"&#0;", b"\r", b"-1", b"0",
    b"99999999999999999999", b"NaN", b"1e309", b"<html>", b"</", b"<![CDATA[", b"-->",
]  # fmt: skip


def flip_bits(rng, data, seeds):
    out = bytearray(data)
    n = rng.choice([1, 2, 4, 16, 64])
    for _ in range(n):
        pos = rng.randrange(len(out))
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out), f"flip {n} bits"


def set_bytes(rng, data, seeds):
    out = bytearray(data)
    n = rng.choice([1, 3, 10])
    for _ in range(n):
        token = rng.choice(INTERESTING)
        pos = rng.randrange(len(out))
        out[pos : pos + len(token)] = token
    return bytes(out), f"overwrite {n} tokens"


def insert_bytes(rng, data, seeds):
    pos = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        chunk = rng.choice(INTERESTING) * rng.choice([1, 1, 10, 1_000])
    else:
        chunk = rng.randbytes(rng.randint(1, 64))
    return data[:pos] + chunk + data[pos:], f"insert {len(chunk)} bytes at {pos}"


def delete_range(rng, data, seeds):
    pos = rng.randrange(len(data))
    length = rng.randint(1, max(1, len(data) // rng.choice([4, 50, 1_000])))
    return data[:pos] + data[pos + length :], f"delete {length} bytes at {pos}"


def truncate(rng, data, seeds):
    pos = rng.randrange(1, len(data)) if len(data) > 1 else 1
    return data[:pos], f"truncate at {pos}"


def duplicate_chunk(rng, data, seeds):
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 4096)]
    times = rng.choice([1, 2, 10, 100])
    pos = rng.randrange(len(data) + 1)
    return data[:pos] + chunk * times + data[pos:], f"duplicate {len(chunk)} bytes x{times}"


def splice(rng, data, seeds):
    other = rng.choice(seeds).data
    cut, cut_other = rng.randrange(len(data) + 1), rng.randrange(len(other) + 1)
    return data[:cut] + other[cut_other:], f"splice at {cut} with another seed at {cut_other}"


BYTE_MUTATORS = [flip_bits, set_bytes, insert_bytes, delete_range, truncate, duplicate_chunk,
                 splice]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Text-level mutations (str in, str out), used for text files and inside markup and JSON


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


def _line_start(rng: random.Random, text: str) -> int:
    pos = rng.randrange(len(text) + 1)
    found = text.rfind("\n", 0, pos)
    return found + 1


def text_insert_odd(rng, text):
    pos = _line_start(rng, text) if rng.random() < 0.6 else rng.randrange(len(text) + 1)
    payload = odd_text(rng)
    sep = "\n" if rng.random() < 0.5 else ""
    return text[:pos] + payload + sep + text[pos:], f"insert odd text ({len(payload)} chars)"


def text_line_endings(rng, text):
    new = rng.choice(["\r", "\r\n", "\x85", "\u2028", "\x0c", "\n\n\n"])
    return text.replace("\n", new), f"line endings -> {new!r}"


def text_repeat_lines(rng, text):
    lines = text.split("\n")
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randint(1, 20)]
    times = min(rng.choice([2, 50, 1_000]), MAX_INPUT_BYTES // (len("\n".join(block)) + 1) + 1)
    lines[start:start] = block * times
    return "\n".join(lines), f"repeat {len(block)} lines x{times}"


def text_shuffle_lines(rng, text):
    lines = text.split("\n")
    start = rng.randrange(len(lines))
    part = lines[start : start + rng.randint(2, 200)]
    rng.shuffle(part)
    lines[start : start + len(part)] = part
    return "\n".join(lines), f"shuffle {len(part)} lines"


def text_indent(rng, text):
    indent = rng.choice(["\t", "    ", "\u3000", " " * 1_000, "> ", "#" * 7 + " "])
    lines = text.split("\n")
    for _ in range(rng.randint(1, 50)):
        k = rng.randrange(len(lines))
        lines[k] = indent + lines[k]
    return "\n".join(lines), f"indent lines with {indent[:8]!r}"


def text_swap_digits(rng, text):
    """Digits that are digits to str.isdigit but not to int(), or not ASCII."""
    table = rng.choice([str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),
                        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
                        str.maketrans("0123456789", "０１２３４５６７８９")])  # fmt: skip
    start = rng.randrange(len(text) + 1)
    end = start + rng.randint(1, 2_000)
    return text[:start] + text[start:end].translate(table) + text[end:], "odd digits"


TEXT_MUTATORS = [text_insert_odd, text_insert_odd, text_line_endings, text_repeat_lines,
                 text_shuffle_lines, text_indent, text_swap_digits]  # fmt: skip


def mutate_text(rng, data, seeds):
    text = _decode(data) or " "
    mutator = rng.choice(TEXT_MUTATORS)
    text, what = mutator(rng, text)
    if rng.random() < 0.08:
        encoding = rng.choice(["utf-16", "cp1252", "utf-16-le"])
        return text.encode(encoding, errors="replace"), f"text: {what}, as {encoding}"
    return _encode(text), f"text: {what}"


# ---------------------------------------------------------------------------------------------
# Markup (XML and HTML) mutations, on the text of the document

# bounded repeats: a mutated document may hold a megabyte without a '<' or a quote
_START_TAG = re.compile(r"<([A-Za-z_][\w:.\-]{0,64})(\s[^<>]{0,2000}?)?(/?)>")
_END_TAG = re.compile(r"</([A-Za-z_][\w:.\-]{0,64})\s*>")
_ATTR = re.compile(r"""(?<=\s)([\w:.\-]{1,64})\s*=\s*("[^"]{0,2000}"|'[^']{0,2000}')""")
WINDOW = 100_000  # markup is searched in a window this long, at a random place


def _window(rng: random.Random, text) -> tuple[int, int]:
    start = rng.randrange(max(1, len(text) - WINDOW + 1))
    return start, start + WINDOW


ATTR_VALUES = ["", "-1", "0", "99999999999999999999", "abc", "1.5", "true", "none", "\u202e",
               "x" * 100_000, "&#0;", "&amp;&lt;", "9" * 5_000, "restart", "continue"]  # fmt: skip
ENTITIES = ["&amp;", "&#0;", "&#x110000;", "&#99999999999;", "&undefined;", "&nbsp;", "&#x1F600;",
            "&#xD800;", "&lt;", "&#12;", "&#x85;", "&#x2028;"]  # fmt: skip
LAUGHS = (
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f SYSTEM "file:///etc/passwd">]>'
)


def _pick(rng: random.Random, matches: list):
    return rng.choice(matches) if matches else None


def _element_span(text: str, start_match: re.Match) -> tuple[int, int] | None:
    """Start and end of the element a start tag opens (the next end tag of the same name)."""
    if start_match[3]:
        return start_match.start(), start_match.end()
    end = text.find(f"</{start_match[1]}", start_match.end())
    if end < 0:
        return None
    close = text.find(">", end)
    return (start_match.start(), close + 1) if close > 0 else None


def markup_tags(rng, text):
    a, b = _window(rng, text)
    starts = list(_START_TAG.finditer(text, a, b))
    ends = list(_END_TAG.finditer(text, a, b))
    choice = rng.randrange(6)
    if choice == 0 and ends:
        m = _pick(rng, ends)
        return text[: m.start()] + text[m.end() :], f"drop end tag </{m[1]}>"
    if choice == 1 and starts:
        m = _pick(rng, starts)
        return text[: m.start()] + text[m.end() :], f"drop start tag <{m[1]}>"
    if choice == 2 and starts:
        m = _pick(rng, starts)
        names = [s[1] for s in starts] + ["script", "table", "tr", "w:p", "w:tbl", "html"]
        name = rng.choice(names)
        return text[: m.start()] + f"<{name}{m[2] or ''}{m[3]}>" + text[
            m.end() :
        ], f"rename <{m[1]}>"
    if starts:
        m = _pick(rng, starts)
        span = _element_span(text, m)
        if span:
            a, b = span
            if choice == 3:
                times = rng.choice([2, 10, 200, 2_000])
                if (b - a) * times > 3_000_000:
                    times = 2
                return text[:b] + text[a:b] * times + text[b:], f"duplicate <{m[1]}> x{times}"
            if choice == 4:
                return text[:a] + text[b:], f"delete element <{m[1]}>"
            depth = rng.choice([10, 100, 300, 3_000, 30_000])
            return (
                text[:a] + f"<{m[1]}>" * depth + text[a:b] + f"</{m[1]}>" * depth + text[b:],
                f"nest <{m[1]}> {depth} deep",
            )
    return text + "<" + "x>" * 10, "append stray tags"


def markup_attributes(rng, text):
    a, b = _window(rng, text)
    attrs = list(_ATTR.finditer(text, a, b))
    if attrs and rng.random() < 0.7:
        m = _pick(rng, attrs)
        value = rng.choice(ATTR_VALUES)
        quote = m[2][0]
        return (
            text[: m.start(2)] + quote + value.replace(quote, "") + quote + text[m.end(2) :],
            f"attribute {m[1]}={value[:20]!r}",
        )
    starts = list(_START_TAG.finditer(text, a, b))
    m = _pick(rng, starts)
    if m is None:
        return text, "no tag for an attribute"
    size = _size(rng)
    name = rng.choice(["class", "style", "x", "w:val", "xmlns:w", "charset", "href"])
    pos = m.start() + 1 + len(m[1])
    return text[:pos] + f' {name}="{"A" * size}"' + text[pos:], f"huge attribute {name} {size}"


def markup_entities(rng, text):
    if rng.random() < 0.2:
        pos = text.find("?>") + 2 if text.lstrip().startswith("<?xml") else 0
        return text[:pos] + LAUGHS + text[pos:], "entity declarations (laughs, external)"
    out = text
    for _ in range(rng.randint(1, 20)):
        a, b = _window(rng, out)
        gaps = [m.end() for m in re.finditer(">", out[a:b])] or [0]
        gaps = [a + g for g in gaps]
        pos = rng.choice(gaps)
        out = out[:pos] + rng.choice(ENTITIES) * rng.choice([1, 1, 100]) + out[pos:]
    return out, "entity references"


def markup_text(rng, text):
    a, b = _window(rng, text)
    gaps = [a + m.end() for m in re.finditer(">", text[a:b])] or [0]
    pos = rng.choice(gaps)
    payload = odd_text(rng)
    if rng.random() < 0.3:
        payload = rng.choice(["<![CDATA[", "<!--", "<?pi ", ""]) + payload
    return text[:pos] + payload + text[pos:], f"odd text in markup ({len(payload)} chars)"


def markup_declaration(rng, text):
    decl = rng.choice([
        '<?xml version="1.0" encoding="UTF-16"?>', '<?xml version="1.0" encoding="bogus"?>',
        '<?xml version="9.9"?>', '<meta charset="utf-16">', '<meta charset="x-nonsense">',
        '<meta charset="cp1252">', "\ufeff", '<?xml version="1.0" encoding="ISO-8859-1"?>',
    ])  # fmt: skip
    stripped = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    return decl + stripped, f"declaration {decl[:40]!r}"


MARKUP_MUTATORS = [markup_tags, markup_tags, markup_attributes, markup_entities, markup_text,
                   markup_declaration]  # fmt: skip


def mutate_markup(rng, data, seeds):
    text = _decode(data)
    text, what = rng.choice(MARKUP_MUTATORS)(rng, text)
    return _encode(text), f"markup: {what}"


HTML_ROW = (
    '<table><tr class="punktrow"><td><span class="label">{n}</span><h2 class="overskrift">{t}</h2>'
    '<span class="sagsnummer">{j}</span><div class="punkt"><h3>Beslutning</h3><p>{t}</p></div>'
    '<a class="bilag-link">{t}</a></td></tr></table>'
)


def mutate_html(rng, data, seeds):
    if rng.random() < 0.25:
        text = _decode(data)
        row = HTML_ROW.format(n=odd_text(rng)[:200], t=odd_text(rng), j=rng.choice(DATES))
        pos = _pick(rng, [m.end() for m in re.finditer("<body[^>]*>", text)]) or len(text) // 2
        return _encode(text[:pos] + row + text[pos:]), "html: FirstAgenda row with odd text"
    return mutate_markup(rng, data, seeds)


# ---------------------------------------------------------------------------------------------
# JSON mutations, on the parsed value

_DEEP = "\x00DEEP\x00"
JSON_KEYS = ["Dagsordenpunkter", "items", "Caption", "Number", "SagsNummer", "Felter", "Html",
             "Navn", "Bilag", "Moede", "Dato", "Sted", "Moededeltagere", "Udvalg", "Absent",
             "MeetingEndUtc", "Tekst", "name"]  # fmt: skip


def _odd_json_value(rng: random.Random):
    kind = rng.randrange(10)
    values = [None, True, 0, -1, 1e308, 2**70, "", [], {}]
    if kind < 4:
        return rng.choice(values)
    if kind == 4:
        return odd_text(rng)
    if kind == 5:
        return _DEEP
    if kind == 6:
        return {rng.choice(JSON_KEYS): _odd_json_value(rng)}
    if kind == 7:
        return [_odd_json_value(rng) for _ in range(rng.randint(1, 5))]
    if kind == 8:
        return "<p>" + "<b>" * rng.choice([1, 300, 3_000]) + odd_text(rng) + "</p>"
    return rng.choice(DATES)


def _json_nodes(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _json_nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _json_nodes(child, (*path, index))


def mutate_json(rng, data, seeds):
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return mutate_text(rng, data, seeds)
    nodes = list(_json_nodes(value))
    path, node = rng.choice(nodes)
    choice = rng.randrange(4)
    what = f"json: {'/'.join(map(str, path))[:60]}"
    if choice == 0 or not path:
        new = _odd_json_value(rng)
        if not path:
            value = new if rng.random() < 0.3 else value
        else:
            parent = value
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = new
        what += " replaced"
    elif choice == 1 and isinstance(node, list) and node:
        times = rng.choice([2, 50, 1_000])
        times = min(times, MAX_INPUT_BYTES // (len(json.dumps(node[:5])) + 1) + 1)
        node.extend(node[:5] * times)
        what += f" items x{times}"
    elif choice == 2 and isinstance(node, dict) and node:
        node.pop(rng.choice(list(node)))
        what += " key dropped"
    elif isinstance(node, dict):
        node[rng.choice(JSON_KEYS)] = _odd_json_value(rng)
        what += " key added"
    else:
        return mutate_text(rng, data, seeds)
    text = json.dumps(value, ensure_ascii=rng.random() < 0.5)
    if _DEEP in text or "\\u0000DEEP\\u0000" in text:
        depth = rng.choice([100, 1_000, 100_000])
        deep = "[" * depth + "1" + "]" * depth
        text = text.replace(json.dumps(_DEEP), deep).replace(
            json.dumps(_DEEP, ensure_ascii=False), deep
        )
        what += f" (nesting {depth})"
    return text.encode("utf-8", errors="surrogatepass"), what


# ---------------------------------------------------------------------------------------------
# DOCX (zip) mutations: the archive stays a valid zip, its parts change

KEY_PARTS = ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
             "word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml",
             "word/fontTable.xml", "docProps/core.xml", "word/theme/theme1.xml"]  # fmt: skip


def _read_zip(data: bytes) -> list[tuple[str, bytes, int]] | None:
    parts = _read_zip_cached(data)
    return list(parts) if parts is not None else None


@functools.lru_cache(maxsize=8)  # the seeds' archives, unpacked once
def _read_zip_cached(data: bytes) -> tuple[tuple[str, bytes, int], ...] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return tuple((i.filename, archive.read(i), i.compress_type) for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError,
            zlib.error, KeyError):  # fmt: skip
        return None


def mutate_docx(rng, data, seeds):
    parts = _read_zip(data)
    if not parts:
        return rng.choice(BYTE_MUTATORS)(rng, data, seeds)
    names = [p[0] for p in parts]
    key = [i for i, n in enumerate(names) if n in KEY_PARTS]
    xml = [i for i, n in enumerate(names) if n.endswith((".xml", ".rels"))]
    choice = rng.randrange(10)
    if choice < 5 and xml:  # change a part's XML
        if "word/document.xml" in names and rng.random() < 0.5:
            index = names.index("word/document.xml")
        else:
            index = rng.choice(xml)
        name, content, compression = parts[index]
        if rng.random() < 0.15:
            new, what = mutate_text(rng, content, seeds)
        else:
            new, what = mutate_markup(rng, content, seeds)
        parts[index] = (name, new, compression)
        desc = f"docx: {name}: {what}"
    elif choice == 5:  # drop a part
        index = rng.choice(key or range(len(parts)))
        desc = f"docx: drop {parts[index][0]}"
        del parts[index]
    elif choice == 6:  # a part twice, the second one changed or not
        index = rng.choice(key or range(len(parts)))
        name, content, compression = parts[index]
        second = content if rng.random() < 0.5 else mutate_markup(rng, content, seeds)[0]
        parts.insert(rng.randrange(len(parts) + 1), (name, second, compression))
        desc = f"docx: duplicate {name}"
    elif choice == 7:  # a part's content replaced
        index = rng.choice(key or range(len(parts)))
        name, _, compression = parts[index]
        junk = rng.choice([b"", b"<", rng.randbytes(64), b"<?xml version='1.0'?><x/>"])
        parts[index] = (name, junk, compression)
        desc = f"docx: {name} replaced by {len(junk)} bytes"
    elif choice == 8:  # a relationship pointing elsewhere
        rels = [i for i, n in enumerate(names) if n.endswith(".rels")]
        if not rels:
            return rng.choice(BYTE_MUTATORS)(rng, data, seeds)
        index = rng.choice(rels)
        name, content, compression = parts[index]
        target = rng.choice(["missing.xml", "/etc/passwd", "http://127.0.0.1/x", "../../x.xml",
                             "document.xml", "", "word/document.xml#frag"])  # fmt: skip
        new = re.sub(rb'Target="[^"]*"', f'Target="{target}"'.encode(), content,
                     count=rng.randint(1, 3))  # fmt: skip
        parts[index] = (name, new, compression)
        desc = f"docx: {name} target -> {target!r}"
    else:  # rename a part or change its compression
        index = rng.randrange(len(parts))
        name, content, compression = parts[index]
        if rng.random() < 0.5:
            new_name = rng.choice(
                KEY_PARTS + ["word/Document.xml", "word\\document.xml", name + "x"]
            )
            parts[index] = (new_name, content, compression)
            desc = f"docx: rename {name} -> {new_name}"
        else:
            other = (
                zipfile.ZIP_STORED if compression == zipfile.ZIP_DEFLATED else zipfile.ZIP_DEFLATED
            )
            parts[index] = (name, content, other)
            desc = f"docx: recompress {name}"
    return zip_parts(parts), desc


# ---------------------------------------------------------------------------------------------
# PDF mutations: objects, numbers, names, references, streams, the xref table

_PDF_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b.*?endobj", re.DOTALL)
_PDF_NUM = re.compile(rb"(?<![\w.#])-?\d+(?:\.\d+)?(?![\w.])")
_PDF_REF = re.compile(rb"(\d+)\s+(\d+)\s+R\b")
_PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_NAMES = [b"/Type", b"/Page", b"/Pages", b"/Kids", b"/Count", b"/Parent", b"/Contents",
             b"/Resources", b"/Font", b"/Length", b"/Filter", b"/FlateDecode", b"/Encoding",
             b"/ToUnicode", b"/Widths", b"/MediaBox", b"/Root", b"/Catalog", b"/XObject",
             b"/DescendantFonts", b"/Annots", b"/ObjStm", b"/Prev", b"/Size", b"/W"]  # fmt: skip
PDF_NUMBERS = [b"0", b"-1", b"1", b"2", b"2147483648", b"9223372036854775808", b"999999999",
               b"1e30", b"3.5", b"-0", b"65535", b"100000000"]  # fmt: skip
CONTENT_OPS = [b"BT", b"ET", b"Tj", b"TJ", b"'", b"Tf", b"Td", b"Tm", b"Tz", b"q", b"Q", b"cm",
               b"Do", b"BI", b"ID", b"EI", b"(\\", b"[", b"]", b"<", b">", b"/F9 1e30 Tf",
               b"1e30 0 0 1e30 0 0 Tm", b"(" + b"x" * 100_000 + b") Tj", b"q " * 5_000]  # fmt: skip


def _streams(data: bytes) -> list[tuple[int, int]]:
    out = []
    for m in _PDF_STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end > 0:
            out.append((m.end(), end))
    return out


def _pdf_stream(rng, data):
    streams = _streams(data)
    if not streams:
        return None
    a, b = rng.choice(streams)
    body = data[a:b].rstrip(b"\r\n")
    try:
        plain = zlib.decompress(body)
        packed = True
    except zlib.error:
        plain, packed = body, False
    how = rng.randrange(4)
    if how == 0 and plain:
        pos = rng.randrange(len(plain))
        plain = plain[:pos] + rng.choice(CONTENT_OPS) + b" " + plain[pos:]
    elif how == 1 and plain:
        plain = plain[: rng.randrange(len(plain))]
    elif how == 2:
        plain = rng.randbytes(rng.randint(0, 256))
    else:
        plain = plain * (rng.choice([2, 100]) if len(plain) < 20_000 else 2)
    new = zlib.compress(plain) if packed and rng.random() < 0.9 else plain
    desc = f"stream at {a}: {['op', 'truncate', 'garbage', 'repeat'][how]}"
    return data[:a] + new + b"\n" + data[b:], desc


def mutate_pdf(rng, data, seeds):
    choice = rng.randrange(10)
    a, b = _window(rng, data)
    head = data[:b]
    if choice in (0, 1):  # a number in the object syntax
        spans = _streams(head)
        nums = [m for m in _PDF_NUM.finditer(head, a) if not _inside_stream(m.start(), spans)]
        m = _pick(rng, nums)
        if m:
            new = rng.choice(PDF_NUMBERS)
            return data[: m.start()] + new + data[
                m.end() :
            ], f"pdf: number {m[0][:12]!r} -> {new!r}"
    elif choice == 2:  # a name
        names = [
            m
            for n in PDF_NAMES
            for m in re.compile(re.escape(n) + rb"(?![A-Za-z])").finditer(head, a)
        ]
        m = _pick(rng, names)
        if m:
            new = rng.choice(PDF_NAMES + [b"/Bogus", b"", b"/Page#00"])
            return data[: m.start()] + new + data[m.end() :], f"pdf: name {m[0]!r} -> {new!r}"
    elif choice == 3:  # a reference
        refs = list(_PDF_REF.finditer(head, a))
        m = _pick(rng, refs)
        if m:
            target = rng.choice(
                [b"0", b"999999", b"1", b"2", m[1], str(rng.randint(1, 40)).encode()]
            )
            new = target + b" 0 R"
            if rng.random() < 0.2:
                new = b"[" + new + b" " + new + b"]"
            return data[: m.start()] + new + data[m.end() :], f"pdf: ref {m[0]!r} -> {new!r}"
    elif choice == 4:  # an object dropped or doubled
        objects = list(_PDF_OBJ.finditer(head, a))
        m = _pick(rng, objects)
        if m:
            if rng.random() < 0.5:
                return data[: m.start()] + data[m.end() :], f"pdf: drop object {int(m[1])}"
            return data[: m.end()] + b"\n" + m[0] + data[
                m.end() :
            ], f"pdf: double object {int(m[1])}"
    elif choice in (5, 6):
        done = _pdf_stream(rng, data)
        if done:
            return done[0], f"pdf: {done[1]}"
    elif choice == 7:  # the xref table and trailer
        what = rng.randrange(4)
        if what == 0:
            pos = data.rfind(b"xref")
            if pos > 0:
                return data[:pos] + data[pos + 40 :], "pdf: xref table cut"
        elif what == 1:
            return re.sub(
                rb"startxref\s+\d+", b"startxref\n" + rng.choice(PDF_NUMBERS), data
            ), "pdf: startxref"
        elif what == 2:
            return re.sub(rb"\d{10} \d{5} n", lambda m: b"%010d 00000 n" % rng.randrange(len(data) + 1), data, count=rng.randint(1, 5)), "pdf: xref offsets"  # fmt: skip
        return data.replace(b"trailer", b"trailor", 1), "pdf: trailer renamed"
    elif choice == 8:  # deep nesting inside a dictionary
        pos = head.find(b"<<")
        if pos >= 0:
            depth = rng.choice([100, 1_000, 100_000])
            opener, closer = rng.choice([(b"[", b"]"), (b"<<", b">>"), (b"<< /A ", b">>")])
            nested = b" /Nest " + opener * depth + closer * depth
            return data[: pos + 2] + nested + data[pos + 2 :], f"pdf: nesting {depth}"
    else:  # the page tree: counts and kids
        m = re.search(rb"/Count\s+(\d+)", head)
        if m:
            new = rng.choice([b"0", b"2", b"100", b"-1", b"2147483647"])
            if rng.random() < 0.5:
                kids = re.search(rb"/Kids\s*\[[^\]]*\]", head)
                if kids:
                    cut = rng.choice(
                        [b"/Kids []", b"/Kids [1 0 R]", b"/Kids [2 0 R 2 0 R]", b"/Kids 5"]
                    )
                    return data[: kids.start()] + cut + data[kids.end() :], f"pdf: kids -> {cut!r}"
            return data[: m.start(1)] + new + data[m.end(1) :], f"pdf: /Count -> {new!r}"
    return rng.choice(BYTE_MUTATORS)(rng, data, seeds)


def _inside_stream(pos: int, spans: list[tuple[int, int]]) -> bool:
    at = bisect.bisect_right(spans, (pos, len(spans) and 1 << 62)) - 1
    return at >= 0 and spans[at][0] <= pos < spans[at][1]


STRUCTURE_MUTATORS = {
    "pdf": mutate_pdf,
    "docx": mutate_docx,
    "xml": mutate_markup,
    "html": mutate_html,
    "json": mutate_json,
    "text": mutate_text,
}
RENAMES = ["x.txt", "x.pdf", "x.docx", "x.json", "x.xml", "x.html", "x", "x.md", "x.doc"]


def make_input(seeds: list[Seed], seed: int, index: int) -> tuple[str, bytes, list[str]]:
    """Input number ``index`` of the run with ``seed``: (file name, bytes, what was done)."""
    rng = random.Random(f"{seed}:{index}")
    formats = [f for f in FORMATS if any(s.fmt == f for s in seeds)]
    fmt = rng.choice(formats)
    choices = [s for s in seeds if s.fmt == fmt]
    weights = [1 if len(s.data) < LARGE_SEED_BYTES else 0.25 for s in choices]
    base = rng.choices(choices, weights)[0]
    data, name = base.data, base.name
    done = [f"seed {base.name}"]
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        if not data:
            data = b" "
        if rng.random() < 0.65:
            data, what = STRUCTURE_MUTATORS[format_of(name, data)](rng, data, seeds)
        else:
            data, what = rng.choice(BYTE_MUTATORS)(rng, data, seeds)
        done.append(what)
        if len(data) > MAX_INPUT_BYTES:
            data = data[:MAX_INPUT_BYTES]
            done.append(f"cut to {MAX_INPUT_BYTES} bytes")
    if rng.random() < 0.05:
        name = rng.choice(RENAMES).replace("x", Path(name).stem, 1)
        done.append(f"renamed {name}")
    return name, data, done


# ---------------------------------------------------------------------------------------------
# Parsing one input and naming its outcome


@dataclass
class Outcome:
    kind: str
    detail: str = ""  # the error message, the exception
    signature: str = ""  # what makes two findings the same
    seconds: float = 0.0
    trace: str = ""
    maxrss_kb: int = 0
    extra: dict = field(default_factory=dict)


def _frames_signature(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "sekretariat" in f.filename and "bench" not in f.filename]
    where = []
    if ours:
        where.append(f"{Path(ours[-1].filename).name}:{ours[-1].name}:{ours[-1].lineno}")
    if frames and (not ours or frames[-1] is not ours[-1]):
        where.append(f"{Path(frames[-1].filename).name}:{frames[-1].name}")
    return f"{type(error).__name__} @ " + " > ".join(where)


def _message_pattern(message: str, name: str) -> str:
    pattern = message.replace(name, "<fil>", 1)
    return re.sub(r"\d+", "N", pattern)[:160]


_STRING_OR_NONE = (str, type(None))


def output_problem(out: dict) -> str | None:
    """What in a parsed document breaks the `sekretariat.parse/1` shape, or None."""
    meeting = out["meeting"]
    checks = [
        ("document_type", out["document_type"] in ("agenda", "minutes", "attachment", "other")),
        ("body", isinstance(out["body"], _STRING_OR_NONE)),
        ("organisation", isinstance(out["organisation"], _STRING_OR_NONE)),
        ("warnings", all(isinstance(w, str) and w for w in out["warnings"])),
    ]
    for key in ("date", "start_time", "end_time", "location"):
        checks.append((f"meeting.{key}", isinstance(meeting[key], _STRING_OR_NONE)))
    if meeting["date"] is not None:
        checks.append(("meeting.date", bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", meeting["date"]))))
    for key in ("start_time", "end_time"):
        if meeting[key] is not None:
            checks.append((f"meeting.{key}", bool(re.fullmatch(r"\d{2}:\d{2}", meeting[key]))))
    for key in ("participants", "absent", "guests"):
        checks.append((f"meeting.{key}", all(isinstance(p["name"], str) for p in meeting[key])))
    for n, item in enumerate(out["items"]):
        for key in ("number", "journal_number", "case_officer", "presenter", "kind"):
            checks.append((f"items[{n}].{key}", isinstance(item[key], _STRING_OR_NONE)))
        checks.append((f"items[{n}].title", isinstance(item["title"], str)))
        checks.append((f"items[{n}].closed", isinstance(item["closed"], bool)))
        minutes = item["timeframe_minutes"]
        checks.append((f"items[{n}].timeframe_minutes", minutes is None or type(minutes) is int))
        sections = item["sections"]
        for key in ("resume", "recommendation", "presentation", "decision"):
            checks.append(
                (f"items[{n}].sections.{key}", isinstance(sections[key], _STRING_OR_NONE))
            )
        checks.append((f"items[{n}].attachments",
                       all(isinstance(a, str) for a in sections["attachments"])))  # fmt: skip
    bad = [key for key, ok in checks if not ok]
    return f"not the parse format: {', '.join(bad[:5])}" if bad else None


def classify(data: bytes, name: str) -> Outcome:
    """Parse one input in this process and say how it went (never raises)."""
    from sekretariat.ingest.parsers import ParseError, parse_bytes

    start = time.perf_counter()
    try:
        doc = parse_bytes(data, name)
        try:
            out = doc.to_dict()
            json.dumps(out, ensure_ascii=False)
            problem = output_problem(out)
        except Exception as err:  # noqa: BLE001 - any failure here is the finding
            return Outcome("bad_output", repr(err)[:300], _frames_signature(err),
                           time.perf_counter() - start, traceback.format_exc())  # fmt: skip
        if problem:
            return Outcome("bad_output", problem, re.sub(r"\[\d+\]", "[]", problem),
                           time.perf_counter() - start)  # fmt: skip
        return Outcome("ok", f"{len(doc.items)} items", "", time.perf_counter() - start)
    except ParseError as err:
        seconds = time.perf_counter() - start
        message = str(err)
        cause = err.__cause__
        if isinstance(cause, MemoryError):
            return Outcome("memory", message, _frames_signature(cause), seconds,
                           "".join(traceback.format_exception(cause)))  # fmt: skip
        if getattr(err, "unexpected", False) or "uventet fejl" in message:
            origin = cause if cause is not None else err
            return Outcome("unexpected", message, _frames_signature(origin), seconds,
                           "".join(traceback.format_exception(origin)))  # fmt: skip
        basename = Path(name).name or name
        if "\n" in message or not message.startswith(basename):
            return Outcome("bad_message", message[:500], f"{type(err).__name__}: "
                           + _message_pattern(message, basename)[:80], seconds)  # fmt: skip
        return Outcome("clean", _message_pattern(message, basename), "", seconds)
    except MemoryError as err:
        return Outcome("memory", "MemoryError", _frames_signature(err),
                       time.perf_counter() - start, traceback.format_exc())  # fmt: skip
    except BaseException as err:  # noqa: BLE001 - an escaped exception is the finding
        if isinstance(err, KeyboardInterrupt):
            raise
        return Outcome("escaped", repr(err)[:300], _frames_signature(err),
                       time.perf_counter() - start, traceback.format_exc())  # fmt: skip


def set_ocr(mode: str) -> None:
    """'off': as if tesseract were missing; 'fake': render the pages, recognise nothing."""
    from sekretariat.ingest.parsers.readers import ocr

    if mode == "off":
        ocr.tesseract_command = lambda: None
    elif mode == "fake":
        fake = shutil.which("true")
        ocr.tesseract_command = lambda: fake


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def worker_main(conn, memory_mb: int, ocr_mode: str, timeout: float, dump_path: str) -> None:
    """Parse inputs from ``conn`` until it sends None; one Outcome back per input."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    set_ocr(ocr_mode)
    from sekretariat.ingest.parsers import ocr_repair

    ocr_repair.lexicon()  # the Danish word list, loaded once per process (2 s), not in a timing
    conn.send("ready")

    dump = open(dump_path, "w")  # noqa: SIM115 - open for the worker's life
    while True:
        message = conn.recv()
        if message is None:
            return
        name, data = message
        dump.seek(0)
        dump.truncate()
        faulthandler.dump_traceback_later(max(0.5, timeout - 1.0), file=dump)
        outcome = classify(data, name)
        faulthandler.cancel_dump_traceback_later()
        outcome.maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        outcome.extra["rss_kb"] = _rss_kb()
        conn.send(outcome)


# ---------------------------------------------------------------------------------------------
# The run: workers, limits, figures, findings


class Worker:
    def __init__(self, ctx, options, number: int) -> None:
        self.dump_path = str(
            Path(tempfile.gettempdir()) / f"fuzz_parsers_{os.getpid()}_{number}.txt"
        )
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_main,
            args=(child, options.memory_mb, options.ocr, options.timeout, self.dump_path),
            daemon=True,
        )
        self.process.start()
        child.close()
        if not self.conn.poll(120):  # imports and the word list; an input's time starts after
            raise RuntimeError("the fuzz worker did not start")
        self.conn.recv()
        self.job: tuple[int, str, bytes, list[str]] | None = None
        self.deadline = 0.0
        self.started = 0.0
        self.done = 0

    def give(self, job, timeout: float) -> None:
        self.job = job
        self.started = time.perf_counter()
        self.deadline = self.started + timeout
        self.conn.send((job[1], job[2]))

    def kill(self) -> int | None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(5)
        self.conn.close()
        return self.process.exitcode

    def stop(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.kill()
        with contextlib.suppress(OSError):
            os.unlink(self.dump_path)

    def last_traceback(self) -> str:
        with contextlib.suppress(OSError):
            return Path(self.dump_path).read_text(errors="replace")
        return ""


class Report:
    def __init__(self, options, seeds: list[Seed]) -> None:
        self.options = options
        self.out = Path(options.out)
        self.counts: Counter[str] = Counter()
        self.clean: Counter[str] = Counter()
        self.signatures: Counter[tuple[str, str]] = Counter()
        self.examples: dict[tuple[str, str], list[str]] = {}
        self.times: list[float] = []
        self.max_rss_kb = 0
        self.started = time.perf_counter()
        self.seeds = seeds
        self.slowest: list[tuple[float, int, str, list[str]]] = []  # a heap of the five slowest

    def add(self, job, outcome: Outcome) -> None:
        index, name, data, done = job
        self.counts[outcome.kind] += 1
        self.times.append(outcome.seconds)
        heapq.heappush(self.slowest, (outcome.seconds, index, name, done))
        if len(self.slowest) > 5:
            heapq.heappop(self.slowest)
        self.max_rss_kb = max(self.max_rss_kb, outcome.maxrss_kb)
        if outcome.kind == "clean":
            self.clean[outcome.detail] += 1
        if outcome.kind in FINDINGS:
            key = (outcome.kind, outcome.signature or outcome.detail[:80])
            self.signatures[key] += 1
            saved = self.examples.setdefault(key, [])
            if len(saved) < self.options.keep:
                saved.append(self.save(job, outcome))

    def save(self, job, outcome: Outcome) -> str:
        index, name, data, done = job
        digest = hashlib.sha1(data).hexdigest()[:10]
        folder = self.out / "findings" / outcome.kind
        folder.mkdir(parents=True, exist_ok=True)
        suffix = Path(name).suffix or ".bin"
        path = folder / f"{index:07d}-{digest}{suffix}"
        path.write_bytes(data)
        script = f".venv/bin/python {Path(__file__).relative_to(ROOT)}"
        note = {
            "outcome": outcome.kind,
            "signature": outcome.signature,
            "detail": outcome.detail,
            "file_name": name,
            "seed": self.options.seed,
            "index": index,
            "mutations": done,
            "seconds": round(outcome.seconds, 3),
            "reproduce": f"{script} --seed {self.options.seed} --index {index}"
            + ("" if self.options.shared else " --no-shared"),
            "replay": f"{script} --replay {path} --name {name}",
            "traceback": outcome.trace,
        }
        path.with_name(path.name + ".json").write_text(
            json.dumps(note, ensure_ascii=False, indent=1)
        )
        return str(path)

    def progress(self, n: int) -> str:
        elapsed = time.perf_counter() - self.started
        counts = " ".join(f"{k}={self.counts[k]}" for k in (*GOOD, *FINDINGS) if self.counts[k])
        return (f"[{n}/{self.options.inputs}] {n / elapsed:.1f}/s {counts} "
                f"maxrss={self.max_rss_kb // 1024}MB")  # fmt: skip

    def write(self, complete: bool) -> dict:
        summary = {"complete": complete, **self.summary()}
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
        return summary

    def summary(self) -> dict:
        elapsed = time.perf_counter() - self.started
        times = sorted(self.times)

        def pct(p: float) -> float:
            return (
                round(times[min(len(times) - 1, int(p * len(times)))] * 1000, 1) if times else 0.0
            )

        return {
            "seed": self.options.seed,
            "inputs": sum(self.counts.values()),
            "seed_files": len(self.seeds),
            "seed_formats": dict(Counter(s.fmt for s in self.seeds)),
            "outcomes": {k: self.counts[k] for k in (*GOOD, *FINDINGS)},
            "findings": sum(self.counts[k] for k in FINDINGS),
            "elapsed_s": round(elapsed, 1),
            "inputs_per_s": round(sum(self.counts.values()) / elapsed, 1) if elapsed else 0,
            "parse_ms": {
                "p50": pct(0.5),
                "p95": pct(0.95),
                "p99": pct(0.99),
                "max": round(times[-1] * 1000, 1) if times else 0.0,
            },  # fmt: skip
            "max_rss_mb": round(self.max_rss_kb / 1024, 1),
            "slowest": [
                {"index": i, "file_name": n, "ms": round(t * 1000), "mutations": d}
                for t, i, n, d in sorted(self.slowest, reverse=True)
            ],
            "limits": {"timeout_s": self.options.timeout, "memory_mb": self.options.memory_mb},
            "top_clean_messages": self.clean.most_common(15),
            "distinct_findings": [
                {"outcome": k[0], "signature": k[1], "count": n, "examples": self.examples[k]}
                for k, n in self.signatures.most_common()
            ],
        }


def run(options) -> dict:
    seeds = load_seeds(options.shared)
    if options.formats:
        wanted = set(options.formats.split(","))
        seeds = [s for s in seeds if s.fmt in wanted]
    report = Report(options, seeds)
    ctx = get_context("fork")
    workers = [Worker(ctx, options, n) for n in range(options.workers)]
    jobs = (
        (i, *make_input(seeds, options.seed, i))
        for i in range(options.start, options.start + options.inputs)
    )
    done = 0
    print(f"fuzz: seed {options.seed}, {options.inputs} inputs from {len(seeds)} seed files "
          f"({dict(Counter(s.fmt for s in seeds))}), {options.workers} worker(s), "
          f"{options.timeout} s and {options.memory_mb} MB per input, out: {report.out}", flush=True)  # fmt: skip
    for worker in workers:
        job = next(jobs, None)
        if job:
            worker.give(job, options.timeout)
    ahead = next(jobs, None)  # the next input is built while the workers parse
    while any(w.job for w in workers):
        busy = [w for w in workers if w.job]
        now = time.perf_counter()
        ready = wait([w.conn for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - now))
        for index, worker in enumerate(workers):
            if worker.job is None:
                continue
            outcome = None
            if worker.conn in ready:
                try:
                    outcome = worker.conn.recv()
                except (EOFError, OSError):
                    code = worker.kill()
                    kind = "memory" if code == -signal.SIGKILL else "crash"
                    outcome = Outcome(kind, f"worker died (exit code {code})", f"exit {code}",
                                      time.perf_counter() - worker.started)  # fmt: skip
                    workers[index] = Worker(ctx, options, index)
            elif time.perf_counter() > worker.deadline:
                trace = worker.last_traceback()
                worker.kill()
                ours = [ln for ln in trace.splitlines() if "sekretariat" in ln]
                outcome = Outcome("timeout", f"over {options.timeout} s",
                                  ours[0].strip() if ours else "timeout",
                                  time.perf_counter() - worker.started, trace)  # fmt: skip
                workers[index] = Worker(ctx, options, index)
            if outcome is None:
                continue
            report.add(worker.job, outcome)
            done += 1
            if done % options.progress == 0:
                print(report.progress(done), flush=True)
                report.write(complete=False)  # figures so far, for a run that is stopped early
            current = workers[index]
            current.job = None
            current.done += 1
            if current is worker and worker.done >= options.recycle:
                worker.stop()
                current = workers[index] = Worker(ctx, options, index)
            if ahead:
                current.give(ahead, options.timeout)
                ahead = next(jobs, None)
    for worker in workers:
        worker.stop()
    return report.write(complete=True)


def print_summary(summary: dict) -> None:
    print("\n== fuzz_parsers: figures ==")
    print(f"inputs: {summary['inputs']} from {summary['seed_files']} seed files "
          f"{summary['seed_formats']}, seed {summary['seed']}")  # fmt: skip
    for kind, count in summary["outcomes"].items():
        mark = "" if kind in GOOD else "  <- finding" if count else ""
        print(f"  {kind:12s} {count:8d}{mark}")
    print(f"rate: {summary['inputs_per_s']} inputs/s over {summary['elapsed_s']} s")
    t = summary["parse_ms"]
    print(f"parse time ms: p50 {t['p50']}  p95 {t['p95']}  p99 {t['p99']}  max {t['max']}")
    print(f"max RSS of a worker: {summary['max_rss_mb']} MB (limits: {summary['limits']})")
    print("slowest inputs:")
    for slow in summary["slowest"]:
        print(f"  {slow['ms']:7d} ms  #{slow['index']} {slow['file_name']}: "
              f"{'; '.join(slow['mutations'][1:])[:110]}")  # fmt: skip
    print("most frequent clean errors:")
    for message, count in summary["top_clean_messages"]:
        print(f"  {count:7d}  {message}")
    if summary["distinct_findings"]:
        print("distinct findings:")
        for finding in summary["distinct_findings"]:
            print(f"  {finding['count']:6d}  {finding['outcome']}: {finding['signature']}")
            for example in finding["examples"][:1]:
                print(f"          e.g. {example}")


def replay(options) -> int:
    """Parse one input in this process, with the same limits, and print what happened."""
    if options.replay:
        data = Path(options.replay).read_bytes()
        name = options.name or Path(options.replay).name
        done = [f"file {options.replay}"]
    else:
        name, data, done = make_input(load_seeds(options.shared), options.seed, options.index)
        if options.save:
            Path(options.save).write_bytes(data)
    resource.setrlimit(resource.RLIMIT_AS, (options.memory_mb << 20, options.memory_mb << 20))
    set_ocr(options.ocr)
    outcome = classify(data, name)
    print(f"{name} ({len(data)} bytes): {'; '.join(done)}")
    print(f"outcome: {outcome.kind} in {outcome.seconds:.3f} s: {outcome.detail}")
    if outcome.trace:
        print(outcome.trace)
    return 0 if outcome.kind in GOOD else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="first input index")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space per worker")
    parser.add_argument("--out", help="findings and summary (default var/fuzz/seedS)")
    parser.add_argument("--keep", type=int, default=3, help="inputs saved per distinct finding")
    parser.add_argument("--recycle", type=int, default=5_000, help="inputs per worker process")
    parser.add_argument("--progress", type=int, default=1_000, help="print a line every N inputs")
    parser.add_argument("--formats", help=f"only seeds of these formats: {','.join(FORMATS)}")
    parser.add_argument("--ocr", choices=["off", "fake", "real"], default="off")
    parser.add_argument("--no-shared", dest="shared", action="store_false")
    parser.add_argument("--index", type=int, help="rebuild input INDEX of --seed and parse it")
    parser.add_argument("--save", help="with --index: also write the input to this file")
    parser.add_argument("--replay", help="parse this file as the fuzzer would")
    parser.add_argument("--name", help="with --replay: the file name to parse it under")
    options = parser.parse_args(argv)
    if options.index is not None or options.replay:
        return replay(options)
    options.out = options.out or str(ROOT / "var" / "fuzz" / f"seed{options.seed}")
    summary = run(options)
    print_summary(summary)
    return 1 if summary["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
