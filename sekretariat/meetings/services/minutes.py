"""Minutes: attendance, decisions, and corrections after approval."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Organisation, Person
from sekretariat.bodies.services import organisation_find_or_create, person_create
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError, ConcurrentEditError
from sekretariat.core.services import event_record

from ..models import (
    AgendaItem,
    Attendance,
    ItemSection,
    Meeting,
    MinutesCorrection,
    SectionType,
)
from .agenda import items_changed_record
from .meetings import decision_section_type, meeting_lock, meeting_refuse_if_locked

# --- attendance and minutes -----------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *,
    meeting: Meeting,
    person: Person | None = None,
    role: str,
    note: str = "",
    new_person_name: str = "",
    actor=None,
) -> Attendance:
    """Record a person's part in the meeting; a guest not yet known is created by name."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    if person is None:
        name = new_person_name.strip()
        if not name:
            raise ApplicationError(
                _("Choose a person or write a new person's name."), field="person"
            )
        person = person_create(name=name, actor=actor)
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, person=person, defaults={"role": role, "note": note}
    )
    event_record(
        events.AttendanceChanged(meeting_id=meeting.pk, person_ids=(person.pk,)),
        actor=actor,
        action="attendance_set",
        role=role,
    )
    return attendance


@transaction.atomic
def attendance_remove(*, meeting: Meeting, person: Person, actor=None) -> None:
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    removed, _by_model = Attendance.objects.filter(meeting=meeting, person=person).delete()
    if removed:
        event_record(
            events.AttendanceChanged(meeting_id=meeting.pk, person_ids=(person.pk,)),
            actor=actor,
            action="attendance_remove",
        )


# --- attendance as a checklist, saved in one action -----------------------------------------

NOTE_MAX = Attendance._meta.get_field("note").max_length
NAME_MAX = Person._meta.get_field("name").max_length


@dataclass(frozen=True)
class AttendanceMark:
    """One row of the attendance checklist: a person and their part in the meeting
    (`Attendance.Role`), or '' for not recorded (a record there was is removed)."""

    person_id: int
    role: str
    note: str = ""


@dataclass(frozen=True)
class GuestEntry:
    """A guest added by name on the attendance page, with their title and organisation when
    given. A person of that name (and organisation, when given) is used; otherwise a new one
    is made, of the organisation of that name (made when there is none)."""

    name: str
    job_title: str = ""
    organisation: str = ""
    note: str = ""


@dataclass(frozen=True)
class AttendanceSaved:
    """What `attendance_save` changed: the records written (new or changed), removed, and the
    guests added."""

    written: int
    removed: int
    guests_added: int

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.guests_added)


def _too_long(text: str, limit: int) -> bool:
    return len(text) > limit


@transaction.atomic
def attendance_save(
    *,
    meeting: Meeting,
    marks: Iterable[AttendanceMark],
    guests: Iterable[GuestEntry] = (),
    actor=None,
) -> AttendanceSaved:
    """Record the attendance of a meeting in one action: each mark sets (or, with role '',
    removes) a person's record, and each guest is added as a guest. Everything is checked
    before anything is written; one refusal writes nothing. One `AttendanceChanged` names
    every person whose record changed."""
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    marks = [
        AttendanceMark(m.person_id, (m.role or "").strip(), (m.note or "").strip()) for m in marks
    ]
    guests = [
        GuestEntry(
            (g.name or "").strip(),
            (g.job_title or "").strip(),
            (g.organisation or "").strip(),
            (g.note or "").strip(),
        )
        for g in guests
    ]
    guests = [g for g in guests if g.name or g.job_title or g.organisation or g.note]
    people = Person.objects.in_bulk([m.person_id for m in marks])
    _marks_check(marks, people)
    _guests_check(guests)
    marked = {m.person_id for m in marks}
    guest_people = [_guest_person(g, actor=actor) for g in guests]
    for person in guest_people:
        if person.pk in marked:
            raise ApplicationError(
                _("%(name)s is already on the list; mark them there, not as a new guest.")
                % {"name": person.name},
                field="guests",
            )
        marked.add(person.pk)

    existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    changed: list[int] = []
    written = removed = 0
    for mark in marks:
        record = existing.get(mark.person_id)
        if not mark.role:
            if record is not None:
                record.delete()
                removed += 1
                changed.append(mark.person_id)
            continue
        if record is None:
            Attendance.objects.create(
                meeting=meeting, person_id=mark.person_id, role=mark.role, note=mark.note
            )
        elif (record.role, record.note) != (mark.role, mark.note):
            record.role, record.note = mark.role, mark.note
            record.save(update_fields=["role", "note", "updated_at"])
        else:
            continue
        written += 1
        changed.append(mark.person_id)
    for guest, person in zip(guests, guest_people, strict=True):
        record = existing.get(person.pk)
        if record is None:
            Attendance.objects.create(
                meeting=meeting, person=person, role=Attendance.Role.GUEST, note=guest.note
            )
        else:  # a guest of an earlier row of this list (not shown as a mark)
            record.role, record.note = Attendance.Role.GUEST, guest.note
            record.save(update_fields=["role", "note", "updated_at"])
        changed.append(person.pk)
    if changed:
        event_record(
            events.AttendanceChanged(meeting_id=meeting.pk, person_ids=tuple(sorted(changed))),
            actor=actor,
            action="attendance_save",
            written=written,
            removed=removed,
            guests=len(guests),
        )
    return AttendanceSaved(written=written, removed=removed, guests_added=len(guests))


