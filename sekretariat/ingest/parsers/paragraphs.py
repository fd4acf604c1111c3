"""Paragraphs and lists in an item's text: lines the page broke joined again, attachment lists
told apart from the sub-headings and prose that follow them.

PDF text (and a hard-wrapped text file) breaks every line at the page's width. ``line_width``
finds that width when there is one; ``join_chunks`` then joins a line onto the one before when
the sentence runs on, never a list entry ('A) ...', '• ...', 'Juni 2012: ...').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line

PLACEHOLDERS = {
    "tomt indhold", "tom", "(tom)", "intet", "intet indhold", "ingen beslutning", "-", "–", "…",
    "ikke udfyldt", "udfyldes på mødet", "n/a", "xx", "ingen tekst",
}  # fmt: skip

ATTACHMENT_MARK = re.compile(r"^(?:bilag\b|\d{4}-\d{3,8}\s*[-–]|\./\.)", re.IGNORECASE)
CONNECTOR_END = re.compile(
    r"\b(?:og|eller|samt|i|af|for|til|fra|med|om|på|ved|vedr\.?|vedrørende|den|det|de|en|et)$",
    re.IGNORECASE,
)
# A line that starts a list entry: never joined onto the line before it.
LIST_ENTRY = re.compile(
    r"^(?:•|[-–*▪·]\s|[A-ZÆØÅa-zæøå]\)\s|[A-ZÆØÅa-zæøå]\.\s+[A-ZÆØÅ\d]|\(?\d{1,2}[.)]\s|"
    r"\d{1,2}\s*[-–]\s|[ivx]{1,4}[.)]\s)"
)


_LABELLED_ENTRY = re.compile(r"^[^\s:]{1,20}(?:\s[^\s:]{1,20}){0,2}:\s")


def list_style(text: str, bullet: bool) -> str:
    """How an attachment line begins: 'doc' ('2012-200782 - '), 'bilag' ('Bilag 2:'), 'number'
    ('2.', '1 Åben'), 'letter' ('b.'), 'bullet', or 'plain'."""
    if bullet:
        return "bullet"
    if re.match(r"^\d{4}-\d{3,8}\s*[-–]", text):
        return "doc"
    if re.match(r"^(?:bilag\s*(?:nr\.?\s*)?\d+|\./\.)", text, re.IGNORECASE):
        return "bilag"
    if re.match(r"^[a-zæøå][.)]\s+\S", text):
        return "letter"
    if re.match(r"^\d{1,3}(?:[.)]|\s+(?:åben|lukket)\b)\s*\S", text, re.IGNORECASE):
        return "number"
    return "plain"


def line_width(lines: Sequence[Line]) -> int | None:
    """The width of a full line when the text was wrapped into lines of the page's width (PDF
    text, a hard-wrapped text file); None when lines are paragraphs (Word, HTML, exports).

    Wrapped text has many lines of about the same length, the page's width; paragraphs vary."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 20)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    if width > 140:
        return None
    full = sum(1 for n in lengths if n >= 0.75 * width)
    return width if full >= 0.3 * len(lengths) else None


def _continues(before: str, after: str, width: int) -> bool:
    """Whether the line ``after`` goes on with the sentence of ``before`` (a line break the page
    made, not the writer)."""
    if not before or not after or LIST_ENTRY.match(after) or before.endswith(":"):
        return False
    if _LABELLED_ENTRY.match(after) and _LABELLED_ENTRY.match(before):
        return False  # 'Juni 2012: ...' under 'Maj 2012: ...': entries of a list
    if before.endswith((".", "!", "?", ";")):
        return after[0].islower() and len(before) >= 0.7 * width  # 'bl.a.' at the line's end
    if after[0].islower():
        return True
    return len(before) >= 0.7 * width


def _join_wrapped(chunks: list[str], width: int) -> list[str]:
    out: list[str] = []
    for chunk in chunks:
        if out and chunk and _continues(out[-1], chunk, width):
            joiner = "" if out[-1].endswith("-") and chunk[0].islower() else " "
            out[-1] = f"{out[-1]}{joiner}{chunk}"
        else:
            out.append(chunk)
    return out


def join_chunks(chunks: list[str], width: int | None = None) -> str | None:
    if width:
        chunks = _join_wrapped(chunks, width)
    text = "\n".join(chunks)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text or text.strip(" .:").casefold() in PLACEHOLDERS:
        return None
    return text
