"""What a parsed document is: minutes, an agenda, another meeting document, or an attachment."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line
from .model import ParsedDocument

_MEETING_WORDS = re.compile(
    r"\b(?:møde[a-zæøå]*|dagsorden[a-zæøå]*|referat[a-zæøå]*|deltagere|afbud|fraværende|"
    r"til stede|tilstede)\b",
    re.IGNORECASE,
)


def _speaks_of_a_meeting(lines: Sequence[Line], limit: int = 60) -> bool:
    """Whether the first lines with text name a meeting, an agenda or minutes at all."""
    filled = [line.text for line in lines if line.text][:limit]
    return any(_MEETING_WORDS.search(text) for text in filled)


# Decisions written as sentences, as a minute book records them ('Det vedtoges at ...').
_PROSE_DECISION = re.compile(
    r"\b(?:vedtoges|besluttedes|godkendtes|bevilgedes|tiltraadtes|tiltrådtes|vedtog|"
    r"blev\s+(?:vedtaget|besluttet|godkendt|bevilget|tiltrådt|tiltraadt|valgt))\b",
    re.IGNORECASE,
)
_MEETING_HELD = re.compile(
    r"\b(?:møde|mødet|moede|afholdt|afholdtes|forhandlingsprotokol|mødtes)\b", re.IGNORECASE
)
# '<Forum> d. 5/4 1945', '<Forum>, den 20. december 1945': the line that closes an entry.
_CLOSING = re.compile(
    r"^(?P<forum>[A-ZÆØÅ][\wæøåÆØÅ .\-]{2,60}?),?\s+(?:d\.|den)?\s*"
    r"(?P<date>\d{1,2}[./]\s?\d{1,2}[./ ]\s?\d{2,4}|\d{1,2}\.\s*[a-zæøå]+\.?\s+\d{4})\s*\.?$"
)


def _calls_itself_minutes(lines: Sequence[Line]) -> bool:
    from .decisions import calls_itself_minutes

    return calls_itself_minutes(lines)


def _prose_minutes(doc: ParsedDocument, lines: Sequence[Line]) -> bool:
    """A minute book: decisions in sentences, meetings held, no items. The forum is read from
    the lines that close each entry; the date only when all entries share it."""
    text = [line.text for line in lines if line.text]
    decisions = sum(len(_PROSE_DECISION.findall(t)) for t in text)
    held = sum(1 for t in text if _MEETING_HELD.search(t))
    if decisions < 3 or held < 2:
        return False
    from .header import is_forum_line  # header imports nothing from here

    forums: dict[str, int] = {}
    dates: set[str] = set()
    for t in text:
        match = _CLOSING.match(t)
        if match and is_forum_line(match["forum"]):
            forums[match["forum"].strip()] = forums.get(match["forum"].strip(), 0) + 1
            dates.add(re.sub(r"\s+", "", match["date"]))
    if forums and doc.body not in forums:
        # the closing lines name the forum better than a first line that was only a guess
        doc.body = max(forums, key=forums.get)  # type: ignore[arg-type]
    if len(dates) > 1:
        doc.meeting.date = doc.meeting.start_time = doc.meeting.end_time = None
        doc.warn(
            f"Filen rummer flere møder ({len(dates)} datoer); den er læst som ét referat uden "
            "mødedato og uden punkter. Del den op, eller angiv mødet ved indlæsningen."
        )
    doc.warn(
        "Referatet har ingen punkter: beslutningerne står i løbende tekst ('Det vedtoges ...')."
    )
    return True


def decide_document_type(doc: ParsedDocument, lines: Sequence[Line]) -> None:
    """Minutes when an item has a decision, an agenda when there are items; without items,
    minutes when decisions are written as sentences (a minute book), a meeting's document only
    if its first lines speak of a meeting, else an attachment."""
    if any(item.sections.decision for item in doc.items):
        doc.document_type = "minutes"
    elif doc.items and lines and _calls_itself_minutes(lines):
        doc.document_type = "minutes"
        doc.warn(
            "Dokumentet kalder sig et referat, men ingen beslutninger er fundet under punkterne; "
            "det er læst som referat. Kontrollér beslutningerne."
        )
    elif doc.items:
        doc.document_type = "agenda"
    elif lines and _prose_minutes(doc, lines):
        doc.document_type = "minutes"
    elif (doc.meeting.date or doc.body) and (not lines or _speaks_of_a_meeting(lines)):
        doc.document_type = "other"
        doc.warn("Dokumentet beskriver et møde, men der er ikke fundet nogen punkter.")
    else:
        # A date or a forum in prose that never speaks of a meeting ('Godkendt af byrådet den
        # 30. april 2009' on a policy) is not a meeting's: the document is an attachment.
        doc.meeting.date = doc.meeting.start_time = doc.meeting.end_time = None
        doc.meeting.location = None
        doc.document_type = "attachment"
        doc.warn("Ingen mødeoplysninger eller punkter fundet: dokumentet er læst som bilag.")
