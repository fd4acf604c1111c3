import datetime

import pytest
from django.urls import reverse

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
