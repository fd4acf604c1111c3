"""Reads about bodies, people and what a viewer may see."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Body, Membership


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
