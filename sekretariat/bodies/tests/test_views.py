"""The register's screens: who may use them, and that each writes through its service."""

import pytest
from django.urls import reverse

from sekretariat.bodies.models import Body, Organisation, Person, Secretariat
from sekretariat.core.models import AuditEvent

from . import factories as bf

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return bf.body("Sundhedsklyngen Nord 6a1b")


@pytest.fixture
def staff(client, body):
    user = bf.secretariat_user(body)
    client.force_login(user)
    client.user = user
    return client


def _urls(body):
    person = Person.objects.create(name="Opslag 6a1b")
    return [
        reverse("bodies:register"),
        reverse("bodies:organisation_list"),
        reverse("bodies:organisation_create"),
        reverse("bodies:organisation_edit", args=[body.organisation_id]),
        reverse("bodies:secretariat_list"),
        reverse("bodies:secretariat_create"),
        reverse("bodies:secretariat_edit", args=[body.secretariat_id]),
        reverse("bodies:body_list"),
        reverse("bodies:body_create"),
        reverse("bodies:body_edit", args=[body.slug]),
        reverse("bodies:person_list"),
        reverse("bodies:person_create"),
        reverse("bodies:person_edit", args=[person.pk]),
        reverse("section_template", args=[body.slug]),
    ]


def test_secretariat_staff_and_administrators_open_every_screen(client, body):
    urls = _urls(body)
    for user in (bf.secretariat_user(body), bf.admin_user()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_a_member_gets_403_on_every_screen(client, body):
    urls = _urls(body)
    client.force_login(bf.member_user(body))
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Indtrængende 6a1b"}).status_code == 403, url
    assert not Organisation.objects.filter(name="Indtrængende 6a1b").exists()


def test_anonymous_is_sent_to_log_in(client, body):
    for url in _urls(body):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("login")), url


def test_staff_of_a_secretariat_without_bodies_may_start_one(client):
    secretariat = bf.secretariat("Nyt Sekretariat 7b2c")
    user = bf.user()
    secretariat.staff.add(user)
    client.force_login(user)
    assert client.get(reverse("bodies:body_create")).status_code == 200


def test_the_header_links_staff_to_the_register(staff):
    r = staff.get(reverse("meetings:dashboard"))
    assert f'href="{reverse("bodies:register")}">Stamdata</a>' in r.text


def test_staff_cannot_edit_another_secretariats_body_or_secretariat(staff):
    other = bf.body("Fremmed Forum 8c3d")
    assert staff.get(reverse("bodies:body_edit", args=[other.slug])).status_code == 403
    assert (
        staff.get(reverse("bodies:secretariat_edit", args=[other.secretariat_id])).status_code
        == 403
    )
    r = staff.post(
        reverse("bodies:body_edit", args=[other.slug]),
        {"name": "Kapret 8c3d", "organisation": other.organisation_id, "kind": "andet"},
    )
    assert r.status_code == 403
    other.refresh_from_db()
    assert other.name == "Fremmed Forum 8c3d"


def test_staff_create_an_organisation(staff):
    r = staff.post(
        reverse("bodies:organisation_create"),
        {"name": "Vesterhavs Kommune 9d4e", "kind": "kommune", "code": "661"},
        follow=True,
    )
    assert "Organisationen Vesterhavs Kommune 9d4e er oprettet." in r.text
    org = Organisation.objects.get(name="Vesterhavs Kommune 9d4e")
    event = AuditEvent.objects.get(action="organisation_create", object_id=str(org.pk))
    assert event.actor == staff.user


def test_a_refused_organisation_shows_the_danish_message_and_writes_nothing(staff, body):
    before = AuditEvent.objects.count()
    r = staff.post(
        reverse("bodies:organisation_create"), {"name": body.organisation.name, "kind": "kommune"}
    )
    assert r.status_code == 200
    assert f"Navn: Der findes allerede en organisation med navnet {body.organisation.name}." in (
        r.text
    )
    assert Organisation.objects.filter(name=body.organisation.name).count() == 1
    assert AuditEvent.objects.count() == before


def test_staff_create_a_body_of_their_own_secretariat_and_land_on_its_members(staff, body):
    org = bf.organisation("Ejerkommune 0e5f")
    r = staff.post(
        reverse("bodies:body_create"),
        {
            "name": "Taskforce for Rekruttering 0e5f",
            "kind": "arbejdsgruppe",
            "organisation": org.pk,
            "secretariat": body.secretariat_id,
            "meetings_per_year": "5",
            "description": "Kommissorium godkendt i KKR 0e5f.",
        },
    )
    created = Body.objects.get(name="Taskforce for Rekruttering 0e5f")
    assert r.url == reverse("meetings:members", args=[created.slug])
    assert (created.meetings_per_year, created.secretariat_id) == (5, body.secretariat_id)
    assert staff.get(r.url).status_code == 200  # theirs to edit at once


