"""From running text to a meeting and its items.

Used by every reader that ends in text (plain text, Markdown, PDF, DOCX, HTML, export text fields).
The steps:

1. ``lines.split_lines``: markup off, running headers and footers out (numbers in them may
   change from page to page), hyphens that divided words at line ends joined.
2. Item headings: numbered lines ('1.', 'Punkt 1:', '715.', '1<TAB>Titel') are scored by what
   follows them (section names, journal numbers, time frames); the best rising chain of numbers wins,
   so a table of contents or a numbered list inside an item never makes extra items. A short or
   odd title ('test', '(Udgår)') counts only with sections under it. Without numbers, Markdown
   headings followed by section names are items, and in a meeting's document bold lines are
   when they hold those and more (Word's headings); failing that, a short line just above a
   section name ('Resumé', 'Sagsfremstilling', a journal number) is, with a warning. A heading
   that wraps keeps its second line.
3. The lines before the first item are the meeting header (``header.read_header``).
4. Each item's lines are split into sections by ``labels.classify``; lines the page broke are
   joined into paragraphs again (``line_width``), and an attachment list ends where a
   sub-heading or prose begins.
5. Minutes of an older template write decisions under the items without a heading: a decision
   sentence that ends most items is their decision (``_unlabelled_decisions``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import labels as L
from .decisions import lone_decisions, unlabelled_decisions
from .doctype import decide_document_type
from .header import field_of, is_document_word, is_forum_line, people, read_header
from .headings import Candidate, find_items, numbered_candidate, title_lines
from .lines import Line, split_lines
from .model import ParsedDocument, ParsedItem, PersonRef
from .paragraphs import ATTACHMENT_MARK, CONNECTOR_END, join_chunks, line_width, list_style
from .titles import clean_title, is_closed_line, kind_after_adding

__all__ = [
    "Candidate",
    "TextResult",
    "finish_document",
    "numbered_candidate",
    "parse_text",
    "read_item_text",
]

_CLOSED_PART = re.compile(
    r"^(?:lukket|lukkede)\s+(?:dagsorden|referat|punkter|møde|del)\s*:?$", re.I
)
_OPEN_PART = re.compile(r"^åbent?\s+(?:dagsorden|referat|punkter|møde|del)\s*:?$", re.I)
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
class TextResult:
    """What the text held beyond a ParsedDocument: used by readers that know more (exports)."""

    decision_dates: list[str] = field(default_factory=list)
    decision_bodies: list[str] = field(default_factory=list)


class _ItemReader:
    """Splits one item's lines into sections and facts."""

    def __init__(
        self, item: ParsedItem, doc: ParsedDocument, result: TextResult, width: int | None = None
    ) -> None:
        self.item = item
        self.doc = doc
        self.result = result
        self.width = width  # the full width of a line of the page, when lines were wrapped
        self.parts: dict[str, list[str]] = {}
        self.current: str | None = None
        self.before_attachments: str | None = None
        self.list_style: str | None = None  # how the attachment list's lines begin
        self.last_attachment = ""  # the last attachment line as written
        self.pending_journal = False
        self.last_kind: str | None = None  # the section the item's last text went to
        # a member's proposal quotes its own 'Det indstilles'/'Beslutning:' before the real sections
        self.proposal = bool(_PROPOSAL.match(item.title))
        self.started = False

    def _append(self, kind: str, text: str) -> None:
        self.parts.setdefault(kind, []).append(text)
        if text:
            self.last_kind = kind

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
            verdict = self._attachment_line(text, line)
            if verdict == "more":
                attachments = self.item.sections.attachments
                if attachments:
                    attachments[-1] = f"{attachments[-1]} {text}".strip()
                self.last_attachment = text
                return
            if verdict == "end":
                self.current = self.before_attachments or L.PRESENTATION
            else:
                title = L.clean_attachment(text)
                if title:
                    self.item.sections.attachments.append(title)
                self.last_attachment = text
                self.list_style = self.list_style or list_style(text, line.bullet)
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
            if self.current != L.ATTACHMENTS:
                self.before_attachments = self.current
            self.current = L.ATTACHMENTS
            self.list_style = None
            self.last_attachment = ""
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

    def _attachment_line(self, text: str, line: Line) -> str:
        """'add' an attachment, 'more' of the one before (its title wrapped onto this line), or
        'end' of the list: prose, or a sub-heading of the case ('b. Trafikvurdering') that the
        list runs into when the document has no blank line between them."""
        if len(text) > 200 or re.fullmatch(r"[a-zæøå]\.", text):
            return "end"
        if text.endswith(".") and len(text.split()) >= 12 and not ATTACHMENT_MARK.match(text):
            return "end"
        style = list_style(text, line.bullet)
        if self.list_style is None:
            return "add"
        if style == "letter" and self.list_style != "letter":
            return "end"
        if style != "plain" or self.list_style == "plain":
            if style == "plain" and self.last_attachment and self._wrapped(text):
                return "more"
            return "add"
        # The list's lines begin with a mark ('Bilag 2:', '2012-200782 - ', '•') and this one
        # does not: the title before it goes on, or the list has ended.
        return "more" if self._wrapped(text) else "end"

    def _wrapped(self, text: str) -> bool:
        """Whether ``text`` continues the attachment line before it."""
        before = self.last_attachment
        if not before or before.endswith((".", ":", ";", "?", "!")):
            return False
        if text[:1].islower():
            return True
        if before.endswith((",", "-", "–", "&")) or CONNECTOR_END.search(before):
            return True
        return bool(self.width) and len(before) >= 0.75 * self.width  # type: ignore[operator]

    def _absence(self, text: str) -> None:
        match = _ABSENCE.match(text) or _NOT_PRESENT.match(text)
        if match and match[1].strip():
            for ref in people([match[1]]):
                _add_person(self.doc.meeting.absent, ref)

    def finish(self) -> None:
        sections = self.item.sections
        previous = sections.recommendation
        for kind, chunks in self.parts.items():
            text = join_chunks(chunks, self.width)
            if text is None:
                continue
            before = getattr(sections, kind)
            setattr(sections, kind, f"{before}\n\n{text}" if before else text)
        self.item.kind = kind_after_adding(self.item, previous)


