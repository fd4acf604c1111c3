"""`agenda_merge`: an import's plan written in bulk, with the rules and events of the screens.

The plans here are small local dataclasses in the shape `agenda_merge` reads (the importer's
planner, above this app, makes the real ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sekretariat.bodies.models import Organisation, Person
from sekretariat.bodies.tests import factories as bf
from sekretariat.cases.models import Case
from sekretariat.core import events
from sekretariat.core.dispatch import event_from_row
from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.meetings import services
from sekretariat.meetings.models import AgendaItem, Attachment, Attendance, Meeting

from . import factories as f

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Create:
    number: str
    position: int
    title: str
    kind: str = "beslutning"
    access: str = "aaben"
    presenter: str = ""
    timeframe_minutes: int | None = None
    journal_number: str = ""
    case_officer: str = ""
    sections: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Update:
    pk: int
    changes: dict = field(default_factory=dict)
    sections_new: dict = field(default_factory=dict)
    sections_changed: dict = field(default_factory=dict)
    new_version: bool = True


@dataclass(frozen=True)
class Slot:
    pk: int | None = None
    new: int | None = None


@dataclass(frozen=True)
class File:
    title: str
    sha256: str
    source: Any


@dataclass(frozen=True)
class Files:
    item: Slot
    files: tuple


@dataclass(frozen=True)
class Person_:
    name: str
    role: str
    affiliation: str = ""


@dataclass(frozen=True)
class Plan:
    meeting_changes: dict = field(default_factory=dict)
    creates: tuple = ()
    updates: tuple = ()
    attendance: tuple = ()
    attachments: tuple = ()
    status_action: str | None = None


def events_since(last_id: int) -> list[events.Event]:
    rows = AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")
    return [event_from_row(row) for row in rows]


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_new_items_get_sections_and_the_case_of_their_journal_number():
    m = f.meeting()
    on_screen = f.item(title="Trafikplan – på skærmen 5b5b", journal_number="05.01.00-P20-1-26")
    start = last_event_id()
    result = services.agenda_merge(
        meeting=m,
        plan=Plan(
            creates=(
                Create(
                    "1",
                    1,
                    "Trafikplan – importeret 5b5b",
                    journal_number="05.01.00-P20-1-26",
                    sections={"resume": "Resumé 5b5b.", "beslutning": "Godkendt 5b5b."},
                ),
                Create("2", 2, "Nyt forløb 5b5b", journal_number=" 27.00.00-A00-9-26 "),
                Create("3", 3, "Eventuelt 5b5b"),
            )
        ),
    )
    items = {i.number: i for i in m.agenda_items.all()}
    assert result.created_ids == tuple(items[n].pk for n in ("1", "2", "3"))
    assert items["1"].case_id == on_screen.case_id is not None
    new_case = Case.objects.get(journal_number="27.00.00-A00-9-26")
    assert items["2"].case == new_case and new_case.title == "Nyt forløb 5b5b"
    assert items["3"].case is None
    texts = {s.section_type.role: s.text for s in items["1"].sections.all()}
    assert texts == {"resume": "Resumé 5b5b.", "beslutning": "Godkendt 5b5b."}
    assert events_since(start) == [
        events.CaseChanged(case_id=new_case.pk),
        events.AgendaItemsChanged(meeting_id=m.pk, item_ids=result.created_ids),
    ]


def test_numbers_can_change_places_in_one_merge():
    m = f.meeting()
    a, b = f.item(m, title="Først 1d1d"), f.item(m, title="Dernæst 1d1d")
    result = services.agenda_merge(
        meeting=m,
        plan=Plan(
            updates=(
                Update(a.pk, {"number": "2", "position": 2, "title": "Først – ny titel 1d1d"}),
                Update(b.pk, {"number": "1", "position": 1}, new_version=False),
            ),
        ),
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.number, a.position, a.title, a.version) == ("2", 2, "Først – ny titel 1d1d", 2)
    assert (b.number, b.position, b.version) == ("1", 1, 1)
    assert result.items_updated == 1 and result.changed_ids == (a.pk, b.pk)


def test_a_changed_journal_number_moves_the_item_to_that_case():
    it = f.item(title="Budget 2027 7c7c")
    services.agenda_merge(
        meeting=it.meeting,
        plan=Plan(updates=(Update(it.pk, {"journal_number": "00.30.00-S00-1-27"}),)),
    )
    it.refresh_from_db()
    assert it.case == Case.objects.get(journal_number="00.30.00-S00-1-27")
    assert it.case.title == "Budget 2027 7c7c"


def test_sections_are_added_and_changed():
    it = f.item(sections={"resume": "Gammel 4a4a."})
    services.agenda_merge(
        meeting=it.meeting,
        plan=Plan(
            updates=(
                Update(
                    it.pk,
                    sections_new={"beslutning": "Vedtaget 4a4a."},
                    sections_changed={"resume": "Ny 4a4a."},
                ),
            )
        ),
    )
    texts = {s.section_type.role: s.text for s in it.sections.all()}
    assert texts == {"resume": "Ny 4a4a.", "beslutning": "Vedtaget 4a4a."}


def test_attachments_are_stored_after_those_there_closed_with_a_closed_item(tmp_path):
    m = f.meeting()
    closed = f.item(m, access="lukket")
    services.attachment_add(item=closed, file=ContentFile(b"i haanden 6e6e", name="haand.txt"))
    path = tmp_path / "Budget 6e6e.pdf"
    path.write_bytes(b"%PDF budget 6e6e")
    start = last_event_id()
    result = services.agenda_merge(
        meeting=m,
        plan=Plan(
            creates=(Create("2", 2, "Åbent punkt 6e6e"),),
            attachments=(
                Files(Slot(pk=closed.pk), (File("Budget", "x", path),)),
                Files(Slot(new=0), (File("Notat", "y", ContentFile(b"notat 6e6e", name="n.txt")),)),
            ),
        ),
    )
    assert result.attachments_added == 2
    budget = Attachment.objects.get(title="Budget")
    assert (budget.item, budget.position, budget.access) == (closed, 2, "lukket")
    assert budget.file.read() == b"%PDF budget 6e6e" and budget.file.name.endswith(
        "/Budget_6e6e.pdf"
    )
    notat = Attachment.objects.get(title="Notat")
    assert (notat.position, notat.access) == (1, "aaben")
    found = [e for e in events_since(start) if not isinstance(e, events.AgendaItemsChanged)]
    assert found == [
        events.FileStored(sha256=budget.sha256, size_bytes=16),
        events.FileStored(sha256=notat.sha256, size_bytes=10),
        events.AttachmentsChanged(meeting_id=m.pk, item_id=closed.pk, attachment_ids=(budget.pk,)),
        events.AttachmentsChanged(
            meeting_id=m.pk, item_id=notat.item_id, attachment_ids=(notat.pk,)
        ),
    ]


def test_attendance_finds_people_by_name_and_creates_the_others():
    m = f.meeting()
    known = Person.objects.create(name="Anders Tang 8f8f")
    here = Person.objects.create(name="Birthe 8f8f")
    services.attendance_set(meeting=m, person=here, role="deltager")
    havbjerg = Organisation.objects.create(name="Havbjerg Kommune 8f8f", kind="kommune")
    start = last_event_id()
    result = services.agenda_merge(
        meeting=m,
        plan=Plan(
            attendance=(
                Person_("Anders Tang 8f8f", "deltager"),
                Person_("Birthe 8f8f", "afbud"),
                Person_("Mikkel Ny 8f8f", "gaest", "Havbjerg Kommune 8f8f"),
            )
        ),
    )
    new = Person.objects.get(name="Mikkel Ny 8f8f")
    assert new.organisation == havbjerg
    roles = dict(m.attendances.values_list("person__name", "role"))
    assert roles == {"Anders Tang 8f8f": "deltager", "Birthe 8f8f": "deltager", new.name: "gaest"}
    assert Attendance.objects.get(person=new).note == "Havbjerg Kommune 8f8f"
    assert result.attendance_added == 2
    assert events_since(start) == [
        events.PeopleChanged(person_ids=(new.pk,)),
        events.AttendanceChanged(meeting_id=m.pk, person_ids=(known.pk, new.pk)),
    ]


@pytest.mark.parametrize(
    ("steps", "action", "expected"),
    [
        ([], "publish", Meeting.Status.AGENDA_PUBLISHED),
        ([], "record_approved", Meeting.Status.MINUTES_APPROVED),
        (["publish"], "record_approved", Meeting.Status.MINUTES_APPROVED),
        (["publish", "hold"], "record_approved", Meeting.Status.MINUTES_APPROVED),
        (["publish"], "publish", Meeting.Status.AGENDA_PUBLISHED),  # not allowed: left
    ],
)
def test_the_status_moves_through_the_transitions_table(steps, action, expected):
    m = f.meeting()
    f.item(m)
    for step in steps:
        {"publish": services.agenda_publish, "hold": services.meeting_mark_held}[step](meeting=m)
    before = Meeting.objects.get(pk=m.pk).status
    start = last_event_id()
    result = services.agenda_merge(meeting=m, plan=Plan(status_action=action), actor=bf.user())
    m.refresh_from_db()
    assert m.status == expected
    assert result.status_changed is (before != expected)
    moved = [e for e in events_since(start) if isinstance(e, events.MeetingStatusChanged)]
    assert moved == (
        [events.MeetingStatusChanged(meeting_id=m.pk, old_status=before, new_status=expected)]
        if before != expected
        else []
    )
    if expected == Meeting.Status.MINUTES_APPROVED:
        assert m.minutes_approved_by is None and m.minutes_approved_at is not None
        assert m.agenda_published_at is not None


def test_minutes_recorded_as_approved_are_stamped_without_a_user():
    m = f.published_meeting()
    published_at = Meeting.objects.get(pk=m.pk).agenda_published_at
    services.minutes_record_approved(meeting=m, actor=bf.user())
    m.refresh_from_db()
    assert m.minutes_locked and m.minutes_approved_by is None
    assert m.agenda_published_at == published_at
    row = AuditEvent.objects.filter(action="minutes_record_approved").get()
    assert event_from_row(row).new_status == Meeting.Status.MINUTES_APPROVED
    with pytest.raises(ApplicationError):
        services.minutes_record_approved(meeting=m)


def test_meeting_fields_change_with_an_event_and_a_new_version():
    m = f.meeting()
    start = last_event_id()
    services.agenda_merge(meeting=m, plan=Plan(meeting_changes={"location": "Byrådssalen 2e2e"}))
    fresh = Meeting.objects.get(pk=m.pk)
    assert (fresh.location, fresh.version) == ("Byrådssalen 2e2e", m.version + 1)
    assert events_since(start) == [events.MeetingChanged(meeting_id=m.pk)]


def test_an_empty_plan_writes_and_records_nothing():
    it = f.item()
    start = last_event_id()
    result = services.agenda_merge(meeting=it.meeting, plan=Plan())
    assert not result.changed
    assert events_since(start) == []


@pytest.mark.parametrize("meeting_kind", ["cancelled", "approved"])
def test_a_cancelled_meeting_or_approved_minutes_are_refused(meeting_kind):
    if meeting_kind == "cancelled":
        m = f.meeting()
        services.meeting_cancel(meeting=m)
    else:
        m = f.approved_meeting()
    count = AgendaItem.objects.count()
    with pytest.raises(ApplicationError):
        services.agenda_merge(meeting=m, plan=Plan(creates=(Create("9", 9, "Nej 3b3b"),)))
    assert AgendaItem.objects.count() == count


@pytest.mark.parametrize(
    "plan",
    [
        Plan(updates=(Update(0, {"access": "aaben"}),)),  # an import never opens an item
        Plan(updates=(Update(0, {"is_standing": True}),)),
        Plan(meeting_changes={"status": "aflyst"}),
        Plan(status_action="cancel"),
    ],
)
def test_a_plan_that_asks_for_more_than_an_import_may_is_a_programming_error(plan):
    m = f.meeting()
    with pytest.raises(ValueError):
        services.agenda_merge(meeting=m, plan=plan)


def test_the_number_of_queries_does_not_grow_with_the_items():
    def merge(n: int) -> int:
        m = f.meeting()
        existing = [f.item(m, title=f"Punkt {i} 0f0f") for i in range(n)]
        creates = tuple(
            Create(f"n{i}", n + i + 1, f"Nyt {i} 0f0f", sections={"resume": "R"}) for i in range(n)
        )
        updates = tuple(Update(it.pk, sections_new={"beslutning": "B"}) for it in existing)
        with CaptureQueriesContext(connection) as queries:
            services.agenda_merge(meeting=m, plan=Plan(creates=creates, updates=updates))
        return len(queries) - n  # one UPDATE per changed item is the approach

    assert merge(2) == merge(12)
