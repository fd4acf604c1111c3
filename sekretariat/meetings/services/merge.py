"""Merging an import's plan into a meeting, in bulk: `agenda_merge`.

The importer plans what a parsed document changes in a meeting (`ingest.planner.MergePlan`, a
pure value; this app does not import ingest, so the shape read here is written out as the
protocols below) and hands the plan to `agenda_merge`, which writes it as the screens' services
would, but in bulk and inside the caller's transaction:

- new items with one INSERT (each item with a journal number in that number's case, as
  `agenda_item_add` does), their sections with another;
- one UPDATE per changed item; numbers change in two passes, so that the unique (meeting,
  number) rule holds at every step;
- attachment files stored once per content (`core.files`), their rows inserted together;
- people found or created by `bodies.services.people_find_or_create`, attendance inserted
  together;
- the status move through the transitions table (`agenda_publish`, `minutes_record_approved`).

Events: `MeetingChanged` when meeting fields changed, `AgendaItemsChanged` for the items created
or changed, `AttachmentsChanged` per item with new attachments (and `FileStored` per file),
`AttendanceChanged`; the services it calls record `CaseChanged`, `PeopleChanged` and
`MeetingStatusChanged`. A cancelled meeting, or one whose minutes are approved and locked, is
refused. The caller holds the meeting's lock from its snapshot to the merge, so the plan is
not stale when it is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from sekretariat.bodies.services import people_find_or_create
from sekretariat.cases.services import cases_for_journal_numbers
from sekretariat.core import events
from sekretariat.core.files import file_opened
from sekretariat.core.services import event_record

from ..models import Access, AgendaItem, Attachment, Attendance, ItemSection, Meeting, SectionType
from .agenda import items_changed_record
from .attachments import attachment_row, attachments_changed_record
from .meetings import (
    agenda_publish,
    meeting_refuse_if_locked,
    meeting_times_check,
    minutes_record_approved,
    section_template_ensure,
    transition_allowed,
)

ACTION = "agenda_merge"
# The fields a plan may change.
MEETING_FIELDS = frozenset({"location", "starts_at", "ends_at"})
ITEM_FIELDS = frozenset(
    {
        "number",
        "position",
        "title",
        "kind",
        "access",
        "presenter",
        "timeframe_minutes",
        "journal_number",
        "case_officer",
    }
)
# The status moves a plan may ask for: a transition of `_TRANSITIONS` and its service.
STATUS_SERVICES = {"publish": agenda_publish, "record_approved": minutes_record_approved}


# --- the plan's shape (`ingest.planner`'s dataclasses have it) -------------------------------


class ItemCreatePlan(Protocol):
    number: str
    position: int
    title: str
    kind: str
    access: str
    presenter: str
    timeframe_minutes: int | None
    journal_number: str
    case_officer: str
    sections: Mapping[str, str]  # section role -> text


class ItemUpdatePlan(Protocol):
    pk: int
    changes: Mapping[str, Any]  # field of ITEM_FIELDS -> new value
    sections_new: Mapping[str, str]
    sections_changed: Mapping[str, str]
    new_version: bool  # the item's content changed (not only its place)


class SlotPlan(Protocol):
    pk: int | None  # an existing item
    new: int | None  # or the index of an item in `creates`


class AttachmentPlan(Protocol):
    title: str
    sha256: str
    source: Any  # a path or a File


class ItemAttachmentsPlan(Protocol):
    item: SlotPlan
    files: Sequence[AttachmentPlan]


class AttendancePlan(Protocol):
    name: str
    role: str
    affiliation: str


class MergePlan(Protocol):
    meeting_changes: Mapping[str, Any]
    creates: Sequence[ItemCreatePlan]
    updates: Sequence[ItemUpdatePlan]
    attendance: Sequence[AttendancePlan]
    attachments: Sequence[ItemAttachmentsPlan]
    status_action: str | None


@dataclass(frozen=True)
class MergeResult:
    """What the merge wrote: the new items' ids (in the plan's order) and the counts."""

    created_ids: tuple[int, ...] = ()
    changed_ids: tuple[int, ...] = ()
    items_updated: int = 0
    attachments_added: int = 0
    attendance_added: int = 0
    meeting_changed: bool = False
    status_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.created_ids
            or self.changed_ids
            or self.attachments_added
            or self.attendance_added
            or self.meeting_changed
            or self.status_changed
        )


def _check(plan: MergePlan) -> None:
    """A plan that asks for what no import may do is a programming error."""
    wrong = set(plan.meeting_changes) - MEETING_FIELDS
    for update in plan.updates:
        wrong |= set(update.changes) - ITEM_FIELDS
        # Closing is always allowed; an import never opens a closed item.
        if update.changes.get("access", Access.CLOSED) != Access.CLOSED:
            wrong.add("access")
    if plan.status_action is not None and plan.status_action not in STATUS_SERVICES:
        wrong.add(plan.status_action)
    if wrong:
        raise ValueError(f"agenda_merge: the plan may not change {sorted(wrong)}")


@transaction.atomic
def agenda_merge(*, meeting: Meeting, plan: MergePlan, actor=None) -> MergeResult:
    """Write an import's plan into `meeting` (see the module's docstring)."""
    _check(plan)
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    meeting_refuse_if_locked(meeting)
    meeting_changed = _meeting_update(meeting, plan.meeting_changes, actor)
    types = {st.role: st for st in section_template_ensure(meeting.body)}
    changed_ids = _items_update(plan.updates, types, actor)
    created = _items_create(meeting, plan, types, actor)
    if created or changed_ids:
        items_changed_record(
            meeting.pk, [item.pk for item in created] + changed_ids, actor=actor, action=ACTION
        )
    attachments_added = _attachments_add(plan.attachments, created, actor)
    attendance_added = _attendance_add(meeting, plan.attendance, actor)
    status_changed = False
    if plan.status_action is not None and transition_allowed(meeting, plan.status_action):
        STATUS_SERVICES[plan.status_action](meeting=meeting, actor=actor)
        status_changed = True
    return MergeResult(
        created_ids=tuple(item.pk for item in created),
        changed_ids=tuple(changed_ids),
        items_updated=sum(1 for update in plan.updates if update.new_version),
        attachments_added=attachments_added,
        attendance_added=attendance_added,
        meeting_changed=meeting_changed,
        status_changed=status_changed,
    )


def _meeting_update(meeting: Meeting, changes: Mapping[str, Any], actor) -> bool:
    if not changes:
        return False
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting_times_check(meeting.starts_at, meeting.ends_at)
    meeting.version += 1
    meeting.save(update_fields=[*changes, "version", "updated_at"])
    event_record(events.MeetingChanged(meeting_id=meeting.pk), actor=actor, action=ACTION)
    return True


def _items_update(
    updates: Sequence[ItemUpdatePlan], types: Mapping[str, SectionType], actor
) -> list[int]:
    """Write the changes of existing items; returns their ids."""
    if not updates:
        return []
    now = timezone.now()
    renumber = {u.pk: u.changes["number"] for u in updates if "number" in u.changes}
    # Numbers change in two passes: the unique (meeting, number) rule holds at every step.
    for pk in renumber:
        AgendaItem.objects.filter(pk=pk).update(number=f"~{pk}")
    for pk, number in renumber.items():
        AgendaItem.objects.filter(pk=pk).update(number=number)
    cases = _cases_of_new_journal_numbers(updates, actor)
    # One plain UPDATE per changed item: bulk_update's CASE expressions cost more in Python
    # than they save in SQLite for the handful of items a document changes.
    for u in updates:
        fields: dict[str, Any] = {k: v for k, v in u.changes.items() if k != "number"}
        if "journal_number" in fields:
            fields["case"] = cases.get(str(fields["journal_number"]).strip())
        if u.new_version:
            fields["version"] = F("version") + 1
        if fields:
            AgendaItem.objects.filter(pk=u.pk).update(**fields, updated_at=now)
        for role, text in u.sections_changed.items():
            ItemSection.objects.filter(item_id=u.pk, section_type=types[role]).update(
                text=text, updated_at=now
            )
    return [u.pk for u in updates]


def _cases_of_new_journal_numbers(updates: Sequence[ItemUpdatePlan], actor) -> dict:
    """The cases of the journal numbers the updates write (new cases take the item's title)."""
    changing = {u.pk: u for u in updates if "journal_number" in u.changes}
    if not changing:
        return {}
    titles = dict(AgendaItem.objects.filter(pk__in=changing).values_list("pk", "title"))
    wanted: dict[str, str] = {}
    for pk, u in changing.items():
        number = str(u.changes["journal_number"]).strip()
        if number:
            wanted.setdefault(number, str(u.changes.get("title", titles[pk])))
    return cases_for_journal_numbers(wanted, actor=actor) if wanted else {}


def _items_create(
    meeting: Meeting, plan: MergePlan, types: Mapping[str, SectionType], actor
) -> list[AgendaItem]:
    """Insert the new items, and the sections of new items and those new to existing ones."""
    wanted: dict[str, str] = {}
    for c in plan.creates:
        if c.journal_number.strip():
            wanted.setdefault(c.journal_number.strip(), c.title)
    cases = cases_for_journal_numbers(wanted, actor=actor) if wanted else {}
    items = [
        AgendaItem(
            meeting=meeting,
            position=c.position,
            number=c.number,
            title=c.title,
            kind=c.kind,
            access=c.access,
            presenter=c.presenter,
            timeframe_minutes=c.timeframe_minutes,
            journal_number=c.journal_number,
            case_officer=c.case_officer,
            case=cases.get(c.journal_number.strip()),
        )
        for c in plan.creates
    ]
    if items:
        AgendaItem.objects.bulk_create(items)
    sections = [
        ItemSection(item_id=u.pk, section_type=types[role], text=text)
        for u in plan.updates
        for role, text in u.sections_new.items()
    ] + [
        ItemSection(item=item, section_type=types[role], text=text)
        for item, c in zip(items, plan.creates, strict=True)
        for role, text in c.sections.items()
    ]
    if sections:
        ItemSection.objects.bulk_create(sections)
    return items


def _attachments_add(
    groups: Sequence[ItemAttachmentsPlan], created: list[AgendaItem], actor
) -> int:
    """Store the files and insert the attachments (closed with a closed item), after those
    each item has."""
    if not groups:
        return 0
    pks = [g.item.pk if g.item.pk is not None else created[g.item.new].pk for g in groups]
    items = AgendaItem.objects.in_bulk(pks)
    counts = dict(
        Attachment.objects.filter(item_id__in=pks)
        .values("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    rows: list[tuple[AgendaItem, list[Attachment]]] = []
    for group, pk in zip(groups, pks, strict=True):
        item = items[pk]
        access = Access.CLOSED if item.is_closed else Access.OPEN
        first = counts.get(pk, 0) + 1
        attachments = []
        for offset, planned in enumerate(group.files):
            with file_opened(planned.source) as file:
                attachments.append(
                    attachment_row(
                        item=item,
                        file=file,
                        title=planned.title,
                        access=access,
                        position=first + offset,
                        actor=actor,
                        action=ACTION,
                    )
                )
        rows.append((item, attachments))
    Attachment.objects.bulk_create([a for _item, attachments in rows for a in attachments])
    for item, attachments in rows:
        attachments_changed_record(item, [a.pk for a in attachments], actor=actor, action=ACTION)
    return sum(len(attachments) for _item, attachments in rows)


def _attendance_add(meeting: Meeting, wanted: Sequence[AttendancePlan], actor) -> int:
    """People by exact name (created when missing); who is recorded already is left as is."""
    if not wanted:
        return 0
    people = people_find_or_create({a.name: a.affiliation for a in wanted}, actor=actor)
    present = set(meeting.attendances.values_list("person_id", flat=True))
    rows = [
        Attendance(meeting=meeting, person=people[a.name], role=a.role, note=a.affiliation)
        for a in wanted
        if people[a.name].pk not in present
    ]
    if rows:
        Attendance.objects.bulk_create(rows)
        event_record(
            events.AttendanceChanged(
                meeting_id=meeting.pk, person_ids=tuple(row.person_id for row in rows)
            ),
            actor=actor,
            action=ACTION,
        )
    return len(rows)
