"""Attendance as a checklist: the forum's members on the meeting's day, present / absent /
not recorded, guests added by name, all saved in one action or not at all; and the step
'Markér som afholdt' behind a confirmation."""

import datetime

import pytest
from django.urls import reverse

from sekretariat.bodies.models import Membership, Organisation, Person
from sekretariat.bodies.tests import factories as bf
from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.meetings import selectors, services
from sekretariat.meetings.forms import AppointmentForm
from sekretariat.meetings.models import Attendance, Meeting
from sekretariat.meetings.services import AttendanceMark, GuestEntry

from . import factories as f

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2026, 3, 12)


def seat(body, name: str, *, role="medlem", start=datetime.date(2024, 1, 1), end=None, org=None):
    person = Person.objects.create(name=name, organisation=org)
    Membership.objects.create(person=person, body=body, role=role, start_date=start, end_date=end)
    return person


@pytest.fixture
def forum():
    """A body with three current members, one former, one appointed from a later date, and a
    meeting on MEETING_DAY."""
    body = bf.body("Kommunaldirektørkredsen 3e7a")
    kommune = bf.organisation("Solby Kommune 3e7a")
    people = {
        "chair": seat(body, "Anne Formand 3e7a", role="formand", org=kommune),
        "member": seat(body, "Bo Medlem 3e7a"),
        "substitute": seat(body, "Cecilie Suppleant 3e7a", role="suppleant"),
        "former": seat(body, "Dorte Tidligere 3e7a", end=datetime.date(2025, 12, 31)),
        "future": seat(body, "Erik Kommende 3e7a", start=datetime.date(2026, 6, 1)),
    }
    meeting = f.published_meeting(body, starts_at=f.aware(2026, 3, 12, 9))
    return body, meeting, people


def roles(meeting) -> dict[str, tuple[str, str]]:
    return {a.person.name: (a.role, a.note) for a in meeting.attendances.select_related("person")}


class TestSheet:
    def test_the_sheet_lists_the_members_on_the_meetings_day_chair_first(self, forum):
        _body, meeting, people = forum
        Person.objects.create(name="Frede Udenfor 3e7a")  # in the system, not in the forum
        sheet = selectors.attendance_sheet(meeting=meeting)
        assert [r.name for r in sheet.members] == [
            "Anne Formand 3e7a",
            "Bo Medlem 3e7a",
            "Cecilie Suppleant 3e7a",
        ]
        assert sheet.members[0].detail == "Formand, Solby Kommune 3e7a"
        assert sheet.others == []

    def test_records_of_others_are_listed_after_the_members(self, forum):
        _body, meeting, people = forum
        services.attendance_set(meeting=meeting, person=people["former"], role="gaest", note="x")
        sheet = selectors.attendance_sheet(meeting=meeting)
        assert [(r.name, r.role, r.note) for r in sheet.others] == [
            ("Dorte Tidligere 3e7a", "gaest", "x")
        ]


