"""Test data for the IV register, built through the services so the workflow's rules hold."""

import datetime
import itertools

from django.utils import timezone

from sekretariat.bodies.models import Organisation, Person
from sekretariat.bodies.tests import factories as bf
from sekretariat.settlements import services
from sekretariat.settlements.models import Course, CourseAccess

AGREEMENT = "hovedstaden-2021"
_seq = itertools.count(1)


def aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def municipality(name: str | None = None, code: str | None = None) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(
        name=name or f"Prøvekommune {n} 5e1a", kind="kommune", code=code or str(800 + n)
    )


def region(name: str | None = None) -> Organisation:
    return Organisation.objects.create(
        name=name or f"Region Prøve {next(_seq)} 5e1a", kind="region"
    )


def municipal_user(org: Organisation):
    """A municipality's IV nurse: works there, and holds the municipal grant for it."""
    user = bf.user()
    Person.objects.create(name=f"Sygeplejerske {user.username}", organisation=org, user=user)
    services.course_access_grant(user=user, role=CourseAccess.Role.MUNICIPAL, organisation=org)
    return user


def employee_without_grant(org: Organisation):
    """Someone who works in the municipality (a director, say) but holds no IV grant."""
    user = bf.user()
    Person.objects.create(name=f"Direktør {user.username}", organisation=org, user=user)
    return user


def secretariat_staff():
    """Staff of the secretariat with the IV register's secretariat grant (read, settle)."""
    user = bf.user()
    bf.secretariat().staff.add(user)
    services.course_access_grant(user=user, role=CourseAccess.Role.SECRETARIAT)
    return user


def finance_user(reg: Organisation):
    user = bf.user()
    services.course_access_grant(user=user, role=CourseAccess.Role.REGION_FINANCE, organisation=reg)
    return user


def access_admin():
    user = bf.user()
    services.course_access_grant(user=user, role=CourseAccess.Role.ACCESS_ADMIN)
    return user


def referred(org, reg, *, type_code="antibiotika", day=datetime.date(2022, 3, 1), **kwargs):
    return services.course_refer(
        municipality=org,
        region=reg,
        agreement_id=AGREEMENT,
        treatment_type=type_code,
        setting=kwargs.pop("setting", "hjemme"),
        hospital=kwargs.pop("hospital", "Testhospitalet 3b7c"),
        department=kwargs.pop("department", "Medicinsk afdeling 3b7c"),
        visits_per_day=kwargs.pop("visits_per_day", 2),
        minutes_per_administration=kwargs.pop("minutes_per_administration", 30),
        referred_at=aware(day - datetime.timedelta(days=1), 11),
        **kwargs,
    )


def completed(
    org, reg, *, type_code="antibiotika", start=datetime.date(2022, 3, 1), days=8, **kwargs
):
    """A course through every step up to completion: start .. start + days - 1."""
    course = referred(org, reg, type_code=type_code, day=start, **kwargs)
    services.course_assess(
        course=course, accept=True, at=aware(start - datetime.timedelta(days=1), 12)
    )
    services.course_plan_record(
        course=course,
        plan_text="Temperatur ved hvert besøg 3b7c",
        start_date=start,
        planned_days=days,
        at=aware(start - datetime.timedelta(days=1), 13),
    )
    services.course_delegate(
        course=course,
        delegated_by="Overlæge 3b7c",
        at=aware(start - datetime.timedelta(days=1), 14),
    )
    end = start + datetime.timedelta(days=days - 1)
    services.course_complete(
        course=course, end_date=end, completion_note="Afsluttet 3b7c", at=aware(end, 16)
    )
    course.refresh_from_db()
    return course


def status_of(course: Course) -> str:
    course.refresh_from_db()
    return course.status
