"""The register's writes: each kind created and changed with its event; bad input refused in
Danish with nothing written; an appointee chosen twice; a seat that begins later."""

import datetime

import pytest
from django.utils import translation

from sekretariat.bodies import services
from sekretariat.bodies.models import (
    Appointment,
    Body,
    Membership,
    Organisation,
    Person,
    Secretariat,
)
from sekretariat.bodies.selectors import body_members, viewer_for
from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent

from . import factories as bf

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _danish():
    with translation.override("da"):
        yield


def _events(**filters):
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", "object_id")
    )


def _refused(call, **kwargs) -> ApplicationError:
    events_before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    assert AuditEvent.objects.count() == events_before
    return caught.value


# --- organisations ------------------------------------------------------------------------------


def test_organisation_created_and_changed_with_events():
    org = services.organisation_create(
        name="  Klitmøller Kommune 1a7c ", kind="kommune", code="787"
    )
    assert (org.name, org.code) == ("Klitmøller Kommune 1a7c", "787")
    services.organisation_update(organisation=org, data={"name": "Klitby Kommune 1a7c"})
    org.refresh_from_db()
    assert org.name == "Klitby Kommune 1a7c"
    assert _events(event="organisation_changed") == [
        ("organisation_create", str(org.pk)),
        ("organisation_update", str(org.pk)),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "  "}, "name", "En organisation skal have et navn."),
        (
            {"name": "Dublet 1a7c"},
            "name",
            "Der findes allerede en organisation med navnet Dublet 1a7c.",
        ),
        ({"name": "Ny 1a7c", "kind": "planet"}, "kind", "Vælg en af de viste typer."),
        ({"name": "Ny 1a7c", "code": "12345678901"}, "code", "Kode: højst 10 tegn (der er 11)."),
    ],
)
def test_bad_organisation_is_refused_and_nothing_written(data, field, message):
    services.organisation_create(name="Dublet 1a7c")
    count = Organisation.objects.count()
    error = _refused(services.organisation_create, **data)
    assert (error.field, error.message) == (field, message)
    assert Organisation.objects.count() == count


def test_refused_organisation_change_keeps_the_old_values():
    org = services.organisation_create(name="Fjordby Kommune 2b8d", code="101")
    services.organisation_create(name="Havby Kommune 2b8d")
    error = _refused(
        services.organisation_update,
        organisation=org,
        data={"name": "Havby Kommune 2b8d", "code": "102"},
    )
    assert error.field == "name"
    org.refresh_from_db()
    assert (org.name, org.code) == ("Fjordby Kommune 2b8d", "101")


# --- secretariats -------------------------------------------------------------------------------


def test_secretariat_created_with_staff_and_changed():
    host = bf.organisation("Værtskommune 3c9e")
    first, second = bf.user("konsulent-3c9e"), bf.user("teamleder-3c9e")
    sec = services.secretariat_create(
        name="Sekretariat 3c9e", host_organisation=host, staff=[first]
    )
    assert list(sec.staff.all()) == [first]
    services.secretariat_update(secretariat=sec, data={"staff": [first, second]})
    assert set(sec.staff.all()) == {first, second}
    changed = AuditEvent.objects.get(action="secretariat_update")
    assert changed.data["details"]["staff_added"] == [second.pk]


def test_secretariat_without_host_is_refused():
    error = _refused(services.secretariat_create, name="Sekretariat 4d0f", host_organisation=None)
    assert (error.field, error.message) == (
        "host_organisation",
        "Vælg sekretariatets værtskommune.",
    )
    assert not Secretariat.objects.filter(name="Sekretariat 4d0f").exists()


# --- bodies -------------------------------------------------------------------------------------


def test_body_created_with_its_cadence_and_changed():
    org, sec = bf.organisation(), bf.secretariat()
    body = services.body_create(
        name="Styregruppen for Ældrepleje 5e1a",
        organisation=org,
        secretariat=sec,
        kind="styregruppe",
        meetings_per_year=6,
        description="Følger omlægningen 5e1a.",
    )
    assert body.slug == "styregruppen-for-aeldrepleje-5e1a"
    assert (body.meetings_per_year, body.secretariat) == (6, sec)
    services.body_update(body=body, data={"meetings_per_year": 5, "default_location": " Rådhuset "})
    body.refresh_from_db()
    assert (body.meetings_per_year, body.default_location) == (5, "Rådhuset")
    assert [a for a, _ in _events(event="body_changed")] == ["body_create", "body_update"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Et forum skal have et navn."),
        ({"organisation": None}, "organisation", "Vælg den organisation, forummet hører under."),
        (
            {"meetings_per_year": 60},
            "meetings_per_year",
            "Skriv antallet af møder om året som et helt tal fra 0 til 52.",
        ),
        ({"slug": "med mellemrum"}, "slug", None),
        ({"kind": "klub"}, "kind", "Vælg en af de viste typer."),
    ],
)
def test_bad_body_is_refused_and_nothing_written(data, field, message):
    values = {"name": "Arbejdsgruppe 6f2b", "organisation": bf.organisation(), **data}
    error = _refused(services.body_create, **values)
    assert error.field == field
    if message:
        assert error.message == message
    assert not Body.objects.filter(name=values["name"]).exists()


def test_refused_body_change_keeps_the_old_values():
    body = bf.body("Netværket 7a3c")
    error = _refused(
        services.body_update,
        body=body,
        data={"name": "Netværket omdøbt 7a3c", "organisation": None},
    )
    assert error.field == "organisation"
    body.refresh_from_db()
    assert body.name == "Netværket 7a3c"


# --- people -------------------------------------------------------------------------------------


