"""What an import records and ties together: typed events, cases, files, and nothing twice."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from sekretariat.bodies.models import Person
from sekretariat.cases.models import Case
from sekretariat.core import events
from sekretariat.core.dispatch import event_from_row
from sekretariat.core.models import AuditEvent
from sekretariat.ingest import loader, planner, services
from sekretariat.ingest.models import ImportedFile, ImportedItem
from sekretariat.ingest.parsers import parse_bytes
from sekretariat.meetings import services as meeting_services
from sekretariat.meetings.models import (
    Access,
    AgendaItem,
    Attachment,
    Attendance,
    Meeting,
    SectionType,
)
from sekretariat.meetings.services import merge
from sekretariat.meetings.tests import factories as mf

from .conftest import fixture_bytes, fixture_text

pytestmark = pytest.mark.django_db

AGENDA = "dagsorden_styregruppe.txt"
MINUTES = "referat_styregruppe.txt"
JOURNAL = "27.36.04-P20-1-26"


def recorded_since(last_id: int) -> list[tuple[str, events.Event]]:
    rows = AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")
    return [(row.action, event_from_row(row)) for row in rows]


def last_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def agenda_with_journal_number(number: str = JOURNAL):
    parsed = parse_bytes(fixture_bytes(AGENDA), AGENDA)
    parsed.items[1].journal_number = number
    return parsed


def load(parsed, sha="e" * 64, **kwargs) -> services.ImportResult:
    return services.document_import(parsed, source_name=AGENDA, content_sha256=sha, **kwargs)


def media_files(tmp_path) -> list:
    return [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


# --- cases ----------------------------------------------------------------------------------


def test_an_imported_item_belongs_to_the_case_of_its_journal_number_as_on_screen(body):
    on_screen = mf.item(title="Vagtplanen drøftet i et andet forum 1a2b", journal_number=JOURNAL)
    load(agenda_with_journal_number())
    imported = AgendaItem.objects.get(title="Orientering om ny vagtplan for aftenholdet")
    assert imported.journal_number == JOURNAL
    assert imported.case is not None and imported.case == on_screen.case
    assert Case.objects.filter(journal_number=JOURNAL).count() == 1
    # An item made on screen later with the same number joins the same case.
    later = mf.item(title="Opfølgning 1a2b", journal_number=JOURNAL)
    assert later.case == imported.case


def test_the_first_item_with_a_journal_number_opens_its_case(body):
    start = last_id()
    load(agenda_with_journal_number())
    case = Case.objects.get(journal_number=JOURNAL)
    assert case.title == "Orientering om ny vagtplan for aftenholdet"
    assert AgendaItem.objects.get(journal_number=JOURNAL).case == case
    assert ("case_open", events.CaseChanged(case_id=case.pk)) in recorded_since(start)


def test_a_newer_document_s_journal_number_moves_the_item_to_that_case(body):
    load(agenda_with_journal_number())
    load(agenda_with_journal_number("27.36.04-P20-2-26"), sha="f" * 64)
    item = AgendaItem.objects.get(title="Orientering om ny vagtplan for aftenholdet")
    assert item.case == Case.objects.get(journal_number="27.36.04-P20-2-26")


# --- nothing twice --------------------------------------------------------------------------


def test_the_same_file_again_changes_nothing_and_records_nothing(body):
    services.file_import(fixture_bytes(AGENDA), AGENDA)
    start = last_id()
    again = services.file_import(fixture_bytes(AGENDA), AGENDA)
    assert again.outcome == services.Outcome.UNCHANGED
    assert recorded_since(start) == []


def test_another_file_with_the_same_content_records_no_item_changes(body):
    services.file_import(fixture_bytes(AGENDA), AGENDA)
    start = last_id()
    copy = fixture_text(AGENDA).replace("Dagsorden\n", "Dagsorden\n\n", 1).encode()
    result = services.file_import(copy, "kopi.txt")
    assert result.outcome == services.Outcome.UNCHANGED
    assert not any(isinstance(e, events.AgendaItemsChanged) for _a, e in recorded_since(start))
    assert recorded_since(start) == []


# --- the events of an import ---------------------------------------------------------------


def test_an_agenda_import_records_what_it_changed_as_typed_events(body, tmp_path):
    attachment = tmp_path / "Vagtplan forår 2026.pdf"
    attachment.write_bytes(b"%PDF-1.4 vagtplan 1a2b")
    start = last_id()
    result = load(
        agenda_with_journal_number(),
        attachment_files={"Vagtplan forår 2026": attachment},
    )
    assert result.outcome == services.Outcome.IMPORTED
    meeting = Meeting.objects.get()
    items = tuple(meeting.agenda_items.order_by("pk").values_list("pk", flat=True))
    file = Attachment.objects.get()
    people = tuple(Person.objects.order_by("pk").values_list("pk", flat=True))
    case = Case.objects.get()
    assert recorded_since(start) == [
        ("section_template_create", events.BodyChanged(body_id=body.pk)),
        ("meeting_create", events.MeetingChanged(meeting_id=meeting.pk)),
        ("case_open", events.CaseChanged(case_id=case.pk)),
        ("agenda_merge", events.AgendaItemsChanged(meeting_id=meeting.pk, item_ids=items)),
        ("agenda_merge", events.FileStored(sha256=file.sha256, size_bytes=22)),
        (
            "agenda_merge",
            events.AttachmentsChanged(
                meeting_id=meeting.pk, item_id=file.item_id, attachment_ids=(file.pk,)
            ),
        ),
        ("people_find_or_create", events.PeopleChanged(person_ids=people)),
        ("agenda_merge", events.AttendanceChanged(meeting_id=meeting.pk, person_ids=people)),
        (
            "agenda_publish",
            events.MeetingStatusChanged(
                meeting_id=meeting.pk,
                old_status=Meeting.Status.PLANNED,
                new_status=Meeting.Status.AGENDA_PUBLISHED,
            ),
        ),
        (
            "document_import",
            events.DocumentImported(meeting_id=meeting.pk, sha256="e" * 64, outcome="imported"),
        ),
    ]


def test_minutes_record_the_changed_items_and_the_approval_without_a_hand_written_status(body):
    services.file_import(fixture_bytes(AGENDA), AGENDA)
    meeting = Meeting.objects.get()
    start = last_id()
    result = services.file_import(fixture_bytes(MINUTES), MINUTES)
    assert result.outcome == services.Outcome.UPDATED
    recorded = recorded_since(start)
    changed = [e for _a, e in recorded if isinstance(e, events.AgendaItemsChanged)]
    assert len(changed) == 1 and set(changed[0].item_ids) <= set(
        meeting.agenda_items.values_list("pk", flat=True)
    )
    assert changed[0].item_ids  # the decisions are new sections of the items
    assert (
        "minutes_record_approved",
        events.MeetingStatusChanged(
            meeting_id=meeting.pk,
            old_status=Meeting.Status.AGENDA_PUBLISHED,
            new_status=Meeting.Status.MINUTES_APPROVED,
        ),
    ) in recorded
    assert recorded[-1] == (
        "document_import",
        events.DocumentImported(
            meeting_id=meeting.pk,
            sha256=services.content_hash(fixture_bytes(MINUTES)),
            outcome="updated",
        ),
    )
    kinds = {type(e) for _a, e in recorded}
    assert events.PeopleChanged not in kinds and events.MeetingChanged not in kinds
    assert not AuditEvent.objects.filter(action="minutes_import").exists()
    meeting.refresh_from_db()
    assert meeting.minutes_locked and meeting.minutes_approved_by is None


def test_a_body_named_by_the_document_is_created_by_the_bodies_service(db):
    start = last_id()
    services.file_import(fixture_bytes(AGENDA), AGENDA, create_bodies=True)
    meeting = Meeting.objects.select_related("body").get()
    assert ("body_create", events.BodyChanged(body_id=meeting.body_id)) in recorded_since(start)


def test_a_namesake_at_the_meeting_is_not_the_person_an_import_finds_by_name(body):
    first = Person.objects.create(name="Anders Tang")
    namesake = Person.objects.create(name="Anders Tang")
    services.file_import(fixture_bytes(AGENDA), AGENDA)
    meeting = Meeting.objects.get()
    meeting_services.attendance_remove(meeting=meeting, person=first)
    meeting_services.attendance_set(meeting=meeting, person=namesake, role="gaest")
    newer = fixture_text(AGENDA).replace("seks uger", "otte uger").encode()
    services.file_import(newer, "dagsorden_v2.txt")
    # As before the planner: people are found by exact name, the first made of a name.
    assert set(meeting.attendances.values_list("person_id", "role")) >= {
        (first.pk, "deltager"),
        (namesake.pk, "gaest"),
    }


# --- nothing left of a failure -------------------------------------------------------------


def test_a_failure_after_the_files_are_stored_leaves_no_file_and_no_row(
    body, monkeypatch, tmp_path
):
    def broken(names_with_affiliation, *, actor=None):
        raise RuntimeError("midt i fremmødet 1a2b")

    # People are found after the attachments are stored.
    monkeypatch.setattr(merge, "people_find_or_create", broken)
    attachment = tmp_path / "Vagtplan forår 2026.pdf"
    attachment.write_bytes(b"%PDF-1.4 vagtplan 1a2b")
    start = last_id()
    with pytest.raises(RuntimeError, match="fremmødet"):
        load(agenda_with_journal_number(), attachment_files={"Vagtplan forår 2026": attachment})
    assert media_files(tmp_path) == []
    assert not Meeting.objects.exists() and not Attachment.objects.exists()
    assert not Case.objects.exists() and not ImportedFile.objects.exists()
    assert recorded_since(start) == []


def test_a_file_that_was_there_before_a_failed_import_stays(body, monkeypatch, tmp_path):
    same = ContentFile(b"%PDF-1.4 vagtplan 1a2b", name="Vagtplan forår 2026.pdf")
    kept = meeting_services.attachment_add(item=mf.item(), file=same)
    monkeypatch.setattr(services, "imported_items_save", _raise)
    attachment = tmp_path / "Vagtplan forår 2026.pdf"
    attachment.write_bytes(b"%PDF-1.4 vagtplan 1a2b")
    with pytest.raises(RuntimeError):
        load(agenda_with_journal_number(), attachment_files={"Vagtplan forår 2026": attachment})
    assert [p.name for p in media_files(tmp_path)] == ["Vagtplan_forår_2026.pdf"]
    assert Attachment.objects.get() == kept


def _raise(*args, **kwargs):
    raise RuntimeError("til sidst 1a2b")


# --- the planner's vocabulary is the models' -------------------------------------------------


def test_the_conventions_are_the_models_values():
    rules = loader.conventions()
    assert set(rules.section_roles.values()) <= set(SectionType.Role.values)
    assert set(rules.fallback_roles) <= set(SectionType.Role.values)
    assert set(rules.attendance_roles) == set(Attendance.Role.values)
    assert {rules.open_access, rules.closed_access} == set(Access.values)
    assert rules.default_kind in AgendaItem.Kind.values
    assert set(planner.STATUS_ACTIONS.values()) <= set(merge.STATUS_SERVICES)
    assert set(planner.NOTICE_CODES) == set(loader.NOTICE_TEXTS)


@pytest.mark.parametrize(
    ("model", "field", "length"),
    [
        (AgendaItem, "title", planner.values.ITEM_TEXT_FIELDS["title"]),
        (AgendaItem, "presenter", planner.values.ITEM_TEXT_FIELDS["presenter"]),
        (AgendaItem, "journal_number", planner.values.ITEM_TEXT_FIELDS["journal_number"]),
        (AgendaItem, "case_officer", planner.values.ITEM_TEXT_FIELDS["case_officer"]),
        (AgendaItem, "number", planner.values.NUMBER_LENGTH),
        (Meeting, "location", planner.values.LOCATION_LENGTH),
        (Person, "name", planner.values.NAME_LENGTH),
        (Attendance, "note", planner.values.NAME_LENGTH),
        (Attachment, "title", planner.values.ATTACHMENT_TITLE_LENGTH),
        (ImportedItem, "source_key", planner.values.SOURCE_KEY_LENGTH),
    ],
)
def test_the_planner_s_lengths_are_the_models(model, field, length):
    assert model._meta.get_field(field).max_length == length
