"""The parsed document: plain dataclasses in the shape of the `sekretariat.parse/1` format.

``ParsedDocument.to_dict()`` returns exactly the JSON object described in
``../shared/PARSE_FORMAT.md``; nothing downstream should need to know about these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "sekretariat.parse/1"

DOCUMENT_TYPES = ("agenda", "minutes", "attachment", "other")
ITEM_KINDS = ("decision", "discussion", "information")


@dataclass
class PersonRef:
    """Deltager: a person (or a group of people) named in a meeting header or a decision."""

    name: str
    affiliation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "affiliation": self.affiliation}


@dataclass
class Sections:
    """The named parts of an agenda item; ``None`` when the document does not have that part."""

    resume: str | None = None
    recommendation: str | None = None
    presentation: str | None = None
    decision: str | None = None
    attachments: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "resume": self.resume,
            "recommendation": self.recommendation,
            "presentation": self.presentation,
            "decision": self.decision,
            "attachments": list(self.attachments),
        }


@dataclass
class ParsedItem:
    """Dagsordenspunkt: one item as the document prints it."""

    title: str
    number: str | None = None
    closed: bool = False
    journal_number: str | None = None
    case_officer: str | None = None
    presenter: str | None = None
    timeframe_minutes: int | None = None
    kind: str | None = None
    sections: Sections = field(default_factory=Sections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "closed": self.closed,
            "journal_number": self.journal_number,
            "case_officer": self.case_officer,
            "presenter": self.presenter,
            "timeframe_minutes": self.timeframe_minutes,
            "kind": self.kind,
            "sections": self.sections.to_dict(),
        }


@dataclass
class ParsedMeeting:
    """Møde: when and where, and who came, sent apologies or was invited as a guest."""

    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    location: str | None = None
    participants: list[PersonRef] = field(default_factory=list)
    absent: list[PersonRef] = field(default_factory=list)
    guests: list[PersonRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "location": self.location,
            "participants": [p.to_dict() for p in self.participants],
            "absent": [p.to_dict() for p in self.absent],
            "guests": [p.to_dict() for p in self.guests],
        }


@dataclass
class ParsedDocument:
    """One file as read: its meeting, its items and what the reader had to guess."""

    source: str
    document_type: str = "other"
    body: str | None = None
    organisation: str | None = None
    meeting: ParsedMeeting = field(default_factory=ParsedMeeting)
    items: list[ParsedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "source": self.source,
            "document_type": self.document_type,
            "body": self.body,
            "organisation": self.organisation,
            "meeting": self.meeting.to_dict(),
            "items": [item.to_dict() for item in self.items],
            "warnings": list(self.warnings),
        }
