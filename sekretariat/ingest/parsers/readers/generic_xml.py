"""XML from a system there is no reader for: read by its structure and the words in its names.

A case system's export names its elements as it likes ('Dagsordenspunkt', 'AgendaElement',
'Punkt'), but its shape is always the same: one element repeated for each item, holding a number,
a title and text fields, somewhere below the meeting's date, place and forum. This reader

1. turns every element into *fields* (a name and a text; HTML in a field, escaped, in CDATA or as
   child elements, is read as HTML);
2. picks the repeated element whose members look most like items (a short title, a number, long
   text or fields named like sections) and not like people, attachments or text fields;
3. reads each member's fields by the Danish (and English) words in their names: number, title,
   journal number, closed flag, sections, attachments;
4. reads the meeting's date, time, place, forum and people from the fields outside the items,
   nearest first;
5. without such an element, reads the XML's text in document order as running text
   (``structure.parse_text``).

It refuses a file only when neither items nor a date nor a forum are found, and it says in the
warnings which elements it read as what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..decisions import lone_decisions
from ..errors import NotMeetingDocumentError
from ..journal import find_journal
from ..labels import ATTACHMENTS, PRESENTATION, clean_attachment
from ..labels import section_name as _section_name
from ..model import ParsedDocument, ParsedItem
from ..structure import TextResult, finish_document, parse_text, read_item_text
from ..titles import clean_title
from ._xml import one_line
from .xml_fields import (
    ACCESS,
    ATTACHMENT,
    FIELD_TAG,
    ITEM_TAG,
    JOURNAL,
    MEETING_TAG,
    NAME,
    NUMBER,
    OFFICER,
    PERSON_TAG,
    PRESENTER,
    SKIP,
    TEXT_NAME,
    TIMEFRAME,
    TITLE,
    Field,
    Group,
    fields_of,
    label_of,
    name_of,
    norm,
    repeated_groups,
    section_kind_of,
    shown,
    spaced_words,
    truth_of,
)
from .xml_meeting import is_date_field, read_meeting

MAX_SAMPLE = 25  # members of a repeated element looked at to judge it
MAX_SCORING_WORK = 200_000  # fields read in all while judging the repeated elements of a file


# ---------------------------------------------------------------- which element holds the items


def _member_profile(member: etree._Element, budget: list[int]) -> tuple[bool, bool, bool, bool]:
    """(has a short title, has a number, has text, its title is a section name)."""
    fields = fields_of(member, budget=[min(400, max(budget[0], 0))])
    budget[0] -= len(fields) + 1
    title = number = text = section_titled = False
    for field in fields:
        key = field.key
        if SKIP.search(key):
            continue
        if not title and (TITLE.search(key) or NAME.match(key)) and 0 < len(field.text) < 300:
            title = True
            section_titled = _section_name(field.text) is not None
        elif not number and NUMBER.match(key) and re.match(r"^\d{1,4}[a-z]?\.?$", field.text):
            number = True
        if len(field.text) >= 60 or section_kind_of(field) is not None:
            text = True
    return title, number, text, section_titled


def _score(group: Group, budget: list[int]) -> float:
    tag = norm(group.tag)
    parent_tag = norm(name_of(group.parent))
    sample = group.members[:MAX_SAMPLE]
    profiles = [_member_profile(m, budget) for m in sample]
    n = len(profiles)
    titled = sum(p[0] for p in profiles) / n
    numbered = sum(p[1] for p in profiles) / n
    texts = sum(p[2] for p in profiles) / n
    section_titled = sum(p[3] for p in profiles) / n
    if titled < 0.5 and texts < 0.5:
        return 0.0
    score = 2.0 * titled + 1.0 * numbered + 2.0 * texts + min(len(group.members), 5) * 0.2
    if ITEM_TAG.search(tag) or ITEM_TAG.search(parent_tag):
        score += 2.0
    if PERSON_TAG.search(tag) or PERSON_TAG.search(parent_tag):
        score -= 4.0
    if ATTACHMENT.search(tag) or ATTACHMENT.search(parent_tag):
        score -= 4.0
    if FIELD_TAG.search(tag) and not ITEM_TAG.search(tag):
        score -= 1.0
    if section_titled >= 0.5:  # 'Sagsfremstilling', 'Beslutning': these are text fields
        score -= 5.0
    if MEETING_TAG.search(tag) and not ITEM_TAG.search(tag):
        score -= 2.0
    return score


def _path(node: etree._Element) -> tuple[str, ...]:
    out = []
    while node is not None:
        out.append(name_of(node))
        node = node.getparent()
    return tuple(reversed(out))


def _within(node: etree._Element, members: set[etree._Element]) -> bool:
    while node is not None:
        if node in members:
            return True
        node = node.getparent()
    return False


def find_item_group(root: etree._Element) -> tuple[Group | None, list[Group]]:
    """The repeated element that holds the items, and the groups at the same place in other
    meetings of the same file (a file with several meetings).

    An element that only wraps the items (a list of one, holding every item's title and text)
    looks like an item itself; the items inside it win when they score about as well."""
    budget = [MAX_SCORING_WORK]
    candidates: list[Group] = []
    for group in repeated_groups(root):
        if budget[0] <= 0:
            break
        group.score = _score(group, budget)
        if group.score >= 4.0:
            candidates.append(group)
    kept = []
    for group in candidates:
        members = set(group.members)
        wraps = any(
            other is not group
            and len(other.members) > len(group.members)
            and other.score >= group.score - 1.5
            and _within(other.parent, members)
            for other in candidates
        )
        if not wraps:
            kept.append(group)
    best: Group | None = None
    for group in kept:
        if best is None or group.score > best.score + 1e-9:
            best = group
    if best is None:
        return None, []
    where = (*_path(best.parent), best.tag)
    same = [
        g
        for g in repeated_groups(root)
        if g.parent is not best.parent and (*_path(g.parent), g.tag) == where
    ]
    return best, same


# ---------------------------------------------------------------- reading one item


def _closed(field: Field) -> bool | None:
    """Whether a flag field closes the item: 'IsPublic=false', 'lukket=ja', 'Adgang=Lukket'."""
    key, value = field.key, field.text.strip()
    truth = truth_of(value)
    if re.search(r"lukket|fortrolig|confidential|closed", key):
        return truth
    if re.search(r"åben|åbent|offentlig|public|publicer", key):
        return None if truth is None else not truth
    word = value.casefold()
    if re.match(r"^(?:lukket|fortrolig|closed|confidential|privat|intern)\b", word):
        return True
    if re.match(r"^(?:åben|åbent|offentlig|public|open)\b", word):
        return False
    return None


@dataclass
class _Names:
    """Which element names were read as what: for the warning."""

    number: str | None = None
    title: str | None = None


def read_item(member: etree._Element, doc: ParsedDocument, result: TextResult, names: _Names):
    fields = fields_of(member)
    item = ParsedItem(title="")
    title_field: Field | None = None
    texts: list[tuple[Field, str | None]] = []
    for field in fields:
        key = field.key
        in_attachments = any(ATTACHMENT.search(norm(p)) for p in field.path)
        if in_attachments or ATTACHMENT.search(key):
            if (TITLE.search(key) or NAME.match(key) or not field.path) and len(field.text) < 300:
                name = clean_attachment(one_line(field.text))
                if name and name not in item.sections.attachments and not SKIP.search(key):
                    item.sections.attachments.append(name)
            elif ATTACHMENT.search(key) and not field.path and "\n" in field.text:
                texts.append((field, ATTACHMENTS))
            continue
        if ACCESS.search(key) or (key in {"type", "status", "adgang"} and _closed(field)):
            closed = _closed(field)
            if closed is not None:
                item.closed = item.closed or closed
            continue
        if item.number is None and NUMBER.match(key):
            match = re.match(r"^(\d{1,4}[a-z]?)\.?$", field.text.strip())
            if match:
                item.number = match[1]
                names.number = names.number or field.name
                continue
        if title_field is None and TITLE.search(key) and len(field.text) < 400:
            title_field = field
            continue
        if JOURNAL.search(key) and len(field.text) < 80:
            found = find_journal(field.text)
            value = field.text.strip()
            if found and found[0]:
                value = found[0]
            elif not re.fullmatch(r"[\w.]*\d[\w.]*[-/][\w./\-]+", value):
                continue  # a database id ('2007129252'), not a case number
            item.journal_number = item.journal_number or value
            continue
        if OFFICER.search(key) and len(field.text) < 80:
            item.case_officer = item.case_officer or one_line(field.text)
            continue
        if PRESENTER.search(key) and len(field.text) < 120:
            item.presenter = item.presenter or one_line(field.text)
            continue
        if TIMEFRAME.search(key):
            match = re.search(r"\d{1,3}", field.text)
            if match and item.timeframe_minutes is None:
                item.timeframe_minutes = int(match[0])
            continue
        if SKIP.search(key) or PERSON_TAG.search(key):
            continue
        kind = section_kind_of(field)
        if kind is None and (
            TEXT_NAME.search(key) or len(field.text) >= 60 or "\n" in field.text.strip()
        ):
            kind = PRESENTATION
        if kind is not None:
            texts.append((field, kind))
    if title_field is None:  # 'Navn' when nothing is called a title: the one nearest the item
        named = [f for f in fields if NAME.match(f.key) and 0 < len(f.text) < 400]
        title_field = min(named, key=lambda f: len(f.path), default=None)
    if title_field is not None:
        names.title = names.title or title_field.name
        raw = one_line(title_field.text)
        if item.number is None:
            match = re.match(r"^(?:punkt\s*)?(\d{1,4})[.):]?\s+(?=\S)(.*)$", raw, re.IGNORECASE)
            if match:
                item.number, raw = match[1], match[2]
        title, closed, presenter, minutes = clean_title(raw)
        item.title = title or raw
        item.closed = item.closed or closed
        item.presenter = item.presenter or presenter
        item.timeframe_minutes = item.timeframe_minutes or minutes
    for field, kind in texts:
        text = _without_heading(field.text, item)
        if not text.strip():
            continue
        part = read_item_text(item, text, doc, default=kind)
        result.decision_dates += part.decision_dates
        result.decision_bodies += part.decision_bodies
    if not item.title:
        item.title = f"Punkt {item.number}" if item.number else "Punkt uden titel"
        doc.warn(f"Et punkt i filen har ingen titel; det er kaldt '{item.title}'.")
    return item


# ---------------------------------------------------------------- entry points


def _document_text(root: etree._Element) -> str:
    """The XML's text in document order, a field named like a section under that name."""
    out: list[str] = []
    for field in fields_of(root):
        if SKIP.search(field.key):
            continue
        kind = section_kind_of(field)
        if kind is not None and _section_name(field.text.split("\n")[0]) is None:
            out.append(f"\n{spaced_words(field.name).capitalize()}")
        out.append(field.text)
    return "\n".join(out)


def read_tree(root: etree._Element, filename: str, what: str = "XML") -> ParsedDocument:
    """Read an element tree of unknown dialect (an XML file, or JSON turned into elements)."""
    group, others = find_item_group(root)
    if group is None:
        text = _document_text(root)
        if not text.strip():
            raise NotMeetingDocumentError(filename, f"{what} uden tekst")
        doc = parse_text(text, filename)
        if not doc.items and doc.meeting.date is None and doc.body is None:
            raise NotMeetingDocumentError(
                filename, f"{what} af en ukendt type, hvor hverken møde eller punkter kan findes"
            )
        doc.warn(
            f"Ukendt {what}-format uden gentagne punkt-elementer: filens tekst er læst i "
            "rækkefølge som almindelig tekst. Kontrollér punkter og mødeoplysninger."
        )
        return doc
    doc = ParsedDocument(source=filename)
    result = TextResult()
    names = _Names()
    excluded = set(group.members)
    for other in others:
        excluded.update(other.members)
    groups, meetings = _one_meeting(root, group, others)
    for part, closed in groups:
        for member in part.members:
            item = read_item(member, doc, result, names)
            item.closed = item.closed or closed
            doc.items.append(item)
    _order(doc)
    lone_decisions(doc)
    guessed: list[str] = []
    read_meeting(root, excluded, group.parent, doc, guessed)
    read = [f"punkterne fra {shown(group.members[0])}"]
    if names.title:
        read.append(f"titlerne fra <{names.title}>")
    if names.number:
        read.append(f"numrene fra <{names.number}>")
    doc.warn(
        f"Ukendt {what}-format: {', '.join(read + guessed)}, ud fra elementernes navne og "
        "opbygning. Kontrollér punkter og mødeoplysninger."
    )
    if meetings > 1:
        doc.warn(f"Filen rummer {meetings} møder; kun det første er læst.")
    finish_document(doc, result)
    return doc


def _without_heading(text: str, item: ParsedItem) -> str:
    """A text field that repeats the item's heading ('2.<TAB>Title' above the full text) without
    that line."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    heading = " ".join(first.split()).strip("*# ")
    if item.title and heading:
        number = re.escape(item.number) if item.number else r"\d{1,4}"
        pattern = rf"^(?:(?:punkt\s*)?{number}[.):]?\s*)?{re.escape(item.title)}\b.{{0,40}}$"
        if re.match(pattern, heading, re.IGNORECASE):
            return rest
    return text


_CLOSED_VALUE = re.compile(r"^(?:lukket|lukkede|fortrolig|closed|confidential)\b", re.IGNORECASE)


def _one_meeting(
    root: etree._Element, best: Group, others: list[Group]
) -> tuple[list[tuple[Group, bool]], int]:
    """The item lists of one meeting, each with whether its part of the meeting is closed, and
    how many meetings the file holds.

    Lists at the same place in the file are parts of one meeting (an open and a closed agenda)
    unless each part carries a date of its own: then they are meetings, and the first is read."""
    if not others:
        return [(best, False)], 1
    order = {node: k for k, node in enumerate(root.iter())}
    groups = sorted([best, *others], key=lambda g: order.get(g.parent, 0))
    members = {m for g in groups for m in g.members}
    chains = [_ancestors(g.parent) for g in groups]
    common = set(chains[0]).intersection(*chains[1:])
    branches = [next(node for node in chain if node.getparent() in common) for chain in chains]
    facts = [_branch_fields(branch, members) for branch in branches]
    if sum(1 for fields in facts if any(is_date_field(f) for f in fields)) > 1:
        return [(best, False)], len(groups)
    return [
        (group, any(_CLOSED_VALUE.match(f.text.strip()) for f in fields))
        for group, fields in zip(groups, facts, strict=True)
    ], 1


def _ancestors(node: etree._Element) -> list[etree._Element]:
    out = []
    while node is not None:
        out.append(node)
        node = node.getparent()
    return out


def _branch_fields(branch: etree._Element, members: set[etree._Element]) -> list[Field]:
    """The short fields of a part of the file, outside its items."""
    out: list[Field] = []
    stack = [branch]
    while stack and len(out) < 200:
        node = stack.pop()
        for child in node:
            if not isinstance(child.tag, str) or child in members:
                continue
            if len(child):
                stack.append(child)
            elif child.text and len(child.text) < 200:
                out.append(Field(label_of(child) or child.tag, (), child.text.strip(), child))
    return out


def _order(doc: ParsedDocument) -> None:
    """Items in number order when the file lists them out of order (all numbered, all plain)."""
    numbers = [item.number for item in doc.items]
    if not numbers or not all(n and n.isdecimal() and len(n) < 6 for n in numbers):
        return
    values = [int(n) for n in numbers]  # type: ignore[arg-type]
    if values != sorted(values):
        doc.items.sort(key=lambda item: int(item.number))  # type: ignore[arg-type]
        doc.warn("Punkterne stod ikke i nummerorden i filen; de er sorteret efter nummer.")


def read(data: bytes, filename: str) -> ParsedDocument:
    from ._xml import parse_xml

    return read_tree(parse_xml(data, filename), filename)