def test_person_created_with_details_and_changed():
    org = bf.organisation("Sundby Kommune 8b4d")
    person = services.person_create(
        name="Karen Sloth 8b4d",
        job_title="Kommunaldirektør",
        organisation=org,
        email=" karen.8b4d@example.invalid ",
    )
    assert (person.email, person.organisation) == ("karen.8b4d@example.invalid", org)
    services.person_update(person=person, data={"job_title": "Borgmester"})
    person.refresh_from_db()
    assert person.job_title == "Borgmester"
    assert [a for a, _ in _events(event="people_changed")] == ["person_create", "person_update"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "ikke-en-adresse"}, "email", "Skriv en gyldig e-mailadresse."),
        ({"job_title": "x" * 201}, "job_title", "Titel: højst 200 tegn (der er 201)."),
    ],
)
def test_bad_person_is_refused_and_nothing_written(data, field, message):
    error = _refused(services.person_create, name="Ole Vind 9c5e", **data)
    assert (error.field, error.message) == (field, message)
    assert not Person.objects.filter(name="Ole Vind 9c5e").exists()


# --- appointments -------------------------------------------------------------------------------


def test_a_chosen_person_and_a_new_name_together_are_refused():
    chosen = Person.objects.create(name="Valgt Person 0d6f")
    error = _refused(services.appointee_check, person=chosen, new_person_name=" Ny Person 0d6f ")
    assert error.field == "new_person_name"
    assert error.message == (
        "Du har både valgt Valgt Person 0d6f og skrevet det nye navn Ny Person 0d6f. Vælg én af "
        "delene: tøm feltet med det nye navn for at udpege Valgt Person 0d6f, eller vælg ingen "
        "person på listen for at oprette Ny Person 0d6f som ny person."
    )


@pytest.mark.parametrize(
    ("chosen", "name", "refused"),
    [(True, "", False), (False, "Ny Person 0d6f", False), (False, "  ", True)],
)
def test_one_of_person_or_new_name_is_needed(chosen, name, refused):
    person = Person.objects.create(name="Valgt Person 0d6f") if chosen else None
    if refused:
        error = _refused(services.appointee_check, person=person, new_person_name=name)
        assert error.message == "Vælg en person eller skriv navnet på en ny person."
    else:
        services.appointee_check(person=person, new_person_name=name)


def test_a_seat_from_a_later_date_is_upcoming_until_its_first_day():
    body = bf.body()
    sitting = Person.objects.create(name="Siddende 1e7a")
    coming = Person.objects.create(name="Kommende 1e7a", user=bf.user())
    services.appointment_make(
        body=body, person=sitting, role="formand", effective_date=datetime.date(2024, 1, 1)
    )
    services.appointment_make(
        body=body, person=coming, role="medlem", effective_date=DAY + datetime.timedelta(days=20)
    )

    today = body_members(body=body, on=DAY)
    assert [m.person.name for m in today.current] == ["Siddende 1e7a"]
    assert [m.person.name for m in today.upcoming] == ["Kommende 1e7a"]
    assert today.former == []
    assert body.pk not in viewer_for(coming.user, on=DAY).member_body_ids

    first_day = body_members(body=body, on=DAY + datetime.timedelta(days=20))
    assert [m.person.name for m in first_day.current] == ["Siddende 1e7a", "Kommende 1e7a"]
    assert first_day.upcoming == []
    assert body.pk in viewer_for(coming.user, on=DAY + datetime.timedelta(days=20)).member_body_ids


def test_a_seat_ending_later_is_current_and_then_former():
    body = bf.body()
    seat = Membership.objects.create(
        person=Person.objects.create(name="Afgående 2f8b"),
        body=body,
        start_date=datetime.date(2023, 1, 1),
    )
    services.membership_end(membership=seat, end_date=DAY + datetime.timedelta(days=5))
    assert [m.pk for m in body_members(body=body, on=DAY).current] == [seat.pk]
    later = body_members(body=body, on=DAY + datetime.timedelta(days=6))
    assert ([m.pk for m in later.former], later.current) == ([seat.pk], [])


def test_an_appointment_overlapping_an_upcoming_seat_is_refused():
    body = bf.body()
    person = Person.objects.create(name="Dobbelt 3a9c")
    services.appointment_make(
        body=body, person=person, role="medlem", effective_date=datetime.date(2027, 1, 1)
    )
    error = _refused(
        services.appointment_make,
        body=body,
        person=person,
        role="medlem",
        effective_date=datetime.date(2026, 6, 1),
    )
    assert error.message == (f"Dobbelt 3a9c er allerede udpeget til {body.name} fra 01.01.2027.")
    assert Membership.objects.filter(body=body).count() == 1


def test_a_member_may_replace_their_own_seat_with_a_new_role():
    body = bf.body()
    person = Person.objects.create(name="Næstformand 4b0d")
    first = services.appointment_make(
        body=body, person=person, role="naestformand", effective_date=datetime.date(2024, 1, 1)
    )
    services.appointment_make(
        body=body,
        person=person,
        role="formand",
        effective_date=datetime.date(2026, 1, 1),
        replaces=first.membership,
    )
    roles = list(
        Membership.objects.filter(body=body).order_by("start_date").values_list("role", "end_date")
    )
    assert roles == [("naestformand", datetime.date(2025, 12, 31)), ("formand", None)]
    assert Appointment.objects.filter(membership__body=body).count() == 2


def test_services_still_import_from_the_old_module_path():
    from sekretariat.bodies.services import (  # noqa: F401  (the callers' import path)
        appointment_make,
        body_create,
        people_find_or_create,
        person_create,
    )

    assert services.PERSON_FIELDS == ("name", "job_title", "organisation", "email", "user")
