"""Reads of meetings and agendas, always through the viewer's rights.

Closed material is filtered here, in the query or right beside it, so that no view, feed or
document can get a closed item's text by accident: a public viewer receives a `PublicItem`
placeholder for a closed item, never the item itself.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Appointment, Body
from sekretariat.bodies.selectors import Viewer

from . import visibility
from .models import Access, AgendaItem, Attachment, Attendance, ItemSection, Meeting, SectionType


@dataclass(frozen=True)
class ClosedItem:
    """What the public sees of a closed item: its number and a neutral title, nothing else."""

    pk: int
    number: str
    title: str
    position: int
    is_closed: bool = True
    is_placeholder: bool = True


def closed_placeholder(item: AgendaItem) -> ClosedItem:
    return ClosedItem(
        pk=item.pk,
        number=item.number,
        title=item.public_title or _("Closed item"),
        position=item.position,
    )


def meeting_list_for_body(*, body: Body, year: int | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(body=body).annotate(item_count=Count("agenda_items"))
    if year is not None:
        qs = qs.filter(starts_at__year=year)
    return qs.order_by("starts_at")


def meeting_years(*, body: Body) -> list[int]:
    return sorted({d.year for d in Meeting.objects.filter(body=body).dates("starts_at", "year")})


def meetings_upcoming(
    *, limit: int = 10, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return (
        Meeting.objects.filter(ends_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("starts_at")[:limit]
    )


def meetings_recent_minutes(*, limit: int = 10) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(status=Meeting.Status.MINUTES_APPROVED)
        .select_related("body")
        .order_by("-starts_at")[:limit]
    )


def _visible_attachments(viewer: Viewer, meeting: Meeting) -> QuerySet[Attachment]:
    """The attachments of the items the viewer may see (the items are filtered by the caller)."""
    qs = Attachment.objects.order_by("position", "id")
    if not visibility.sees_everything(viewer, meeting):
        qs = qs.filter(access=Access.OPEN)
    return qs


def _sections(viewer: Viewer, meeting: Meeting) -> QuerySet[ItemSection]:
    qs = ItemSection.objects.select_related("section_type").order_by("section_type__position")
    if not visibility.may_see_decisions(viewer, meeting):
        qs = qs.exclude(section_type__role=SectionType.Role.DECISION)
    return qs


def meeting_get(*, pk: int, viewer: Viewer) -> Meeting:
    """The meeting with its body, or 404 if the viewer may not see it at all."""
    try:
        meeting = Meeting.objects.select_related("body", "body__organisation").get(pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    return meeting


def agenda_for_meeting(*, meeting: Meeting, viewer: Viewer) -> list:
    """The agenda as the viewer may see it: full items, and placeholders for closed ones.

    Before the agenda is published the public sees no items at all.
    """
    if not visibility.may_see_agenda(viewer, meeting):
        return []
    full = visibility.sees_everything(viewer, meeting)
    items = meeting.agenda_items.order_by("position", "id")
    visible = items if full else items.filter(access=Access.OPEN)
    visible = visible.prefetch_related(
        Prefetch("sections", queryset=_sections(viewer, meeting)),
        Prefetch("attachments", queryset=_visible_attachments(viewer, meeting)),
    )
    if full:
        return list(visible)
    closed = items.filter(access=Access.CLOSED).only(
        "pk", "meeting_id", "number", "public_title", "position"
    )
    merged = list(visible) + [closed_placeholder(i) for i in closed]
    return sorted(merged, key=lambda i: (i.position, i.pk))


def item_get(*, meeting: Meeting, pk: int, viewer: Viewer) -> AgendaItem:
    """One item with its sections and attachments; 404 for a closed item the viewer may not see."""
    qs = AgendaItem.objects.filter(meeting=meeting, pk=pk).select_related("case")
    qs = qs.prefetch_related(
        Prefetch("sections", queryset=_sections(viewer, meeting)),
        Prefetch("attachments", queryset=_visible_attachments(viewer, meeting)),
        "corrections",
    )
    item = qs.first()
    if item is None or not visibility.may_see_item(viewer, item, meeting):
        raise Http404
    return item


def attendance_for_meeting(*, meeting: Meeting) -> dict[str, list[Attendance]]:
    groups: dict[str, list[Attendance]] = {r: [] for r in Attendance.Role.values}
    for a in meeting.attendances.select_related("person", "person__organisation").order_by(
        "person__name"
    ):
        groups[a.role].append(a)
    return groups


def attachment_get(*, pk: int, viewer: Viewer) -> Attachment:
    """An attachment the viewer may download: open, of an open item, on a public agenda."""
    try:
        att = Attachment.objects.select_related("item__meeting").get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    if not visibility.may_see_attachment(viewer, att, att.item, att.item.meeting):
        raise Http404
    return att


def meetings_for_calendar(*, body: Body) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body=body).order_by("starts_at")


def meetings_for_secretariat(*, bodies) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(body__in=bodies)
        .select_related("body")
        .annotate(item_count=Count("agenda_items"))
        .order_by("-starts_at")
    )


def with_decision_text(items: list) -> list:
    """Attach `decision_text` to each full item (from its prefetched or fetched sections)."""
    full = [i for i in items if not getattr(i, "is_placeholder", False)]
    for item in full:
        item.decision_text = next(
            (s.text for s in item.sections.all() if s.section_type.role == "beslutning"), ""
        )
    return full


@dataclass(frozen=True)
class CaseFace:
    """A case as one viewer may see it: its title (`visibility.case_title_for`) and its path."""

    title: str
    items: list


def case_face(*, case, viewer: Viewer) -> CaseFace:
    """The case's title and path as `viewer` may see them (`case_path`)."""
    everything = _case_items(case)
    return CaseFace(
        title=visibility.case_title_for(viewer, case, everything),
        items=_visible_path(everything, viewer),
    )


def case_title(*, case, viewer: Viewer) -> str:
    """The case's title as `viewer` may see it (for an item's page)."""
    items = (
        AgendaItem.objects.filter(case=case)
        .select_related("meeting")
        .only("access", "title", "meeting__status", "meeting__body_id", "meeting__starts_at")
        .order_by("meeting__starts_at", "position")
    )
    return visibility.case_title_for(viewer, case, list(items))


def case_path(*, case, viewer: Viewer) -> list[AgendaItem]:
    """Every item that treated `case`, in meeting order, as far as the viewer may see them.

    The public sees only open items of published agendas: that a case was treated in a closed
    item is itself not public.
    """
    return _visible_path(_case_items(case), viewer)


def _case_items(case) -> list[AgendaItem]:
    items = (
        AgendaItem.objects.filter(case=case)
        .select_related("meeting", "meeting__body")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=ItemSection.objects.filter(section_type__role="beslutning").select_related(
                    "section_type"
                ),
                to_attr="decision_sections",
            )
        )
        .order_by("meeting__starts_at", "position")
    )
    return list(items)


def _visible_path(items: list[AgendaItem], viewer: Viewer) -> list[AgendaItem]:
    visible = []
    for item in items:
        if not visibility.may_see_item(viewer, item, item.meeting):
            continue
        if not visibility.may_see_decisions(viewer, item.meeting):
            item.decision_sections = []
        visible.append(item)
    return visible


def appointments_for_body(*, body: Body):
    """The body's appointments, newest first, with the decisions that made them."""
    return (
        Appointment.objects.filter(membership__body=body)
        .select_related("membership__person", "replaces__person", "decision__item__meeting")
        .order_by("-effective_date", "-id")
    )