class TestSave:
    def test_three_members_and_a_guest_are_saved_in_one_go(self, forum):
        _body, meeting, people = forum
        AuditEvent.objects.all().delete()
        saved = services.attendance_save(
            meeting=meeting,
            marks=[
                AttendanceMark(people["chair"].pk, "deltager"),
                AttendanceMark(people["member"].pk, "afbud", "Syg 3e7a"),
                AttendanceMark(people["substitute"].pk, "deltager", "  Møder for Bo  "),
            ],
            guests=[
                GuestEntry("Gitte Gæst 3e7a", "Konsulent", "Rådgivning A/S 3e7a", "Punkt 4 3e7a"),
                GuestEntry(""),  # an empty row
            ],
        )
        assert (saved.written, saved.removed, saved.guests_added) == (3, 0, 1)
        assert roles(meeting) == {
            "Anne Formand 3e7a": ("deltager", ""),
            "Bo Medlem 3e7a": ("afbud", "Syg 3e7a"),
            "Cecilie Suppleant 3e7a": ("deltager", "Møder for Bo"),
            "Gitte Gæst 3e7a": ("gaest", "Punkt 4 3e7a"),
        }
        guest = Person.objects.get(name="Gitte Gæst 3e7a")
        assert guest.job_title == "Konsulent"
        assert guest.organisation.name == "Rådgivning A/S 3e7a"
        assert guest.organisation.kind == Organisation.Kind.OTHER
        (event,) = AuditEvent.objects.filter(action="attendance_save")
        assert set(event.data["event"]["person_ids"]) == {
            people["chair"].pk,
            people["member"].pk,
            people["substitute"].pk,
            guest.pk,
        }

    def test_records_are_changed_and_removed_and_untouched_ones_not_recorded(self, forum):
        _body, meeting, people = forum
        services.attendance_save(
            meeting=meeting,
            marks=[
                AttendanceMark(people["chair"].pk, "deltager"),
                AttendanceMark(people["member"].pk, "deltager"),
            ],
        )
        AuditEvent.objects.all().delete()
        saved = services.attendance_save(
            meeting=meeting,
            marks=[
                AttendanceMark(people["chair"].pk, "deltager"),  # as it was
                AttendanceMark(people["member"].pk, ""),  # not recorded after all
                AttendanceMark(people["substitute"].pk, "afbud"),
            ],
        )
        assert (saved.written, saved.removed) == (1, 1)
        assert roles(meeting) == {
            "Anne Formand 3e7a": ("deltager", ""),
            "Cecilie Suppleant 3e7a": ("afbud", ""),
        }
        (event,) = AuditEvent.objects.filter(action="attendance_save")
        assert set(event.data["event"]["person_ids"]) == {
            people["member"].pk,
            people["substitute"].pk,
        }

    def test_nothing_changed_records_nothing(self, forum):
        _body, meeting, people = forum
        AuditEvent.objects.all().delete()
        saved = services.attendance_save(
            meeting=meeting, marks=[AttendanceMark(people["chair"].pk, "")]
        )
        assert not saved.changed
        assert not AuditEvent.objects.exists()

    def test_a_guest_already_in_the_register_is_not_made_twice(self, forum):
        _body, meeting, _people = forum
        known = Person.objects.create(name="Hans Kendt 3e7a", job_title="Direktør")
        services.attendance_save(meeting=meeting, marks=[], guests=[GuestEntry("hans kendt 3e7a")])
        assert meeting.attendances.get().person == known
        assert Person.objects.filter(name__iexact="Hans Kendt 3e7a").count() == 1

    def test_a_guest_of_a_known_organisation_is_linked_to_it(self, forum):
        _body, meeting, _people = forum
        region = bf.organisation("Region Testland 3e7a", kind="region")
        services.attendance_save(
            meeting=meeting,
            marks=[],
            guests=[GuestEntry("Ida Region 3e7a", "", "region testland 3e7a")],
        )
        assert Person.objects.get(name="Ida Region 3e7a").organisation == region
        assert Organisation.objects.filter(name__iexact="Region Testland 3e7a").count() == 1


class TestRefusals:
    """A refused save writes nothing: no record, no person, no organisation, no event."""

    def _refused(self, meeting, message: str, **kwargs):
        people, organisations = Person.objects.count(), Organisation.objects.count()
        AuditEvent.objects.all().delete()
        with pytest.raises(ApplicationError) as exc:
            services.attendance_save(meeting=meeting, **kwargs)
        assert exc.value.message == message
        assert not meeting.attendances.exists()
        assert (Person.objects.count(), Organisation.objects.count()) == (people, organisations)
        assert not AuditEvent.objects.exists()

    def test_an_unknown_role(self, forum):
        _body, meeting, people = forum
        self._refused(
            meeting,
            "Vælg til stede, afbud eller ikke registreret for Bo Medlem 3e7a.",
            marks=[
                AttendanceMark(people["chair"].pk, "deltager"),  # valid, but not written
                AttendanceMark(people["member"].pk, "sovende"),
            ],
            guests=[GuestEntry("Ny Gæst 3e7a", organisation="Helt Ny Org 3e7a")],
        )

    def test_a_guest_row_without_a_name(self, forum):
        _body, meeting, people = forum
        self._refused(
            meeting,
            "Skriv navnet på gæst 1, eller tøm rækken.",
            marks=[AttendanceMark(people["chair"].pk, "deltager")],
            guests=[GuestEntry("", job_title="Konsulent")],
        )

    def test_a_guest_who_is_on_the_member_list(self, forum):
        _body, meeting, people = forum
        self._refused(
            meeting,
            "Bo Medlem 3e7a står allerede på listen; markér personen dér, ikke som ny gæst.",
            marks=[
                AttendanceMark(people["chair"].pk, "deltager"),
                AttendanceMark(people["member"].pk, ""),
            ],
            guests=[
                GuestEntry("Ny Gæst 3e7a", organisation="Helt Ny Org 3e7a"),
                GuestEntry("Bo Medlem 3e7a"),
            ],
        )

    def test_a_note_that_is_too_long(self, forum):
        _body, meeting, people = forum
        self._refused(
            meeting,
            "Noten om Anne Formand 3e7a er for lang (højst 200 tegn).",
            marks=[AttendanceMark(people["chair"].pk, "afbud", "x" * 201)],
        )

    def test_a_person_who_does_not_exist(self, forum):
        _body, meeting, people = forum
        self._refused(
            meeting,
            "En person på listen findes ikke længere. Genindlæs siden, og prøv igen.",
            marks=[AttendanceMark(people["chair"].pk, "deltager"), AttendanceMark(999999, "afbud")],
        )

    def test_the_same_guest_twice(self, forum):
        _body, meeting, _people = forum
        self._refused(
            meeting,
            "jens dobbelt 3e7a står to gange blandt gæsterne.",
            marks=[],
            guests=[GuestEntry("Jens Dobbelt 3e7a"), GuestEntry("jens dobbelt 3e7a")],
        )

    def test_approved_minutes_lock_the_attendance(self):
        meeting = f.approved_meeting()
        person = Person.objects.create(name="For sent 3e7a")
        with pytest.raises(ApplicationError):
            services.attendance_save(meeting=meeting, marks=[AttendanceMark(person.pk, "afbud")])
        assert not meeting.attendances.exists()


