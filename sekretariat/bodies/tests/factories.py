"""Test data for bodies: small functions with distinctive defaults."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from sekretariat.bodies.models import Body, Membership, Organisation, Person, Secretariat

_seq = itertools.count(1)


def organisation(name: str | None = None, kind: str = "kommune") -> Organisation:
    return Organisation.objects.create(name=name or f"Testkommune {next(_seq)} 4c1e", kind=kind)


def secretariat(name: str | None = None) -> Secretariat:
    return Secretariat.objects.create(
        name=name or f"Testsekretariat {next(_seq)}", host_organisation=organisation()
    )


def body(name: str | None = None, *, secretariat_obj: Secretariat | None = None, **kwargs) -> Body:
    n = next(_seq)
    return Body.objects.create(
        name=name or f"Testforum {n} 9b2d",
        slug=kwargs.pop("slug", f"testforum-{n}"),
        organisation=kwargs.pop("organisation", None) or organisation(),
        secretariat=secretariat_obj or secretariat(),
        **kwargs,
    )


def user(username: str | None = None, **kwargs):
    return get_user_model().objects.create_user(
        username or f"bruger{next(_seq)}", password="test-7f3a-password", **kwargs
    )


def secretariat_user(body_obj: Body):
    u = user()
    body_obj.secretariat.staff.add(u)
    return u


def member_user(body_obj: Body, *, role: str = "medlem", start=None, end=None):
    u = user()
    person = Person.objects.create(name=f"Medlem {u.username}", user=u)
    Membership.objects.create(
        person=person,
        body=body_obj,
        role=role,
        start_date=start or datetime.date(2020, 1, 1),
        end_date=end,
    )
    return u


def admin_user():
    return get_user_model().objects.create_superuser(f"admin{next(_seq)}", password="x-7f3a-admin")
