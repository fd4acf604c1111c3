"""Test data for meetings, built through the services so that the rules hold."""

import datetime
import itertools

from django.utils import timezone

from sekretariat.bodies.tests import factories as body_factories
from sekretariat.meetings import services
from sekretariat.meetings.models import AgendaItem, Meeting

_seq = itertools.count(1)


def aware(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def meeting(body=None, *, starts_at=None, hours: int = 2, **kwargs) -> Meeting:
    body = body or body_factories.body()
    starts_at = starts_at or aware(2026, 3, 10 + next(_seq) % 15)
    return services.meeting_create(
        body=body,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **kwargs,
    )


def item(
    meeting_obj: Meeting | None = None, *, title: str | None = None, sections=None, **kwargs
) -> AgendaItem:
    meeting_obj = meeting_obj or meeting()
    title = title or f"Testpunkt {next(_seq)} a7c3"
    if sections:
        types = {st.role: st.pk for st in services.section_template_ensure(meeting_obj.body)}
        sections = {types[role]: text for role, text in sections.items()}
    return services.agenda_item_add(meeting=meeting_obj, title=title, sections=sections, **kwargs)


def published_meeting(body=None, *, items=(), **kwargs) -> Meeting:
    """A meeting whose agenda is published, with items given as dicts of item() arguments."""
    m = meeting(body, **kwargs)
    for spec in items or [{}]:
        item(m, **spec)
    return services.agenda_publish(meeting=m)


def approved_meeting(body=None, *, items=(), decision: str = "Godkendt 5e8f.", **kwargs) -> Meeting:
    m = published_meeting(body, items=items, **kwargs)
    services.meeting_mark_held(meeting=m)
    for it in m.agenda_items.all():
        services.decision_record(item=it, text=decision)
    return services.minutes_approve(meeting=m)
