"""The meeting around the items of an unknown export: date, time, place, forum and people, read
from the fields outside the items, the nearest to them first (a file's export date is no
meeting date, and another meeting's place is not this one's)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from lxml import etree

from ..danish import find_date_span
from ..header import is_forum_line, person
from ..model import ParsedDocument, PersonRef
from ._xml import is_html_element, node_text, one_line, set_when
from .xml_fields import (
    ABSENT_VALUE,
    BODY_NAME,
    COPENHAGEN,
    DATE_NAME,
    END_NAME,
    ISO_TZ,
    MAX_FIELDS,
    MEETING_TAG,
    NAME,
    NOT_MEETING_DATE,
    ORGANISATION,
    PERSON_TAG,
    PLACE_NAME,
    SKIP,
    STATUS_NAME,
    TITLE,
    Field,
    fields_of,
    label_of,
    name_of,
    norm,
    repeated_groups,
    truth_of,
)

# ---------------------------------------------------------------- the meeting around the items


def _outside(
    root: etree._Element, excluded: set[etree._Element], ancestors: set[etree._Element]
) -> list[tuple[int, Field]]:
    """Fields outside the items, each with the depth of the element it shares with the items
    (deeper is nearer: the meeting's own date before a date elsewhere in the file)."""
    out: list[tuple[int, Field]] = []
    budget = [MAX_FIELDS]

    def walk(node: etree._Element, shared: int, on_chain: bool, path: tuple[str, ...]) -> None:
        own = name_of(node)
        for key, value in node.attrib.items():
            if value.strip() and not (value.strip() == own and own != node.tag):
                out.append((shared, Field(key, path, value.strip(), None, on_chain)))
        for child in node:
            if not isinstance(child.tag, str) or child in excluded or budget[0] <= 0:
                continue
            budget[0] -= 1
            chain = on_chain and child in ancestors
            depth = shared + 1 if chain else shared
            elements = [c for c in child if isinstance(c.tag, str)]
            if elements and not all(is_html_element(c) for c in elements):
                walk(child, depth, chain, (*path, name_of(child)))
                continue
            label = label_of(child)
            for key, value in child.attrib.items():
                if value.strip() and value.strip() != label:
                    out.append((depth, Field(key, (*path, name_of(child)), value.strip(), None)))
            text = node_text(child)
            if text:
                out.append((depth, Field(label or child.tag, path, text, child, on_chain)))

    walk(root, 1, True, ())
    return out


def _nearest(fields: list[tuple[int, Field]], accept, prefer=None) -> Field | None:
    """The first accepted field that is nearest the items (and preferred, when ``prefer``
    says which fields name the meeting itself)."""
    best: tuple[tuple[int, int], Field] | None = None
    for depth, field in fields:
        if not accept(field):
            continue
        rank = (int(prefer(field)) if prefer else 0, depth)
        if best is None or rank > best[0]:
            best = (rank, field)
    return best[1] if best else None


def _of_the_meeting(field: Field) -> bool:
    """A field in or named after the meeting ('MeetingDate', <table name="meeting">/date)."""
    return any(MEETING_TAG.search(norm(p)) for p in field.path[-2:]) or bool(
        MEETING_TAG.search(field.key)
    )


def _when(value: str) -> str:
    """A date field as text the date reader knows: ISO with a zone becomes Danish local time, a
    Unix time (seconds or milliseconds) too."""
    text = value.strip()
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})T(?=\d)", r"\1 ", text) if "T" in text[:11] else text
    match = ISO_TZ.match(
        text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    )
    if match:
        zone = match[3].replace("Z", "+00:00")
        if ":" not in zone:
            zone = f"{zone[:3]}:{zone[3:]}"
        try:
            moment = datetime.fromisoformat(f"{match[1]}T{match[2]}{zone}")
            return moment.astimezone(ZoneInfo(COPENHAGEN)).strftime("%Y-%m-%d %H:%M")
        except (ValueError, OverflowError):
            return text
    if re.fullmatch(r"\d{10}|\d{13}", text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError):
            return text
        if 1990 <= moment.year <= 2100:
            return moment.astimezone(ZoneInfo(COPENHAGEN)).strftime("%Y-%m-%d %H:%M")
    return text


def is_date_field(field: Field) -> bool:
    key = field.key
    context = "".join(norm(p) for p in field.path[-2:])
    if NOT_MEETING_DATE.search(key) or END_NAME.search(key):
        return False
    if not (DATE_NAME.search(key) or (MEETING_TAG.search(context) and "tid" in key)):
        return False
    return find_date_span(_when(field.text)) is not None


