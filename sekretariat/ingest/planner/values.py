"""The planner's values: what comes in (snapshots, conventions) and what goes out (the plan)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_START = datetime.time(9, 0)
DEFAULT_DURATION = datetime.timedelta(hours=2)

# The parser's section names, in the order they are merged.
SECTION_NAMES = ("resume", "recommendation", "presentation", "decision")
# Item fields taken from the document as text, with the model's length limit.
ITEM_TEXT_FIELDS = {"title": 400, "presenter": 200, "journal_number": 60, "case_officer": 200}
NUMBER_LENGTH = 20
LOCATION_LENGTH = 300
NAME_LENGTH = 200
ATTACHMENT_TITLE_LENGTH = 300
SOURCE_KEY_LENGTH = 420

# Warnings: code -> its parameters. The loader holds the Danish wording of each.
NO_START_TIME = "no_start_time"
MEETING_FIELD_KEPT = "meeting_field_kept"
ITEM_FIELD_KEPT = "item_field_kept"
ITEM_SECTION_KEPT = "item_section_kept"
NUMBER_USED_TWICE = "number_used_twice"
NOTICE_CODES = {
    NO_START_TIME: (),
    MEETING_FIELD_KEPT: ("field",),  # a Meeting field name
    ITEM_FIELD_KEPT: ("number", "field"),  # an AgendaItem field name
    ITEM_SECTION_KEPT: ("number", "role"),  # a section role
    NUMBER_USED_TWICE: ("number", "new"),
}

# The status move each kind of document asks for (a transition of the meetings app).
STATUS_ACTIONS = {"agenda": "publish", "minutes": "record_approved"}


# --- what comes in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conventions:
    """The meetings app's vocabulary, handed in by the loader (no domain value is repeated
    here): item kinds, access values, section roles, attendance roles and translated labels."""

    kind_from_import: Callable[[str | None], str | None]
    kind_from_title: Callable[[str], str | None]
    default_kind: str
    open_access: str
    closed_access: str
    # The parser's section name -> the section role it fills.
    section_roles: Mapping[str, str]
    # Where a section goes when the body's template lacks its role, in order of preference.
    fallback_roles: tuple[str, ...]
    # The attendance roles of participants, the absent and guests.
    attendance_roles: tuple[str, str, str]
    timezone: datetime.tzinfo
    no_title: str = "(no title)"
    attachments_label: str = "Attachments"


@dataclass(frozen=True)
class RecordSnapshot:
    """What the last import wrote to an item: its key in the document, the hashes of the
    values and sections it wrote, and the attachments the document listed."""

    source_key: str
    written: Mapping[str, str] = field(default_factory=dict)
    listed_attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemSnapshot:
    """An existing item as it is now; `sections` are the texts by section role."""

    pk: int
    number: str
    title: str
    position: int
    kind: str
    access: str
    presenter: str = ""
    timeframe_minutes: int | None = None
    journal_number: str = ""
    case_officer: str = ""
    sections: Mapping[str, str] = field(default_factory=dict)
    attachment_sha256: frozenset[str] = frozenset()
    record: RecordSnapshot | None = None


@dataclass(frozen=True)
class MeetingSnapshot:
    """The meeting as it is now: times, place, the body's section roles (template order), the
    hashes of the meeting fields the last import wrote, whether it was made by this import,
    and the names of the people already recorded as attending."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    section_roles: tuple[str, ...]
    written: Mapping[str, str] = field(default_factory=dict)
    created: bool = False
    attending: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AttachmentFile:
    """A file found for an attachment title: its content hash, and where to read it (a path
    or a file object; opaque here)."""

    sha256: str
    source: Any = None


# --- what goes out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A warning: a stable code of `NOTICE_CODES` and its parameters."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Slot:
    """An item of the plan: an existing one (`pk`) or the `new`-th of `MergePlan.creates`."""

    pk: int | None = None
    new: int | None = None


@dataclass(frozen=True)
class ItemCreate:
    """A new item: its values, and its section texts by role."""

    number: str
    position: int
    title: str
    kind: str
    access: str
    presenter: str
    timeframe_minutes: int | None
    journal_number: str
    case_officer: str
    sections: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemUpdate:
    """An existing item's changes: fields (including `number` and `position`), sections new
    and changed by role; `new_version` when its content changed (not only its place)."""

    pk: int
    changes: Mapping[str, Any] = field(default_factory=dict)
    sections_new: Mapping[str, str] = field(default_factory=dict)
    sections_changed: Mapping[str, str] = field(default_factory=dict)
    new_version: bool = False


@dataclass(frozen=True)
class AttachmentAdd:
    title: str
    sha256: str
    source: Any = None


@dataclass(frozen=True)
class ItemAttachments:
    """The files to attach to one item, in the document's order."""

    item: Slot
    files: tuple[AttachmentAdd, ...]


@dataclass(frozen=True)
class AttendanceAdd:
    """A person to record at the meeting, by exact name, with the role and affiliation."""

    name: str
    role: str
    affiliation: str = ""


@dataclass(frozen=True)
class RecordWrite:
    """What the import records about an item (new, or changed since the last import)."""

    item: Slot
    source_key: str
    written: Mapping[str, str]
    listed_attachments: tuple[str, ...]
    exists: bool


@dataclass(frozen=True)
class MergePlan:
    """Everything a document changes in a meeting; `agenda_merge` writes it."""

    meeting_changes: Mapping[str, Any] = field(default_factory=dict)
    creates: tuple[ItemCreate, ...] = ()
    updates: tuple[ItemUpdate, ...] = ()
    order: tuple[Slot, ...] = ()
    attendance: tuple[AttendanceAdd, ...] = ()
    attachments: tuple[ItemAttachments, ...] = ()
    status_action: str | None = None
    warnings: tuple[Notice, ...] = ()
    records: tuple[RecordWrite, ...] = ()
    # The hashes of the meeting fields that hold what the document says (ImportedFile).
    meeting_fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        """True when applying the plan changes the meeting (its status move aside)."""
        return bool(
            self.meeting_changes
            or self.creates
            or self.updates
            or self.attendance
            or self.attachments
        )

    @property
    def items_updated(self) -> int:
        return sum(1 for u in self.updates if u.new_version)

    @property
    def attachments_added(self) -> int:
        return sum(len(a.files) for a in self.attachments)


@dataclass(frozen=True)
class NewMeeting:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