# --- the attendance page --------------------------------------------------------------------


@pytest.fixture
def staff_client(client, forum):
    body, meeting, people = forum
    client.force_login(bf.secretariat_user(body))
    client.meeting, client.people = meeting, people
    return client


def test_the_page_is_a_checklist_of_the_members_only(staff_client):
    url = reverse("meetings:attendance", args=[staff_client.meeting.pk])
    Person.objects.create(name="Frede Udenfor 3e7a")
    page = staff_client.get(url).text
    for name in ("Anne Formand 3e7a", "Bo Medlem 3e7a", "Cecilie Suppleant 3e7a"):
        assert name in page
    for name in ("Dorte Tidligere 3e7a", "Erik Kommende 3e7a", "Frede Udenfor 3e7a"):
        assert name not in page
    chair = staff_client.people["chair"].pk
    # Three choices per member, 'not recorded' checked while nothing is recorded.
    assert f'name="role_{chair}" value="deltager"' in page
    assert f'name="role_{chair}" value="afbud"' in page
    assert f'name="role_{chair}" value="" required id' not in page
    assert "Til stede" in page and "Afbud" in page and "Ikke registreret" in page
    assert page.count('name="guest_') == 4 * 3  # three empty guest rows


def test_the_page_saves_everything_with_one_press_and_shows_it(staff_client):
    meeting, people = staff_client.meeting, staff_client.people
    url = reverse("meetings:attendance", args=[meeting.pk])
    r = staff_client.post(
        url,
        {
            f"role_{people['chair'].pk}": "deltager",
            f"role_{people['member'].pk}": "afbud",
            f"note_{people['member'].pk}": "Ferie 4f8b",
            f"role_{people['substitute'].pk}": "deltager",
            "guest_0_name": "Gitte Gæst 4f8b",
            "guest_0_organisation": "Rådgivning 4f8b",
            "guest_1_name": "",
        },
        follow=True,
    )
    assert "Deltagelsen er gemt. Til stede: 2, afbud: 1, gæster: 1." in r.text
    assert roles(meeting) == {
        "Anne Formand 3e7a": ("deltager", ""),
        "Bo Medlem 3e7a": ("afbud", "Ferie 4f8b"),
        "Cecilie Suppleant 3e7a": ("deltager", ""),
        "Gitte Gæst 4f8b": ("gaest", ""),
    }
    page = r.text
    guest = Person.objects.get(name="Gitte Gæst 4f8b")
    assert f'name="role_{guest.pk}" value="gaest" id="id_role_{guest.pk}_1" checked' in page
    assert 'value="Ferie 4f8b"' in page
    # The public page of the meeting names them as the minutes do.
    public = staff_client.get(meeting.get_absolute_url()).text
    assert "Gitte Gæst 4f8b" in public and "Bo Medlem 3e7a" in public


