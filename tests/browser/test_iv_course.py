"""A municipal nurse records a referral, accepts it, records the plan and the delegation;
another municipality cannot see the course."""

import os

import pytest

from sekretariat.settlements.models import Course
from sekretariat.settlements.tests import factories as sf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SEKRETARIAT_SHOTS", "/tmp/shots")


def test_nurse_records_and_accepts_a_referral(page, live_server, login):
    fjord = sf.municipality("Fjordhavn Kommune 2b8c")
    region = sf.region("Region Kyst 2b8c")
    nurse = sf.municipal_user(fjord)
    login(page, nurse.username)

    page.goto(f"{live_server.url}/aftaler/forloeb/ny/")
    page.locator("#id_region").select_option(label=region.name)
    page.locator("#id_hospital").fill("Kysthospitalet 2b8c")
    page.locator("#id_department").fill("Medicinsk afdeling")
    # Inside the agreement's period (hovedstaden-2021 runs from October 2021 for two years).
    page.locator("#id_referred_at").fill("2022-05-02T10:00")
    page.locator("#id_cpr").fill("010203-4455")
    page.get_by_role("button", name="Registrér henvisningen").click()
    course = Course.objects.get(municipality=fjord)
    assert page.url.endswith(f"/aftaler/forloeb/{course.pk}/")
    # The CPR number is never shown back.
    assert "010203" not in page.content()

    step = page.locator(
        "section.iv-step", has=page.get_by_role("heading", name="Visitér henvisningen")
    )
    step.get_by_label("Visitér forløbet").check()
    step.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Visitationen er registreret.").is_visible()
    course.refresh_from_db()
    assert course.assessed_at is not None

    # The step table opens the plan, then the delegation, which puts the course in treatment.
    plan = page.locator(
        "section.iv-step", has=page.get_by_role("heading", name="Behandlingsplan", exact=True)
    )
    plan.get_by_label("Behandlingsplan").fill("CRP dag 3 2b8c")
    plan.get_by_label("Første behandlingsdag").fill("2022-05-03")
    plan.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Behandlingsplanen er registreret.").is_visible()
    delegation = page.locator(
        "section.iv-step", has=page.get_by_role("heading", name="Delegering", exact=True)
    )
    delegation.get_by_label("Delegerende læge").fill("Overlæge Kyst 2b8c")
    delegation.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Delegeringen er registreret.").is_visible()
    course.refresh_from_db()
    assert course.status == Course.Status.IN_TREATMENT and course.delegated_by.endswith("2b8c")


def test_other_municipality_cannot_open_the_course(page, live_server, login):
    fjord, other = sf.municipality("Fjordhavn 3c9d"), sf.municipality("Anden 3c9d")
    region = sf.region("Region 3c9d")
    course = sf.referred(fjord, region)
    login(page, sf.municipal_user(other).username)
    response = page.goto(f"{live_server.url}/aftaler/forloeb/{course.pk}/")
    assert response.status == 404


def test_access_is_granted_on_the_screen_and_the_decline_note_stays_home(page, live_server, login):
    """An access administrator grants a municipal role on the access screen; the nurse then
    finds the IV area in the header, declines a referral with a category and a note; the
    secretariat sees the category but not the note. Screenshots at desktop and phone width."""
    fjord = sf.municipality("Fjordhavn 5d1e")
    region = sf.region("Region 5d1e")
    admin = sf.access_admin()
    nurse = sf.employee_without_grant(fjord)
    course = sf.referred(fjord, region, hospital="Hospital 5d1e")

    login(page, nurse.username)
    assert page.get_by_role("link", name="IV-aftalen").count() == 0
    page.context.clear_cookies()

    login(page, admin.username)
    page.goto(f"{live_server.url}/aftaler/adgang/")
    page.get_by_label("Bruger").select_option(label=nurse.username)
    page.get_by_label("Rolle").select_option(value="kommune")
    page.get_by_label("Kommune eller region").select_option(label=fjord.name)
    page.get_by_role("button", name="Giv adgang").click()
    assert page.get_by_text("Adgangen er givet og registreret.").is_visible()
    assert page.locator("table").first.get_by_text(nurse.username).is_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/iv-access-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/iv-access-phone.png", full_page=True)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => !(el.parentElement && el.parentElement.closest('.table-scroll')))
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()

    login(page, nurse.username)
    page.get_by_role("link", name="IV-aftalen").click()
    page.goto(f"{live_server.url}/aftaler/forloeb/{course.pk}/")
    step = page.locator(
        "section.iv-step", has=page.get_by_role("heading", name="Visitér henvisningen")
    )
    step.get_by_label("Afvis forløbet").check()
    step.get_by_label("Begrundelse for afvisning").select_option(value="kapacitet")
    step.get_by_label("Note til kommunens egne medarbejdere (valgfri)").fill(
        "Weekendholdet mangler folk 5d1e"
    )
    step.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Weekendholdet mangler folk 5d1e").is_visible()
    course.refresh_from_db()
    assert course.status == "afvist" and course.decline_category == "kapacitet"
    page.context.clear_cookies()

    login(page, sf.secretariat_staff().username)
    page.goto(f"{live_server.url}/aftaler/forloeb/{course.pk}/")
    assert page.get_by_text("ingen ledig kapacitet i sygeplejen").is_visible()
    assert "Weekendholdet" not in page.content()
