"""Search as a user meets it: a query with a word the item lacks still finds the item, says what
it lacks, and the option for every word turns that off (issue 20).

With SEKRETARIAT_SCREENSHOTS=<dir> the page is photographed at 1280 and 390 px wide.
"""

import os

import pytest

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services as ms
from sekretariat.meetings.tests import factories as mf
from sekretariat.search import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SEKRETARIAT_SCREENSHOTS")


def _shoot(page, name):
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_word_the_item_lacks_is_shown_struck_through(page, live_server):
    body = bf.body("Vejudvalget Brynstrup", slug="vej-brynstrup")
    meeting = mf.meeting(body, starts_at=mf.aware(2025, 11, 4))
    mf.item(meeting, title="Vintervedligeholdelse af stier i Brynstrup")
    mf.item(meeting, title="Godkendelse af referatet fra sidste møde")
    ms.agenda_publish(meeting=meeting)
    while services.search_catch_up(limit=1000):
        pass

    page.goto(f"{live_server.url}/soeg/")
    form = page.locator("form.search-form")
    form.get_by_role("searchbox").fill("vintervedligeholdelse stier brynstrup cykelsti")
    form.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_load_state()
    first = page.locator("ol.hits li").first
    assert "Vintervedligeholdelse af stier i Brynstrup" in first.inner_text()
    assert first.locator(".hit-missing s").inner_text() == "cykelsti"
    assert "Intet indeholder alle de ord" in page.content()
    _shoot(page, "search-best-match")

    # Only results with every word: nothing, and the page says so.
    page.locator("summary", has_text="Flere muligheder").click()
    page.get_by_label("Kun resultater med alle ordene").check()
    form.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("ol.hits li").count() == 0
    assert "Intet fundet" in page.locator(".search-message").inner_text()

    # A compound typed as one word finds the words written apart.
    page.goto(f"{live_server.url}/soeg/?q=referatgodkendelse")
    assert "Godkendelse af referatet" in page.locator("ol.hits li").first.inner_text()
