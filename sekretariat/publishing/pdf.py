"""Agenda and minutes as PDF (WeasyPrint), from the same selectors as the web pages.

The PDF holds exactly what the viewer may see on the web: a public PDF carries only the
placeholder of a closed item and lists only open attachments.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from sekretariat.bodies.selectors import Viewer
from sekretariat.meetings import selectors as meeting_selectors
from sekretariat.meetings.models import Meeting


def file_name(meeting: Meeting, kind: str) -> str:
    word = "referat" if kind == "minutes" else "dagsorden"
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return f"{meeting.body.slug}-{day}-{word}.pdf"


def meeting_html(*, meeting: Meeting, viewer: Viewer, kind: str) -> str:
    items = meeting_selectors.agenda_for_meeting(meeting=meeting, viewer=viewer)
    attachments = [
        (item, att)
        for item in items
        if not getattr(item, "is_placeholder", False)
        for att in item.attachments.all()
    ]
    return render_to_string(
        "publishing/pdf/meeting.html",
        {
            "meeting": meeting,
            "kind": kind,
            "items": items,
            "attachments": attachments,
            "attendance": meeting_selectors.attendance_for_meeting(meeting=meeting),
            "show_decisions": kind == "minutes",
            "generated_at": timezone.localtime(),
        },
    )


def meeting_pdf(*, meeting: Meeting, viewer: Viewer, kind: str, base_url: str) -> bytes:
    html = meeting_html(meeting=meeting, viewer=viewer, kind=kind)
    return HTML(string=html, base_url=base_url).write_pdf()
