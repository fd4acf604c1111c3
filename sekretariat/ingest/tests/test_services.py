"""The loader against the real database: import, re-import, agenda then minutes, hand edits."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from sekretariat.bodies.models import Body, Organisation, Person
from sekretariat.core.models import AuditEvent
from sekretariat.ingest import services
from sekretariat.ingest.models import ImportedFile, ImportedItem
from sekretariat.ingest.parsers import parse_bytes
from sekretariat.meetings import services as meeting_services
from sekretariat.meetings.models import (
    Access,
    AgendaItem,
    Attachment,
    Attendance,
    ItemSection,
    Meeting,
)
from sekretariat.meetings.tests import factories as mf

from .conftest import fixture_bytes, fixture_text

pytestmark = pytest.mark.django_db

AGENDA = "dagsorden_styregruppe.txt"
MINUTES = "referat_styregruppe.txt"


def run(name: str, data: bytes | None = None, **kwargs) -> services.ImportResult:
    return services.file_import(data if data is not None else fixture_bytes(name), name, **kwargs)


def section(item: AgendaItem, role: str) -> str:
    s = item.sections.filter(section_type__role=role).first()
    return s.text if s else ""


def snapshot() -> dict[str, int]:
    models = (Meeting, AgendaItem, ItemSection, Attendance, Person, Attachment, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def test_agenda_becomes_a_published_meeting_with_items_sections_and_people(body):
    result = run(AGENDA)
    assert result.outcome == services.Outcome.IMPORTED, result.message
    meeting = Meeting.objects.get(pk=result.meeting_id)
    assert meeting.body == body
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert meeting.location == "Mødelokale Fyrtårnet, Strandvejen 12"
    assert f"{meeting.starts_at.astimezone():%H:%M}-{meeting.ends_at.astimezone():%H:%M}" == (
        "13:00-15:00"
    )
    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Orientering om ny vagtplan for aftenholdet"),
        ("3", "Fortrolig personalesag om natholdet"),
        ("4", "Eventuelt"),
    ]
    plan = items[1]
    assert plan.presenter == "Sofie Krogh"
    assert plan.kind == AgendaItem.Kind.INFORMATION
    assert "test 5d1c" in section(plan, "resume")
    assert section(plan, "indstilling").startswith("at styregruppen")
    # Attachments listed without a file stay visible as a note under the presentation.
    assert section(plan, "sagsfremstilling").endswith(
        "Bilag:\n- Vagtplan forår 2026\n- Evaluering fra medarbejderne"
    )
    assert not Attachment.objects.exists()
    assert ImportedItem.objects.get(item=plan).listed_attachments == [
        "Vagtplan forår 2026",
        "Evaluering fra medarbejderne",
    ]
    assert items[2].access == Access.CLOSED
    roles = {a.person.name: a.role for a in meeting.attendances.select_related("person")}
    assert roles == {
        "Birthe Lykkegaard": "deltager",
        "Anders Tang": "deltager",
        "Sofie Krogh": "deltager",
        "Mikkel Dahl": "afbud",
    }
    record = ImportedFile.objects.get()
    assert record.status == ImportedFile.Status.IMPORTED
    assert record.meeting == meeting and record.parsed["document_type"] == "agenda"


def test_the_same_file_again_changes_nothing(body):
    first = run(AGENDA)
    before = snapshot()
    stamps = list(AgendaItem.objects.order_by("id").values_list("updated_at", flat=True))
    again = run(AGENDA)
    assert again.outcome == services.Outcome.UNCHANGED
    assert again.meeting_id == first.meeting_id
    assert snapshot() == before
    assert list(AgendaItem.objects.order_by("id").values_list("updated_at", flat=True)) == stamps


def test_a_different_file_with_the_same_content_is_unchanged(body):
    run(AGENDA)
    before = snapshot()
    copy = fixture_text(AGENDA).replace("Dagsorden\n", "Dagsorden\n\n", 1).encode()
    result = run("kopi.txt", copy)
    assert result.outcome == services.Outcome.UNCHANGED, result.message
    assert snapshot() == before
    assert ImportedFile.objects.count() == 2


def test_minutes_after_the_agenda_update_the_same_meeting(body):
    agenda = run(AGENDA)
    minutes = run(MINUTES)
    assert minutes.outcome == services.Outcome.UPDATED, minutes.message
    assert minutes.meeting_id == agenda.meeting_id
    assert Meeting.objects.count() == 1
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    assert meeting.minutes_approved_by is None
    items = {i.number: i for i in meeting.agenda_items.all()}
    assert len(items) == 4
    assert section(items["2"], "beslutning").endswith("beslutning 6k4p.")
    assert "test 5d1c" in section(items["2"], "resume")
    assert Attendance.objects.count() == 4
    assert minutes.warnings == []


def test_minutes_without_an_agenda_make_an_approved_archive_meeting(body):
    result = run(MINUTES)
    assert result.outcome == services.Outcome.IMPORTED
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    assert meeting.agenda_items.count() == 4
    # An agenda that arrives later is older than the minutes: it is recorded, nothing changes.
    before = snapshot()
    agenda = run(AGENDA)
    assert agenda.outcome == services.Outcome.UNCHANGED
    assert "godkendt referat" in agenda.message
    assert snapshot() == before
    assert ImportedFile.objects.get(file_name=AGENDA).status == ImportedFile.Status.SUPERSEDED


def test_what_the_secretariat_changed_by_hand_survives_the_minutes(body):
    run(AGENDA)
    meeting = Meeting.objects.get()
    plan = meeting.agenda_items.get(number="2")
    types = {st.role: st.pk for st in meeting_services.section_template_ensure(body)}
    meeting_services.agenda_item_update(
        item=plan,
        expected_version=plan.version,
        fields={"title": "Ny vagtplan for aftenholdet – rettet i hånden 4t6y"},
        sections={types["resume"]: "Resumé skrevet om i hånden 4t6y."},
    )
    by_hand = meeting_services.agenda_item_add(
        meeting=meeting, title="Punkt tilføjet i hånden 7m1n", position=3
    )
    upload = meeting_services.attachment_add(
        item=plan, file=ContentFile(b"vagtplan i haanden", name="haandbilag.txt")
    )

    result = run(MINUTES)

    assert result.outcome == services.Outcome.UPDATED, result.message
    plan.refresh_from_db()
    assert plan.title == "Ny vagtplan for aftenholdet – rettet i hånden 4t6y"
    assert section(plan, "resume") == "Resumé skrevet om i hånden 4t6y."
    assert section(plan, "beslutning").endswith("beslutning 6k4p.")
    assert any("i hånden" in w for w in result.warnings), result.warnings
    # The hand item stays where it was put (after item 2) and keeps its number.
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order.index("Punkt tilføjet i hånden 7m1n") == 2
    assert AgendaItem.objects.get(pk=by_hand.pk).number == by_hand.number
    assert Attachment.objects.filter(pk=upload.pk).exists()
    assert meeting.agenda_items.count() == 5


def test_text_the_import_wrote_is_replaced_by_a_newer_document(body):
    run(AGENDA)
    newer = fixture_text(AGENDA).replace("seks uger", "otte uger")
    result = run("dagsorden_v2.txt", newer.encode())
    assert result.outcome == services.Outcome.UPDATED
    item = AgendaItem.objects.get(number="2")
    assert "otte uger" in section(item, "resume")
    assert result.warnings == []


def test_a_closed_item_stays_closed_when_a_later_document_omits_the_mark(body):
    run(AGENDA)
    opened = fixture_text(MINUTES).replace("Punkt 3: Lukket: ", "Punkt 3: ")
    run("referat_uden_lukket.txt", opened.encode())
    assert AgendaItem.objects.get(number="3").access == Access.CLOSED


def test_closed_items_never_reach_the_public_page(client, body):
    result = run(MINUTES)
    meeting = Meeting.objects.get(pk=result.meeting_id)
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "beslutning 6k4p" in page.text
    assert "Fortrolig personalesag" not in page.text
    assert "hemmelig 8q2w" not in page.text and "hemmelig 3z9x" not in page.text


def test_a_body_not_known_is_refused_unless_bodies_may_be_created(db):
    refused = run(AGENDA)
    assert refused.failed
    assert refused.message.startswith(AGENDA + ": ")
    assert "Styregruppen for Fælles Hjemmepleje" in refused.message
    assert not Meeting.objects.exists() and not Body.objects.exists()

    created = run(AGENDA, create_bodies=True)
    assert created.outcome == services.Outcome.IMPORTED
    body = Body.objects.get()
    assert body.name == "Styregruppen for Fælles Hjemmepleje"
    assert body.slug == "styregruppen-for-faelles-hjemmepleje"
    assert body.kind == Body.Kind.STEERING_GROUP
    assert body.organisation == Organisation.objects.get(name="Havbjerg Kommune")


def test_an_explicit_body_wins_over_the_name_in_the_document(body):
    other = mf.meeting().body
    result = run(AGENDA, body=other)
    assert Meeting.objects.get(pk=result.meeting_id).body == other


def test_body_names_match_without_case_and_with_the_organisation(db):
    from sekretariat.bodies.tests import factories as bf

    body = bf.body("STYREGRUPPEN FOR FÆLLES HJEMMEPLEJE i Havbjerg Kommune")
    result = run(AGENDA)
    assert Meeting.objects.get(pk=result.meeting_id).body == body


def test_an_existing_planned_meeting_on_the_date_is_the_one_updated(body):
    planned = mf.meeting(body, starts_at=mf.aware(2026, 4, 21, 13), with_standing_items=True)
    result = run(AGENDA)
    assert result.meeting_id == planned.pk
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.AGENDA_PUBLISHED
    titles = list(planned.agenda_items.order_by("position").values_list("title", flat=True))
    # 'Godkendelse af dagsorden' and 'Eventuelt' were there already: matched, not doubled.
    assert titles.count("Godkendelse af dagsorden") == 1
    assert titles.count("Eventuelt") == 1
    assert "Godkendelse af referat" in titles  # the planner's own standing item is kept


def test_people_are_matched_by_exact_name(body):
    known = Person.objects.create(name="Anders Tang")
    run(AGENDA)
    assert Person.objects.filter(name="Anders Tang").count() == 1
    assert Attendance.objects.filter(person=known).exists()


def test_one_transaction_per_file_nothing_is_left_of_a_failure(db, monkeypatch, tmp_path):
    def broken(records):
        raise RuntimeError("midway 0x1f")

    # The last step: the meeting, items, people, attendance and the file are written by then.
    monkeypatch.setattr(services, "imported_items_save", broken)
    parsed = parse_bytes(fixture_bytes(AGENDA), AGENDA)
    attachment = tmp_path / "Vagtplan forår 2026.pdf"
    attachment.write_bytes(b"%PDF-1.4 vagtplan")
    with pytest.raises(RuntimeError, match="midway"):
        services.document_import(
            parsed,
            source_name=AGENDA,
            content_sha256="a" * 64,
            create_bodies=True,
            attachment_files={"Vagtplan forår 2026": attachment},
        )
    assert snapshot() == {n: 0 for n in snapshot()}
    assert not Body.objects.exists() and not Organisation.objects.exists()
    assert not ImportedFile.objects.exists() and not ImportedItem.objects.exists()
    media = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert media == []


def test_approved_minutes_are_compared_with_another_version_never_merged(body):
    run(MINUTES)
    before = snapshot()
    changed = fixture_text(MINUTES).replace("beslutning 6k4p", "beslutning 0000")
    result = run("referat_v2.txt", changed.encode())
    assert result.outcome == services.Outcome.UNCHANGED
    assert "låst" in result.message and "afviger" in result.message
    assert "beslutning 6k4p" in section(AgendaItem.objects.get(number="2"), "beslutning")
    assert snapshot() == before
    assert ImportedFile.objects.get(file_name="referat_v2.txt").status == "aeldre"
    # Another rendering of the same minutes is recognised as such.
    same = fixture_text(MINUTES).replace("Referat\n", "Referat\n\n\n", 1)
    result = run("referat_kopi.txt", same.encode())
    assert result.outcome == services.Outcome.UNCHANGED
    assert "samme indhold" in result.message
    assert snapshot() == before


def test_duplicate_numbers_in_a_document_get_a_suffix(body):
    parsed = parse_bytes(fixture_bytes(AGENDA), AGENDA)
    parsed.items[3].number = "3"
    result = services.document_import(parsed, source_name=AGENDA, content_sha256="d" * 64)
    assert result.outcome == services.Outcome.IMPORTED, result.message
    numbers = sorted(AgendaItem.objects.values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "3-2"]
    assert any("3-2" in w for w in result.warnings)


def test_two_documents_of_one_day_at_different_times_are_two_meetings(body):
    run(AGENDA)
    afternoon = fixture_text(AGENDA).replace("kl. 13.00-15.00", "kl. 16.00-17.30")
    result = run("eftermiddag.txt", afternoon.encode())
    assert result.outcome == services.Outcome.IMPORTED
    assert Meeting.objects.count() == 2
    # Its minutes find the right one by the start time.
    minutes = fixture_text(MINUTES).replace("kl. 13.00-15.00", "kl. 16.00-17.30")
    assert run("referat_eftermiddag.txt", minutes.encode()).meeting_id == result.meeting_id
