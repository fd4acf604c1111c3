"""Text to lines: markup stripped, page furniture removed, each line remembering what it looked like.

Every reader that ends in running text (plain text, Markdown, PDF, DOCX, HTML, the text fields of
the exports) goes through ``split_lines`` before ``structure`` reads it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")  # what heading() gives; tests only
_HEADING_MARK = re.compile(r"^\s{0,3}(#{1,6})\s+")
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
    text = strip_links(raw) if "[" in raw else raw
    text = strip_tags(text) if "<" in text else text
    text = _ESCAPE.sub(r"\1", text) if "\\" in text else text
    stripped = text.strip()
    bold = bool(re.fullmatch(r"(\*\*|__)[^*]+(\*\*|__)[:.]?", stripped))
    italic = bool(re.fullmatch(r"[*_](?![*_]).+(?<![*_])[*_]", stripped)) and not bold
    for _ in range(3):
        new = strip_emphasis(text)
        if new == text:
            break
        text = new
    text = text.replace("**", "")
    return text, bold, italic


# The three markup patterns above, applied in one pass each. As regular expressions they try
# every '[', '<' or '*' and scan on from each: a line of 30,000 '[' or '**a ' took minutes
# (found by bench/fuzz_parsers.py). The functions give exactly what ``_LINK.sub(r"\1", text)``,
# ``_TAG.sub("", text)`` and ``_EMPHASIS.sub(r"\2", text)`` give (a test compares them).


def strip_links(text: str) -> str:
    """'[label](target)' and '![label](target)' to 'label'. Every '[' before the same ']'
    succeeds or fails alike, so the search goes on after that ']' when one fails."""
    out: list[str] = []
    pos = start = 0
    no_paren_closes = False
    while (i := text.find("[", start)) >= 0 and (j := text.find("]", i + 1)) >= 0:
        k = -1
        if not no_paren_closes and text.startswith("(", j + 1):
            k = text.find(")", j + 2)
            no_paren_closes = k < 0
        if k < 0:
            start = j + 1
            continue
        begin = i - 1 if i > pos and text[i - 1] == "!" else i
        out += (text[pos:begin], text[i + 1 : j])
        pos = start = k + 1
    out.append(text[pos:])
    return "".join(out)


def strip_tags(text: str) -> str:
    """Inline HTML tags removed. A tag ends at a '>', so none starts after the last one; before
    it, every tag the pattern starts on ends at the next '>'."""
    end = text.rfind(">") + 1
    return _TAG.sub("", text[:end]) + text[end:] if end else text


_DELIMITER = re.compile(r"[*_]")


def strip_emphasis(text: str) -> str:
    """'*a*', '**a**', '***a***', '__a__' and '___a___' to 'a', one line at a time (the pattern's
    '.' stops at a line break). A delimiter that closes nothing after one place closes nothing
    after any later place either, so each is looked for past its first failure only once."""
    if "\n" in text:
        return "\n".join(strip_emphasis(line) for line in text.split("\n"))
    out: list[str] = []
    pos = p = 0
    closes_nothing_after: dict[str, int] = {}
    while match := _DELIMITER.search(text, p):
        p = match.start()
        char = text[p]
        run = 1
        while run < 3 and text.startswith(char, p + run):
            run += 1
        for length in range(run, 0 if char == "*" else 1, -1):
            if p + length >= len(text) or text[p + length].isspace():
                continue
            delimiter = char * length
            close = _closing(text, delimiter, p + length + 1, closes_nothing_after)
            if close >= 0:
                out += (text[pos:p], text[p + length : close])
                pos = p = close + length
                break
        else:
            p += 1
    out.append(text[pos:])
    return "".join(out)


def _closing(text: str, delimiter: str, start: int, closes_nothing_after: dict[str, int]) -> int:
    """The first place from ``start`` where ``delimiter`` follows a non-space, or -1."""
    if closes_nothing_after.get(delimiter, len(text) + 1) <= start:
        return -1
    at = text.find(delimiter, start)
    while at >= 0 and text[at - 1].isspace():
        at = text.find(delimiter, at + 1)
    if at < 0:
        closes_nothing_after[delimiter] = start
    return at


# A hyphen that the PDF marks as 'at the end of a line' (PDFium gives U+FFFE, some producers a
# soft hyphen U+00AD), with or without the line break after it.
_LINE_END_HYPHEN = re.compile(r"[\ufffe\u00ad][ \t]*\n?[ \t]*(?=(\S+))")
_CONJUNCTION = re.compile(r"^(?:og|eller|samt|til|som|el\.|hhv\.|henholdsvis|\&)$", re.IGNORECASE)


def _hyphen_join(match: re.Match) -> str:
    following = match[1]
    if _CONJUNCTION.match(following.rstrip(",.;:")):
        return "- "  # 'Sundheds- og Forebyggelsesudvalget'
    if following[:1].isupper() or following[:1].isdigit():
        return "-"  # 'IT-Strategi', 'COVID-19'
    return ""  # a word divided over two lines: 'bygnings-vedligeholdelse' is one word


def join_soft_hyphens(text: str) -> str:
    """Hyphens that mark where a line was divided, which show as boxes: the word is joined
    again (with a hyphen before 'og' and before a capital, as in 'Sundheds- og').

    >>> join_soft_hyphens("ikke\ufffeplanlagte opgaver, Sundheds\ufffe\nog Forebyggelse")
    'ikkeplanlagte opgaver, Sundheds- og Forebyggelse'
    """
    if "\ufffe" not in text and "\u00ad" not in text:
        return text
    text = _LINE_END_HYPHEN.sub(_hyphen_join, text)
    return text.replace("\ufffe", "").replace("\u00ad", "")


def _normalise_spaces(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    if "\t" in text:
        text = re.sub(r"[ \t]*\t[ \t]*", "\t", text)
    if "  " in text:
        text = re.sub(r" {2,}", " ", text)
    return text.strip()


def _furniture_key(line: str) -> str:
    """A running header or footer with its numbers and its bold or heading marks left out:
    'Side 3 af 9' is 'Side 3 af 10', '**Referat**' is 'Referat'."""
    text = line.strip()
    if text[:1] in "*_#" or text[-1:] in "*_":
        text = text.strip("*_# ")
    return _DIGITS.sub("#", text) if any(ch.isdigit() for ch in text) else text


_DIGITS = re.compile(r"\d+")


def _edges(page: list[str]) -> list[int]:
    filled = [i for i, ln in enumerate(page) if ln.strip()]
    return sorted(set(filled[:6]) | set(filled[-4:]))


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (running headers and footers), as
    ``_furniture_key``s: numbers may change from page to page ('Side 3', a date).

    A line that names a section or starts with an item number is furniture only as part of a
    repeated block (the word 'Referat' under the forum's name in every page's header); alone,
    even when every page begins with one (a generated agenda with one item per page), it is not."""
    if len(pages) < 3:
        return set()
    from .labels import classify  # labels does not import this module

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_furniture_key(page[i]) for i in _edges(page)})
    threshold = max(3, int(len(pages) * 0.6))
    repeated = {key for key, n in counts.items() if n >= threshold}
    plain: set[str] = set()
    special: set[str] = set()
    for key in repeated:
        if classify(key.replace("#", "1")) is None and not _ITEM_START.match(key.replace("#", "1")):
            plain.add(key)
        else:
            special.add(key)
    if not special:
        return plain
    # A special line joins the furniture where a running header or footer holds it: between
    # the page's edge and it stand only furniture lines, one of them at least a plain one.
    held: Counter[str] = Counter()
    for page in pages:
        filled = [_furniture_key(ln) for ln in page if ln.strip()]
        for run in (filled[:6], filled[::-1][:4]):
            seen_plain = False
            for key in run:
                if key in plain or _PAGE_MARK.match(key.replace("#", "1")):
                    seen_plain = True
                elif key in special and seen_plain:
                    held[key] += 1
                else:
                    break
    return plain | {key for key in special if held[key] >= threshold}