def test_staff_may_not_give_a_body_to_another_secretariat(staff):
    foreign = bf.secretariat("Fremmed Sekretariat 1f6a")
    r = staff.post(
        reverse("bodies:body_create"),
        {
            "name": "Forum 1f6a",
            "kind": "andet",
            "organisation": bf.organisation().pk,
            "secretariat": foreign.pk,
            "meetings_per_year": "4",
        },
    )
    assert r.status_code == 200 and r.context["form"].errors["secretariat"]
    assert not Body.objects.filter(name="Forum 1f6a").exists()


def test_a_body_with_too_many_meetings_is_refused_in_danish(staff, body):
    r = staff.post(
        reverse("bodies:body_edit", args=[body.slug]),
        {
            "name": body.name,
            "slug": body.slug,
            "kind": body.kind,
            "organisation": body.organisation_id,
            "secretariat": body.secretariat_id,
            "meetings_per_year": "400",
        },
    )
    assert r.status_code == 200
    assert "Denne værdi skal være mindre end eller lig 52." in r.text
    body.refresh_from_db()
    assert body.meetings_per_year == 4


def test_staff_keep_their_secretariat_but_cannot_remove_themselves(staff, body):
    colleague = bf.user("kollega-2a7b")
    url = reverse("bodies:secretariat_edit", args=[body.secretariat_id])
    data = {"name": "Omdøbt Sekretariat 2a7b", "host_organisation": body.organisation_id}
    r = staff.post(url, {**data, "staff": [colleague.pk]})
    assert r.status_code == 200
    assert "Du kan ikke fjerne dig selv fra medarbejderne her" in r.text
    r = staff.post(url, {**data, "staff": [colleague.pk, staff.user.pk]})
    assert r.status_code == 302
    secretariat = Secretariat.objects.get(pk=body.secretariat_id)
    assert secretariat.name == "Omdøbt Sekretariat 2a7b"
    assert set(secretariat.staff.all()) == {colleague, staff.user}


def test_only_an_administrator_links_a_login_to_a_person(client, body):
    url = reverse("bodies:person_create")
    client.force_login(bf.secretariat_user(body))
    assert "id_user" not in client.get(url).text
    login = bf.user("login-3b8c")
    client.post(url, {"name": "Med Login 3b8c", "user": login.pk})
    assert Person.objects.get(name="Med Login 3b8c").user is None
    client.force_login(bf.admin_user())
    assert "id_user" in client.get(url).text


def test_a_person_created_from_the_members_screen_comes_back_chosen(staff, body):
    members = reverse("meetings:members", args=[body.slug])
    r = staff.post(
        f"{reverse('bodies:person_create')}?next={members}",
        {
            "name": "Birgitte Holm 4c9d",
            "job_title": "Sundhedsdirektør",
            "organisation": body.organisation_id,
            "email": "bh.4c9d@example.invalid",
        },
    )
    person = Person.objects.get(name="Birgitte Holm 4c9d")
    assert r.url == f"{members}?person={person.pk}"
    page = staff.get(r.url)
    assert page.context["form"]["person"].value() == str(person.pk)


def test_next_pointing_elsewhere_is_ignored(staff):
    r = staff.post(
        f"{reverse('bodies:organisation_create')}?next=https://example.invalid/",
        {"name": "Sikker Kommune 5d0e", "kind": "kommune"},
    )
    assert r.url == reverse("bodies:organisation_list")


def test_person_list_searches_and_counts_in_few_queries(staff, django_assert_num_queries):
    for n in range(12):
        Person.objects.create(name=f"Søgbar {n:02d} 6e1f", organisation=bf.organisation())
    Person.objects.create(name="Anden 6e1f")
    url = reverse("bodies:person_list")
    staff.get(url)  # warm the session
    with django_assert_num_queries(7):  # session, user, viewer 2, IV access, count, rows
        r = staff.get(url, {"q": "Søgbar"})
    assert r.text.count("Søgbar ") == 12 and "Anden 6e1f" not in r.text


def test_organisation_list_filters_by_kind(staff):
    bf.organisation("Region Vest 7f2a", kind="region")
    r = staff.get(reverse("bodies:organisation_list"), {"type": "region"})
    assert "Region Vest 7f2a" in r.text
    assert "Testkommune" not in r.text
