"""The secretariat's screens through the test client: rights, Danish errors, locking."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings.models import AgendaItem, Attachment, Meeting

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    body = bf.body()
    client.force_login(bf.secretariat_user(body))
    client.body = body
    return client


def item_post_data(item, **changes):
    data = {
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "access": item.access,
        "public_title": "",
        "presenter": "",
        "timeframe_minutes": "",
        "journal_number": "",
        "case_officer": "",
        "version": item.version,
    }
    data.update(changes)
    return data


def test_public_and_members_cannot_reach_the_secretariat_screens(client):
    m = f.meeting()
    url = reverse("meetings:agenda", kwargs={"pk": m.pk})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(bf.member_user(m.body))
    assert client.get(url).status_code == 403
    client.force_login(bf.secretariat_user(bf.body()))  # staff of another secretariat
    assert client.get(url).status_code == 403


def test_meeting_form_names_the_field_at_fault_in_danish(staff_client):
    url = reverse("meetings:meeting_create", kwargs={"slug": staff_client.body.slug})
    r = staff_client.post(
        url, {"starts_at": "2026-12-01T10:00", "ends_at": "2026-12-01T09:00", "location": "Sal 1"}
    )
    assert r.status_code == 200
    assert "Slut: Mødet skal slutte efter, at det begynder." in r.text
    assert not Meeting.objects.filter(body=staff_client.body).exists()


def test_build_and_publish_an_agenda(staff_client):
    url = reverse("meetings:meeting_create", kwargs={"slug": staff_client.body.slug})
    r = staff_client.post(
        url,
        {
            "starts_at": "2026-12-01T10:00",
            "ends_at": "2026-12-01T12:00",
            "location": "Sal 1",
            "with_standing_items": "on",
        },
    )
    m = Meeting.objects.get(body=staff_client.body)
    assert r.status_code == 302 and m.agenda_items.count() == 3
    r = staff_client.post(
        reverse("meetings:item_add", kwargs={"pk": m.pk}),
        {"title": "Orientering om vejarbejde 2c2c", "kind": "", "access": "aaben"},
    )
    item = m.agenda_items.get(title="Orientering om vejarbejde 2c2c")
    assert item.kind == "orientering"
    url = reverse("meetings:agenda_action", kwargs={"pk": m.pk, "action": "publish"})
    r = staff_client.post(url)  # without confirmation: the confirmation page, no action
    assert r.status_code == 200 and "Offentliggør dagsordenen?" in r.text
    m.refresh_from_db()
    assert m.status == Meeting.Status.PLANNED
    staff_client.post(url, {"confirm": "yes"})
    m.refresh_from_db()
    assert m.status == Meeting.Status.AGENDA_PUBLISHED


def test_second_editor_gets_a_message_instead_of_overwriting(staff_client):
    item = f.item(f.meeting(staff_client.body), title="Original 9e9e")
    url = reverse("meetings:item_edit", kwargs={"pk": item.pk})
    stale = item_post_data(item, title="Fra den første 9e9e")
    r = staff_client.post(url, stale)
    assert r.status_code == 302
    r = staff_client.post(url, item_post_data(item, title="Fra den anden 9e9e"))  # same old version
    assert r.status_code == 200
    assert "En anden har gemt punktet" in r.text
    item.refresh_from_db()
    assert item.title == "Fra den første 9e9e"


def test_duplicate_number_is_shown_beside_the_field(staff_client):
    m = f.meeting(staff_client.body)
    f.item(m)
    second = f.item(m)
    r = staff_client.post(
        reverse("meetings:item_edit", kwargs={"pk": second.pk}), item_post_data(second, number="1")
    )
    assert "Nummer: Punktnummer 1 er allerede brugt" in r.text


def test_attachment_over_the_limit_is_refused_with_a_message(staff_client, settings):
    settings.MAX_ATTACHMENT_BYTES = 1024
    item = f.item(f.meeting(staff_client.body))
    r = staff_client.post(
        reverse("meetings:attachment_add", kwargs={"pk": item.pk}),
        {"file": SimpleUploadedFile("stor.pdf", b"%" * 2048), "title": "", "access": "aaben"},
        follow=True,
    )
    assert "Filen fylder 2,0 KB; grænsen er 1,0 KB." in r.text
    assert not Attachment.objects.exists()


def test_decision_after_approval_is_refused_and_correction_is_recorded(staff_client):
    m = f.approved_meeting(staff_client.body, decision="Første 4a4a")
    item = m.agenda_items.get()
    r = staff_client.post(
        reverse("meetings:decision_save", kwargs={"pk": item.pk}),
        {f"i{item.pk}-text": "Stille ændring", f"i{item.pk}-version": item.version},
        follow=True,
    )
    assert "Referatet er godkendt og låst" in r.text
    r = staff_client.post(
        reverse("meetings:correction", kwargs={"pk": item.pk}),
        {"new_text": "Rettet 4a4a", "reason": "Forkert dato"},
        follow=True,
    )
    assert "Rettet 4a4a" in r.text and "Forkert dato" in r.text


def test_move_and_renumber(staff_client):
    m = f.meeting(staff_client.body)
    a, b = f.item(m, title="A 1f1f"), f.item(m, title="B 1f1f")
    staff_client.post(reverse("meetings:item_move", kwargs={"pk": b.pk, "direction": "op"}))
    staff_client.post(reverse("meetings:agenda_action", kwargs={"pk": m.pk, "action": "renumber"}))
    assert list(m.agenda_items.order_by("position").values_list("title", "number")) == [
        ("B 1f1f", "1"),
        ("A 1f1f", "2"),
    ]
    assert AgendaItem.objects.get(pk=a.pk).number == "2"


def test_meeting_plan_form(staff_client):
    url = reverse("meetings:meeting_plan", kwargs={"slug": staff_client.body.slug})
    r = staff_client.post(
        url,
        {
            "year": 2027,
            "dates": "03.02.2027\n2027-13-40",
            "start_time": "09:00",
            "duration_minutes": 120,
        },
    )
    assert "Dette er ikke datoer: 2027-13-40" in r.text
    r = staff_client.post(
        url,
        {
            "year": 2027,
            "dates": "03.02.2027\n05.05.2027",
            "start_time": "09:00",
            "duration_minutes": 120,
        },
    )
    assert r.status_code == 302
    assert staff_client.body.meetings.count() == 2


def test_a_new_guest_is_registered_by_name(staff_client):
    m = f.published_meeting(staff_client.body)
    url = reverse("meetings:attendance", kwargs={"pk": m.pk})
    r = staff_client.post(url, {"guest_0_job_title": "Konsulent"})  # a title, no name
    assert "Skriv gæstens navn, eller tøm rækken." in r.text
    assert not m.attendances.exists()
    r = staff_client.post(url, {"guest_0_name": "Gæst Udefra 8e8e"}, follow=True)
    assert "Gæst Udefra 8e8e" in r.text
    assert m.attendances.get().person.name == "Gæst Udefra 8e8e"
    assert "Gæst Udefra 8e8e" in staff_client.get(m.get_absolute_url()).text


@pytest.mark.parametrize("next_value", ["https://angriber.example/", "//angriber.example", "foo"])
def test_an_agenda_action_never_follows_a_posted_address(staff_client, next_value):
    m = f.meeting(staff_client.body)
    f.item(m, title="Punkt 4b4b")
    r = staff_client.post(
        reverse("meetings:agenda_action", args=[m.pk, "renumber"]), {"next": next_value}
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("meetings:agenda", args=[m.pk])
