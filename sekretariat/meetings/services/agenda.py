"""Agendas: adding, editing, ordering and numbering items; standing items."""

import re
from collections.abc import Mapping

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.cases.services import case_for_journal_number
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError, ConcurrentEditError
from sekretariat.core.services import event_record

from ..models import (
    Access,
    AgendaItem,
    ItemSection,
    Meeting,
)
from .meetings import meeting_lock, meeting_refuse_if_locked, section_template_ensure

# Standing items: (title, kind, placed first or last on the agenda).
STANDING_ITEMS = [
    ("Godkendelse af dagsorden", AgendaItem.Kind.DECISION, "first"),
    ("Godkendelse af referat", AgendaItem.Kind.DECISION, "first"),
    ("Eventuelt", AgendaItem.Kind.INFORMATION, "last"),
]

_KIND_BY_TITLE = [
    (re.compile(r"^(godkendelse|beslutning|valg|udpegning|vedtagelse)\b", re.I), "beslutning"),
    (re.compile(r"^(drøftelse|drøft|status og drøftelse|debat)\b", re.I), "droeftelse"),
    (re.compile(r"^(orientering|meddelelser|nyt fra|eventuelt|status)\b", re.I), "orientering"),
]


def item_kind_from_title(title: str) -> str | None:
    """The item kind that a conventional title announces ('Godkendelse af …' → decision)."""
    for pattern, kind in _KIND_BY_TITLE:
        if pattern.search(title.strip()):
            return kind
    return None


# The kinds of an imported document's items (the import contract's English words).
_KIND_BY_IMPORT = {
    "decision": AgendaItem.Kind.DECISION,
    "discussion": AgendaItem.Kind.DISCUSSION,
    "information": AgendaItem.Kind.INFORMATION,
}


def item_kind_from_import(kind: str | None) -> str | None:
    """The item kind of an imported item's kind ('decision' → beslutning); None if unknown."""
    return _KIND_BY_IMPORT.get(kind or "")


# --- agenda items ---------------------------------------------------------------------------

# Where a new item goes: before the items an agenda closes with ('Eventuelt', as
# `STANDING_ITEMS` places it last, and 'Kommende møder' / 'Næste møde' as agendas write them).
_CLOSING_TITLE = re.compile(r"^\s*(eventuelt|evt|kommende møder|næste møde)(\W|$)", re.I)


def is_closing_item(title: str) -> bool:
    """Whether an item with this title belongs at the end of an agenda ('Eventuelt')."""
    return bool(_CLOSING_TITLE.match(title or ""))


def _standing_key(title: str) -> str:
    """A title as the standing items are matched: case and end punctuation aside, and 'Evt.'
    as 'Eventuelt'."""
    key = (title or "").strip().rstrip(".:").strip().lower()
    return "eventuelt" if key == "evt" else key


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def _ordered(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.order_by("position", "id"))


def _insert_index(items: list[AgendaItem]) -> int:
    """The index a new item takes in `items` (in agenda order): before the closing run."""
    index = len(items)
    while index > 0 and is_closing_item(items[index - 1].title):
        index -= 1
    return index


def _order_write(meeting: Meeting, ids: list[int]) -> list[int]:
    """Place the items of `meeting` in the order of `ids` (each item once) and number them 1, 2,
    3 … in that order; returns the ids of the items whose place or number changed.

    Closed items are numbered with the others: the public sees their number beside the
    placeholder title. Numbers change in two passes so that the unique (meeting, number) rule
    holds at every step. An item's place and number are not its content: its version stays
    (an item editor open meanwhile saves its text without a conflict)."""
    current = {
        pk: (position, number)
        for pk, position, number in meeting.agenda_items.values_list("pk", "position", "number")
    }
    wanted = {pk: (place, str(place)) for place, pk in enumerate(ids, start=1)}
    changed = [pk for pk in ids if current[pk] != wanted[pk]]
    for pk in changed:
        if current[pk][1] != wanted[pk][1]:
            AgendaItem.objects.filter(pk=pk).update(number=f"~{pk}")
    for pk in changed:
        position, number = wanted[pk]
        AgendaItem.objects.filter(pk=pk).update(position=position, number=number)
    return changed


