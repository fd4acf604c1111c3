"""Reads of courses, settlement runs and population, with the viewer's rights in the query.

Who sees what comes from explicit grants (``CourseAccess``), never from where a person works (the
rule lives here and only here):

- ``municipal`` (a municipality's IV nurse or visitator): that municipality's courses, read and
  record their steps; its statements;
- ``secretariat``: every course and statement, read only; runs settlements and imports
  population figures;
- ``region_finance``: that region's settlement runs and statements, and the monitoring report;
  no course;
- ``access_admin``: the access screen;
- administrators (superusers): read everything and grant access; recording a course's steps
  still takes a municipal grant;
- everybody else, the public included: nothing (403 for the screens, 404 for a course).

The monitoring report holds figures and the categories of declined referrals only; a
municipality's own note on a declined referral is shown to that municipality's staff only.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from sekretariat.bodies.models import Organisation

from . import engine
from .models import (
    Course,
    CourseAccess,
    DeclineCategory,
    PopulationFigure,
    SettlementLine,
    SettlementRun,
    SettlementStatement,
)


@dataclass(frozen=True)
class CourseViewer:
    """What one user may do with IV courses, computed once per request from their grants."""

    is_admin: bool = False
    is_secretariat: bool = False
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    finance_region_ids: frozenset[int] = field(default_factory=frozenset)
    is_access_admin: bool = False

    @property
    def sees_all(self) -> bool:
        return self.is_admin or self.is_secretariat

    @property
    def may_see_courses(self) -> bool:
        return self.sees_all or bool(self.municipality_ids)

    @property
    def may_use_register(self) -> bool:
        """Any screen of the IV area at all (the header's link)."""
        return self.may_see_courses or bool(self.finance_region_ids) or self.may_grant

    @property
    def may_see_settlements(self) -> bool:
        return self.may_see_courses or bool(self.finance_region_ids)

    @property
    def may_settle(self) -> bool:
        return self.sees_all

    @property
    def may_grant(self) -> bool:
        return self.is_admin or self.is_access_admin

    @property
    def may_refer(self) -> bool:
        return bool(self.municipality_ids)

    def may_see(self, municipality_id: int) -> bool:
        return self.sees_all or municipality_id in self.municipality_ids

    def may_see_run(self, run: "SettlementRun") -> bool:
        return self.may_see_courses or run.region_id in self.finance_region_ids

    def may_see_statement(self, statement: "SettlementStatement") -> bool:
        return self.may_see(statement.municipality_id) or (
            statement.run.region_id in self.finance_region_ids
        )

    def may_edit(self, municipality_id: int) -> bool:
        return municipality_id in self.municipality_ids

    def may_read_note(self, course: Course) -> bool:
        """The municipality's own free text on a course (a decline note): its staff only."""
        return course.municipality_id in self.municipality_ids


NOBODY = CourseViewer()


def course_viewer_for(user) -> CourseViewer:
    if user is None or not user.is_authenticated:
        return NOBODY
    grants = list(
        CourseAccess.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "role", "organisation_id"
        )
    )
    Role = CourseAccess.Role
    return CourseViewer(
        is_admin=bool(user.is_superuser),
        is_secretariat=any(role == Role.SECRETARIAT for role, _org in grants),
        municipality_ids=frozenset(org for role, org in grants if role == Role.MUNICIPAL),
        finance_region_ids=frozenset(org for role, org in grants if role == Role.REGION_FINANCE),
        is_access_admin=any(role == Role.ACCESS_ADMIN for role, _org in grants),
    )


def request_course_viewer(request) -> CourseViewer:
    """The course rights of this request, computed once and kept on the request."""
    viewer = getattr(request, "_iv_course_viewer", None)
    if viewer is None:
        viewer = course_viewer_for(request.user)
        request._iv_course_viewer = viewer
    return viewer


def _visible(qs: QuerySet[Course], viewer: CourseViewer) -> QuerySet[Course]:
    if viewer.sees_all:
        return qs
    return qs.filter(municipality_id__in=viewer.municipality_ids)


def course_list(
    *,
    viewer: CourseViewer,
    status: str = "",
    municipality_id: int | None = None,
    year: int | None = None,
) -> QuerySet[Course]:
    qs = _visible(Course.objects.select_related("municipality"), viewer)
    if status:
        qs = qs.filter(status=status)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    if year:
        qs = qs.filter(referred_at__year=year)
    return qs.order_by("-referred_at", "-id")