_SECTION_KINDS = {L.RESUME, L.RECOMMENDATION, L.PRESENTATION, L.DECISION, L.ATTACHMENTS, L.ASIDE}


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
    lines, _ = split_lines(text)
    reader = _ItemReader(item, doc, result, line_width(lines))
    if default == L.ASIDE:
        default = L.PRESENTATION
    reader.current = default
    for line in lines:
        reader.feed(line)
    reader.finish()
    return result


def finish_document(doc: ParsedDocument, result: TextResult | None = None) -> None:
    """Document type and the fall-backs for forum and date, for readers that build items themselves."""
    _finish(doc, result or TextResult(), [])


def parse_text(
    text: str, source: str, doc: ParsedDocument | None = None, wrapped: bool = True
) -> ParsedDocument:
    """Read a meeting document from running text.

    ``wrapped``: the text may hold lines broken at the page's width (PDF, text files), to be
    joined into paragraphs again; False for text whose lines are paragraphs (Word, HTML)."""
    doc = doc or ParsedDocument(source=source)
    result = TextResult()
    lines, dropped = split_lines(text)
    width = line_width(lines) if wrapped else None
    if dropped:
        doc.warn(f"{dropped} linjer med sidehoved, sidefod eller sidetal er udeladt.")
    head_hint = _meeting_hint(lines[:80])
    cands = find_items(lines, doc, head_hint)
    first = cands[0].index if cands else min(len(lines), 120)
    header_lines = lines[:first]
    used = read_header(header_lines, doc)
    closed_part = False
    marks_next = False
    last_kinds: list[str | None] = []
    for k, cand in enumerate(cands):
        stop = cands[k + 1].index if k + 1 < len(cands) else len(lines)
        raw_title, end = title_lines(lines, cand, stop, width)
        title, closed, presenter, minutes = clean_title(raw_title)
        item = ParsedItem(
            title=title or raw_title, number=cand.number, closed=closed or closed_part
        )
        item.presenter = presenter
        item.timeframe_minutes = minutes
        reader = _ItemReader(item, doc, result, width)
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
        last_kinds.append(reader.last_kind)
    unlabelled_decisions(doc, last_kinds, lines)
    lone_decisions(doc)
    _finish(doc, result, lines)
    _leftover_warning(header_lines, used, doc)
    return doc


# A decision as the minutes of an older template write it, under the item without a heading.
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
