"""Hændelser: the typed domain events, one frozen dataclass each.

A service that changes data records one of these with `core.services.event_record`, in the same
transaction as the change: the event is a row of the append-only audit log (`AuditEvent`),
stored under the class's `name` with its fields as JSON. After the commit the event is handed
to the consumers of `config/consumers.py` (see `core.dispatch`); each consumer keeps its own
position in the log, so nothing is lost when a handler fails or a process dies.

An event names what changed by id only, never by model instance: a handler reads the current
state itself, and an event read back from the log years later still makes sense. Every class
here is described in `docs/architecture.md` (a test checks it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. `name` is stored in the log and never changes once released;
    `subject` names the object the audit trail files the event under."""

    name: ClassVar[str]
    subject_type: ClassVar[str]

    @property
    def subject_id(self) -> int | str:
        raise NotImplementedError

    def payload(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Event:
        values = {}
        for f in dataclasses.fields(cls):
            value = data.get(f.name)
            if isinstance(value, list):
                value = tuple(value)
            values[f.name] = value
        return cls(**values)


def _plain(value):
    return list(value) if isinstance(value, tuple | frozenset | set) else value


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MeetingChanged(Event):
    """A meeting was created or its details (time, place, title) changed."""

    name = "meeting_changed"
    subject_type = "meetings.meeting"
    meeting_id: int

    @property
    def subject_id(self) -> int:
        return self.meeting_id


@dataclass(frozen=True, kw_only=True)
class MeetingStatusChanged(Event):
    """A meeting moved in its life cycle (published, held, minutes approved, cancelled): what
    the public may see of all its items changes with it."""

    name = "meeting_status_changed"
    subject_type = "meetings.meeting"
    meeting_id: int
    old_status: str
    new_status: str

    @property
    def subject_id(self) -> int:
        return self.meeting_id


@dataclass(frozen=True, kw_only=True)
class AgendaItemsChanged(Event):
    """Items of one meeting were added, changed, moved, renumbered or removed (`item_ids` may
    name items that no longer exist), including their sections and decisions."""

    name = "agenda_items_changed"
    subject_type = "meetings.meeting"
    meeting_id: int
    item_ids: tuple[int, ...]

    @property
    def subject_id(self) -> int:
        return self.meeting_id


@dataclass(frozen=True, kw_only=True)
class AttachmentsChanged(Event):
    """Attachments of one item were added or removed."""

    name = "attachments_changed"
    subject_type = "meetings.agendaitem"
    meeting_id: int
    item_id: int
    attachment_ids: tuple[int, ...]

    @property
    def subject_id(self) -> int:
        return self.item_id


@dataclass(frozen=True, kw_only=True)
class AttendanceChanged(Event):
    """Who took part in, was a guest at, or was absent from a meeting changed."""

    name = "attendance_changed"
    subject_type = "meetings.meeting"
    meeting_id: int
    person_ids: tuple[int, ...]

    @property
    def subject_id(self) -> int:
        return self.meeting_id


@dataclass(frozen=True, kw_only=True)
class FileStored(Event):
    """A file's content was stored under its SHA-256 (attachments, imported source files)."""

    name = "file_stored"
    subject_type = "file"
    sha256: str
    size_bytes: int

    @property
    def subject_id(self) -> str:
        return self.sha256[:40]


# --- bodies and people -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BodyChanged(Event):
    """A body (forum) was created or changed, or its terms of reference got a new version."""

    name = "body_changed"
    subject_type = "bodies.body"
    body_id: int

    @property
    def subject_id(self) -> int:
        return self.body_id


@dataclass(frozen=True, kw_only=True)
class OrganisationChanged(Event):
    """An organisation (municipality, region, KKR, ...) was created or changed."""

    name = "organisation_changed"
    subject_type = "bodies.organisation"
    organisation_id: int

    @property
    def subject_id(self) -> int:
        return self.organisation_id


@dataclass(frozen=True, kw_only=True)
class PeopleChanged(Event):
    """People were created or their details changed."""

    name = "people_changed"
    subject_type = "bodies.person"
    person_ids: tuple[int, ...]

    @property
    def subject_id(self) -> int:
        return self.person_ids[0] if self.person_ids else 0


@dataclass(frozen=True, kw_only=True)
class MembershipChanged(Event):
    """A seat in a body began, was replaced or ended (an appointment)."""

    name = "membership_changed"
    subject_type = "bodies.membership"
    membership_id: int
    body_id: int
    person_id: int

    @property
    def subject_id(self) -> int:
        return self.membership_id


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CaseChanged(Event):
    """A case was opened (by the first item with its journal number) or changed."""

    name = "case_changed"
    subject_type = "cases.case"
    case_id: int

    @property
    def subject_id(self) -> int:
        return self.case_id


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DocumentImported(Event):
    """A parsed document was merged into a meeting (created or updated it)."""

    name = "document_imported"
    subject_type = "meetings.meeting"
    meeting_id: int
    sha256: str
    outcome: str

    @property
    def subject_id(self) -> int:
        return self.meeting_id


@dataclass(frozen=True, kw_only=True)
class UploadChanged(Event):
    """An uploaded file awaiting review was received or discarded."""

    name = "upload_changed"
    subject_type = "ingest.importedfile"
    upload_id: int
    sha256: str

    @property
    def subject_id(self) -> int:
        return self.upload_id


# --- IV agreement ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CourseStepRecorded(Event):
    """A step of an IV course was recorded (referral, assessment, plan, visit, deviation...)."""

    name = "course_step_recorded"
    subject_type = "settlements.course"
    course_id: int
    municipality_id: int
    step: str

    @property
    def subject_id(self) -> int:
        return self.course_id


@dataclass(frozen=True, kw_only=True)
class SettlementRunCreated(Event):
    """A settlement run (afregning) was made for an agreement and period."""

    name = "settlement_run_created"
    subject_type = "settlements.settlementrun"
    run_id: int

    @property
    def subject_id(self) -> int:
        return self.run_id


@dataclass(frozen=True, kw_only=True)
class PopulationImported(Event):
    """Population figures per municipality and year were loaded."""

    name = "population_imported"
    subject_type = "settlements.population"
    rows: int
    years: tuple[int, ...]

    @property
    def subject_id(self) -> int:
        return self.rows


@dataclass(frozen=True, kw_only=True)
class CourseAccessChanged(Event):
    """A user's role in the IV register was granted or revoked."""

    name = "course_access_changed"
    subject_type = "settlements.courseaccess"
    access_id: int
    user_id: int
    role: str
    organisation_id: int | None = None

    @property
    def subject_id(self) -> int:
        return self.access_id


# Every event class by its stored name: how the log is read back (never built from strings).
EVENT_TYPES: dict[str, type[Event]] = {
    cls.name: cls
    for cls in (
        MeetingChanged,
        MeetingStatusChanged,
        AgendaItemsChanged,
        AttachmentsChanged,
        AttendanceChanged,
        FileStored,
        BodyChanged,
        OrganisationChanged,
        PeopleChanged,
        MembershipChanged,
        CaseChanged,
        DocumentImported,
        UploadChanged,
        CourseStepRecorded,
        SettlementRunCreated,
        PopulationImported,
        CourseAccessChanged,
    )
}