def _check_number_free(meeting: Meeting, number: str, *, exclude_pk: int | None = None) -> None:
    qs = meeting.agenda_items.filter(number=number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ApplicationError(
            _("Item number %(number)s is already used on this agenda.") % {"number": number},
            field="number",
        )


def _write_sections(item: AgendaItem, sections: Mapping[int, str], *, allow_decision: bool) -> None:
    types = {st.pk: st for st in section_template_ensure(item.meeting.body)}
    existing = {s.section_type_id: s for s in item.sections.all()}
    for type_id, text in sections.items():
        st = types.get(int(type_id))
        if st is None:
            raise ApplicationError(_("Unknown section."))
        text = (text or "").strip()
        current = existing.get(st.pk)
        if st.is_decision and not allow_decision and text != (current.text if current else ""):
            raise ApplicationError(
                _("The minutes are approved and locked; record a correction instead.")
            )
        if current is None:
            if text:
                ItemSection.objects.create(item=item, section_type=st, text=text)
        elif current.text != text:
            current.text = text
            current.save(update_fields=["text", "updated_at"])


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str | None = None,
    access: str = Access.OPEN,
    public_title: str = "",
    number: str | None = None,
    presenter: str = "",
    timeframe_minutes: int | None = None,
    journal_number: str = "",
    case_officer: str = "",
    is_standing: bool = False,
    sections: Mapping[int, str] | None = None,
    position: int | None = None,
    actor=None,
) -> AgendaItem:
    """Add an item to the agenda.

    Without a `number` the item goes at `position` (1 is first), by default before the items
    the agenda closes with ('Eventuelt'; such an item itself goes last), and the agenda is
    numbered 1, 2, 3 … again. With a
    `number` (an agenda rebuilt as a document numbers it) the item keeps that number, goes
    at `position` or last, and the other items keep theirs."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    title = title.strip()
    if not title:
        raise ApplicationError(_("The item needs a title."), field="title")
    number = (number or "").strip()
    fields = {
        "title": title,
        "kind": kind or item_kind_from_title(title) or AgendaItem.Kind.DECISION,
        "access": access,
        "public_title": public_title,
        "presenter": presenter,
        "timeframe_minutes": timeframe_minutes,
        "journal_number": journal_number.strip(),
        "case_officer": case_officer.strip(),
        "is_standing": is_standing,
    }
    if number:
        _check_number_free(meeting, number)
        moved: list[int] = []
        if position is None:
            position = _next_position(meeting)
        else:
            later = meeting.agenda_items.filter(position__gte=position)
            moved = list(later.values_list("pk", flat=True))
            later.update(position=F("position") + 1)
        item = _item_create(meeting, number=number, position=position, actor=actor, **fields)
    else:
        items = _ordered(meeting)
        if position is not None:
            index = max(0, min(len(items), position - 1))
        elif is_closing_item(title):  # 'Eventuelt' itself closes the agenda
            index = len(items)
        else:
            index = _insert_index(items)
        item = _item_create(
            meeting, number="~new", position=_next_position(meeting), actor=actor, **fields
        )
        ids = [i.pk for i in items]
        ids.insert(index, item.pk)
        moved = _order_write(meeting, ids)
        item.refresh_from_db(fields=["position", "number"])
    if sections:
        _write_sections(item, sections, allow_decision=True)
    items_changed_record(meeting.pk, [item.pk, *moved], actor=actor, action="agenda_item_add")
    return item


def _item_create(meeting: Meeting, *, number: str, position: int, actor, **fields) -> AgendaItem:
    """The item's row, in the case of its journal number (the caller places and records it)."""
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        number=number,
        case=case_for_journal_number(
            journal_number=fields["journal_number"], title=fields["title"], actor=actor
        ),
        **fields,
    )


def items_changed_record(meeting_id: int, item_ids, *, actor, action: str, **details) -> None:
    """Record that items of a meeting were added, changed, moved or removed."""
    event_record(
        events.AgendaItemsChanged(meeting_id=meeting_id, item_ids=tuple(sorted(set(item_ids)))),
        actor=actor,
        action=action,
        **details,
    )


ITEM_FIELDS = (
    "number",
    "title",
    "kind",
    "access",
    "public_title",
    "presenter",
    "timeframe_minutes",
    "journal_number",
    "case_officer",
)


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    expected_version: int,
    fields: Mapping[str, object],
    sections: Mapping[int, str] | None = None,
    actor=None,
) -> AgendaItem:
    """Change an item; refused when someone else saved it since `expected_version` was read."""
    meeting = meeting_lock(item.meeting)
    meeting_refuse_if_locked(meeting)
    changes = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    if "title" in changes and not str(changes["title"]).strip():
        raise ApplicationError(_("The item needs a title."), field="title")
    if "number" in changes:
        changes["number"] = str(changes["number"]).strip()
        _check_number_free(meeting, changes["number"], exclude_pk=item.pk)
    if "journal_number" in changes:
        changes["journal_number"] = str(changes["journal_number"] or "").strip()
        changes["case"] = case_for_journal_number(
            journal_number=changes["journal_number"],
            title=str(changes.get("title", item.title)),
            actor=actor,
        )
    updated = AgendaItem.objects.filter(pk=item.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConcurrentEditError(
            _(
                "Someone else saved this item while you were editing it. "
                "Your changes were not saved: reload the item and make them again."
            )
        )
    left_case = item.case_id
    item = AgendaItem.objects.select_related("meeting__body").get(pk=item.pk)
    if left_case and left_case != item.case_id:
        _case_left(left_case, actor=actor)
    if sections is not None:
        _write_sections(item, sections, allow_decision=True)
    items_changed_record(
        item.meeting_id,
        [item.pk],
        actor=actor,
        action="agenda_item_update",
        fields=sorted(name for name in changes if name != "case"),
    )
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor=None) -> None:
    """Remove an item (only before the agenda is published); the rest is numbered again."""
    meeting = meeting_lock(item.meeting)
    meeting_refuse_if_locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ApplicationError(_("Items cannot be removed once the agenda is published."))
    removed, left_case = item.pk, item.case_id
    item.delete()
    if left_case:
        _case_left(left_case, actor=actor)
    moved = _order_write(meeting, [i.pk for i in _ordered(meeting)])
    items_changed_record(
        meeting.pk, [removed, *moved], actor=actor, action="agenda_item_delete", title=item.title
    )


