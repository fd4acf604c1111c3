"""The public site: bodies, meeting plans, agendas, minutes, items, PDFs and calendars.

Every view reads through selectors that apply the viewer's rights; none filters closed
material itself.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sekretariat.bodies import selectors as body_selectors
from sekretariat.bodies.models import Body
from sekretariat.bodies.selectors import request_viewer
from sekretariat.cases import selectors as case_selectors
from sekretariat.cases.models import Case
from sekretariat.core import files
from sekretariat.meetings import selectors as meeting_selectors
from sekretariat.meetings import visibility

from . import calendar, pdf


@require_GET
def home(request):
    return render(
        request,
        "publishing/home.html",
        {
            "bodies": body_selectors.body_list(),
            "upcoming": meeting_selectors.meetings_upcoming(limit=8),
            "recent_minutes": meeting_selectors.meetings_recent_minutes(limit=8),
        },
    )


@require_GET
def body_list(request):
    return render(request, "publishing/body_list.html", {"bodies": body_selectors.body_list()})


# The years a meeting plan may be asked for (an address with another is not found, not a 500).
PLAN_YEARS = range(1900, 2201)


@require_GET
def body_detail(request, slug: str, year: int | None = None):
    if year is not None and year not in PLAN_YEARS:
        raise Http404
    try:
        body = body_selectors.body_detail(slug=slug)
    except Body.DoesNotExist as exc:
        raise Http404 from exc
    years = meeting_selectors.meeting_years(body=body)
    year = year or timezone.localdate().year
    return render(
        request,
        "publishing/body_detail.html",
        {
            "body": body,
            "members": body_selectors.memberships_in_role_order(body.current_memberships),
            "year": year,
            "years": years,
            "meetings": meeting_selectors.meeting_list_for_body(body=body, year=year),
        },
    )


@require_GET
def body_calendar(request, slug: str):
    body = get_object_or_404(Body, slug=slug)
    meetings = meeting_selectors.meetings_for_calendar(body=body)
    data = calendar.body_calendar(body, meetings, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{body.slug}.ics"'
    return response


@require_GET
def meeting_detail(request, pk: int):
    viewer = request_viewer(request)
    meeting = meeting_selectors.meeting_get(pk=pk, viewer=viewer)
    return render(
        request,
        "publishing/meeting_detail.html",
        {
            "meeting": meeting,
            "items": meeting_selectors.agenda_for_meeting(meeting=meeting, viewer=viewer),
            "attendance": meeting_selectors.attendance_for_meeting(meeting=meeting),
            "can_edit": viewer.can_edit(meeting.body_id),
            "minutes_public": visibility.minutes_are_public(meeting.status),
            "may_see_agenda": visibility.may_see_agenda(viewer, meeting),
            "may_see_minutes": visibility.may_see_minutes(viewer, meeting),
        },
    )


@require_GET
def item_detail(request, meeting_pk: int, pk: int):
    viewer = request_viewer(request)
    meeting = meeting_selectors.meeting_get(pk=meeting_pk, viewer=viewer)
    item = meeting_selectors.item_get(meeting=meeting, pk=pk, viewer=viewer)
    return render(
        request,
        "publishing/item_detail.html",
        {
            "meeting": meeting,
            "item": item,
            "can_edit": viewer.can_edit(meeting.body_id),
            "case_title": meeting_selectors.case_title(case=item.case, viewer=viewer)
            if item.case
            else "",
        },
    )


@require_GET
def meeting_pdf(request, pk: int, kind: str):
    viewer = request_viewer(request)
    meeting = meeting_selectors.meeting_get(pk=pk, viewer=viewer)
    allowed = visibility.may_see_minutes if kind == "minutes" else visibility.may_see_agenda
    if not allowed(viewer, meeting):
        raise Http404
    data = pdf.meeting_pdf(
        meeting=meeting, viewer=viewer, kind=kind, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.file_name(meeting, kind)}"'
    return response


@require_GET
def attachment_download(request, pk: int):
    attachment = meeting_selectors.attachment_get(pk=pk, viewer=request_viewer(request))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Shown inline only when its content is a PDF or an image; anything else (HTML, SVG, ...)
    # is a download, whatever type the uploader's browser claimed.
    inline = files.inline_content_type(handle.read(16))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=inline is None,
        content_type=inline or "application/octet-stream",
        filename=attachment.file.name.rsplit("/", 1)[-1],
    )
    if attachment.is_closed or attachment.item.is_closed:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def case_detail(request, journal_number: str):
    try:
        case = case_selectors.case_get(journal_number=journal_number)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    face = meeting_selectors.case_face(case=case, viewer=request_viewer(request))
    if not face.items:
        raise Http404  # a case known only from closed items is not public
    return render(
        request,
        "publishing/case_detail.html",
        {"case": case, "case_title": face.title, "items": face.items},
    )


def csrf_failure(request, reason: str = ""):
    """Django's CSRF_FAILURE_VIEW: the Danish page '403_csrf.html' in the site's layout, rendered
    with the request (Django's own view renders it without, so the header could not show who is
    logged in). Django logs `reason` (django.security.csrf); it is English and not shown."""
    return render(request, "403_csrf.html", status=403)
