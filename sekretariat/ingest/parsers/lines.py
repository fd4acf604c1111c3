"""Text to lines: markup stripped, page furniture removed, each line remembering what it looked like.

Every reader that ends in running text (plain text, Markdown, PDF, DOCX, HTML, the text fields of
the exports) goes through ``split_lines`` before ``structure`` reads it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|br|p|div|sup|sub|s|mark)\b[^>]*>", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦●○■□➢►–]|o(?=\s)|\d+\)|\(?[a-zæøå]\))\s+")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
_BOLD_THEN_ITALIC = re.compile(r"^(.*?\*\*[^*]+\*\*)\s+(\*[^*].*\*)\s*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_ITEM_START = re.compile(r"^(?:punkt\s*)?\d{1,4}[.:)\t]?\s*[A-ZÆØÅ]", re.IGNORECASE)
_PAGE_MARK = re.compile(
    r"^\s*(?:side\s*\d+(?:\s*(?:af|/)\s*\d+)?|\d+\s*(?:of|af|/)\s*\d+|page\s*\d+|-?\s*\d{1,3}\s*-?)\s*$",
    re.IGNORECASE,
)


@dataclass
class Line:
    """One line of cleaned text and the markup it had."""

    text: str
    level: int = 0  # Markdown heading level (0: not a heading)
    bold: bool = False  # the whole line was bold
    italic: bool = False  # the whole line was italic
    bullet: bool = False
    page: int = 0

    @property
    def blank(self) -> bool:
        return not self.text


def _clean_markup(raw: str) -> tuple[str, bool, bool]:
    if not any(ch in raw for ch in "*_[<\\"):
        return raw, False, False  # the common case: no markup at all
    text = _LINK.sub(r"\1", raw) if "[" in raw else raw
    text = _TAG.sub("", text) if "<" in text else text
    text = _ESCAPE.sub(r"\1", text) if "\\" in text else text
    stripped = text.strip()
    bold = bool(re.fullmatch(r"(\*\*|__)[^*]+(\*\*|__)[:.]?", stripped))
    italic = bool(re.fullmatch(r"[*_](?![*_]).+(?<![*_])[*_]", stripped)) and not bold
    for _ in range(3):
        new = _EMPHASIS.sub(r"\2", text)
        if new == text:
            break
        text = new
    text = text.replace("**", "")
    return text, bold, italic


def _normalise_spaces(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    if "\t" in text:
        text = re.sub(r"[ \t]*\t[ \t]*", "\t", text)
    if "  " in text:
        text = re.sub(r" {2,}", " ", text)
    return text.strip()


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated verbatim at the top or bottom of most pages (running headers and footers).

    A line that names a section or starts with an item number is never furniture, even when every
    page begins with one (a generated agenda with one item per page)."""
    if len(pages) < 3:
        return set()
    from .labels import classify  # labels does not import this module

    counts: Counter[str] = Counter()
    for page in pages:
        filled = [ln.strip() for ln in page if ln.strip()]
        counts.update(set(filled[:6]) | set(filled[-4:]))
    threshold = max(3, int(len(pages) * 0.6))
    return {
        key
        for key, n in counts.items()
        if n >= threshold and classify(key) is None and not _ITEM_START.match(key)
    }


def split_lines(text: str) -> tuple[list[Line], int]:
    """Clean lines of ``text`` and the number of lines dropped as page furniture."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [page.split("\n") for page in text.split("\f")]
    furniture = _furniture(pages)
    out: list[Line] = []
    dropped = 0
    for page_no, page in enumerate(pages):
        filled = [i for i, ln in enumerate(page) if ln.strip()]
        edge = set(filled[:6]) | set(filled[-4:]) if len(pages) > 1 else set()
        for index, raw in enumerate(page):
            stripped = raw.strip()
            if index in edge and (stripped in furniture or _PAGE_MARK.match(stripped)):
                dropped += 1
                continue
            if _RULE.match(raw):
                out.append(Line("", page=page_no))
                continue
            pieces = [raw]
            split = _BOLD_THEN_ITALIC.match(raw)
            if split:
                pieces = [split[1], split[2]]
            for piece in pieces:
                out.append(_make_line(piece, page_no))
    return out, dropped


def _make_line(raw: str, page_no: int) -> Line:
    level = 0
    heading = _HEADING.match(raw)
    if heading:
        level = len(heading[1])
        raw = heading[2]
    bullet = bool(_BULLET.match(raw)) and not level
    if bullet:
        raw = _BULLET.sub("", raw, count=1)
    text, bold, italic = _clean_markup(raw)
    text = _normalise_spaces(text)
    if text in {"-", "*", "•", "–"}:
        text = ""
    return Line(text, level=level, bold=bold, italic=italic, bullet=bullet, page=page_no)
