"""Item headings in running text: which lines open an item, and the heading's whole title.

Numbered lines ('1.', 'Punkt 1:', '715.', '1<TAB>Titel') are scored by what follows them (section
names, journal numbers, time frames); the best rising chain of numbers wins, so a table of
contents or a numbered list inside an item never makes extra items. A short or odd title
('test', '(Udgår)') counts only with sections under it. Without numbers, Markdown headings
followed by section names are items, and in a meeting's document bold lines are when they hold
those and more (Word's headings saved as PDF); failing that, a short line just above a section
name is, with a warning. A heading that wraps onto a second line keeps it (``title_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import labels as L
from .danish import MONTHS, find_date_span
from .header import field_of, is_document_word, is_forum_line
from .lines import Line
from .model import ParsedDocument
from .paragraphs import CONNECTOR_END, LIST_ENTRY
from .titles import is_closed_line

_NUMBERED = re.compile(
    r"^(?:(?:punkt|pkt\.?|dagsordenspunkt|sag)\s*(?:nr\.?\s*)?(\d{1,4})\s*[.:)\-–]?\s*"
    r"|(\d{1,4})(?:\.(?!\d)|\)|\t|\s*:)\s*"
    r"|(\d{1,3})\s+(?=[A-ZÆØÅ\"'«„]))(.*)$",
    re.IGNORECASE,
)
_NUMBER_ONLY = re.compile(r"^(?:punkt\s*)?(\d{1,4})\.?$", re.IGNORECASE)
_MONTH_START = re.compile(rf"^(?:{'|'.join(MONTHS)})\b", re.IGNORECASE)
_TOC_TAIL = re.compile(r"(?:\s*\.{3,}\s*|\s*…+\s*|\t+\s*)(\d{1,4})?\s*$")
_STANDARD_ITEMS = re.compile(
    r"^(?:eventuelt|evt\.?|godkendelse af (?:dagsorden|referat).*|meddelelser|kommende møder|"
    r"nyt fra .*|orientering.*|gensidig orientering.*|siden sidst|punkter til næste møde|"
    r"underskriftsark|mødeplan.*)$",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    index: int  # line index of the heading (or of the number when the title is on the next line)
    number: str | None
    title: str
    end_index: int  # last line index belonging to the heading
    marked: bool = False  # a Markdown heading or a bold line
    toc: bool = False  # ends in a page number or dot leaders
    weak: bool = False  # a short or odd title ('test', '(Udgår)'): an item only with evidence
    evidence: float = 0.0


def numbered_candidate(lines: Sequence[Line], i: int) -> Candidate | None:
    line = lines[i]
    text = line.text
    if not text or line.bullet or len(text) > 220:
        return None
    end = i
    match = _NUMBER_ONLY.match(text)
    if match:
        j = next_filled(lines, i + 1, limit=3)
        if j is None:
            return None
        title = lines[j].text
        # A bare number before a line that is itself a numbered heading is a page number.
        if _NUMBER_ONLY.match(title) or _NUMBERED.match(title):
            return None
        if L.classify(title) or len(title) > 220:
            return None
        number, end = match[1], j
    else:
        match = _NUMBERED.match(text)
        if not match:
            return None
        number = match[1] or match[2] or match[3]
        title = match[4].strip()
    toc = bool(re.search(r"(?:\.{3,}|…)\s*\d*\s*$", title)) or bool(
        re.search(r"\t\s*\d+\s*$", title)
    )
    title = _TOC_TAIL.sub("", title).strip().replace("\t", " ")
    if not title or _MONTH_START.match(title) or title.endswith((",", ";")):
        return None
    weak = len(title) < 2 or not (title[0].isupper() or title[0].isdigit() or title[0] in "\"'«„")
    if weak and (
        _LIST_WORDS.match(title)
        or not re.match(r"[\w(\[]", title)
        or len(title) > 120
        or _after_list_intro(lines, i)
    ):
        return None
    if L.classify(title) is not None and L.section_name(title) is None:
        label = L.classify(title)
        if label and label.kind in {"journal", "timeframe", "docnumber", "attachment"}:
            return None
    if L.section_name(title) and L.section_name(title) != L.STOP:
        return None
    if re.fullmatch(r"[\d\s.,:/\-–%]+", title):
        return None
    return Candidate(
        i, str(int(number)), title, end, marked=bool(line.level or line.bold), toc=toc, weak=weak
    )


# Lower-case entries of a numbered list inside an item ('1. at planen godkendes').
_LIST_WORDS = re.compile(r"^(?:at|og|samt|eller|men|der|som|hvor|til|i|på|af|for|med|om)\b", re.I)


def _after_list_intro(lines: Sequence[Line], i: int) -> bool:
    """Whether the line just before (no blank line between) stands over a list ('Det
    indstilles:') or is an entry of it ('1. at ...')."""
    text = lines[i - 1].text if i > 0 else ""
    return bool(text) and (text.endswith(":") or bool(re.match(r"^\d{1,3}[.)]\s+[a-zæøå]", text)))


def next_filled(lines: Sequence[Line], start: int, limit: int = 50) -> int | None:
    for j in range(start, min(len(lines), start + limit)):
        if lines[j].text:
            return j
    return None


def _window_evidence(lines: Sequence[Line], start: int, stop: int) -> float:
    score = 0.0
    kinds: set[str] = set()
    for j in range(start, min(stop, start + 400)):
        text = lines[j].text
        if not text:
            continue
        label = L.classify(text, lines[j].level)
        if label is None:
            if L.is_inline_recommendation(text):
                kinds.add(L.RECOMMENDATION)
            continue
        if label.kind in {
            L.RESUME,
            L.RECOMMENDATION,
            L.PRESENTATION,
            L.DECISION,
            "journal",
            "timeframe",
        }:
            kinds.add(label.kind)
        elif label.kind in {L.ATTACHMENTS, "attachment"}:
            kinds.add("attachments")
    score += 1.5 * len(kinds)
    return score


_LOOKAHEAD = 200


def _best_chain(lines: Sequence[Line], cands: list[Candidate]) -> list[Candidate]:
    if not cands:
        return []
    numbers = [int(c.number or 0) for c in cands]
    for k, cand in enumerate(cands):
        stop = cands[k + 1].index if k + 1 < len(cands) else len(lines)
        # Look a bounded number of candidates ahead: a repeated number must not make this
        # quadratic on long documents.
        for later in cands[k + 1 : k + 1 + _LOOKAHEAD]:
            if numbers[k] < int(later.number or 0) <= numbers[k] + 3:
                stop = later.index
                break
        cand.evidence = _window_evidence(lines, cand.end_index + 1, stop)
        if cand.marked:
            cand.evidence += 0.5
        if cand.toc:
            cand.evidence -= 1.0
        if cand.weak:
            # a short or odd title is an item when sections follow it, and even then it gives
            # way to a proper heading with the same number
            cand.evidence -= 1.0 if cand.evidence >= 1.5 else 4.0
    best: list[float] = []
    back: list[int] = []
    for k, cand in enumerate(cands):
        own = 1.0 + cand.evidence
        top, arg = own, -1
        for p in range(max(0, k - 80), k):
            if numbers[p] < numbers[k]:
                gap = numbers[k] - numbers[p] - 1
                value = best[p] + own - min(gap, 5) * 1.0
                if value > top:
                    top, arg = value, p
        best.append(top)
        back.append(arg)
    k = max(range(len(cands)), key=lambda n: best[n])
    chain = []
    while k != -1:
        chain.append(cands[k])
        k = back[k]
    return list(reversed(chain))


def _markdown_items(lines: Sequence[Line]) -> list[Candidate]:
    has_levels = any(line.level for line in lines)
    out = []
    for i, line in enumerate(lines):
        marked = line.level if has_levels else (1 if line.bold else 0)
        if not marked or not line.text or len(line.text) > 220:
            continue
        if L.classify(line.text) is not None:
            continue
        title = line.text
        nxt = None
        for j in range(i + 1, min(len(lines), i + 12)):
            if lines[j].text:
                nxt = lines[j]
                break
        opens_item = bool(nxt and L.classify(nxt.text) is not None and L.section_name(nxt.text))
        opens_item = opens_item or bool(nxt and L.is_inline_recommendation(nxt.text))
        if opens_item or _STANDARD_ITEMS.match(title):
            out.append(Candidate(i, None, title, i, marked=True))
    return out


_OPENING = {L.RESUME, L.PRESENTATION}
_LATER = {L.RECOMMENDATION, L.DECISION, L.ATTACHMENTS}


def _bold_items(lines: Sequence[Line], found: list[Candidate]) -> list[Candidate]:
    """Item headings that are bold lines without numbers (minutes written in Word, saved as
    PDF): every bold line that stands over plain text and is no section name, header field,
    title or date. Used when they include the headings found otherwise and add to them; a bold
    line between an item's case text and its recommendation or decision is a sub-heading."""
    if not any(line.bold for line in lines):
        return []
    out: list[Candidate] = []
    seen_text = 0
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        seen_text += 1
        if not line.bold or line.level or len(text) > 150:
            continue
        if (
            L.classify(text) is not None
            or field_of(text)
            or is_document_word(text)
            or find_date_span(text)
            or is_closed_line(text)
            or text.endswith((":", ","))
            or (text.endswith(".") and len(text.split()) > 8)
            or (seen_text <= 8 and (is_forum_line(text) or _TITLE_OF_DOC.match(text)))
        ):
            continue
        nxt = next_filled(lines, i + 1, limit=6)
        if nxt is None or (lines[nxt].bold and L.classify(lines[nxt].text) is None):
            continue  # a bold line over another bold line: a title block, not an item
        out.append(Candidate(i, None, clean_markup_title(text), i, marked=True))
    if len(out) < 2:
        return []
    indexes = {c.index for c in out}
    if found and not all(c.index in indexes for c in found):
        return []  # the headings found otherwise are not bold lines: bold means something else
    if len(out) <= len(found):
        return []
    known = {c.index for c in found}
    kept = [c for k, c in enumerate(out) if c.index in known or not _sub_heading(lines, out, k)]
    return kept if len(kept) > len(found) else []


def _sub_heading(lines: Sequence[Line], cands: list[Candidate], k: int) -> bool:
    """Whether bold line ``k`` stands inside an item: after the item's case text began (a
    'Sagsfremstilling' above it, since the bold line before) and before its recommendation or
    decision (below it, up to the next bold line)."""
    start = cands[k - 1].index if k else 0
    stop = cands[k + 1].index if k + 1 < len(cands) else len(lines)
    here = cands[k].index
    above = {
        L.classify(lines[j].text).kind for j in range(start + 1, here) if L.classify(lines[j].text)
    }
    below = {
        L.classify(lines[j].text).kind for j in range(here + 1, stop) if L.classify(lines[j].text)
    }
    return bool(above & _OPENING) and bool(below & _LATER) and not (below & _OPENING)


def clean_markup_title(text: str) -> str:
    return text.strip().strip("*_ ").strip()


_TITLE_OF_DOC = re.compile(
    r"^(?:dagsorden|referat|beslutningsreferat|mødereferat|indkaldelse|protokol)\b", re.IGNORECASE
)


_STARTING = {L.RESUME, L.PRESENTATION, "journal", "timeframe"}


def _fallback_items(lines: Sequence[Line]) -> list[Candidate]:
    """Short lines standing just above a section name or journal number."""
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        label = L.classify(line.text) if line.text else None
        if label is None or label.kind not in _STARTING:
            continue
        j = i - 1
        while j >= 0 and (not lines[j].text or _is_fact(lines[j].text)):
            j -= 1
        if j < 0:
            continue
        text = lines[j].text
        if (
            lines[j].bullet
            or len(text) > 160
            or text.endswith((".", ":", ","))
            or L.classify(text) is not None
            or field_of(text)
            or (out and out[-1].index >= j - 1)
        ):
            continue
        if j > 0 and lines[j - 1].text and not _is_fact(lines[j - 1].text):
            continue
        if out and not _has_body_between(lines, out[-1].index, j):
            continue
        out.append(Candidate(j, None, text, j))
    return out


def _is_fact(text: str) -> bool:
    label = L.classify(text)
    return label is not None and label.kind in {"journal", "timeframe", "docnumber", "presenter"}


def _has_body_between(lines: Sequence[Line], a: int, b: int) -> bool:
    return any(L.section_name(lines[k].text or "") for k in range(a + 1, b))


def find_items(lines: Sequence[Line], doc: ParsedDocument, meeting_hint: bool) -> list[Candidate]:
    cands = [c for c in (numbered_candidate(lines, i) for i in range(len(lines))) if c]
    chain = _best_chain(lines, cands)
    evidence = sum(1 for c in chain if c.evidence > 0.5)
    numbered = bool(chain) and (
        evidence >= max(1, len(chain) // 4) or (meeting_hint and len(chain) >= 1)
    )
    marked = [] if numbered else _markdown_items(lines)
    # Word's bold lines as headings, in a meeting's document whose items have no numbers: they
    # win when they hold every heading found otherwise and more (a third of the items had
    # section names under them, the rest only their bold heading).
    bold = [] if numbered or not meeting_hint else _bold_items(lines, marked)
    if bold:
        doc.warn(
            f"Punkternes overskrifter er fede linjer uden numre; {len(bold)} punkter er fundet "
            "ud fra dem. Kontrollér punkterne."
        )
        return bold
    if numbered:
        if evidence == 0:
            doc.warn("Punkterne er fundet ud fra nummererede overskrifter uden afsnitsnavne.")
        return chain
    if marked:
        return marked
    fallback = _fallback_items(lines)
    if fallback:
        doc.warn(
            "Layoutet er ukendt: punkterne er fundet ud fra overskrifter lige over afsnitsnavne "
            "(Resumé, Sagsfremstilling, journalnummer); kontroller dem."
        )
    return fallback


def title_lines(
    lines: Sequence[Line], cand: Candidate, stop: int, width: int | None = None
) -> tuple[str, int]:
    """The heading with a wrapped continuation line joined on.

    The next line continues the heading when the heading cannot end where it does (on 'og',
    'for', a comma or a hyphen), when the next line starts in lower case, when the heading
    filled the page's width, or when both lines carry the same heading mark; and when the next
    line is itself no section name, fact, list entry, numbered heading or sentence."""
    title, end = cand.title, cand.end_index
    nxt = end + 1
    if nxt >= stop or not lines[nxt].text:
        return title, end
    line = lines[nxt]
    text = line.text
    heading = lines[end]
    if (
        line.bullet
        or len(text) > 100
        or title.endswith((".", "?", "!", ":"))
        or L.classify(text) is not None
        or L.is_inline_recommendation(text)
        or field_of(text)
        or numbered_candidate(lines, nxt) is not None
        or LIST_ENTRY.match(text)
        or is_closed_line(text)
        or re.search(r"\.\s+[A-ZÆØÅ]", text)  # two sentences: the item's text
    ):
        return title, end
    same_mark = bool(
        (heading.level and line.level == heading.level) or (heading.bold and line.bold)
    )
    cannot_end = title.endswith((",", "-", "–", "&", "/")) or bool(CONNECTOR_END.search(title))
    lower = text[0].islower() and len(title) > 25
    full = bool(width) and len(title) >= 0.75 * width  # type: ignore[operator]
    if not (same_mark or cannot_end or lower or full):
        return title, end
    if text.endswith(".") and not (cannot_end or lower):
        return title, end  # a sentence under the heading, not the rest of it
    joiner = "" if title.endswith("-") and text[0].islower() else " "
    return f"{title}{joiner}{text}", nxt
