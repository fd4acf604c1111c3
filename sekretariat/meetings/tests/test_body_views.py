import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sekretariat.bodies.models import Appointment, Membership, Person, TermsOfReference
from sekretariat.bodies.tests import factories as bf

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    body = bf.body()
    client.force_login(bf.secretariat_user(body))
    return client, body


def test_appointment_replaces_a_member_and_cites_the_decision(staff):
    client, body = staff
    old = Membership.objects.create(
        person=Person.objects.create(name="Afgående 3e3e"),
        body=body,
        start_date=datetime.date(2023, 1, 1),
    )
    m = f.approved_meeting(body, items=[{"title": "Udpegning af ny repræsentant 3e3e"}])
    item = m.agenda_items.get()
    r = client.post(
        reverse("meetings:members", kwargs={"slug": body.slug}),
        {
            "new_person_name": "Tiltrædende 3e3e",
            "role": "medlem",
            "effective_date": "2026-05-01",
            "replaces": old.pk,
            "decided_by_item": item.pk,
        },
        follow=True,
    )
    assert "Udpegningen er registreret." in r.text
    appointment = Appointment.objects.get()
    assert appointment.membership.person.name == "Tiltrædende 3e3e"
    assert appointment.decision.item == item
    old.refresh_from_db()
    assert old.end_date == datetime.date(2026, 4, 30)
    assert "Afgående 3e3e" in r.text  # listed among former members


def test_appointment_without_a_person_names_the_field(staff):
    client, body = staff
    r = client.post(
        reverse("meetings:members", kwargs={"slug": body.slug}),
        {"role": "medlem", "effective_date": "2026-05-01"},
    )
    assert "Person: Vælg en person eller skriv navnet på en ny person." in r.text
    assert not Membership.objects.filter(body=body).exists()


def test_terms_of_reference_versions(staff):
    client, body = staff
    url = reverse("meetings:terms", kwargs={"slug": body.slug})
    client.post(url, {"text": "Første udgave 6f6f", "effective_from": "2025-01-01"})
    r = client.post(url, {"text": "Anden udgave 6f6f", "effective_from": "2024-06-01"})
    assert "Gældende fra: En ny version skal gælde efter version 1" in r.text
    client.post(url, {"text": "Anden udgave 6f6f", "effective_from": "2026-01-01"})
    assert list(TermsOfReference.objects.filter(body=body).values_list("version", "text")) == [
        (2, "Anden udgave 6f6f"),
        (1, "Første udgave 6f6f"),
    ]
    public = client.get(body.get_absolute_url()).text
    assert "Anden udgave 6f6f" in public


def test_members_screen_is_for_the_secretariat_only(client):
    body = bf.body()
    client.force_login(bf.member_user(body))
    assert client.get(reverse("meetings:members", kwargs={"slug": body.slug})).status_code == 403


def test_a_chosen_person_and_a_new_name_are_refused_not_guessed(staff):
    client, body = staff
    chosen = Person.objects.create(name="Valgt 9a1b")
    r = client.post(
        reverse("meetings:members", kwargs={"slug": body.slug}),
        {
            "person": chosen.pk,
            "new_person_name": "Skrevet 9a1b",
            "role": "medlem",
            "effective_date": "2026-05-01",
        },
    )
    assert r.status_code == 200
    assert (
        "Du har både valgt Valgt 9a1b og skrevet det nye navn Skrevet 9a1b. Vælg én af delene"
        in r.text
    )
    assert not Membership.objects.filter(body=body).exists()
    assert not Person.objects.filter(name="Skrevet 9a1b").exists()


def test_a_future_appointment_is_listed_as_upcoming_not_current(staff):
    client, body = staff
    url = reverse("meetings:members", kwargs={"slug": body.slug})
    Membership.objects.create(
        person=Person.objects.create(name="Siddende 0b2c"),
        body=body,
        start_date=datetime.date(2020, 1, 1),
    )
    later = timezone.localdate() + datetime.timedelta(days=30)
    r = client.post(
        url,
        {"new_person_name": "Tiltræder Senere 0b2c", "role": "medlem", "effective_date": later},
        follow=True,
    )
    assert "Udpegningen er registreret." in r.text
    assert [m.person.name for m in r.context["current"]] == ["Siddende 0b2c"]
    assert [m.person.name for m in r.context["upcoming"]] == ["Tiltræder Senere 0b2c"]
    upcoming = r.text.index("Kommende medlemmer")
    assert r.text.index("Siddende 0b2c") < upcoming < r.text.index("Tiltræder Senere 0b2c")
    # The public page lists current members only.
    public = client.get(body.get_absolute_url()).text
    assert "Siddende 0b2c" in public and "Tiltræder Senere 0b2c" not in public


def test_without_upcoming_members_there_is_no_upcoming_heading(staff):
    client, body = staff
    r = client.get(reverse("meetings:members", kwargs={"slug": body.slug}))
    assert "Kommende medlemmer" not in r.text


def _template_post(sections, new=("", "andet", "9")):
    data = {"afsnit-TOTAL_FORMS": str(len(sections) + 1), "afsnit-INITIAL_FORMS": "0"}
    for i, (st, name, role, position) in enumerate([*sections, (None, *new)]):
        data.update(
            {
                f"afsnit-{i}-section": st.pk if st else "",
                f"afsnit-{i}-name": name,
                f"afsnit-{i}-role": role,
                f"afsnit-{i}-position": position,
            }
        )
    return data


def test_section_template_renames_and_adds_in_one_save(staff):
    client, body = staff
    url = reverse("section_template", kwargs={"slug": body.slug})
    assert client.get(url).status_code == 200
    sections = list(body.section_types.order_by("position"))
    rows = [(st, st.name, st.role, st.position) for st in sections]
    rows[0] = (sections[0], "Kort resumé 1c3d", sections[0].role, sections[0].position)
    r = client.post(url, _template_post(rows, new=("Økonomi 1c3d", "andet", "9")), follow=True)
    assert "Afsnitsskabelonen er gemt." in r.text
    assert list(body.section_types.order_by("position").values_list("name", flat=True)) == [
        "Kort resumé 1c3d",
        "Indstilling",
        "Sagsfremstilling",
        "Beslutning",
        "Økonomi 1c3d",
    ]


def test_a_refused_section_change_keeps_every_section(staff):
    client, body = staff
    url = reverse("section_template", kwargs={"slug": body.slug})
    client.get(url)
    sections = list(body.section_types.order_by("position"))
    rows = [(st, st.name, st.role, st.position) for st in sections]
    rows[0] = (sections[0], "Nyt navn 2d4e", sections[0].role, sections[0].position)
    # The decision section keeps its role: the whole save is refused.
    decision = next(i for i, st in enumerate(sections) if st.is_decision)
    rows[decision] = (sections[decision], "Beslutning", "andet", sections[decision].position)
    r = client.post(url, _template_post(rows))
    assert r.status_code == 200
    assert "Beslutningsafsnittet beholder sin rolle" in r.text
    assert not body.section_types.filter(name="Nyt navn 2d4e").exists()


def test_section_template_is_for_the_secretariat_only(client):
    body = bf.body()
    client.force_login(bf.member_user(body))
    assert client.get(reverse("section_template", kwargs={"slug": body.slug})).status_code == 403
