"""Reads of meetings and agendas, always through the viewer's rights.

Closed material is filtered here, in the query or right beside it, so that no view, feed or
document can get a closed item's text by accident: a public viewer receives a `PublicItem`
placeholder for a closed item, never the item itself.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sekretariat.bodies.models import Appointment, Body, Membership, Organisation
from sekretariat.bodies.selectors import Viewer, body_members

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


# A meeting is upcoming while it has not ended and is still ahead in its life cycle: once it is
# held, its minutes approved or it is cancelled, it is not 'Kommende møder', whatever its date.
UPCOMING_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED)


def upcoming_condition(now: datetime.datetime | None = None) -> Q:
    """The one rule for 'upcoming' (Kommende møder), as a query condition."""
    return Q(ends_at__gte=now or timezone.now(), status__in=UPCOMING_STATUSES)


def meetings_upcoming(
    *, limit: int = 10, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(upcoming_condition(now))
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


@dataclass(frozen=True)
class AttendanceRow:
    """One person on the attendance page: a current member of the body on the meeting's day
    (`membership` set), or someone else with a record (a guest, a former member ...), with
    their record when there is one."""

    person_id: int
    name: str
    detail: str  # the seat's role and organisation, or the person's title and organisation
    membership: Membership | None
    attendance: Attendance | None

    @property
    def role(self) -> str:
        return self.attendance.role if self.attendance else ""

    @property
    def note(self) -> str:
        return self.attendance.note if self.attendance else ""


@dataclass(frozen=True)
class AttendanceSheet:
    """The attendance page of a meeting: its body's members on the day, chair first, and the
    others with a record (guests and the like), by name."""

    members: list[AttendanceRow]
    others: list[AttendanceRow]

    @property
    def rows(self) -> list[AttendanceRow]:
        return [*self.members, *self.others]


def meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


def _seat_detail(membership: Membership) -> str:
    organisation = membership.representing or membership.person.organisation
    role = str(membership.get_role_display())
    role = role[:1].upper() + role[1:]
    return f"{role}, {organisation.name}" if organisation else role


def _person_detail(person) -> str:
    return ", ".join(t for t in (person.job_title, getattr(person.organisation, "name", "")) if t)


def attendance_sheet(*, meeting: Meeting) -> AttendanceSheet:
    """Who can be marked on the meeting's attendance page (`body_members` on its day)."""
    records = {
        a.person_id: a for a in meeting.attendances.select_related("person", "person__organisation")
    }
    members: list[AttendanceRow] = []
    seen: set[int] = set()
    for membership in body_members(body=meeting.body, on=meeting_day(meeting)).current:
        if membership.person_id in seen:  # two seats of one person: the first (chair first)
            continue
        seen.add(membership.person_id)
        members.append(
            AttendanceRow(
                person_id=membership.person_id,
                name=membership.person.name,
                detail=_seat_detail(membership),
                membership=membership,
                attendance=records.get(membership.person_id),
            )
        )
    others = [
        AttendanceRow(
            person_id=a.person_id,
            name=a.person.name,
            detail=_person_detail(a.person),
            membership=None,
            attendance=a,
        )
        for a in sorted(records.values(), key=lambda a: (a.person.name.lower(), a.person_id))
        if a.person_id not in seen
    ]
    return AttendanceSheet(members=members, others=others)


@dataclass(frozen=True)
class AttendanceCounts:
    """How many of a meeting's records say present (deltager), absent (afbud) and guest."""

    present: int
    absent: int
    guests: int

    @property
    def total(self) -> int:
        return self.present + self.absent + self.guests


def attendance_counts(*, meeting: Meeting) -> AttendanceCounts:
    counts = dict(
        meeting.attendances.order_by()
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    return AttendanceCounts(
        present=counts.get(Attendance.Role.PARTICIPANT, 0),
        absent=counts.get(Attendance.Role.ABSENT, 0),
        guests=counts.get(Attendance.Role.GUEST, 0),
    )


def organisation_names() -> list[str]:
    """Every organisation's name, for the guest rows' suggestions."""
    return list(Organisation.objects.order_by("name").values_list("name", flat=True))


def agenda_numbers_in_order(items) -> bool:
    """Whether the items (in agenda order) are numbered 1, 2, 3 …: when not (numbers written by
    hand or imported), the agenda offers 'Omnummerér'."""
    return all(item.number == str(place) for place, item in enumerate(items, start=1))


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


def meetings_for_secretariat_split(
    *, bodies, now: datetime.datetime | None = None
) -> tuple[list[Meeting], list[Meeting]]:
    """The bodies' meetings as (upcoming, soonest first; all others, newest first)."""
    qs = meetings_for_secretariat(bodies=bodies)
    upcoming = list(qs.filter(upcoming_condition(now)).order_by("starts_at"))
    return upcoming, list(qs.exclude(pk__in=[m.pk for m in upcoming]))


def with_decision_text(items: list) -> list:
    """Attach `decision_text` to each full item (from its prefetched or fetched sections)."""
    full = [i for i in items if not getattr(i, "is_placeholder", False)]
    for item in full:
        item.decision_text = next(
            (s.text for s in item.sections.all() if s.section_type.role == "beslutning"), ""
        )
    return full


@dataclass(frozen=True)
class MinutesRow:
    """One item of the minutes editor: the item, its recommendation (Indstilling) and its
    decision (Beslutning) as stored."""

    item: AgendaItem
    recommendation: str
    decision: str


def minutes_rows(*, meeting: Meeting, viewer: Viewer) -> list[MinutesRow]:
    """Every item of the meeting the viewer may see in full, for the minutes editor."""
    rows = []
    for item in agenda_for_meeting(meeting=meeting, viewer=viewer):
        if getattr(item, "is_placeholder", False):
            continue
        texts = {s.section_type.role: s.text for s in item.sections.all()}
        rows.append(
            MinutesRow(
                item=item,
                recommendation=texts.get(SectionType.Role.RECOMMENDATION, ""),
                decision=texts.get(SectionType.Role.DECISION, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class AgendaSummary:
    """What a confirmation page says about a meeting's agenda: how many items, how many of
    them closed, and the numbers of the items that have no decision yet."""

    items: int
    closed: int
    without_decision: tuple[str, ...]


def agenda_summary(*, meeting: Meeting) -> AgendaSummary:
    items = list(
        meeting.agenda_items.order_by("position", "id").values_list("pk", "number", "access")
    )
    decided = set(
        ItemSection.objects.filter(
            item__meeting=meeting, section_type__role=SectionType.Role.DECISION
        )
        .exclude(text="")
        .values_list("item_id", flat=True)
    )
    return AgendaSummary(
        items=len(items),
        closed=sum(1 for _pk, _number, access in items if access == Access.CLOSED),
        without_decision=tuple(number for pk, number, _access in items if pk not in decided),
    )


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