def _marks_check(marks: list[AttendanceMark], people: dict[int, Person]) -> None:
    roles = set(Attendance.Role.values)
    seen: set[int] = set()
    for mark in marks:
        person = people.get(mark.person_id)
        if person is None:
            raise ApplicationError(
                _("A person on the list no longer exists. Reload the page and try again.")
            )
        if mark.person_id in seen:
            raise ApplicationError(
                _("%(name)s is on the list twice.") % {"name": person.name}, field="marks"
            )
        seen.add(mark.person_id)
        if mark.role and mark.role not in roles:
            raise ApplicationError(
                _("Choose present, absent or not recorded for %(name)s.") % {"name": person.name},
                field="marks",
            )
        if _too_long(mark.note, NOTE_MAX):
            raise ApplicationError(
                _("The note on %(name)s is too long (at most %(max)d characters).")
                % {"name": person.name, "max": NOTE_MAX},
                field="marks",
            )


def _guests_check(guests: list[GuestEntry]) -> None:
    names: set[tuple[str, str]] = set()
    for number, guest in enumerate(guests, start=1):
        if not guest.name:
            raise ApplicationError(
                _("Write the name of guest %(number)d, or empty the row.") % {"number": number},
                field="guests",
            )
        for text in (guest.name, guest.job_title, guest.organisation):
            if _too_long(text, NAME_MAX):
                raise ApplicationError(
                    _(
                        "A guest's name, title or organisation is too long (at most %(max)d "
                        "characters)."
                    )
                    % {"max": NAME_MAX},
                    field="guests",
                )
        if _too_long(guest.note, NOTE_MAX):
            raise ApplicationError(
                _("The note on %(name)s is too long (at most %(max)d characters).")
                % {"name": guest.name, "max": NOTE_MAX},
                field="guests",
            )
        key = (guest.name.lower(), guest.organisation.lower())
        if key in names:
            raise ApplicationError(
                _("%(name)s is written twice among the guests.") % {"name": guest.name},
                field="guests",
            )
        names.add(key)


def _guest_person(guest: GuestEntry, *, actor) -> Person:
    """The person a guest row names: the first made of that name (and organisation, when one
    is written), else a new person with the row's title and organisation."""
    known = Person.objects.filter(name__iexact=guest.name).select_related("organisation")
    if guest.organisation:
        known = known.filter(organisation__name__iexact=guest.organisation)
    person = known.order_by("id").first()
    if person is not None:
        return person
    organisation = None
    if guest.organisation:
        organisation = Organisation.objects.filter(name__iexact=guest.organisation).first()
        if organisation is None:
            organisation = organisation_find_or_create(
                name=guest.organisation, kind=Organisation.Kind.OTHER, actor=actor
            )
    return person_create(
        name=guest.name, job_title=guest.job_title, organisation=organisation, actor=actor
    )


def _decisions_refuse(meeting: Meeting) -> None:
    meeting_refuse_if_locked(meeting)
    if meeting.status == Meeting.Status.PLANNED:
        raise ApplicationError(_("Decisions can be written once the agenda is published."))


