"""The import screens through the test client: rights, upload → reading → review → save, bad
files. The reading itself (`services.upload_parse`, a child process) runs outside the request; here
the tests call it where the background would."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.ingest import services
from sekretariat.ingest.models import ImportedFile
from sekretariat.meetings.models import Access, AgendaItem, Meeting

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

AGENDA = "dagsorden_styregruppe.txt"


def upload(client, data: bytes, name: str = AGENDA):
    return client.post(reverse("ingest:upload"), {"file": SimpleUploadedFile(name, data)})


def upload_and_read(client, data: bytes, name: str = AGENDA):
    """Upload, and read the file as the background would; the response of the upload."""
    r = upload(client, data, name)
    services.upload_parse(ImportedFile.objects.get(file_name=name).pk)
    return r


def review_data(page_context, **changes) -> dict:
    """The review form as the browser would post it, with `changes` applied."""
    data = {}
    for form in [page_context["form"], *page_context["item_forms"]]:
        for field in form:
            value = form.initial.get(field.name, field.field.initial)
            if value is None:
                value = ""
            if getattr(field.field.widget, "input_type", "") == "checkbox":
                if value:
                    data[field.html_name] = "on"
                continue
            if hasattr(value, "pk"):
                value = value.pk
            data[field.html_name] = value
    management = page_context["item_forms"].management_form
    for field in management:
        data[field.html_name] = field.value()
    data.update(changes)
    return data


@pytest.fixture
def staff_client(client, body):
    client.force_login(bf.secretariat_user(body))
    return client


def test_only_secretariat_staff_reach_the_import(client, body):
    url = reverse("ingest:upload")
    assert client.get(url).status_code == 302
    client.force_login(bf.member_user(body))
    assert client.get(url).status_code == 403


def test_upload_review_correct_and_save(staff_client, body):
    r = upload(staff_client, fixture_bytes(AGENDA))
    received = ImportedFile.objects.get()
    assert r.status_code == 302 and r.url == reverse("ingest:review", kwargs={"pk": received.pk})
    # The request only kept the file: nothing is read yet.
    assert received.status == ImportedFile.Status.RECEIVED
    assert received.parsed == {} and received.source_text == ""
    waiting = staff_client.get(r.url)
    assert "Filen læses" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert "Orientering om ny vagtplan" not in waiting.text

    services.upload_parse(received.pk)  # what the background does
    pending = ImportedFile.objects.get()
    assert pending.status == ImportedFile.Status.PENDING
    assert not Meeting.objects.exists()

    page = staff_client.get(r.url)
    assert 'http-equiv="refresh"' not in page.text
    assert page.status_code == 200
    # The parse and the source text side by side.
    assert "Orientering om ny vagtplan for aftenholdet" in page.text
    assert "Punkt 2: Orientering om ny vagtplan" in page.text  # the file's own text
    assert page.context["form"].initial["body"] == body

    data = review_data(
        page.context,
        **{
            "meeting-start_time": "13:30",
            "items-1-title": "Ny vagtplan for aftenholdet – rettet 9p0o",
            "items-1-number": "2a",
            "items-3-closed": "on",
            "items-1-resume": "Et rettet resumé 9p0o.",
            "items-4-title": "Punkt tilføjet ved gennemsyn 9p0o",
        },
    )
    r = staff_client.post(page.request["PATH_INFO"], data)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    meeting = Meeting.objects.get()
    assert r.url == reverse("meetings:agenda", kwargs={"pk": meeting.pk})
    assert meeting.body == body
    assert f"{meeting.starts_at.astimezone():%H:%M}" == "13:30"
    items = {i.number: i for i in meeting.agenda_items.all()}
    assert items["2a"].title == "Ny vagtplan for aftenholdet – rettet 9p0o"
    assert items["2a"].sections.get(section_type__role="resume").text == "Et rettet resumé 9p0o."
    assert items["4"].access == Access.CLOSED  # closed by the reviewer
    assert items["3"].access == Access.CLOSED  # closed in the document
    assert AgendaItem.objects.filter(title="Punkt tilføjet ved gennemsyn 9p0o").exists()
    record = ImportedFile.objects.get()
    assert record.status == ImportedFile.Status.IMPORTED and record.meeting == meeting

    # The same file again is refused at the upload, in Danish.
    again = upload(staff_client, fixture_bytes(AGENDA))
    assert again.status_code == 200
    assert "er allerede indlæst" in again.text


def test_a_body_the_user_cannot_edit_is_not_offered(client, body):
    other = bf.body()
    client.force_login(bf.secretariat_user(other))
    r = upload_and_read(client, fixture_bytes(AGENDA))
    page = client.get(r.url)
    assert list(page.context["form"].fields["body"].queryset) == [other]
    assert page.context["form"].initial["body"] is None
    data = review_data(page.context, **{"meeting-body": body.pk})
    r = client.post(page.request["PATH_INFO"], data)
    assert r.status_code == 200  # refused: not a valid choice
    assert not Meeting.objects.exists()


def test_another_users_upload_is_not_found(staff_client, body, client):
    upload(staff_client, fixture_bytes(AGENDA))
    pending = ImportedFile.objects.get()
    other = bf.secretariat_user(body)
    staff_client.force_login(other)
    assert staff_client.get(reverse("ingest:review", kwargs={"pk": pending.pk})).status_code == 404


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "billede.png", "kan ikke indlæses"),
        (b"   \n", "tom.txt", "tom"),
    ],
)
def test_a_file_refused_without_reading_gets_a_danish_reason_on_the_form(
    staff_client, data, name, words
):
    r = upload(staff_client, data, name)
    assert r.status_code == 200
    assert words in r.text
    assert not ImportedFile.objects.exists()


def test_a_file_that_cannot_be_read_shows_why_and_can_be_discarded(staff_client):
    r = upload_and_read(staff_client, b"%PDF-1.4\nikke en pdf 4d2c", "itu-4d2c.pdf")
    upload_row = ImportedFile.objects.get()
    assert upload_row.status == ImportedFile.Status.UNREADABLE
    assert upload_row.read_error.startswith("itu-4d2c.pdf: filen er beskadiget")
    page = staff_client.get(r.url)
    assert page.status_code == 200
    assert "itu-4d2c.pdf: filen er beskadiget" in page.text
    assert "Kassér den uploadede fil" in page.text
    # The upload list shows the status and the reason too.
    listing = staff_client.get(reverse("ingest:upload"))
    assert "kunne ikke læses" in listing.text
    assert "itu-4d2c.pdf: filen er beskadiget" in listing.text
    staff_client.post(reverse("ingest:discard", kwargs={"pk": upload_row.pk}))
    assert not ImportedFile.objects.exists()


@pytest.mark.parametrize("read", ["before reading", "unreadable", "awaiting review"])
def test_an_upload_can_be_discarded_in_each_state(staff_client, read):
    data = b"%PDF-1.4\nikke en pdf 8e1b" if read == "unreadable" else fixture_bytes(AGENDA)
    upload(staff_client, data, "itu.pdf" if read == "unreadable" else AGENDA)
    row = ImportedFile.objects.get()
    if read != "before reading":
        services.upload_parse(row.pk)
    r = staff_client.post(reverse("ingest:discard", kwargs={"pk": row.pk}))
    assert r.status_code == 302
    assert not ImportedFile.objects.exists()
