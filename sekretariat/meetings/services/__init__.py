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
    agenda_item_update,
    agenda_items_reorder,
    agenda_renumber,
    agenda_standing_items_add,
    item_kind_from_import,
    item_kind_from_title,
)
from .attachments import attachment_add, attachment_delete
from .meetings import (
    DEFAULT_SECTIONS,
    agenda_publish,
    meeting_cancel,
    meeting_mark_held,
    meeting_update,
    minutes_approve,
    minutes_record_approved,
    section_template_ensure,
)
from .merge import MergeResult, agenda_merge
from .minutes import attendance_remove, attendance_set, decision_record, minutes_correct
from .planning import meeting_create, meeting_plan_create

__all__ = [
    "DEFAULT_SECTIONS",
    "ITEM_FIELDS",
    "MergeResult",
    "STANDING_ITEMS",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_update",
    "agenda_merge",
    "agenda_items_reorder",
    "agenda_publish",
    "agenda_renumber",
    "agenda_standing_items_add",
    "attachment_add",
    "attachment_delete",
    "attendance_remove",
    "attendance_set",
    "decision_record",
    "item_kind_from_import",
    "item_kind_from_title",
    "meeting_cancel",
    "meeting_create",
    "meeting_mark_held",
    "meeting_plan_create",
    "meeting_update",
    "minutes_approve",
    "minutes_correct",
    "minutes_record_approved",
    "section_template_ensure",
]