def _case_left(case_id: int, *, actor) -> None:
    """An item left the case (another journal number, or removed): the case's public face and
    the body it is filed under may change with it."""
    event_record(events.CaseChanged(case_id=case_id), actor=actor, action="case_item_left")


@transaction.atomic
def agenda_items_reorder(*, meeting: Meeting, item_ids: list[int], actor=None) -> list[int]:
    """Put the items in the given order (every item of the meeting exactly once) and number
    them 1, 2, 3 … in it; returns the ids of the items whose place or number changed."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    current = set(meeting.agenda_items.values_list("id", flat=True))
    if set(item_ids) != current or len(item_ids) != len(current):
        raise ApplicationError(_("The new order must list every item of the agenda once."))
    moved = _order_write(meeting, list(item_ids))
    if moved:
        items_changed_record(meeting.pk, moved, actor=actor, action="agenda_reorder")
    return moved


@transaction.atomic
def agenda_item_move_to(*, item: AgendaItem, position: int, actor=None) -> list[int]:
    """Move an item to place `position` (1 is first) in one step; the items between shift by
    one and the agenda is numbered 1, 2, 3 … again. Returns the ids of the items whose place
    or number changed (none when the item is already there)."""
    meeting = meeting_lock(item.meeting)
    meeting_refuse_if_locked(meeting)
    ids = [i.pk for i in _ordered(meeting)]
    if item.pk not in ids:
        raise ApplicationError(_("The item is no longer on this agenda. Reload the page."))
    try:
        position = int(position)
    except (TypeError, ValueError):
        position = 0
    if not 1 <= position <= len(ids):
        raise ApplicationError(
            _("Choose a place between 1 and %(count)d.") % {"count": len(ids)}, field="position"
        )
    ids.remove(item.pk)
    ids.insert(position - 1, item.pk)
    moved = _order_write(meeting, ids)
    if moved:
        items_changed_record(
            meeting.pk, moved, actor=actor, action="agenda_item_move", position=position
        )
    return moved


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int, actor=None) -> list[int]:
    """Move an item up (offset -1) or down (+1) one place; at the top or bottom nothing moves."""
    ids = list(item.meeting.agenda_items.order_by("position", "id").values_list("id", flat=True))
    target = max(1, min(len(ids), ids.index(item.pk) + 1 + offset))
    return agenda_item_move_to(item=item, position=target, actor=actor)


@transaction.atomic
def agenda_renumber(*, meeting: Meeting, actor=None) -> list[int]:
    """Number the items 1, 2, 3 … in their agenda order (after numbers were written by hand or
    imported); returns the ids of the items whose number changed."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    moved = _order_write(meeting, [i.pk for i in _ordered(meeting)])
    if moved:
        items_changed_record(meeting.pk, moved, actor=actor, action="agenda_renumber")
    return moved


@transaction.atomic
def agenda_standing_items_add(*, meeting: Meeting, actor=None) -> list[AgendaItem]:
    """Add the standing items the agenda lacks, and only those: the approvals at the top (in
    their usual order, after those already there), 'Eventuelt' at the end. The agenda is
    numbered 1, 2, 3 … again. Returns the items added: none when all were there."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    items = _ordered(meeting)
    ids = [i.pk for i in items]
    at = {_standing_key(i.title): i.pk for i in reversed(items)}  # the first of a title
    added: list[AgendaItem] = []
    anchor = 0  # the approvals go after those of them already on the agenda
    for title, kind, where in STANDING_ITEMS:
        key = _standing_key(title)
        if key in at:
            if where == "first":
                anchor = max(anchor, ids.index(at[key]) + 1)
            continue
        item = _item_create(
            meeting,
            number=f"~new{len(added)}",
            position=_next_position(meeting),
            actor=actor,
            title=title,
            kind=kind,
            access=Access.OPEN,
            public_title="",
            presenter="",
            timeframe_minutes=None,
            journal_number="",
            case_officer="",
            is_standing=True,
        )
        if where == "first":
            ids.insert(anchor, item.pk)
            anchor += 1
        else:
            ids.append(item.pk)
        at[key] = item.pk
        added.append(item)
    if not added:
        return []
    moved = _order_write(meeting, ids)
    items_changed_record(
        meeting.pk,
        [*moved, *(i.pk for i in added)],
        actor=actor,
        action="agenda_standing_items_add",
        titles=[i.title for i in added],
    )
    for item in added:
        item.refresh_from_db(fields=["position", "number"])
    return added
