"""Meetings: section templates, the meeting lock, changes to a meeting, and its life cycle
(creating meetings and the meeting plan are in `planning.py`)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError, ConcurrentEditError
from sekretariat.core.services import event_record

from ..models import (
    Meeting,
    SectionType,
)

DEFAULT_SECTIONS = [
    ("Resumé", SectionType.Role.SUMMARY),
    ("Indstilling", SectionType.Role.RECOMMENDATION),
    ("Sagsfremstilling", SectionType.Role.PRESENTATION),
    ("Beslutning", SectionType.Role.DECISION),
]


# --- section templates -----------------------------------------------------------------------


def section_template_ensure(body: Body) -> list[SectionType]:
    """The body's section template; the four usual sections are created when it has none.

    Only the creation opens a transaction: reading the template is most calls (each import and
    each item form asks), and a savepoint per read costs more than the read."""
    types = list(body.section_types.order_by("position", "id"))
    if types:
        return types
    with transaction.atomic():
        types = [
            SectionType.objects.create(body=body, name=name, role=role, position=i)
            for i, (name, role) in enumerate(DEFAULT_SECTIONS)
        ]
        event_record(
            events.BodyChanged(body_id=body.pk), actor=None, action="section_template_create"
        )
    return types


def decision_section_type(body: Body) -> SectionType:
    for st in section_template_ensure(body):
        if st.is_decision:
            return st
    raise ApplicationError(_("The body's section template has no decision section."))


# --- meetings -------------------------------------------------------------------------------


def meeting_times_check(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ApplicationError(_("The meeting must end after it starts."), field="ends_at")


def meeting_has_started(meeting: Meeting, *, now: datetime.datetime | None = None) -> bool:
    """Whether the meeting's start time has come: before it, it cannot have been held."""
    return meeting.starts_at <= (now or timezone.now())


def meeting_start_text(meeting: Meeting) -> str:
    """The meeting's start as a Danish reader writes it: '3. februar 2027 kl. 10.00'."""
    return formats.date_format(timezone.localtime(meeting.starts_at), r"j. F Y \k\l. H.i")


def meeting_lock(meeting: Meeting) -> Meeting:
    """Re-read the meeting inside the transaction, locking its row where the database can."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_refuse_if_locked(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise ApplicationError(
            _("The minutes are approved and locked; record a correction instead.")
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError(_("The meeting is cancelled."))


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    is_virtual: bool,
    title: str = "",
    actor=None,
) -> Meeting:
    meeting = meeting_lock(meeting)
    meeting_refuse_if_locked(meeting)
    meeting_times_check(starts_at, ends_at)
    if meeting.status == Meeting.Status.HELD and starts_at > timezone.now():
        raise ApplicationError(
            _("The meeting is marked as held, so it cannot be moved to a time in the future."),
            field="starts_at",
        )
    updated = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        is_virtual=is_virtual,
        title=title,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise ConcurrentEditError(
            _("Someone else changed this meeting while you were editing. Reload and try again.")
        )
    event_record(events.MeetingChanged(meeting_id=meeting.pk), actor=actor, action="meeting_update")
    meeting.refresh_from_db()
    return meeting


_TRANSITIONS = {
    "publish": ({Meeting.Status.PLANNED}, Meeting.Status.AGENDA_PUBLISHED),
    "hold": ({Meeting.Status.AGENDA_PUBLISHED}, Meeting.Status.HELD),
    "approve": ({Meeting.Status.HELD}, Meeting.Status.MINUTES_APPROVED),
    "cancel": ({Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}, Meeting.Status.CANCELLED),
    # Minutes approved outside the system (an imported archive of them): the steps between
    # happened elsewhere, and no user of ours approved them.
    "record_approved": (
        {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD},
        Meeting.Status.MINUTES_APPROVED,
    ),
}


def transition_allowed(meeting: Meeting, action: str) -> bool:
    """Whether the meeting's status allows `action` (a key of the transitions table)."""
    return meeting.status in _TRANSITIONS[action][0]


def _transition(meeting: Meeting, action: str) -> tuple[Meeting, str]:
    """The locked meeting moved to the status `action` leads to, and the status it had."""
    meeting = meeting_lock(meeting)
    allowed_from, target = _TRANSITIONS[action]
    if meeting.status not in allowed_from:
        raise ApplicationError(
            _("This cannot be done while the meeting is '%(status)s'.")
            % {"status": meeting.get_status_display()}
        )
    old_status = meeting.status
    meeting.status = target
    meeting.version += 1
    return meeting, old_status


def status_changed_record(meeting: Meeting, *, old_status: str, actor, action: str) -> None:
    """Record that `meeting` moved from `old_status` to its current status."""
    event_record(
        events.MeetingStatusChanged(
            meeting_id=meeting.pk, old_status=old_status, new_status=meeting.status
        ),
        actor=actor,
        action=action,
    )


@transaction.atomic
def agenda_publish(*, meeting: Meeting, actor=None) -> Meeting:
    meeting, old_status = _transition(meeting, "publish")
    if not meeting.agenda_items.exists():
        raise ApplicationError(_("An agenda with no items cannot be published."))
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    status_changed_record(meeting, old_status=old_status, actor=actor, action="agenda_publish")
    return meeting


@transaction.atomic
def meeting_mark_held(
    *, meeting: Meeting, actor=None, now: datetime.datetime | None = None
) -> Meeting:
    """The meeting took place; refused before its start time (a meeting in the future has
    not been held)."""
    meeting, old_status = _transition(meeting, "hold")
    if not meeting_has_started(meeting, now=now):
        raise ApplicationError(
            _("The meeting starts %(start)s. It can be marked as held once it has begun.")
            % {"start": meeting_start_text(meeting)}
        )
    meeting.save()
    status_changed_record(meeting, old_status=old_status, actor=actor, action="meeting_hold")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor=None) -> Meeting:
    meeting, old_status = _transition(meeting, "cancel")
    meeting.save()
    status_changed_record(meeting, old_status=old_status, actor=actor, action="meeting_cancel")
    return meeting


@transaction.atomic
def minutes_approve(
    *, meeting: Meeting, actor=None, now: datetime.datetime | None = None
) -> Meeting:
    """Approve and lock the minutes of a held meeting; refused for a meeting whose start time
    has not come (one marked held before that rule existed)."""
    meeting, old_status = _transition(meeting, "approve")
    if not meeting_has_started(meeting, now=now):
        raise ApplicationError(
            _(
                "The meeting starts %(start)s. Its minutes cannot be approved before it has "
                "been held."
            )
            % {"start": meeting_start_text(meeting)}
        )
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.save()
    status_changed_record(meeting, old_status=old_status, actor=actor, action="minutes_approve")
    return meeting


@transaction.atomic
def minutes_record_approved(*, meeting: Meeting, actor=None) -> Meeting:
    """Record minutes that were approved outside the system (an imported set of approved
    minutes): the meeting becomes approved and locked, with no approving user of ours."""
    meeting, old_status = _transition(meeting, "record_approved")
    now = timezone.now()
    meeting.agenda_published_at = meeting.agenda_published_at or now
    meeting.minutes_approved_at = now
    meeting.minutes_approved_by = None
    meeting.save()
    status_changed_record(
        meeting, old_status=old_status, actor=actor, action="minutes_record_approved"
    )
    return meeting
