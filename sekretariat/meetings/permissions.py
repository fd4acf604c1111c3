"""The secretariat's access to a body, meeting or item: 404 when it does not exist, 403 when
the user may not edit it. Views call these first; rights come from the request's Viewer."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from sekretariat.bodies.models import Body
from sekretariat.bodies.selectors import request_viewer

from .models import AgendaItem, Meeting


def editable_body(request, slug: str) -> Body:
    body = get_object_or_404(Body, slug=slug)
    if not request_viewer(request).can_edit(body.pk):
        raise PermissionDenied
    return body


def editable_meeting(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not request_viewer(request).can_edit(meeting.body_id):
        raise PermissionDenied
    return meeting


def editable_item(request, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    if not request_viewer(request).can_edit(item.meeting.body_id):
        raise PermissionDenied
    return item