def _is_end_field(field: Field) -> bool:
    key = field.key
    return (
        bool(END_NAME.search(key))
        and not NOT_MEETING_DATE.search(key)
        and bool(re.search(r"\d{1,2}[:.]\d{2}", _when(field.text)))
    )


def _body_field(field: Field) -> bool:
    """A forum's name: a field named after the forum ('Udvalg', 'Committee/Name'), or the name
    of the element that holds the items when it reads as a forum ('Agenda/Name')."""
    key = field.key
    parents = [norm(p) for p in field.path[-2:]]
    if len(field.text) > 150 or "\n" in field.text.strip() or SKIP.search(key):
        return False
    if truth_of(field.text) is not None or not re.search(r"[A-Za-zÆØÅæøå]{2}", field.text):
        return False
    if BODY_NAME.search(key) and not re.search(r"nummer|number|nr$|type|kode|code|id$", key):
        return not field.text.strip().isdigit()
    named = bool(NAME.match(key) or TITLE.search(key))
    if named and field.direct and is_forum_line(one_line(field.text)):
        return True
    return named and any(BODY_NAME.search(p) for p in parents)


def _people(root: etree._Element, excluded: set[etree._Element], doc: ParsedDocument) -> None:
    """Repeated person elements outside the items: participants, or absent by their status or by
    the name of the list they are in."""
    seen: set[str] = set()
    for group in repeated_groups(root):
        tag = norm(group.tag)
        parent = norm(name_of(group.parent))
        if not (PERSON_TAG.search(tag) or PERSON_TAG.search(parent)):
            continue
        if any(m in excluded for m in group.members) or _inside(group.parent, excluded):
            continue
        for member in group.members:
            fields = fields_of(member, budget=[200])
            named = [f for f in fields if NAME.match(f.key) or f.key == "fornavnefternavn"]
            if len(named) != 1:  # no name, or a list of people rather than one person
                continue
            name_field = named[0]
            ref = person(one_line(name_field.text))
            if ref is None or ref.name.casefold() in seen:
                continue
            absent = bool(re.search(r"afbud|fravær|absent|cancel", parent + tag))
            guest = bool(re.search(r"gæst|guest|inviter", parent + tag))
            absent = absent or any(_says_absent(field) for field in fields)
            seen.add(ref.name.casefold())
            target = (
                doc.meeting.absent
                if absent
                else (doc.meeting.guests if guest else doc.meeting.participants)
            )
            target.append(PersonRef(ref.name, ref.affiliation))


def _says_absent(field: Field) -> bool:
    """'Afbud=true', 'Present=false', 'Status=Afbud'."""
    key, truth = field.key, truth_of(field.text)
    if re.search(r"afbud|fravær|absent|cancel", key):
        return bool(truth)
    if re.search(r"^(?:present|deltog|tilstede|fremmødt|participating)$", key):
        return truth is False
    return bool(STATUS_NAME.search(key) and ABSENT_VALUE.match(field.text.strip()))


def _inside(node: etree._Element, excluded: set[etree._Element]) -> bool:
    while node is not None:
        if node in excluded:
            return True
        node = node.getparent()
    return False


def read_meeting(
    root: etree._Element, excluded: set[etree._Element], anchor: etree._Element | None,
    doc: ParsedDocument, guessed: list[str],
) -> None:  # fmt: skip
    ancestors: set[etree._Element] = set()
    node = anchor
    while node is not None:
        ancestors.add(node)
        node = node.getparent()
    fields = _outside(root, excluded, ancestors)
    date = _nearest(fields, is_date_field, _of_the_meeting)
    if date is None:
        date = _nearest(
            fields,
            lambda f: (
                not NOT_MEETING_DATE.search(f.key)
                and not SKIP.search(f.key)
                and len(f.text) < 80
                and find_date_span(_when(f.text)) is not None
            ),
        )
        if date is not None:
            guessed.append(f"mødedatoen fra <{date.name}>")
    if date is not None:
        end = _nearest(fields, _is_end_field, _of_the_meeting)
        set_when(doc.meeting, _when(date.text), _when(end.text) if end else "")
    place = _nearest(
        fields,
        lambda f: (
            bool(PLACE_NAME.search(f.key))
            and not SKIP.search(f.key)
            and len(f.text) < 200
            and not f.text.strip().isdigit()
        ),
        _of_the_meeting,
    )
    if place is not None:
        doc.meeting.location = (
            ", ".join(part.strip() for part in one_line(place.text).split(",") if part.strip())
            or None
        )
    body = _nearest(fields, _body_field, lambda f: f.direct)
    if body is not None:
        doc.body = one_line(body.text) or None
    for _, field in fields:
        if doc.organisation is None and ORGANISATION.match(one_line(field.text)):
            doc.organisation = one_line(field.text)
    _people(root, excluded, doc)
