"""From running text to a meeting and its items.

Used by every reader that ends in text (plain text, Markdown, PDF, DOCX, HTML, export text fields).
The steps:

1. ``lines.split_lines``: markup off, running headers and footers out.
2. Item headings: numbered lines ('1.', 'Punkt 1:', '715.', '1<TAB>Titel') are scored by what
   follows them (section names, journal numbers, time frames); the best rising chain of numbers wins,
   so a table of contents or a numbered list inside an item never makes extra items. Without
   numbers, Markdown headings followed by section names are items; failing that, a short line just
   above a section name ('Resumé', 'Sagsfremstilling', a journal number) is, with a warning.
3. The lines before the first item are the meeting header (``header.read_header``).
4. Each item's lines are split into sections by ``labels.classify``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import labels as L
from .danish import MONTHS
from .doctype import decide_document_type
from .header import field_of, is_document_word, is_forum_line, people, read_header
from .lines import Line, split_lines
from .model import ParsedDocument, ParsedItem, PersonRef
from .titles import clean_title, is_closed_line, kind_after_adding

_NUMBERED = re.compile(
    r"^(?:(?:punkt|pkt\.?|dagsordenspunkt|sag)\s*(?:nr\.?\s*)?(\d{1,4})\s*[.:)\-–]?\s*"
    r"|(\d{1,4})(?:\.(?!\d)|\)|\t|\s*:)\s*"
    r"|(\d{1,3})\s+(?=[A-ZÆØÅ\"'«„]))(.*)$",
    re.IGNORECASE,
)
_NUMBER_ONLY = re.compile(r"^(?:punkt\s*)?(\d{1,4})\.?$", re.IGNORECASE)
_MONTH_START = re.compile(rf"^(?:{'|'.join(MONTHS)})\b", re.IGNORECASE)
_TOC_TAIL = re.compile(r"(?:\s*\.{3,}\s*|\s*…+\s*|\t+\s*)(\d{1,4})?\s*$")
_CLOSED_PART = re.compile(
    r"^(?:lukket|lukkede)\s+(?:dagsorden|referat|punkter|møde|del)\s*:?$", re.I
)
_OPEN_PART = re.compile(r"^åbent?\s+(?:dagsorden|referat|punkter|møde|del)\s*:?$", re.I)
_STANDARD_ITEMS = re.compile(
    r"^(?:eventuelt|evt\.?|godkendelse af (?:dagsorden|referat).*|meddelelser|kommende møder|"
    r"nyt fra .*|orientering.*|gensidig orientering.*|siden sidst|punkter til næste møde|"
    r"underskriftsark|mødeplan.*)$",
    re.IGNORECASE,
)
_PLACEHOLDERS = {
    "tomt indhold", "tom", "(tom)", "intet", "intet indhold", "ingen beslutning", "-", "–", "…",
    "ikke udfyldt", "udfyldes på mødet", "n/a", "xx", "ingen tekst",
}  # fmt: skip
_ABSENCE = re.compile(
    r"^(?:afbud|fraværende|ikke til stede|fravær|afbud fra)\s*:\s*(.+)$", re.IGNORECASE
)
_NOT_PRESENT = re.compile(
    r"^følgende deltog ikke i (?:behandlingen af )?(?:punktet|sagens behandling)\s*:?\s*(.*)$",
    re.IGNORECASE,
)
_PROPOSAL = re.compile(r"^(?:beslutningsforslag|forslag)\s+fra\b", re.IGNORECASE)
_RECOMMENDS_BODY = re.compile(
    r"indstille[rs]?,?\s+at\s+([A-ZÆØÅ][\w\-æøå]+(?:[ \t]+(?:[A-ZÆØÅ][\w\-æøå]+|og|for|i))*?)[\s•\-]+"
    r"(?:godkender|drøfter|tager|beslutter|vedtager|anbefaler|orienteres|tiltræder|udpeger)",
)


@dataclass
class Candidate:
    index: int  # line index of the heading (or of the number when the title is on the next line)
    number: str | None
    title: str
    end_index: int  # last line index belonging to the heading
    marked: bool = False  # a Markdown heading or a bold line
    toc: bool = False  # ends in a page number or dot leaders
    evidence: float = 0.0


@dataclass
class TextResult:
    """What the text held beyond a ParsedDocument: used by readers that know more (exports)."""

    decision_dates: list[str] = field(default_factory=list)
    decision_bodies: list[str] = field(default_factory=list)


def numbered_candidate(lines: Sequence[Line], i: int) -> Candidate | None:
    line = lines[i]
    text = line.text
    if not text or line.bullet or len(text) > 220:
        return None
    end = i
    match = _NUMBER_ONLY.match(text)
    if match:
        j = _next_filled(lines, i + 1, limit=3)
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
    if not title or not (title[0].isupper() or title[0].isdigit() or title[0] in "\"'«„"):
        return None
    if _MONTH_START.match(title) or title.endswith((",", ";")) or len(title) < 2:
        return None
    if L.classify(title) is not None and L.section_name(title) is None:
        label = L.classify(title)
        if label and label.kind in {"journal", "timeframe", "docnumber", "attachment"}:
            return None
    if L.section_name(title) and L.section_name(title) != L.STOP:
        return None
    if re.fullmatch(r"[\d\s.,:/\-–%]+", title):
        return None
    return Candidate(i, str(int(number)), title, end, marked=bool(line.level or line.bold), toc=toc)


def _next_filled(lines: Sequence[Line], start: int, limit: int = 50) -> int | None:
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
    if chain and (evidence >= max(1, len(chain) // 4) or (meeting_hint and len(chain) >= 1)):
        if evidence == 0:
            doc.warn("Punkterne er fundet ud fra nummererede overskrifter uden afsnitsnavne.")
        return chain
    marked = _markdown_items(lines)
    if marked:
        return marked
    fallback = _fallback_items(lines)
    if fallback:
        doc.warn(
            "Layoutet er ukendt: punkterne er fundet ud fra overskrifter lige over afsnitsnavne "
            "(Resumé, Sagsfremstilling, journalnummer); kontroller dem."
        )
    return fallback


class _ItemReader:
    """Splits one item's lines into sections and facts."""

    def __init__(self, item: ParsedItem, doc: ParsedDocument, result: TextResult) -> None:
        self.item = item
        self.doc = doc
        self.result = result
        self.parts: dict[str, list[str]] = {}
        self.current: str | None = None
        self.pending_journal = False
        # a member's proposal quotes its own 'Det indstilles'/'Beslutning:' before the real sections
        self.proposal = bool(_PROPOSAL.match(item.title))
        self.started = False

    def _append(self, kind: str, text: str) -> None:
        self.parts.setdefault(kind, []).append(text)

    def feed(self, line: Line) -> None:
        text = line.text
        kind = self.current or L.PRESENTATION
        if not text:
            if self.current not in (L.ATTACHMENTS, L.STOP) and self.parts:
                self._append(kind, "")
            return
        if self.current == L.STOP:
            return
        if is_closed_line(text):  # 'Lukket punkt' on a line of its own
            self.item.closed = True
            return
        if self.pending_journal and self.item.journal_number is None:
            found = L.find_journal(text)
            if found and found[0]:
                self.item.journal_number = found[0]
                self.item.case_officer = self.item.case_officer or found[1]
                self.pending_journal = False
                return
        if not self.started:
            self.started = True
            self.proposal = self.proposal or bool(_PROPOSAL.match(text))
        label = L.classify(text, line.level)
        if self.proposal and label is not None and label.kind in _SECTION_KINDS:
            if line.level or line.bold:
                self.proposal = False
            elif label.kind in {L.DECISION, L.RECOMMENDATION}:
                label = None
        is_label = label is not None and not (line.bullet and label.kind in _SECTION_KINDS)
        if is_label and self._label(label, text):
            return
        if self.current == L.ATTACHMENTS:
            if len(text) > 200 or re.fullmatch(r"[a-zæøå]\.", text):
                self.current = L.PRESENTATION
            else:
                title = L.clean_attachment(text)
                if title:
                    self.item.sections.attachments.append(title)
                return
        if (
            self.current in (None, L.PRESENTATION)
            and not self.proposal
            and L.is_inline_recommendation(text)
            and (self.current is None or L.RECOMMENDATION not in self.parts)
        ):
            self.current = L.RECOMMENDATION
        if self.current == L.DECISION:
            self._absence(text)
        self._append(self.current or L.PRESENTATION, f"• {text}" if line.bullet else text)

    def _label(self, label: L.Label, text: str) -> bool:
        kind = label.kind
        if kind in {L.RESUME, L.RECOMMENDATION, L.PRESENTATION, L.DECISION}:
            self.current = kind
            if kind == L.DECISION and isinstance(label.value, tuple):
                body, date = label.value
                if body:
                    self.result.decision_bodies.append(body)
                if date:
                    self.result.decision_dates.append(date)
            if kind == L.RECOMMENDATION and L.is_inline_recommendation(text):
                self._append(kind, text)
            elif label.rest:
                self._append(kind, label.rest)
                if kind == L.DECISION:
                    self._absence(label.rest)
            return True
        if kind == L.ATTACHMENTS:
            self.current = L.ATTACHMENTS
            return True
        if kind == L.ASIDE:
            if self.current != L.DECISION:
                self.current = L.PRESENTATION
            self._append(self.current, text)
            return True
        if kind == L.STOP:
            self.current = L.STOP
            return True
        if kind == "journal":
            number, officer = label.value  # type: ignore[misc]
            if self.item.journal_number is None:
                if number:
                    self.item.journal_number = number
                    self.item.case_officer = officer
                else:
                    self.pending_journal = True
                return True
            return number == self.item.journal_number
        if kind == "timeframe":
            self.item.timeframe_minutes = self.item.timeframe_minutes or label.value  # type: ignore[assignment]
            return True
        if kind == "presenter":
            self.item.presenter = self.item.presenter or str(label.value)
            return True
        if kind == "attachment":
            title = L.clean_attachment(str(label.value))
            if title:
                self.item.sections.attachments.append(title)
            return True
        return kind == "docnumber"

    def _absence(self, text: str) -> None:
        match = _ABSENCE.match(text) or _NOT_PRESENT.match(text)
        if match and match[1].strip():
            for ref in people([match[1]]):
                _add_person(self.doc.meeting.absent, ref)

    def finish(self) -> None:
        sections = self.item.sections
        previous = sections.recommendation
        for kind, chunks in self.parts.items():
            text = _join(chunks)
            if text is None:
                continue
            before = getattr(sections, kind)
            setattr(sections, kind, f"{before}\n\n{text}" if before else text)
        self.item.kind = kind_after_adding(self.item, previous)


