"""The import screens through the test client: rights, upload → review → save, bad files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.ingest.models import ImportedFile
from sekretariat.meetings.models import Access, AgendaItem, Meeting

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

AGENDA = "dagsorden_styregruppe.txt"


def upload(client, data: bytes, name: str = AGENDA):
    return client.post(reverse("ingest:upload"), {"file": SimpleUploadedFile(name, data)})


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
    pending = ImportedFile.objects.get()
    assert r.status_code == 302 and r.url == reverse("ingest:review", kwargs={"pk": pending.pk})
    assert pending.status == ImportedFile.Status.PENDING
    assert not Meeting.objects.exists()

    page = staff_client.get(r.url)
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
    r = upload(client, fixture_bytes(AGENDA))
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
        (b"%PDF-1.4\nikke en pdf", "itu.pdf", "beskadiget"),
        (b"   \n", "tom.txt", "tom"),
    ],
)
def test_a_bad_file_gets_a_danish_reason_on_the_form(staff_client, data, name, words):
    r = upload(staff_client, data, name)
    assert r.status_code == 200
    assert words in r.text
    assert not ImportedFile.objects.exists()


def test_an_upload_can_be_discarded(staff_client):
    upload(staff_client, fixture_bytes(AGENDA))
    pending = ImportedFile.objects.get()
    r = staff_client.post(reverse("ingest:discard", kwargs={"pk": pending.pk}))
    assert r.status_code == 302
    assert not ImportedFile.objects.exists()
