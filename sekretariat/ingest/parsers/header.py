"""The meeting header: forum, date, time, place, and who took part, sent apologies or was a guest.

Reads the lines before the first item ('Møde:', 'Tid:', 'Sted:', 'Deltagere:', 'Afbud:' ... or an
unlabelled front page: forum, date, room) and lists of people wherever they occur.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import find_date_span, find_times
from .lines import Line
from .model import ParsedDocument, PersonRef

PARTICIPANTS, ABSENT, GUESTS, OTHER = "participants", "absent", "guests", "other"
_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "body": ("møde", "mødeforum", "forum", "udvalg", "mødetype", "gruppe", "organ"),
    "when": ("tid", "dato", "tidspunkt", "mødedato", "mødetidspunkt", "dato og tid", "mødetid"),
    "when_where": ("tid og sted", "dato og sted", "tidspunkt og sted"),
    "where": ("sted", "mødested", "lokale", "mødelokale", "adresse", "lokation"),
    PARTICIPANTS: (
        "deltagere", "til stede", "tilstede", "medlemmer", "mødedeltagere", "fremmødte",
        "deltagende", "deltog", "til stede var", "deltagerliste",
    ),
    ABSENT: (
        "afbud", "fraværende", "ikke til stede", "afbud/fraværende", "fravær", "afbud fra",
        "forhindret", "meldt afbud",
    ),
    GUESTS: ("gæster", "gæst", "inviterede", "desuden deltog", "øvrige deltagere", "gæster/oplægsholdere"),
    OTHER: ("sekretær", "referent", "mødeleder", "ordstyrer", "sekretariat", "indkaldt af"),
}  # fmt: skip
_FIELDS = {name: key for key, names in _FIELD_NAMES.items() for name in names}
_LABELLED = re.compile(r"^([A-ZÆØÅa-zæøå][\wæøåÆØÅ /]{1,30}?)\s*:\s*(.*)$")
_FORUM_WORDS = re.compile(
    r"udvalg|r(?:å|aa)d(?:et)?\b|byr(?:å|aa)d|direktion|kreds|forum|netværk|gruppe|bestyrelse|kkr\b|komité|komite|"
    r"forsamling|regionsråd|kommunalbestyrelse|magistrat|styregruppe|formandskab|ssu\b",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(
    r"^(?:[A-ZÆØÅ][\wæøå\-]+(?:\s[A-ZÆØÅ][\wæøå\-]+)?\s+Kommune|Region\s+[A-ZÆØÅ][\wæøå]+|"
    r"KKR\s+[A-ZÆØÅ][\wæøå]+|KL)$"
)
_AFFILIATION = re.compile(
    r"\b(?:kommune|region|kl|kkr|hospital|sygehus|universitet|styrelse|ministeri|forvaltning|"
    r"center|afdeling|sekretariat)",
    re.IGNORECASE,
)
_DOC_WORDS = re.compile(
    r"^(?:åbent?\s+|lukket\s+|endelig\s+|foreløbig\s+|tillægs)?(?:dagsorden|referat|beslutningsprotokol|"
    r"mødereferat|indkaldelse|protokol)(?:\s+(?:til|for|fra))?\s*:?$",
    re.IGNORECASE,
)
_TITLE_OF = re.compile(
    r"^(?:dagsorden|referat|beslutningsreferat|mødereferat|indkaldelse)\s+(?:for|fra|til|af)?\s*"
    r"(?:møde(?:t)?\s+i\s+|mødet\s+i\s+)?(?P<body>.+?)(?:,?\s+(?:den\s+)?\d{1,2}\..*)?$",
    re.IGNORECASE,
)
_ANOTHER_FIELD = re.compile(
    r"(?:^|[\s\t])((?:"
    + "|".join(sorted((re.escape(n) for n in _FIELDS), key=len, reverse=True))
    + r")\s*:)",
    re.IGNORECASE,
)
_TOC_WORDS = re.compile(
    r"^(?:indholdsfortegnelse|indhold|oversigt over punkter|punktoversigt|punkt\s*nr\.?(?:\s+side)?|"
    r"side|sag\s*nr\.?)\s*:?$",
    re.IGNORECASE,
)
_PARTY = re.compile(r"\s*\(([A-ZÆØÅ]{1,3}|[A-ZÆØÅ]\w{0,4})\)\s*")
_ROLE = re.compile(r"\s+[-–]\s+(formand|næstformand|medlem|suppleant|sekretær|referent).*$", re.I)


def field_of(text: str) -> tuple[str, str] | None:
    """('participants', 'Leif, Bente') for 'Deltagere: Leif, Bente'; the label alone also counts."""
    key = text.strip().rstrip(":").strip().casefold()
    if key in _FIELDS:
        return _FIELDS[key], ""
    match = _LABELLED.match(text)
    if match and match[1].strip().casefold() in _FIELDS:
        return _FIELDS[match[1].strip().casefold()], match[2].strip()
    return None


def person(text: str) -> PersonRef | None:
    """'Lars Keld Hansen, Lemvig Kommune' → name + affiliation; 'Lolan Ottesen (A) - formand'."""
    text = text.strip(" .;,*_")
    text = re.sub(r"^(?:og|samt)\s+", "", text)
    if not text or len(text) > 120:
        return None
    affiliation = None
    if "," in text:
        name, _, rest = text.partition(",")
        if _AFFILIATION.search(rest) or len(rest.split()) <= 4:
            text, affiliation = name.strip(), rest.strip() or None
    text = _ROLE.sub("", text)
    party = _PARTY.search(text)
    if party and affiliation is None:
        affiliation = party[1]
    text = _PARTY.sub(" ", text).strip()
    text = re.sub(r"\s{2,}", " ", text)
    if not text or not re.search(r"[A-Za-zÆØÅæøå]", text):
        return None
    return PersonRef(text, affiliation)


def people(chunks: Sequence[str]) -> list[PersonRef]:
    """People from the lines of a list; a line is either one person or a comma-separated run."""
    chunks = [c.strip() for c in chunks if c.strip()]
    if not chunks:
        return []
    per_line = all(
        c.count(",") == 1
        and not c.endswith(",")
        and _AFFILIATION.search(c.partition(",")[2])
        and len(c.partition(",")[2].split()) <= 5
        for c in chunks
    )
    if len(chunks) > 1 and all("," not in c for c in chunks):
        per_line = True
    if per_line:
        names = chunks
    else:
        joined = ""
        for chunk in chunks:
            if joined and not joined.rstrip().endswith((",", ";")):
                joined += " "
            joined += chunk + " "
        names = [n for n in re.split(r"\s*[,;]\s*|\s+samt\s+|\s+og\s+(?=[A-ZÆØÅ])", joined)]
    out = []
    for name in names:
        ref = person(name)
        if ref and ref.name.casefold() not in {"ingen", "-", "intet", "ingen afbud"}:
            out.append(ref)
    return out


def is_document_word(text: str) -> bool:
    """'Dagsorden', 'Referat', 'Åbent referat', 'Beslutningsprotokol' ..."""
    return bool(_DOC_WORDS.match(text.strip()))


def is_forum_line(text: str) -> bool:
    return bool(_FORUM_WORDS.search(text)) and len(text) < 120 and not text.endswith(".")


def split_fields(text: str) -> list[str]:
    """'Dato: 6. marts 2025 Sted: Rådhuset' → two fields: a header in two columns, read across.

    Only a line that begins with a field label is split, and only before another field label
    that ends in a colon."""
    if ":" not in text or field_of(text) is None:
        return [text]
    cuts = [m.start(1) for m in _ANOTHER_FIELD.finditer(text) if m.start(1) > 0]
    cuts = [c for c in cuts if field_of(text[c:]) is not None]
    if not cuts:
        return [text]
    parts = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return [p for p in parts if p]


def _expand(lines: Sequence[Line]) -> tuple[list[Line], list[int]]:
    """The header's lines with two-column lines split, and each one's index in ``lines``."""
    out: list[Line] = []
    origin: list[int] = []
    for index, line in enumerate(lines):
        parts = split_fields(line.text) if line.text and ":" in line.text else [line.text]
        for part in parts:
            out.append(line if len(parts) == 1 else Line(part, page=line.page))
            origin.append(index)
    return out, origin


def read_header(lines: Sequence[Line], doc: ParsedDocument) -> list[int]:
    """Fill ``doc``'s meeting facts from the header lines; returns the indexes it used."""
    expanded, origin = _expand(lines)
    if len(expanded) == len(lines):
        return _read_header(lines, doc)
    return sorted({origin[i] for i in _read_header(expanded, doc)})