_SECTION_KINDS = {L.RESUME, L.RECOMMENDATION, L.PRESENTATION, L.DECISION, L.ATTACHMENTS, L.ASIDE}


def _join(chunks: list[str]) -> str | None:
    text = "\n".join(chunks)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text or text.strip(" .:").casefold() in _PLACEHOLDERS:
        return None
    return text


def _add_person(target: list[PersonRef], ref: PersonRef) -> None:
    if all(p.name.casefold() != ref.name.casefold() for p in target):
        target.append(ref)


def read_item_text(
    item: ParsedItem, text: str, doc: ParsedDocument, default: str | None = None
) -> TextResult:
    """Split the running text of one item (an export field, a per-item PDF) into its sections.

    ``default`` is the section for text before any label (e.g. 'decision' for a closed item whose
    export carries only the decision)."""
    result = TextResult()
    reader = _ItemReader(item, doc, result)
    if default == L.ASIDE:
        default = L.PRESENTATION
    reader.current = default
    lines, _ = split_lines(text)
    for line in lines:
        reader.feed(line)
    reader.finish()
    return result


def finish_document(doc: ParsedDocument, result: TextResult | None = None) -> None:
    """Document type and the fall-backs for forum and date, for readers that build items themselves."""
    _finish(doc, result or TextResult(), [])


