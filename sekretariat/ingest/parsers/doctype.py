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


def decide_document_type(doc: ParsedDocument, lines: Sequence[Line]) -> None:
    """Minutes when an item has a decision, an agenda when there are items; without items, a
    meeting's document only if its first lines speak of a meeting, else an attachment."""
    if any(item.sections.decision for item in doc.items):
        doc.document_type = "minutes"
    elif doc.items:
        doc.document_type = "agenda"
    elif (doc.meeting.date or doc.body) and (not lines or _speaks_of_a_meeting(lines)):
        doc.document_type = "other"
        doc.warn("Dokumentet beskriver et møde, men der er ikke fundet nogen punkter.")
    else:
        # A date or a forum in prose that never speaks of a meeting ('Godkendt af byrådet den
        # 30. april 2009' on a policy) is not a meeting's: the document is an attachment.
        doc.meeting.date = doc.meeting.start_time = doc.meeting.end_time = None
        doc.document_type = "attachment"
        doc.warn("Ingen mødeoplysninger eller punkter fundet: dokumentet er læst som bilag.")
