"""The iCalendar feed of a body's meetings. Titles only: no item text ever goes in a feed."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sekretariat.bodies.models import Body
from sekretariat.meetings.models import Meeting


def body_calendar(body: Body, meetings: Iterable[Meeting], *, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Sekretariat//Mødekalender//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", body.name)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@sekretariat")
        summary = meeting.title or _("Meeting of %(body)s") % {"body": body.name}
        if meeting.status == Meeting.Status.CANCELLED:
            summary = _("CANCELLED: %(summary)s") % {"summary": summary}
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        event.add("summary", summary)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("dtstamp", meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        event.add("sequence", meeting.version)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", base_url.rstrip("/") + meeting.get_absolute_url())
        cal.add_component(event)
    return cal.to_ical()
