"""Planning meetings: a new meeting (with its standing items, if asked) and a year's plan."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Body
from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
from sekretariat.core.services import event_record

from ..models import Meeting
from .agenda import agenda_standing_items_add
from .meetings import meeting_times_check, section_template_ensure


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    is_virtual: bool = False,
    title: str = "",
    with_standing_items: bool = False,
    actor=None,
) -> Meeting:
    meeting_times_check(starts_at, ends_at)
    meeting = Meeting.objects.create(
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location or body.default_location,
        is_virtual=is_virtual,
        title=title,
    )
    section_template_ensure(body)
    if with_standing_items:
        agenda_standing_items_add(meeting=meeting, actor=actor)
    event_record(events.MeetingChanged(meeting_id=meeting.pk), actor=actor, action="meeting_create")
    return meeting


@transaction.atomic
def meeting_plan_create(
    *,
    body: Body,
    dates: Iterable[datetime.date],
    start_time: datetime.time,
    duration_minutes: int,
    location: str = "",
    actor=None,
) -> list[Meeting]:
    """A year's meeting plan: one planned meeting on each date (dates already planned are kept)."""
    if duration_minutes <= 0:
        raise ApplicationError(_("The duration must be positive."), field="duration_minutes")
    tz = timezone.get_current_timezone()
    existing = {
        timezone.localtime(m.starts_at).date()
        for m in Meeting.objects.filter(body=body).only("starts_at")
    }
    created = []
    for day in sorted(set(dates)):
        if day in existing:
            continue
        starts = datetime.datetime.combine(day, start_time, tzinfo=tz)
        created.append(
            meeting_create(
                body=body,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=duration_minutes),
                location=location,
                with_standing_items=True,
                actor=actor,
            )
        )
    return created