def _title_lines(lines: Sequence[Line], cand: Candidate, stop: int) -> tuple[str, int]:
    """The heading with a wrapped continuation line joined on."""
    title, end = cand.title, cand.end_index
    nxt = end + 1
    if (
        nxt < stop
        and lines[nxt].text
        and len(title) > 40
        and not lines[nxt].bullet
        and lines[nxt].text[0].islower()
        and len(lines[nxt].text) < 100
        and L.classify(lines[nxt].text) is None
        and not title.endswith((".", "?", "!"))
    ):
        return f"{title} {lines[nxt].text}", nxt
    return title, end


def parse_text(text: str, source: str, doc: ParsedDocument | None = None) -> ParsedDocument:
    """Read a meeting document from running text."""
    doc = doc or ParsedDocument(source=source)
    result = TextResult()
    lines, dropped = split_lines(text)
    if dropped:
        doc.warn(f"{dropped} linjer med sidehoved, sidefod eller sidetal er udeladt.")
    head_hint = _meeting_hint(lines[:80])
    cands = find_items(lines, doc, head_hint)
    first = cands[0].index if cands else min(len(lines), 120)
    header_lines = lines[:first]
    used = read_header(header_lines, doc)
    closed_part = False
    marks_next = False
    for k, cand in enumerate(cands):
        stop = cands[k + 1].index if k + 1 < len(cands) else len(lines)
        raw_title, end = _title_lines(lines, cand, stop)
        title, closed, presenter, minutes = clean_title(raw_title)
        item = ParsedItem(
            title=title or raw_title, number=cand.number, closed=closed or closed_part
        )
        item.presenter = presenter
        item.timeframe_minutes = minutes
        reader = _ItemReader(item, doc, result)
        if k and marks_next:
            # The last line of the item before was 'Lukket punkt': it may be this item's.
            item.closed = True
            doc.warn(
                f"Punkt {item.number or item.title}: linjen 'Lukket punkt' står lige over "
                "punktet; punktet er indlæst som lukket. Kontrollér det."
            )
        filled = [j for j in range(end + 1, stop) if lines[j].text]
        marks_next = bool(filled) and is_closed_line(lines[filled[-1]].text)
        if marks_next and len(filled) > 3:
            doc.warn(
                f"Punkt {item.number or item.title}: linjen 'Lukket punkt' står nederst i "
                "punktet; punktet er indlæst som lukket. Kontrollér det."
            )
        for j in range(end + 1, stop):
            text_j = lines[j].text
            if _CLOSED_PART.match(text_j):
                closed_part = True
                continue
            if _OPEN_PART.match(text_j):
                closed_part = False
                continue
            reader.feed(lines[j])
        reader.finish()
        doc.items.append(item)
    _finish(doc, result, lines)
    _leftover_warning(header_lines, used, doc)
    return doc