def split_lines(text: str) -> tuple[list[Line], int]:
    """Clean lines of ``text`` and the number of lines dropped as page furniture."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = join_soft_hyphens(text)
    pages = [page.split("\n") for page in text.split("\f")]
    furniture = _furniture(pages)
    out: list[Line] = []
    dropped = 0
    for page_no, page in enumerate(pages):
        edge = set(_edges(page)) if len(pages) > 1 else set()
        for index, raw in enumerate(page):
            stripped = raw.strip()
            if index in edge and (
                _PAGE_MARK.match(stripped.strip("*_ "))
                or (furniture and _furniture_key(stripped) in furniture)
            ):
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


def heading(raw: str) -> tuple[int, str] | None:
    """A Markdown heading's level and text: what ``_HEADING`` matches, without its backtracking
    ('\\s*#*\\s*$' after a lazy '.*?' tried every split of every run of spaces: a page of text
    joined into one line by U+2028 took minutes; found by bench/fuzz_parsers.py)."""
    mark = _HEADING_MARK.match(raw)
    if mark is None:
        return None
    return len(mark[1]), raw[mark.end() :].rstrip().rstrip("#").rstrip()


def _make_line(raw: str, page_no: int) -> Line:
    level = 0
    found = heading(raw)
    if found:
        level, raw = found
    bullet = bool(_BULLET.match(raw)) and not level
    if bullet:
        raw = _BULLET.sub("", raw, count=1)
    text, bold, italic = _clean_markup(raw)
    text = _normalise_spaces(text)
    if text in {"-", "*", "•", "–"}:
        text = ""
    return Line(text, level=level, bold=bold, italic=italic, bullet=bullet, page=page_no)
