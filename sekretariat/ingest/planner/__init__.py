"""Planning an import: what a parsed document changes in a meeting, decided without a database.

`merge_plan` compares a `ParsedDocument` with plain snapshots of the meeting and its items and
returns a `MergePlan`: the meeting fields to change, the items to create and to update (fields,
sections, numbers, positions), the final order, the attendance and attachments to add, the
status move the document asks for, the warnings, and what the import records about each item
(the hashes of what it wrote). `meetings.services.agenda_merge` applies the plan; the loader
(`ingest/loader.py`) takes the snapshots, asks for the plan and hands it over.

The rules:

- A value the last import wrote (its hash is in the item's record) may be replaced by a newer
  document; a value that differs from it was changed by hand and is kept, with a warning. An
  empty section, and an empty field the import never wrote, may be filled.
- Items the document does not list (added by hand) keep their number and their place after
  the item they followed.
- A closed item stays closed whatever a later document says; closing is always allowed.
- A number the document uses twice (or that an unlisted item holds) gets a suffix, with a
  warning.
- An attachment is added once per content per item; what was uploaded by hand is not touched.
  Attachments the document lists without a file stay visible as a note in the presentation.
- A plan that changes nothing (`MergePlan.changes_anything` is False) means the meeting already
  says what the document says: that is how approved, locked minutes are compared with another
  rendering of them, without writing anything.

Pure: no Django. What the meetings app decides (item kinds, access values, section and
attendance roles, the translated labels that end up in the text) comes in as `Conventions`.
Warnings are `Notice`s, a stable code with its parameters (`NOTICE_CODES`); the loader words
them in Danish through gettext, with the same messages as before the planner existed.
"""

from .plan import merge_plan
from .rules import (
    field_text,
    item_key,
    meeting_times,
    minutes,
    name_key,
    new_meeting,
    parse_time,
    written_hash,
)
from .values import (
    ITEM_FIELD_KEPT,
    ITEM_SECTION_KEPT,
    MEETING_FIELD_KEPT,
    NO_START_TIME,
    NOTICE_CODES,
    NUMBER_USED_TWICE,
    STATUS_ACTIONS,
    AttachmentAdd,
    AttachmentFile,
    AttendanceAdd,
    Conventions,
    ItemAttachments,
    ItemCreate,
    ItemSnapshot,
    ItemUpdate,
    MeetingSnapshot,
    MergePlan,
    NewMeeting,
    Notice,
    RecordSnapshot,
    RecordWrite,
    Slot,
)

__all__ = [
    "ITEM_FIELD_KEPT",
    "ITEM_SECTION_KEPT",
    "MEETING_FIELD_KEPT",
    "NOTICE_CODES",
    "NO_START_TIME",
    "NUMBER_USED_TWICE",
    "STATUS_ACTIONS",
    "AttachmentAdd",
    "AttachmentFile",
    "AttendanceAdd",
    "Conventions",
    "ItemAttachments",
    "ItemCreate",
    "ItemSnapshot",
    "ItemUpdate",
    "MeetingSnapshot",
    "MergePlan",
    "NewMeeting",
    "Notice",
    "RecordSnapshot",
    "RecordWrite",
    "Slot",
    "field_text",
    "item_key",
    "meeting_times",
    "merge_plan",
    "minutes",
    "name_key",
    "new_meeting",
    "parse_time",
    "written_hash",
]