def course_detail(*, viewer: CourseViewer, pk: int) -> Course:
    """The course with its visits and deviations; 404 when the viewer may not see it."""
    qs = _visible(Course.objects.select_related("municipality", "region", "assessed_by"), viewer)
    try:
        return qs.prefetch_related("visits", "deviations").get(pk=pk)
    except Course.DoesNotExist:
        raise Http404 from None


def course_events(course: Course) -> list[tuple[str, object]]:
    """The course's visits and deviations in time order, as ("visit" | "deviation", row)."""
    events = [("visit", visit.visited_at, visit) for visit in course.visits.all()]
    events += [("deviation", d.reported_at, d) for d in course.deviations.all()]
    return [(kind, row) for kind, _at, row in sorted(events, key=lambda e: (e[1], e[0]))]


def course_counts_by_status(*, viewer: CourseViewer) -> dict[str, int]:
    rows = _visible(Course.objects.all(), viewer).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def municipalities_visible(*, viewer: CourseViewer) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("name")
    if viewer.sees_all:
        return qs
    return qs.filter(pk__in=viewer.municipality_ids)


def regions() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("name")


def report_default_year(*, region: Organisation | None) -> int | None:
    """The latest year with a referral in ``region``: where the monitoring report opens (the
    report holds figures only, so the years come from all of the region's courses)."""
    if region is None:
        return None
    latest = Course.objects.filter(region=region).dates("referred_at", "year").last()
    return latest.year if latest else None


def course_years(*, viewer: CourseViewer) -> list[int]:
    qs = _visible(Course.objects.all(), viewer)
    return sorted({d.year for d in qs.dates("referred_at", "year")}, reverse=True)


# --- the engine's input ----------------------------------------------------------------------


def _settled_courses(region: Organisation, year: int, agreement_id: str) -> QuerySet[Course]:
    """Accepted, completed courses of ``region`` starting in ``year`` under ``agreement_id``."""
    return Course.objects.filter(
        region=region,
        agreement_id=agreement_id,
        start_date__year=year,
        end_date__isnull=False,
        status=Course.Status.COMPLETED,
    )


def settlement_input(
    *,
    region: Organisation,
    year: int,
    agreement_id: str,
    started_until: datetime.date | None = None,
) -> tuple[list, dict[str, int], dict[str, int]]:
    """The engine's courses (one query), the municipality name → organisation id map, and the
    course reference → course id map. ``started_until`` leaves out later starts (a quarter)."""
    qs = _settled_courses(region, year, agreement_id)
    if started_until is not None:
        qs = qs.filter(start_date__lte=started_until)
    rows = qs.values_list(
        "id",
        "reference",
        "municipality_id",
        "municipality__name",
        "treatment_type",
        "start_date",
        "end_date",
        "setting",
    )
    courses, municipality_ids, course_ids = [], {}, {}
    for pk, reference, org_id, org_name, type_code, start, end, setting in rows:
        courses.append(engine.engine_course(reference, org_name, type_code, start, end, setting))
        municipality_ids[org_name] = org_id
        course_ids[reference] = pk
    return courses, municipality_ids, course_ids


def referral_records(
    *, region: Organisation, year: int, agreement_id: str, referred_until: datetime.date
) -> list:
    """Every assessed referral of the year up to ``referred_until``, as the engine's records."""
    rows = (
        Course.objects.filter(
            region=region,
            agreement_id=agreement_id,
            referred_at__year=year,
            referred_at__date__lte=referred_until,
            assessed_at__isnull=False,
        )
        .values_list(
            "reference",
            "municipality__name",
            "referred_at",
            "treatment_type",
            "visits_per_day",
            "minutes_per_administration",
            "status",
            "decline_category",
        )
        .order_by("referred_at", "id")
    )
    # The monitoring counts the category (its Danish label), never the municipality's free text.
    categories = dict(DeclineCategory.choices)
    return [
        engine.referral_record(
            reference,
            municipality,
            timezone.localdate(referred_at),
            type_code,
            visits,
            minutes,
            status != Course.Status.DECLINED,
            str(categories.get(category, "")),
        )
        for reference, municipality, referred_at, type_code, visits, minutes, status, category in rows
    ]