def _read_header(lines: Sequence[Line], doc: ParsedDocument) -> list[int]:
    used: list[int] = []
    meeting = doc.meeting
    index = 0
    date_index = None
    filled = 0
    while index < len(lines):
        text = lines[index].text
        filled += bool(text)
        field = field_of(text) if text else None
        if field is None:
            if text and meeting.date is None and filled <= 40:
                found = find_date_span(text)
                if found and len(text) < 120:
                    meeting.date = found[0]
                    date_index = index
                    used.append(index)
                    start, end = find_times(text)
                    meeting.start_time = meeting.start_time or start
                    meeting.end_time = meeting.end_time or end
                    title = _TITLE_OF.match(text)
                    if title and doc.body is None and is_forum_line(title["body"]):
                        doc.body = _clean_body(title["body"])
            index += 1
            continue
        key, value = field
        column = [] if value else _label_column(lines, index)
        if column:
            # Labels in one column, their values in the next, read one column after the other.
            for label_index, value_index in column:
                used += [label_index, value_index]
                _apply(doc, field_of(lines[label_index].text)[0], [lines[value_index].text])
            index = max(v for _, v in column) + 1
            continue
        used.append(index)
        values = [value] if value else []
        index += 1
        # continuation lines: until the next label, a blank pair, or a date/heading
        blanks = 0
        while index < len(lines):
            nxt = lines[index]
            if not nxt.text:
                blanks += 1
                if blanks >= 2 and (values or blanks >= 3):
                    break
                index += 1
                continue
            if (
                field_of(nxt.text)
                or nxt.level
                or _looks_like_item(nxt.text)
                or _TOC_WORDS.match(nxt.text)
                or _DOC_WORDS.match(nxt.text)
            ):
                break
            if key in {"body", "when", "where", "when_where"} and blanks:
                break
            if (
                key in {"body", "when", "where"}
                and len(values) >= 1
                and not values[-1].endswith(",")
            ):
                break
            values.append(nxt.text)
            used.append(index)
            blanks = 0
            index += 1
        _apply(doc, key, values)
    if date_index is not None:
        _front_page(lines, doc, date_index, used)
    for i, line in enumerate(lines):
        if doc.organisation is None and _ORGANISATION.match(line.text):
            doc.organisation = line.text
            used.append(i)
    if doc.body is None:
        _title_line(lines, doc, used)
    if doc.body:
        match = _BODY_OF_ORG.match(doc.body)
        if match:
            doc.body = match["body"]
            doc.organisation = doc.organisation or match["org"]
    return used


