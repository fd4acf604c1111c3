"""Minutes: attendance, decisions, and corrections after approval."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Person
from sekretariat.bodies.services import person_create
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError, ConcurrentEditError
from sekretariat.core.services import event_record

from ..models import (
    AgendaItem,
    Attendance,
    ItemSection,
    Meeting,
    MinutesCorrection,
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


@transaction.atomic
def decision_record(
    *, item: AgendaItem, text: str, expected_version: int | None = None, actor=None
) -> ItemSection | None:
    """Write the decision (Beslutning) of an item; refused once the minutes are approved."""
    meeting = meeting_lock(item.meeting)
    meeting_refuse_if_locked(meeting)
    if meeting.status == Meeting.Status.PLANNED:
        raise ApplicationError(_("Decisions can be recorded once the agenda is published."))
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
    text = (text or "").strip()
    section = ItemSection.objects.filter(item=item, section_type=st).first()
    if section is None and text:
        section = ItemSection.objects.create(item=item, section_type=st, text=text)
    elif section is not None:
        section.text = text
        section.save(update_fields=["text", "updated_at"])
    items_changed_record(meeting.pk, [item.pk], actor=actor, action="decision_record")
    return section


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