def courses_running(*, region: Organisation, year: int, agreement_id: str) -> int:
    """Accepted courses of the year not yet completed (no first day yet: by referral year)."""
    return (
        Course.objects.filter(
            region=region,
            agreement_id=agreement_id,
            status__in=[Course.Status.ACCEPTED, Course.Status.IN_TREATMENT],
        )
        .filter(Q(start_date__year=year) | Q(start_date__isnull=True, referred_at__year=year))
        .count()
    )


def population_by_name(*, year: int) -> dict[str, int]:
    """Municipality name → inhabitants in ``year`` (or the latest earlier year on record)."""
    rows = (
        PopulationFigure.objects.filter(year__lte=year)
        .order_by("municipality_id", "-year")
        .values_list("municipality__name", "population", "municipality_id")
    )
    result: dict[str, int] = {}
    for name, population, _org in rows:
        result.setdefault(name, population)
    return result


def population_list() -> QuerySet[PopulationFigure]:
    return PopulationFigure.objects.select_related("municipality").order_by(
        "-year", "municipality__name"
    )


# --- settlement runs -------------------------------------------------------------------------


def run_list(*, viewer: CourseViewer) -> QuerySet[SettlementRun]:
    qs = SettlementRun.objects.select_related("region", "created_by").order_by(
        "-year", "-created_at", "-id"
    )
    if viewer.may_see_courses:
        return qs
    return qs.filter(region_id__in=viewer.finance_region_ids)


def run_detail(*, viewer: CourseViewer, pk: int) -> SettlementRun:
    try:
        return run_list(viewer=viewer).get(pk=pk)
    except SettlementRun.DoesNotExist:
        raise Http404 from None


def statements_for_run(*, viewer: CourseViewer, run: SettlementRun) -> list[SettlementStatement]:
    qs = run.statements.select_related("municipality").order_by("municipality__name")
    if viewer.sees_all or run.region_id in viewer.finance_region_ids:
        return list(qs)
    return list(qs.filter(municipality_id__in=viewer.municipality_ids))


def statement_detail(
    *, viewer: CourseViewer, run: SettlementRun, municipality_id: int
) -> SettlementStatement:
    try:
        statement = run.statements.select_related("municipality", "run__region").get(
            municipality_id=municipality_id
        )
    except SettlementStatement.DoesNotExist:
        raise Http404 from None
    if not viewer.may_see_statement(statement):
        raise Http404
    return statement


def statement_lines(*, statement: SettlementStatement) -> QuerySet[SettlementLine]:
    return SettlementLine.objects.filter(
        run_id=statement.run_id, municipality_id=statement.municipality_id
    ).order_by("ordinal")


def statement_summary(*, statement: SettlementStatement) -> list[dict]:
    """Courses, days and amount per (type, step) for one statement, in type then step order."""
    return list(
        statement_lines(statement=statement)
        .order_by()
        .values("treatment_type", "step", "course_tariff_dkk", "day_tariff_dkk")
        .annotate(
            courses=Count("id"),
            days=Sum("days"),
            extra_days=Sum("extra_days"),
            amount_dkk=Sum("amount_dkk"),
        )
        .order_by("treatment_type", "step")
    )


def run_lines(*, run: SettlementRun) -> QuerySet[SettlementLine]:
    return run.lines.select_related("municipality").order_by("ordinal")


# --- access to the register ------------------------------------------------------------------


def access_list(*, active: bool) -> QuerySet[CourseAccess]:
    """The grants in force (``active``), or the revoked ones, newest first."""
    qs = CourseAccess.objects.select_related(
        "user", "organisation", "granted_by", "revoked_by"
    ).filter(revoked_at__isnull=active)
    if active:
        return qs.order_by("user__username", "role", "organisation__name")
    return qs.order_by("-revoked_at", "-id")


def access_get(*, pk: int) -> CourseAccess:
    try:
        return CourseAccess.objects.select_related("user", "organisation").get(pk=pk)
    except CourseAccess.DoesNotExist:
        raise Http404 from None


def access_users(*, exclude):
    """The active users a grant may name (not the granting user)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(is_active=True).exclude(pk=exclude.pk).order_by("username")
    )


def access_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.REGION]
    ).order_by("kind", "name")
