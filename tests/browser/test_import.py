"""Secretariat staff upload minutes, wait while the file is read outside the request, check the
parse beside the source text, save, and the public reads the meeting. A file that cannot be read
says why and can be discarded.

The live server runs in this process with the installation's event handling (`inline` unless
the environment says otherwise): an upload is read by the web process's background thread, in
a child process. The first test uses `worker` mode instead, so that the waiting page stays until
the test lets `sekretariat worker` read the file.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from sekretariat.bodies.tests import factories as bf
from sekretariat.ingest.models import ImportedFile
from sekretariat.meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = (
    Path(__file__).resolve().parents[2]
    / "sekretariat/ingest/parsers/tests/fixtures/loebenumre_referat.txt"
)
SHOTS = os.environ.get("SEKRETARIAT_SHOTS", "/tmp/shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _shots(page, name: str) -> None:
    """Screenshots at desktop and phone width; the phone page must not scroll sideways."""
    os.makedirs(SHOTS, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=f"{SHOTS}/{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=f"{SHOTS}/{name}-phone.png", full_page=True)
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.set_viewport_size(DESKTOP)


def _upload(page, live_server, path: Path) -> None:
    page.goto(f"{live_server.url}/sekretariat/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Læs filen").click()


def test_upload_wait_review_and_save(page, live_server, login, settings):
    settings.SEKRETARIAT_EVENT_HANDLING = "worker"  # nothing reads until the worker runs
    settings.SEKRETARIAT_EVENT_CONSUMERS = (
        "sekretariat.ingest.tests.test_upload_sandbox.UPLOADS_ONLY"
    )
    body = bf.body("Teknik- og Miljøudvalget")
    user = bf.secretariat_user(body)
    login(page, user.username)
    _upload(page, live_server, FIXTURE)
    # The request returned before the file was read: the page says so and reloads itself.
    assert page.get_by_role("heading", name="Filen læses …").is_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    assert ImportedFile.objects.get().status == ImportedFile.Status.RECEIVED
    _shots(page, "import-reading")
    call_command("worker", "--once")  # the worker reads it, in a child process
    # Within a reload or two the parsed meeting stands beside the file's own text.
    page.get_by_role("heading", name="Filens tekst").wait_for(timeout=15000)
    assert "Byrådssalen" in page.locator("pre, .source").first.inner_text()
    page.get_by_role("button", name="Gem mødet").click()
    page.wait_for_url("**/moeder/**")
    meeting = Meeting.objects.get(body=body)
    assert meeting.agenda_items.count() >= 2
    page.get_by_role("button", name="Log ud").click()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    first = meeting.agenda_items.order_by("position").first()
    assert page.get_by_role("heading", name=first.title).first.is_visible()


def test_the_web_process_reads_the_upload_itself(page, live_server, login, settings):
    settings.SEKRETARIAT_EVENT_HANDLING = "inline"  # the embedded default (`make run`)
    body = bf.body("Teknik- og Miljøudvalget")
    login(page, bf.secretariat_user(body).username)
    _upload(page, live_server, FIXTURE)
    page.get_by_role("heading", name="Filens tekst").wait_for(timeout=20000)
    assert ImportedFile.objects.get().status == ImportedFile.Status.PENDING


def test_a_file_that_cannot_be_read_says_why_and_is_discarded(
    page, live_server, login, settings, tmp_path
):
    settings.SEKRETARIAT_EVENT_HANDLING = "inline"
    broken = tmp_path / "referat-itu-7b2e.pdf"
    broken.write_bytes(b"%PDF-1.7\nikke en rigtig pdf 7b2e\n")
    body = bf.body("Teknik- og Miljøudvalget")
    login(page, bf.secretariat_user(body).username)
    _upload(page, live_server, broken)
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=20000)
    assert "referat-itu-7b2e.pdf: filen er beskadiget" in alert.inner_text()
    assert page.get_by_role("heading", name="Filen kunne ikke læses").is_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    _shots(page, "import-unreadable")
    # The upload list says the same.
    page.goto(f"{live_server.url}/sekretariat/import/")
    assert page.get_by_role("cell", name="kunne ikke læses").first.is_visible()
    _shots(page, "import-list")
    page.get_by_role("button", name="Kassér den uploadede fil").click()
    page.get_by_text("Den uploadede fil er kasseret.").wait_for()
    assert not ImportedFile.objects.exists()