def test_a_row_not_on_the_page_is_left_alone(staff_client):
    meeting, people = staff_client.meeting, staff_client.people
    # Someone else recorded a guest after the page was loaded: this post does not name them.
    services.attendance_set(meeting=meeting, person=people["former"], role="gaest")
    staff_client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"role_{people['chair'].pk}": "deltager"},
    )
    assert roles(meeting) == {
        "Anne Formand 3e7a": ("deltager", ""),
        "Dorte Tidligere 3e7a": ("gaest", ""),
    }


def test_a_refused_save_keeps_what_was_typed_and_writes_nothing(staff_client):
    meeting, people = staff_client.meeting, staff_client.people
    r = staff_client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {
            f"role_{people['chair'].pk}": "deltager",
            "guest_0_job_title": "Konsulent 5a9c",
        },
    )
    assert r.status_code == 200
    assert "Skriv gæstens navn, eller tøm rækken." in r.text
    assert 'value="Konsulent 5a9c"' in r.text
    assert not meeting.attendances.exists()


def test_the_page_takes_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    meeting, people = staff_client.meeting, staff_client.people
    url = reverse("meetings:attendance", args=[meeting.pk])
    staff_client.get(url)  # warm the session and the viewer
    with django_assert_num_queries(9) as ctx:
        staff_client.get(url)
    for n in range(5):
        seat(meeting.body, f"Ekstra {n} 6b0d")
    services.attendance_set(meeting=meeting, person=people["chair"], role="deltager")
    with django_assert_num_queries(len(ctx.captured_queries)):
        staff_client.get(url)


# --- 'Markér som afholdt' asks first ----------------------------------------------------------


class TestHoldConfirmation:
    def test_hold_asks_first_and_says_what_happens(self, staff_client):
        meeting = staff_client.meeting
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=f.aware(2024, 3, 12, 9))
        url = reverse("meetings:agenda_action", args=[meeting.pk, "hold"])
        agenda = staff_client.get(reverse("meetings:agenda", args=[meeting.pk])).text
        assert f'href="{url}"' in agenda and "Markér som afholdt…" in agenda
        for response in (staff_client.get(url), staff_client.post(url)):
            assert response.status_code == 200
            assert "Markér mødet som afholdt?" in response.text
            assert "Ja, markér som afholdt" in response.text
            assert "kan ikke fortrydes" in response.text
            assert "Der er ikke registreret deltagelse til mødet." in response.text
            assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.AGENDA_PUBLISHED
        r = staff_client.post(url, {"confirm": "yes"}, follow=True)
        assert "Mødet er markeret som afholdt." in r.text
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD

    def test_the_confirmation_counts_the_attendance(self, staff_client):
        meeting, people = staff_client.meeting, staff_client.people
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=f.aware(2024, 3, 12, 9))
        services.attendance_save(
            meeting=meeting,
            marks=[
                AttendanceMark(people["chair"].pk, "deltager"),
                AttendanceMark(people["member"].pk, "afbud"),
            ],
            guests=[GuestEntry("Gæst 7c1e")],
        )
        r = staff_client.get(reverse("meetings:agenda_action", args=[meeting.pk, "hold"]))
        assert "Registreret deltagelse: 1 til stede, 1 afbud, 1 gæster." in r.text

    def test_a_meeting_that_has_not_begun_offers_no_yes(self, staff_client):
        meeting = staff_client.meeting
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=f.aware(2099, 3, 12, 9), ends_at=f.aware(2099, 3, 12, 11)
        )
        r = staff_client.get(reverse("meetings:agenda_action", args=[meeting.pk, "hold"]))
        assert "Mødet begynder først" in r.text
        assert "Ja, markér som afholdt" not in r.text
        r = staff_client.post(
            reverse("meetings:agenda_action", args=[meeting.pk, "hold"]), {"confirm": "yes"}
        )
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.AGENDA_PUBLISHED


def test_appointment_roles_read_capitalised_and_store_as_before():
    form = AppointmentForm(body=bf.body())
    choices = dict(form.fields["role"].choices)
    assert [str(label) for label in choices.values()] == [
        "Formand",
        "Næstformand",
        "Medlem",
        "Suppleant",
    ]
    assert list(choices) == ["formand", "naestformand", "medlem", "suppleant"]
    assert form.fields["role"].initial == "medlem"


def test_attendance_roles_stay_as_stored():
    assert Attendance.Role.values == ["deltager", "gaest", "afbud"]
