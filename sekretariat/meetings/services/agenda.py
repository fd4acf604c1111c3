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


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1


def _next_number(meeting: Meeting) -> str:
    numbers = [int(n) for n in meeting.agenda_items.values_list("number", flat=True) if n.isdigit()]
    return str(max(numbers, default=0) + 1)


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
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    title = title.strip()
    if not title:
        raise ApplicationError(_("The item needs a title."), field="title")
    number = (number or "").strip() or _next_number(meeting)
    _check_number_free(meeting, number)
    shifted: list[int] = []
    if position is None:
        position = _next_position(meeting)
    else:
        later = meeting.agenda_items.filter(position__gte=position)
        shifted = list(later.values_list("pk", flat=True))
        later.update(position=F("position") + 1)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        number=number,
        title=title,
        kind=kind or item_kind_from_title(title) or AgendaItem.Kind.DECISION,
        access=access,
        public_title=public_title,
        presenter=presenter,
        timeframe_minutes=timeframe_minutes,
        journal_number=journal_number.strip(),
        case_officer=case_officer.strip(),
        is_standing=is_standing,
        case=case_for_journal_number(journal_number=journal_number, title=title, actor=actor),
    )
    if sections:
        _write_sections(item, sections, allow_decision=True)
    items_changed_record(meeting.pk, [item.pk, *shifted], actor=actor, action="agenda_item_add")
    return item


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
    meeting = meeting_lock(item.meeting)
    meeting_refuse_if_locked(meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ApplicationError(_("Items cannot be removed once the agenda is published."))
    removed, left_case = item.pk, item.case_id
    item.delete()
    if left_case:
        _case_left(left_case, actor=actor)
    moved = _compact_positions(meeting)
    items_changed_record(
        meeting.pk, [removed, *moved], actor=actor, action="agenda_item_delete", title=item.title
    )


def _case_left(case_id: int, *, actor) -> None:
    """An item left the case (another journal number, or removed): the case's public face and
    the body it is filed under may change with it."""
    event_record(events.CaseChanged(case_id=case_id), actor=actor, action="case_item_left")


def _compact_positions(meeting: Meeting) -> list[int]:
    """Close the gaps in the items' positions; returns the items moved."""
    moved = []
    for pos, item in enumerate(meeting.agenda_items.order_by("position", "id"), start=1):
        if item.position != pos:
            AgendaItem.objects.filter(pk=item.pk).update(position=pos)
            moved.append(item.pk)
    return moved


@transaction.atomic
def agenda_items_reorder(*, meeting: Meeting, item_ids: list[int], actor=None) -> None:
    """Put the items in the given order (every item of the meeting exactly once)."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    current = set(meeting.agenda_items.values_list("id", flat=True))
    if set(item_ids) != current or len(item_ids) != len(current):
        raise ApplicationError(_("The new order must list every item of the agenda once."))
    for pos, pk in enumerate(item_ids, start=1):
        AgendaItem.objects.filter(pk=pk).update(position=pos)
    items_changed_record(meeting.pk, item_ids, actor=actor, action="agenda_reorder")


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int, actor=None) -> None:
    """Move an item up (offset -1) or down (+1) one place."""
    ids = list(item.meeting.agenda_items.order_by("position", "id").values_list("id", flat=True))
    i = ids.index(item.pk)
    j = max(0, min(len(ids) - 1, i + offset))
    if i == j:
        return
    ids[i], ids[j] = ids[j], ids[i]
    agenda_items_reorder(meeting=item.meeting, item_ids=ids, actor=actor)


@transaction.atomic
def agenda_renumber(*, meeting: Meeting, actor=None) -> None:
    """Number the items 1, 2, 3 … in their agenda order."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    items = list(meeting.agenda_items.order_by("position", "id"))
    # Two passes keep the unique (meeting, number) constraint satisfied at every step.
    for item in items:
        AgendaItem.objects.filter(pk=item.pk).update(number=f"tmp-{item.pk}")
    for pos, item in enumerate(items, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(
            number=str(pos), position=pos, version=F("version") + 1
        )
    items_changed_record(
        meeting.pk, [item.pk for item in items], actor=actor, action="agenda_renumber"
    )


@transaction.atomic
def agenda_standing_items_add(*, meeting: Meeting, actor=None) -> list[AgendaItem]:
    """Add the standing items the agenda lacks: approvals first, 'Eventuelt' last."""
    present = {t.lower() for t in meeting.agenda_items.values_list("title", flat=True)}
    added = []
    first = [s for s in STANDING_ITEMS if s[2] == "first" and s[0].lower() not in present]
    for offset, (title, kind, _where) in enumerate(first, start=1):
        added.append(
            agenda_item_add(
                meeting=meeting,
                title=title,
                kind=kind,
                is_standing=True,
                position=offset,
                number=f"s{offset}-{meeting.pk}",
                actor=actor,
            )
        )
    for title, kind, where in STANDING_ITEMS:
        if where == "last" and title.lower() not in present:
            added.append(
                agenda_item_add(
                    meeting=meeting,
                    title=title,
                    kind=kind,
                    is_standing=True,
                    number=f"s9-{meeting.pk}",
                    actor=actor,
                )
            )
    if added:
        agenda_renumber(meeting=meeting, actor=actor)
    return added
