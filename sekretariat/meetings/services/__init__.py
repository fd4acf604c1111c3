"""Writes of the secretariat's meeting work: agendas, items, attachments, attendance, minutes.

Every function here runs in one transaction, checks its rules and raises ApplicationError with a
Danish message (through gettext) when one is broken. Views, admin actions, commands and importers
call these; none re-implements a rule.
"""

from .agenda import (
    ITEM_FIELDS,
    STANDING_ITEMS,
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_move_to,
    agenda_item_update,
    agenda_items_reorder,
    agenda_renumber,
    agenda_standing_items_add,
    is_closing_item,
    item_kind_from_import,
    item_kind_from_title,
)
from .attachments import attachment_add, attachment_delete
from .meetings import (
    DEFAULT_SECTIONS,
    agenda_publish,
    meeting_cancel,
    meeting_has_started,
    meeting_mark_held,
    meeting_start_text,
    meeting_update,
    minutes_approve,
    minutes_record_approved,
    section_template_ensure,
)
from .merge import MergeResult, agenda_merge
from .minutes import (
    AttendanceMark,
    AttendanceSaved,
    DecisionConflict,
    DecisionEntry,
    GuestEntry,
    MinutesConflictError,
    attendance_remove,
    attendance_save,
    attendance_set,
    decision_fingerprint,
    decision_record,
    minutes_correct,
    minutes_save,
)
from .planning import meeting_create, meeting_plan_create

__all__ = [
    "DEFAULT_SECTIONS",
    "DecisionConflict",
    "DecisionEntry",
    "MinutesConflictError",
    "AttendanceMark",
    "AttendanceSaved",
    "GuestEntry",
    "ITEM_FIELDS",
    "MergeResult",
    "STANDING_ITEMS",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_move_to",
    "agenda_item_update",
    "agenda_merge",
    "agenda_items_reorder",
    "agenda_publish",
    "agenda_renumber",
    "agenda_standing_items_add",
    "attachment_add",
    "attachment_delete",
    "attendance_remove",
    "attendance_save",
    "attendance_set",
    "decision_fingerprint",
    "decision_record",
    "is_closing_item",
    "item_kind_from_import",
    "item_kind_from_title",
    "meeting_cancel",
    "meeting_create",
    "meeting_has_started",
    "meeting_mark_held",
    "meeting_plan_create",
    "meeting_start_text",
    "meeting_update",
    "minutes_approve",
    "minutes_correct",
    "minutes_record_approved",
    "minutes_save",
    "section_template_ensure",
]
