"""A municipal nurse records a referral, accepts it, records the plan and the delegation;
another municipality cannot see the course."""

import pytest

from sekretariat.settlements.models import Course
from sekretariat.settlements.tests import factories as sf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