_BODY_OF_ORG = re.compile(
    r"^(?P<body>.+?)\s+i\s+(?P<org>[A-ZÆØÅ][\wæøå\-]+(?:\s[A-ZÆØÅ][\wæøå\-]+)?\s+Kommune|"
    r"Region\s+[A-ZÆØÅ][\wæøå]+)$"
)


def _title_line(lines: Sequence[Line], doc: ParsedDocument, used: list[int]) -> None:
    """A title line naming the forum: 'Møde i Netværk for sundhedsfremme', 'Referat fra KKR'."""
    seen = 0
    for i, line in enumerate(lines):
        if not line.text:
            continue
        seen += 1
        if seen > 3:
            return
        if i in used or len(line.text) > 120:
            continue
        title = _TITLE_OF.match(line.text)
        candidate = title["body"] if title else line.text
        candidate = re.sub(r"^(?:møde|mødet)\s+(?:i|for)\s+", "", candidate, flags=re.IGNORECASE)
        if is_forum_line(candidate) and not find_date_span(line.text):
            doc.body = _clean_body(candidate)
            used.append(i)
            return


_SINGLE_VALUED = {"body", "when", "where", "when_where"}


def _label_column(lines: Sequence[Line], start: int) -> list[tuple[int, int]]:
    """'Dato:' 'Tid:' 'Sted:' on lines of their own, then their values in the same order: the
    pairs (label line, value line). Only for labels that take one line each (not lists of
    people), and only when as many values follow as there are labels."""
    labels: list[int] = []
    index = start
    while index < len(lines) and len(labels) < 8:
        text = lines[index].text
        if not text:
            index += 1
            continue
        field = field_of(text)
        if field is None or field[1] or field[0] not in _SINGLE_VALUED:
            break
        labels.append(index)
        index += 1
    if len(labels) < 2:
        return []
    values: list[int] = []
    while index < len(lines) and len(values) < len(labels):
        text = lines[index].text
        if text:
            if field_of(text) or _looks_like_item(text) or _DOC_WORDS.match(text):
                break
            values.append(index)
        index += 1
    if len(values) != len(labels):
        return []
    return list(zip(labels, values, strict=True))


def _looks_like_item(text: str) -> bool:
    return bool(re.match(r"^(?:punkt\s+)?\d{1,3}[.:)]?\s+[A-ZÆØÅ]", text, re.IGNORECASE)) and (
        "\t" in text or len(text) < 150
    )


