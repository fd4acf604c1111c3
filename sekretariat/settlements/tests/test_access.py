"""Who sees courses: only those holding a grant (``test_roles`` has every role and action).
Also the query counts of the course list."""

import datetime

import pytest
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.settlements import selectors, services

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_municipalities():
    reg = f.region()
    own, other = f.municipality("Egekommune 6c6c"), f.municipality("Bøgekommune 6c6c")
    own_course = f.completed(own, reg, hospital="Ege Hospital 6c6c")
    other_course = f.completed(other, reg, hospital="Bøge Hospital 6c6c")
    return own, other, own_course, other_course


def test_municipal_staff_see_only_their_own_courses(client, two_municipalities):
    own, other, own_course, other_course = two_municipalities
    client.force_login(f.municipal_user(own))
    r = client.get(reverse("settlements:course_list"))
    assert r.status_code == 200
    assert own_course.reference in r.text and other_course.reference not in r.text
    url = reverse("settlements:course_detail", kwargs={"pk": own_course.pk})
    assert client.get(url).status_code == 200
    url = reverse("settlements:course_detail", kwargs={"pk": other_course.pk})
    r = client.get(url)
    assert r.status_code == 404 and "Bøge Hospital 6c6c" not in r.text
    step = reverse("settlements:course_step", kwargs={"pk": other_course.pk, "step": "afvigelse"})
    assert client.post(step, {"description": "Forsøg 6c6c"}).status_code == 404
    assert not other_course.deviations.exists()


def test_the_public_and_people_without_rights_see_nothing(client, two_municipalities):
    own, _other, own_course, _ = two_municipalities
    urls = [
        reverse("settlements:home"),
        reverse("settlements:course_list"),
        reverse("settlements:course_detail", kwargs={"pk": own_course.pk}),
        reverse("settlements:report"),
        reverse("settlements:run_list"),
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("login")), url
    # A forum member, and a municipal director working in the course's municipality without
    # an IV grant (the review's finding): 403 on the screens, no course text.
    for user in (bf.member_user(bf.body()), f.employee_without_grant(own)):
        client.force_login(user)
        for url in urls:
            r = client.get(url)
            assert r.status_code == 403 and "Ege Hospital 6c6c" not in r.text, url


def test_course_list_query_count_does_not_grow_with_courses(client, django_assert_num_queries):
    org, reg = f.municipality(), f.region()
    for i in range(3):
        f.referred(org, reg, day=datetime.date(2022, 2, 1 + i))
    client.force_login(f.municipal_user(org))
    # session, user, course rights (the grants), years, count, 2 viewer (bodies, for the
    # header), municipalities (filter), page
    with django_assert_num_queries(9):
        client.get(reverse("settlements:course_list"))
    for i in range(20):
        f.referred(org, reg, day=datetime.date(2022, 3, 1 + i))
    with django_assert_num_queries(9):
        r = client.get(reverse("settlements:course_list"))
    assert r.text.count("IV-2022-") == 23


def test_viewer_rule_in_one_place():
    own = f.municipality()
    viewer = selectors.course_viewer_for(f.municipal_user(own))
    assert viewer.may_see(own.pk) and viewer.may_edit(own.pk) and not viewer.may_settle
    # Working in a municipality gives nothing by itself.
    assert selectors.course_viewer_for(f.employee_without_grant(own)) == selectors.NOBODY
    assert selectors.course_viewer_for(None) == selectors.NOBODY
    course = f.referred(own, f.region())
    other_viewer = selectors.course_viewer_for(f.municipal_user(f.municipality()))
    assert not selectors.course_list(viewer=other_viewer).filter(pk=course.pk).exists()
    assert services.course_eligibility(course).eligible
