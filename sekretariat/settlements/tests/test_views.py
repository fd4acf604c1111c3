"""The course screens through the test client: each step's form, Danish errors beside the field."""

import datetime

import pytest
from django.urls import reverse

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_course_through_the_screens(client):
    org, reg = f.municipality(), f.region()
    client.force_login(f.municipal_user(org))
    course = f.referred(org, reg, day=datetime.date(2022, 9, 12))

    def step(name, data):
        url = reverse("settlements:course_step", kwargs={"pk": course.pk, "step": name})
        return client.post(url, data)

    detail = reverse("settlements:course_detail", kwargs={"pk": course.pk})
    r = client.get(detail)
    assert "Henvisningen opfylder alle aftalens betingelser." in r.text
    r = step("vurdering", {"decision": "decline", "decline_category": "", "decline_reason": ""})
    assert r.status_code == 200 and "Vælg begrundelsen for afvisningen." in r.text
    assert step("vurdering", {"decision": "accept"}).status_code == 302
    r = step(
        "plan", {"plan_text": "CRP dag 3 5b5b", "start_date": "2022-09-12", "planned_days": "7"}
    )
    assert r.status_code == 302
    assert step("delegering", {"delegated_by": "Overlæge Krog 5b5b"}).status_code == 302
    r = step(
        "besoeg",
        {
            "visited_at": "2022-09-11T08:00",
            "duration_minutes": "30",
            "setting": "hjemme",
            "given_by": "SSA 5b5b",
        },
    )
    assert r.status_code == 200 and "Besøget ligger før første behandlingsdag." in r.text
    r = step(
        "besoeg",
        {
            "visited_at": "2022-09-12T08:00",
            "duration_minutes": "30",
            "setting": "hjemme",
            "given_by": "SSA 5b5b",
        },
    )
    assert r.status_code == 302
    r = step("afslutning", {"end_date": "2022-09-18", "completion_note": "Afsluttet 5b5b"})
    assert r.status_code == 302
    assert step("epikrise", {}).status_code == 302
    r = client.get(detail)
    for text in (
        "Overlæge Krog 5b5b",
        "SSA 5b5b",
        "Afsluttet 5b5b",
        "Epikrise sendt til egen læge",
    ):
        assert text in r.text
    assert "afsluttet" in r.text
    assert step("ukendt-trin", {}).status_code == 403


def test_referral_that_fails_the_agreement_shows_the_engines_reasons(client):
    org, reg = f.municipality(), f.region()
    client.force_login(f.municipal_user(org))
    course = f.referred(org, reg, minutes_per_administration=75)
    r = client.get(reverse("settlements:course_detail", kwargs={"pk": course.pk}))
    assert "Forløbet kan ikke visiteres under aftalen" in r.text and "75 minutter" in r.text
    url = reverse("settlements:course_step", kwargs={"pk": course.pk, "step": "vurdering"})
    r = client.post(url, {"decision": "accept"})
    assert r.status_code == 200 and "Aftalen omfatter ikke forløbet" in r.text


def test_home_and_run_pages_answer(client):
    client.force_login(f.secretariat_staff())
    for name in ("home", "course_list", "run_list", "report", "population"):
        assert client.get(reverse(f"settlements:{name}")).status_code == 200, name
