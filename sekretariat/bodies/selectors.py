"""Reads about bodies, people and what a viewer may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Body, Membership, Organisation, Person, Secretariat


@dataclass(frozen=True)
class Viewer:
    """What one user may do, computed once per request.

    - public (anonymous): open material only;
    - member: also closed material of the bodies where the user holds a current membership;
    - secretariat: edits (and sees) everything of the bodies its secretariat serves;
    - administrator: everything.
    """

    is_authenticated: bool = False
    is_admin: bool = False
    editable_body_ids: frozenset[int] = field(default_factory=frozenset)
    member_body_ids: frozenset[int] = field(default_factory=frozenset)

    def can_edit(self, body_id: int) -> bool:
        return self.is_admin or body_id in self.editable_body_ids

    def can_see_closed(self, body_id: int) -> bool:
        return self.can_edit(body_id) or body_id in self.member_body_ids

    @property
    def is_staff_anywhere(self) -> bool:
        return self.is_admin or bool(self.editable_body_ids)


PUBLIC = Viewer()


def viewer_for(user, *, on: datetime.date | None = None) -> Viewer:
    """The rights of `user` on the date `on` (default: today)."""
    if user is None or not user.is_authenticated:
        return PUBLIC
    on = on or timezone.localdate()
    editable = frozenset(Body.objects.filter(secretariat__staff=user).values_list("id", flat=True))
    member = frozenset(
        Membership.objects.filter(person__user=user, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("body_id", flat=True)
    )
    return Viewer(
        is_authenticated=True,
        is_admin=bool(user.is_superuser),
        editable_body_ids=editable,
        member_body_ids=member,
    )


def body_list() -> QuerySet[Body]:
    return Body.objects.select_related("organisation", "parent").order_by("name")


def body_list_editable(viewer: Viewer) -> QuerySet[Body]:
    qs = body_list()
    if not viewer.is_admin:
        qs = qs.filter(id__in=viewer.editable_body_ids)
    return qs


@dataclass(frozen=True)
class BodyMembers:
    """A body's seats on one day: current (begun, not ended), upcoming (begin after the day,
    'Kommende') and former (ended before the day, newest first)."""

    current: list[Membership]
    upcoming: list[Membership]
    former: list[Membership]


def body_members(*, body: Body, on: datetime.date | None = None) -> BodyMembers:
    """Every seat of `body` sorted by its dates against `on` (default: today). A seat appointed
    from a later date is upcoming until that date, never current at once."""
    on = on or timezone.localdate()
    seats = list(
        Membership.objects.filter(body=body).select_related(
            "person", "person__organisation", "representing"
        )
    )
    return BodyMembers(
        current=memberships_in_role_order(
            m for m in seats if m.start_date <= on and (m.end_date is None or m.end_date >= on)
        ),
        upcoming=sorted(
            (m for m in seats if m.start_date > on),
            key=lambda m: (m.start_date, ROLE_ORDER.get(m.role, 9), m.person.name),
        ),
        former=sorted(
            (m for m in seats if m.end_date is not None and m.end_date < on),
            key=lambda m: m.end_date,
            reverse=True,
        ),
    )


def body_detail(*, slug: str, on: datetime.date | None = None) -> Body:
    """A body with its current members (chair first) and its parent and children."""
    on = on or timezone.localdate()
    current = (
        Membership.objects.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person", "person__organisation", "representing")
        .order_by("role", "person__name")
    )
    return (
        Body.objects.select_related("organisation", "parent", "secretariat")
        .prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_memberships"),
            "children",
            "terms_of_reference",
        )
        .get(slug=slug)
    )


ROLE_ORDER = {
    Membership.Role.CHAIR: 0,
    Membership.Role.VICE_CHAIR: 1,
    Membership.Role.MEMBER: 2,
    Membership.Role.SUBSTITUTE: 3,
}


def memberships_in_role_order(memberships) -> list[Membership]:
    return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.person.name))


def request_viewer(request) -> Viewer:
    """The viewer of this request, computed once and kept on the request."""
    viewer = getattr(request, "_sekretariat_viewer", None)
    if viewer is None:
        viewer = viewer_for(request.user)
        request._sekretariat_viewer = viewer
    return viewer


# --- the secretariat's register: organisations, secretariats, bodies, people ----------------


def register_allowed(user, viewer: Viewer) -> bool:
    """Who keeps the register (organisations, fora, secretariats, people): administrators and
    secretariat staff, also of a secretariat that serves no body yet."""
    if viewer.is_staff_anywhere:
        return True
    return bool(user.is_authenticated) and Secretariat.objects.filter(staff=user).exists()


def secretariats_of(user) -> QuerySet[Secretariat]:
    """The secretariats `user` may change and assign bodies to: all for an administrator,
    otherwise those the user is staff of."""
    qs = Secretariat.objects.select_related("host_organisation").order_by("name")
    if not user.is_superuser:
        qs = qs.filter(staff=user)
    return qs


def organisation_list(*, query: str = "", kind: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.annotate(
        body_count=Count("bodies", distinct=True), person_count=Count("people", distinct=True)
    ).order_by("name")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def secretariat_list() -> QuerySet[Secretariat]:
    return (
        Secretariat.objects.select_related("host_organisation")
        .prefetch_related("staff")
        .annotate(body_count=Count("bodies", distinct=True))
        .order_by("name")
    )


def register_body_list(*, query: str = "") -> QuerySet[Body]:
    qs = body_list().select_related("secretariat")
    if query:
        qs = qs.filter(name__icontains=query)
    return qs


def person_list(*, query: str = "", organisation_id: int | None = None) -> QuerySet[Person]:
    on = timezone.localdate()
    qs = (
        Person.objects.select_related("organisation")
        .annotate(
            seat_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=on)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)),
            )
        )
        .order_by("name", "id")
    )
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(job_title__icontains=query) | Q(email__icontains=query)
        )
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs


def person_seats(person: Person) -> list[Membership]:
    """A person's seats in every body, newest first."""
    return list(
        person.memberships.select_related("body", "representing").order_by("-start_date", "id")
    )
