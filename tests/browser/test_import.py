"""Secretariat staff upload minutes, check them beside the source text, save, and the public
reads the meeting."""

from pathlib import Path

import pytest

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = (
    Path(__file__).resolve().parents[2]
    / "sekretariat/ingest/parsers/tests/fixtures/loebenumre_referat.txt"
)


def test_upload_review_and_save(page, live_server, login):
    body = bf.body("Teknik- og Miljøudvalget")
    user = bf.secretariat_user(body)
    login(page, user.username)
    page.goto(f"{live_server.url}/sekretariat/import/")
    page.locator("input[type=file]").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Læs filen").click()
    # The parsed meeting stands beside the file's own text.
    assert page.get_by_role("heading", name="Filens tekst").is_visible()
    assert "Byrådssalen" in page.locator("pre, .source").first.inner_text()
    page.get_by_role("button", name="Gem mødet").click()
    meeting = Meeting.objects.get(body=body)
    assert meeting.agenda_items.count() >= 2
    page.get_by_role("button", name="Log ud").click()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    first = meeting.agenda_items.order_by("position").first()
    assert page.get_by_role("heading", name=first.title).first.is_visible()