def _clean_body(text: str) -> str:
    text = re.sub(r"^(?:møde\s+i|mødet\s+i)\s+", "", text.strip(" :,-"), flags=re.IGNORECASE)
    text = text.strip(" :,-")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _apply(doc: ParsedDocument, key: str, values: list[str]) -> None:
    meeting = doc.meeting
    if key == "body" and values and doc.body is None:
        doc.body = _clean_body(values[0])
    elif key in {"when", "when_where"}:
        joined = " ".join(values)
        found = find_date_span(joined)
        if found and meeting.date is None:
            meeting.date = found[0]
        start, end = find_times(joined)
        meeting.start_time = meeting.start_time or start
        meeting.end_time = meeting.end_time or end
        if key == "when_where" and len(values) > 1 and meeting.location is None:
            meeting.location = _clean_location(values[-1])
    elif key == "where" and values and meeting.location is None:
        address = (
            len(values) > 1
            and all(len(v) <= 60 for v in values)
            and (_POSTCODE.match(values[-1]) or _STREET.match(values[1]))
        )
        joiner = ", " if address and not values[0].endswith(",") else " "
        meeting.location = _clean_location(joiner.join(v.strip(" ,") for v in values))
    elif key == PARTICIPANTS:
        meeting.participants.extend(people(values))
    elif key == ABSENT:
        meeting.absent.extend(people(values))
    elif key == GUESTS:
        meeting.guests.extend(people(values))


_POSTCODE = re.compile(r"^(?:DK-?)?\d{4}\s+[A-ZÆØÅ][\wæøå .\-]*$")
_STREET = re.compile(r"^[A-ZÆØÅ][\wæøå .\-]*\s\d{1,4}[A-Za-z]?(?:,.*)?$")


def _address_lines(lines: Sequence[Line], first: int) -> list[int]:
    """The place's line and the address lines under it ('Præstekravevej 46', 'Følle Strand',
    '8410 Rønde'): taken only when they end in a Danish postcode and town."""
    run: list[int] = [first]
    for k in range(first + 1, min(len(lines), first + 5)):
        text = lines[k].text
        if not text or field_of(text) or len(text) > 60 or text.endswith("."):
            break
        run.append(k)
        if _POSTCODE.match(text):
            return run
    postcode_in_run = [k for k in run[1:] if _POSTCODE.match(lines[k].text)]
    return run[: run.index(postcode_in_run[0]) + 1] if postcode_in_run else [first]


def _clean_location(text: str) -> str | None:
    text = re.sub(r"^(?:mødet\s+(?:afholdes|holdes)\s+(?:på|i)\s+|i\s+|på\s+)", "", text.strip(),
                  flags=re.IGNORECASE)  # fmt: skip
    text = text.strip(" ,.")
    return text or None


def _front_page(
    lines: Sequence[Line], doc: ParsedDocument, date_index: int, used: list[int]
) -> None:
    """An unlabelled front page: forum above the date, time and room below it."""
    meeting = doc.meeting
    if doc.body is None:
        for i in range(date_index - 1, max(-1, date_index - 8), -1):
            text = lines[i].text
            if not text or _DOC_WORDS.match(text) or i in used:
                continue
            if is_forum_line(text):
                doc.body = _clean_body(
                    _TITLE_OF.match(text)["body"] if _TITLE_OF.match(text) else text
                )
                used.append(i)
                break
        top = [line.text for line in lines[: date_index + 1] if line.text]
        if doc.body is None and len(top) <= 15 and any(_DOC_WORDS.match(t) for t in top):
            for i in range(date_index - 1, max(-1, date_index - 4), -1):
                text = lines[i].text
                if text and not _DOC_WORDS.match(text) and i not in used and len(text) < 80:
                    doc.body = _clean_body(text)
                    used.append(i)
                    break
    seen = 0
    for i in range(date_index + 1, min(len(lines), date_index + 8)):
        text = lines[i].text
        if not text or i in used:
            continue
        seen += 1
        if seen > 3 or field_of(text) or _looks_like_item(text):
            break
        if meeting.start_time is None and re.fullmatch(
            r"(?:kl\.?|klokken)\s*\d{1,2}[.:]\d{2}.*", text, re.I
        ):
            meeting.start_time, meeting.end_time = find_times(text)
            used.append(i)
            continue
        if _DOC_WORDS.match(text) or _ORGANISATION.match(text) or find_date_span(text):
            continue
        if meeting.location is None and len(text) < 100 and not text.endswith("."):
            parts = _address_lines(lines, i)
            meeting.location = _clean_location(", ".join(lines[k].text for k in parts))
            used.extend(parts)
            break