def _meeting_hint(lines: Sequence[Line]) -> bool:
    words = " ".join(line.text for line in lines).casefold()
    return bool(re.search(r"\b(?:dagsorden|referat|mødedato|deltagere|afbud|møde:)", words))


def _leftover_warning(lines: Sequence[Line], used: list[int], doc: ParsedDocument) -> None:
    if not doc.items:
        return
    skipped = set(used)
    rest = [
        line.text
        for i, line in enumerate(lines)
        if line.text
        and i not in skipped
        and not field_of(line.text)
        and not is_document_word(line.text)
        and not numbered_candidate(lines, i)
        and not re.fullmatch(
            r"(?:indholdsfortegnelse|indhold|punkt|side|punkt nr\.?)", line.text, re.I
        )
    ]
    if not rest:
        return
    joined = " ".join(rest)
    if len(joined) <= 400:
        doc.warn(f"Tekst før første punkt er ikke knyttet til et punkt: {joined}")
    else:
        doc.warn(f"{len(rest)} linjer tekst før første punkt er ikke knyttet til et punkt.")


def _finish(doc: ParsedDocument, result: TextResult, lines: Sequence[Line]) -> None:
    if doc.meeting.date is None and result.decision_dates:
        doc.meeting.date = Counter(result.decision_dates).most_common(1)[0][0]
        doc.warn("Mødets dato er læst ud fra beslutningernes datoer.")
    if doc.body is None and result.decision_bodies:
        body = Counter(result.decision_bodies).most_common(1)[0][0]
        if body.casefold() not in {"udvalget", "byrådet", "mødet"}:
            doc.body = body
            doc.warn("Forummet er læst ud fra beslutningernes overskrifter.")
    if doc.body is None and doc.items:
        found = Counter(
            m[1]
            for item in doc.items
            for m in _RECOMMENDS_BODY.finditer(item.sections.recommendation or "")
            if is_forum_line(m[1]) or m[1][0].isupper()
        )
        if found:
            doc.body = found.most_common(1)[0][0]
            doc.warn("Forummet er læst ud fra indstillingerne.")
    decide_document_type(doc, lines)
