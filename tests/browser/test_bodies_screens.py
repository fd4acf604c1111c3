"""Secretariat staff build a forum from nothing without the Django admin: an organisation, the
forum, a person with details, and the person's appointment, seen on the forum's members page.
The screens are photographed at desktop and phone width (SEKRETARIAT_SHOTS, default
/tmp/shots) and must not scroll sideways on a phone."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from sekretariat.bodies.models import Body, Membership, Organisation, Person
from sekretariat.bodies.tests import factories as bf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SEKRETARIAT_SHOTS", "/tmp/shots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _field(page, label: str):
    """The input labelled exactly `label` (a required field's label ends in '*')."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def _fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shoot(page, name: str) -> None:
    """A full-page picture at desktop and at phone width; the phone one must not overflow."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"bodies-{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SHOTS / f"bodies-{name}-390.png"), full_page=True)
    assert _fits_a_phone(page), f"{name} scrolls sideways at 390 px"
    page.set_viewport_size(DESKTOP)


def test_staff_create_organisation_forum_person_and_appointment(page, live_server, login):
    existing = bf.body("Sundhedsdirektørkredsen 4e5f")
    user = bf.secretariat_user(existing)
    secretariat = existing.secretariat
    login(page, user.username)

    # The header leads to the register.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Stamdata").click()
    assert page.get_by_role("heading", name="Stamdata", level=1).is_visible()
    _shoot(page, "register")

    # An organisation.
    page.get_by_role("link", name="Ny organisation").click()
    _field(page, "Navn").fill("Klintholm Kommune 4e5f")
    page.get_by_label("Type").select_option("kommune")
    page.get_by_label("Kode").fill("399")
    _shoot(page, "organisation-form")
    page.get_by_role("button", name="Opret organisation").click()
    assert page.get_by_text("Organisationen Klintholm Kommune 4e5f er oprettet.").is_visible()
    organisation = Organisation.objects.get(name="Klintholm Kommune 4e5f")
    _shoot(page, "organisation-list")

    # A forum of that organisation, served by the user's secretariat.
    page.get_by_role("navigation", name="Stamdata").get_by_role("link", name="Fora").click()
    page.get_by_role("link", name="Nyt forum").click()
    _field(page, "Navn").fill("Styregruppen for Akutpleje 4e5f")
    page.get_by_label("Type").select_option("styregruppe")
    page.get_by_label("Organisation").select_option(str(organisation.pk))
    page.get_by_label("Sekretariat").select_option(str(secretariat.pk))
    page.get_by_label("Møder pr. år").fill("6")
    page.get_by_label("Beskrivelse").fill("Følger akutplejens omlægning 4e5f.")
    _shoot(page, "body-form")
    page.get_by_role("button", name="Opret forum").click()
    assert page.get_by_text("Forummet Styregruppen for Akutpleje 4e5f er oprettet.").is_visible()
    body = Body.objects.get(name="Styregruppen for Akutpleje 4e5f")
    assert (body.organisation, body.secretariat, body.meetings_per_year) == (
        organisation,
        secretariat,
        6,
    )

    # Now on the forum's members page: create the person with details, then come back.
    page.get_by_role("link", name="opret personen først").click()
    _field(page, "Navn").fill("Signe Bækgaard 4e5f")
    page.get_by_label("Titel").fill("Sundhedsdirektør")
    page.get_by_label("Organisation").select_option(str(organisation.pk))
    page.get_by_label("E-mail").fill("signe.4e5f@example.invalid")
    _shoot(page, "person-form")
    page.get_by_role("button", name="Opret person").click()
    assert page.get_by_text("Signe Bækgaard 4e5f er oprettet.").is_visible()
    person = Person.objects.get(name="Signe Bækgaard 4e5f")
    assert (person.job_title, person.organisation, person.email) == (
        "Sundhedsdirektør",
        organisation,
        "signe.4e5f@example.invalid",
    )

    # Back on the members page with the new person chosen; a new name as well is refused.
    assert page.get_by_label("Person", exact=True).input_value() == str(person.pk)
    page.get_by_label("Eller navnet på en ny person").fill("Forkert Navn 4e5f")
    page.get_by_label("Rolle").select_option("formand")
    page.get_by_label("Gældende fra").fill("2025-01-01")
    page.get_by_role("button", name="Registrér udpegning").click()
    assert page.get_by_text("Vælg én af delene").first.is_visible()
    _shoot(page, "members-refused")
    assert not Membership.objects.filter(body=body).exists()
    assert not Person.objects.filter(name="Forkert Navn 4e5f").exists()

    page.get_by_label("Eller navnet på en ny person").fill("")
    page.get_by_role("button", name="Registrér udpegning").click()
    assert page.get_by_text("Udpegningen er registreret.").is_visible()

    # A second member appointed from next month is upcoming, not current.
    later = timezone.localdate() + datetime.timedelta(days=40)
    page.get_by_label("Eller navnet på en ny person").fill("Kommende Medlem 4e5f")
    page.get_by_label("Gældende fra").fill(later.isoformat())
    page.get_by_role("button", name="Registrér udpegning").click()
    assert page.get_by_text("Udpegningen er registreret.").is_visible()

    current = page.get_by_role("table", name="Nuværende medlemmer")
    assert current.get_by_role("link", name="Signe Bækgaard 4e5f").is_visible()
    assert "Kommende Medlem 4e5f" not in current.inner_text()
    upcoming = page.get_by_role("table", name="Kommende medlemmer")
    assert upcoming.get_by_role("rowheader", name="Kommende Medlem 4e5f").is_visible()
    _shoot(page, "members")

    # The forum's edit page links its section template and terms of reference.
    page.get_by_role("link", name="Ret forummet").click()
    assert page.get_by_role("link", name="Ret afsnitsskabelonen").is_visible()
    _shoot(page, "body-edit")
    page.get_by_role("link", name="Ret afsnitsskabelonen").click()
    assert page.get_by_role("heading", name="Afsnitsskabelon: Styregruppen for Akutpleje 4e5f")
    _shoot(page, "section-template")

    # The secretariat and its staff; the people list.
    page.get_by_role("link", name="Stamdata").first.click()
    page.get_by_role("navigation", name="Stamdata").get_by_role(
        "link", name="Sekretariater"
    ).click()
    page.get_by_role("link", name=secretariat.name).click()
    assert page.get_by_role("checkbox", name=user.username).is_checked()
    _shoot(page, "secretariat-form")
    page.get_by_role("navigation", name="Stamdata").get_by_role("link", name="Personer").click()
    assert page.get_by_role("link", name="Signe Bækgaard 4e5f").is_visible()
    _shoot(page, "person-list")

    # The public page of the forum shows the current member only.
    page.goto(f"{live_server.url}{body.get_absolute_url()}")
    text = page.locator("main").inner_text()
    assert "Signe Bækgaard 4e5f" in text and "Kommende Medlem 4e5f" not in text


def test_a_forum_member_is_refused_the_register(page, live_server, login):
    body = bf.body("Direktørforum 5f6a")
    member = bf.member_user(body)
    login(page, member.username)
    assert page.get_by_role("link", name="Stamdata").count() == 0
    response = page.goto(f"{live_server.url}/sekretariat/fora/nyt/")
    assert response.status == 403