def decision_text_normalise(text: str | None) -> str:
    """A decision as it is stored: line breaks as LF (a browser sends CRLF), no outer space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def decision_fingerprint(text: str | None) -> str:
    """A short fingerprint of a decision's stored text. The minutes form carries the
    fingerprint of each text it showed, so that a save can tell whether someone else changed
    the decision in the meantime (`minutes_save`)."""
    return hashlib.sha256(decision_text_normalise(text).encode()).hexdigest()[:16]


def _decision_write(
    meeting: Meeting, item: AgendaItem, st: SectionType, text: str, *, actor
) -> ItemSection | None:
    """Store one decision (the meeting is locked by the caller) and record the change."""
    section = ItemSection.objects.filter(item=item, section_type=st).first()
    if section is None and text:
        section = ItemSection.objects.create(item=item, section_type=st, text=text)
    elif section is not None:
        section.text = text
        section.save(update_fields=["text", "updated_at"])
    items_changed_record(meeting.pk, [item.pk], actor=actor, action="decision_record")
    return section


@transaction.atomic
def decision_record(
    *, item: AgendaItem, text: str, expected_version: int | None = None, actor=None
) -> ItemSection | None:
    """Write the decision (Beslutning) of an item; refused once the minutes are approved."""
    meeting = meeting_lock(item.meeting)
    _decisions_refuse(meeting)
    if expected_version is not None:
        updated = AgendaItem.objects.filter(pk=item.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this item while you were editing it. "
                    "Your changes were not saved: reload the item and make them again."
                )
            )
    st = decision_section_type(meeting.body)
    return _decision_write(meeting, item, st, decision_text_normalise(text), actor=actor)


# --- the minutes of a whole meeting, saved in one action --------------------------------------


@dataclass(frozen=True)
class DecisionEntry:
    """One item's decision as the minutes form sends it: the text typed, and the fingerprint
    (`decision_fingerprint`) of the stored text the form was loaded with."""

    item_id: int
    text: str
    loaded_fingerprint: str


@dataclass(frozen=True)
class DecisionConflict:
    """An item whose decision someone else saved after the form was loaded, with their text."""

    item_id: int
    number: str
    title: str
    current_text: str


class MinutesConflictError(ConcurrentEditError):
    """Someone else saved decisions of the minutes after they were opened; nothing was saved.
    `conflicts` names the items and carries the text that is stored now."""

    def __init__(self, conflicts: list[DecisionConflict]) -> None:
        items = ", ".join(f"{c.number}. {c.title}" for c in conflicts)
        super().__init__(
            _(
                "Nothing was saved. Someone else saved the decision of these items after you "
                "opened the minutes: %(items)s. Your text is kept in the form; the saved text "
                "is shown beside it. Save again to use your text."
            )
            % {"items": items}
        )
        self.conflicts = conflicts


@transaction.atomic
def minutes_save(*, meeting: Meeting, entries: Iterable[DecisionEntry], actor=None) -> list[int]:
    """Write the decisions of a meeting's items in one transaction (the minutes form); returns
    the ids of the items whose decision changed.

    An entry whose text is the stored text, or the text the form was loaded with (the user left
    it alone), changes nothing and records nothing. An entry the user changed while the stored
    text is no longer the one the form was loaded with would overwrite someone else's decision:
    then nothing at all is written and `MinutesConflictError` names every such item. Each changed decision is recorded as
    `decision_record` records it, and moves its item's version (an item editor opened before
    sees the change instead of overwriting it).
    """
    meeting = meeting_lock(meeting)
    _decisions_refuse(meeting)
    entries = list(entries)
    items = {
        item.pk: item
        for item in AgendaItem.objects.filter(meeting=meeting, pk__in=[e.item_id for e in entries])
    }
    if len(items) < len({e.item_id for e in entries}):
        raise ApplicationError(
            _(
                "An item of the minutes is no longer on the agenda. Reload the page; copy "
                "your text first."
            )
        )
    st = decision_section_type(meeting.body)
    stored = dict(
        ItemSection.objects.filter(item_id__in=items, section_type=st).values_list(
            "item_id", "text"
        )
    )
    changes: list[tuple[AgendaItem, str]] = []
    conflicts: list[DecisionConflict] = []
    for entry in entries:
        item, current = items[entry.item_id], stored.get(entry.item_id, "")
        text = decision_text_normalise(entry.text)
        if text == decision_text_normalise(current):
            continue
        if decision_fingerprint(text) == entry.loaded_fingerprint:
            continue  # left as loaded: whatever is stored now stays
        if decision_fingerprint(current) != entry.loaded_fingerprint:
            conflicts.append(DecisionConflict(item.pk, item.number, item.title, current))
        else:
            changes.append((item, text))
    if conflicts:
        raise MinutesConflictError(conflicts)
    for item, text in changes:
        AgendaItem.objects.filter(pk=item.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        _decision_write(meeting, item, st, text, actor=actor)
    return [item.pk for item, _text in changes]


@transaction.atomic
def minutes_correct(
    *, item: AgendaItem, new_text: str, reason: str, actor=None
) -> MinutesCorrection:
    """Change the decision of approved minutes; the old text and the reason are kept."""
    meeting = meeting_lock(item.meeting)
    if not meeting.minutes_locked:
        raise ApplicationError(_("The minutes are not approved yet; edit the decision directly."))
    if not reason.strip():
        raise ApplicationError(_("A correction needs a reason."), field="reason")
    st = decision_section_type(meeting.body)
    section, _created = ItemSection.objects.get_or_create(item=item, section_type=st)
    if section.text == new_text.strip():
        raise ApplicationError(_("The correction does not change the text."), field="new_text")
    correction = MinutesCorrection.objects.create(
        item=item,
        section_type=st,
        previous_text=section.text,
        new_text=new_text.strip(),
        reason=reason.strip(),
        corrected_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    section.text = new_text.strip()
    section.save(update_fields=["text", "updated_at"])
    items_changed_record(
        meeting.pk, [item.pk], actor=actor, action="minutes_correct", correction=correction.pk
    )
    return correction
