"""The import planner without a database: small documents against snapshots, rule by rule.

`apply` below plays the part of `agenda_merge` and the import records in memory, so that a
plan's result can be planned against again (a document merged twice changes nothing).
"""

from __future__ import annotations

import dataclasses
import datetime
from zoneinfo import ZoneInfo

import pytest

from sekretariat.ingest import planner
from sekretariat.ingest.parsers import ParsedDocument, ParsedItem, ParsedMeeting, PersonRef
from sekretariat.ingest.parsers import Sections as S
from sekretariat.ingest.planner import (
    AttachmentFile,
    ItemSnapshot,
    MeetingSnapshot,
    Notice,
    RecordSnapshot,
    Slot,
)

TZ = ZoneInfo("Europe/Copenhagen")
ROLES = ("resume", "indstilling", "sagsfremstilling", "beslutning")
KINDS = {"decision": "beslutning", "discussion": "droeftelse", "information": "orientering"}
RULES = planner.Conventions(
    kind_from_import=KINDS.get,
    kind_from_title=lambda title: "orientering" if title.startswith("Orientering") else None,
    default_kind="beslutning",
    open_access="aaben",
    closed_access="lukket",
    section_roles={
        "resume": "resume",
        "recommendation": "indstilling",
        "presentation": "sagsfremstilling",
        "decision": "beslutning",
    },
    fallback_roles=("andet", "sagsfremstilling"),
    attendance_roles=("deltager", "afbud", "gaest"),
    timezone=TZ,
    no_title="(uden titel q1)",
    attachments_label="Bilag",
)


def doc(*items: ParsedItem, kind="agenda", date="2026-05-12", start="13:00", end="15:00", **m):
    return ParsedDocument(
        source="test.txt",
        document_type=kind,
        meeting=ParsedMeeting(date=date, start_time=start, end_time=end, **m),
        items=list(items),
    )


def item(number, title, **kwargs) -> ParsedItem:
    sections = kwargs.pop("sections", {})
    return ParsedItem(title=title, number=number, sections=S(**sections), **kwargs)


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 5, 12, hour, minute, tzinfo=TZ)


def meeting(**kwargs) -> MeetingSnapshot:
    values = {"starts_at": at(13), "ends_at": at(15), "location": "", "section_roles": ROLES}
    return MeetingSnapshot(**{**values, **kwargs})


def hand_item(pk, number, title, position, **kwargs) -> ItemSnapshot:
    """An item made on screen: no import record."""
    return ItemSnapshot(
        pk=pk,
        number=number,
        title=title,
        position=position,
        kind=kwargs.pop("kind", "beslutning"),
        access=kwargs.pop("access", "aaben"),
        **kwargs,
    )


def plan(document, m=None, items=(), files=None):
    return planner.merge_plan(document, m or meeting(), items, conventions=RULES, files=files)


def apply(p: planner.MergePlan, items=(), *, first_pk=100) -> list[ItemSnapshot]:
    """The items after `p` is written, with the records the import keeps (in memory)."""
    by_pk = {i.pk: i for i in items}
    for u in p.updates:
        i = by_pk[u.pk]
        by_pk[u.pk] = dataclasses.replace(
            i, **u.changes, sections={**i.sections, **u.sections_new, **u.sections_changed}
        )
    for n, c in enumerate(p.creates):
        values = {f.name: getattr(c, f.name) for f in dataclasses.fields(c)}
        by_pk[first_pk + n] = ItemSnapshot(pk=first_pk + n, **values)
    for r in p.records:
        pk = r.item.pk if r.item.pk is not None else first_pk + r.item.new
        record = RecordSnapshot(r.source_key, dict(r.written), r.listed_attachments)
        by_pk[pk] = dataclasses.replace(by_pk[pk], record=record)
    shas = {}
    for group in p.attachments:
        pk = group.item.pk if group.item.pk is not None else first_pk + group.item.new
        shas[pk] = {f.sha256 for f in group.files}
    return [
        dataclasses.replace(i, attachment_sha256=i.attachment_sha256 | shas.get(pk, set()))
        for pk, i in by_pk.items()
    ]


def imported(document, **kwargs) -> tuple[MeetingSnapshot, list[ItemSnapshot]]:
    """The meeting and items as a first import of `document` into a new meeting leaves them."""
    first = plan(document, meeting(created=True, **kwargs))
    attending = frozenset(a.name for a in first.attendance)
    return meeting(written=first.meeting_fields, attending=attending, **kwargs), apply(first)


AGENDA = doc(
    item("1", "Godkendelse af dagsorden 2b7e", sections={"recommendation": "at den godkendes."}),
    item(
        "2",
        "Orientering om vagtplan 2b7e",
        kind="information",
        presenter="Sofie Krogh 2b7e",
        journal_number="27.00.00-A00-3-26",
        sections={"resume": "Seks uger 2b7e.", "presentation": "Planen 2b7e."},
    ),
    item("3", "Fortrolig personalesag 2b7e", closed=True, sections={"resume": "Hemmelig 2b7e."}),
    participants=[PersonRef("Birthe  Lykkegaard"), PersonRef("Anders Tang", "Havbjerg Kommune")],
    absent=[PersonRef("Mikkel Dahl"), PersonRef("Anders Tang")],
)


# --- a new meeting ---------------------------------------------------------------------------


def test_a_new_meeting_gets_every_item_with_its_sections_numbers_and_records():
    p = plan(AGENDA, meeting(created=True))
    assert [(c.number, c.position, c.title, c.kind, c.access) for c in p.creates] == [
        ("1", 1, "Godkendelse af dagsorden 2b7e", "beslutning", "aaben"),
        ("2", 2, "Orientering om vagtplan 2b7e", "orientering", "aaben"),
        ("3", 3, "Fortrolig personalesag 2b7e", "beslutning", "lukket"),
    ]
    assert p.creates[1].sections == {
        "resume": "Seks uger 2b7e.",
        "sagsfremstilling": "Planen 2b7e.",
    }
    assert p.creates[1].presenter == "Sofie Krogh 2b7e"
    assert p.creates[1].journal_number == "27.00.00-A00-3-26"
    assert p.order == (Slot(new=0), Slot(new=1), Slot(new=2))
    assert p.updates == () and p.meeting_changes == {}
    assert p.status_action == "publish"
    assert [r.source_key for r in p.records] == ["nr:1", "nr:2", "nr:3"]
    assert not any(r.exists for r in p.records)
    written = p.records[1].written
    assert written["title"] == planner.written_hash("Orientering om vagtplan 2b7e")
    assert written["section:resume"] == planner.written_hash("Seks uger 2b7e.")
    assert set(written) >= {"number", "kind", "presenter", "journal_number", "timeframe_minutes"}


def test_attendance_names_are_normalised_and_the_first_role_wins():
    p = plan(AGENDA, meeting(created=True, attending=frozenset({"Mikkel Dahl"})))
    assert [(a.name, a.role, a.affiliation) for a in p.attendance] == [
        ("Birthe Lykkegaard", "deltager", ""),
        ("Anders Tang", "deltager", "Havbjerg Kommune"),
    ]


@pytest.mark.parametrize(
    ("kind", "action"),
    [("agenda", "publish"), ("minutes", "record_approved"), ("other", None)],
)
def test_each_kind_of_document_asks_for_its_status_move(kind, action):
    assert plan(dataclasses.replace(AGENDA, document_type=kind)).status_action == action


@pytest.mark.parametrize(
    ("start", "end", "expected", "warned"),
    [
        ("13:00", "15:30", (at(13), at(15, 30)), False),
        ("13:00", None, (at(13), at(15)), False),
        ("13:00", "12:00", (at(13), at(15)), False),  # an end before the start: two hours
        (None, None, (at(9), at(11)), True),  # no start: 09:00, with a warning
        ("kl. 13", None, (at(9), at(11)), True),
    ],
)
def test_times_of_a_new_meeting(start, end, expected, warned):
    document = doc(item("1", "Eventuelt 4d2a"), start=start, end=end)
    new = planner.new_meeting(document, datetime.date(2026, 5, 12), RULES)
    assert (new.starts_at, new.ends_at) == expected
    warnings = plan(document, meeting(created=True)).warnings
    assert (Notice(planner.NO_START_TIME) in warnings) is warned


def test_the_same_document_again_plans_nothing():
    m, items = imported(AGENDA)
    again = plan(AGENDA, m, items)
    assert not again.changes_anything
    assert again.records == () and again.warnings == ()
    assert again.meeting_fields == m.written


# --- hand edits win -------------------------------------------------------------------------


def test_a_value_the_import_wrote_is_replaced_and_one_changed_by_hand_is_kept():
    m, items = imported(AGENDA)
    items = [
        dataclasses.replace(i, title="Vagtplan – rettet i hånden 6c6c") if i.number == "2" else i
        for i in items
    ]
    newer = doc(
        AGENDA.items[0],
        dataclasses.replace(
            AGENDA.items[1], title="Orientering om ny vagtplan 6c6c", presenter="Ida Holm 6c6c"
        ),
        AGENDA.items[2],
    )
    p = plan(newer, m, items)
    (update,) = p.updates
    assert update.changes == {"presenter": "Ida Holm 6c6c"}
    assert update.new_version
    assert p.warnings == (Notice(planner.ITEM_FIELD_KEPT, {"number": "2", "field": "title"}),)


@pytest.mark.parametrize(
    ("now", "expected_change", "warned"),
    [
        ("Seks uger 2b7e.", "Otte uger 3e3e.", False),  # as the import wrote it: replaced
        ("", "Otte uger 3e3e.", False),  # emptied: filled again
        ("Skrevet om i hånden 3e3e.", None, True),  # changed by hand: kept
    ],
)
def test_a_section_is_replaced_only_while_it_holds_what_the_import_wrote(
    now, expected_change, warned
):
    m, items = imported(AGENDA)
    items = [
        dataclasses.replace(i, sections={**i.sections, "resume": now}) if i.number == "2" else i
        for i in items
    ]
    sections = dataclasses.replace(AGENDA.items[1].sections, resume="Otte uger 3e3e.")
    newer = doc(AGENDA.items[0], dataclasses.replace(AGENDA.items[1], sections=sections))
    p = plan(newer, m, items)
    changed = {u.pk: u.sections_changed for u in p.updates}
    assert changed.get(101, {}).get("resume") == expected_change
    kept = Notice(planner.ITEM_SECTION_KEPT, {"number": "2", "role": "resume"})
    assert (kept in p.warnings) is warned


def test_a_new_section_is_added_to_an_existing_item():
    m, items = imported(AGENDA)
    decided = dataclasses.replace(AGENDA.items[0].sections, decision="Godkendt 7a7a.")
    minutes = doc(dataclasses.replace(AGENDA.items[0], sections=decided), kind="minutes")
    (update,) = plan(minutes, m, items).updates
    assert update.sections_new == {"beslutning": "Godkendt 7a7a."}
    assert update.changes == {} and update.new_version


def test_a_hand_item_keeps_its_number_and_its_place_after_the_item_it_followed():
    m, items = imported(AGENDA)
    items = sorted(items, key=lambda i: i.position)
    hand = hand_item(7, "4", "Punkt tilføjet i hånden 5f5f", 3)
    items = [items[0], items[1], hand, dataclasses.replace(items[2], position=4)]
    newer = doc(*AGENDA.items, item("4", "Nyt punkt fra dokumentet 5f5f"))
    p = plan(newer, m, items)
    assert p.order == (Slot(pk=100), Slot(pk=101), Slot(pk=7), Slot(pk=102), Slot(new=0))
    (new,) = p.creates
    assert (new.number, new.position) == ("4-2", 5)
    assert p.warnings == (Notice(planner.NUMBER_USED_TWICE, {"number": "4", "new": "4-2"}),)
    assert p.updates == ()


def test_items_are_matched_by_their_key_then_by_title_and_reordered():
    m, items = imported(AGENDA)
    # Unnumbered in the new document: found by title, whatever the case and punctuation.
    renamed = "FORTROLIG personalesag 2b7e."
    newer = doc(
        dataclasses.replace(AGENDA.items[2], number=None, title=renamed),
        AGENDA.items[0],
        AGENDA.items[1],
    )
    p = plan(newer, m, items)
    assert p.creates == () and p.warnings == ()
    assert p.order == (Slot(pk=102), Slot(pk=100), Slot(pk=101))
    updates = {u.pk: u for u in p.updates}
    # The title is still the import's own: the newer document's spelling replaces it.
    assert updates[102].changes == {"title": renamed, "position": 1}
    assert updates[102].new_version
    assert updates[100].changes == {"position": 2} and not updates[100].new_version
    assert updates[101].changes == {"position": 3} and not updates[101].new_version
    (record,) = p.records
    assert record.item == Slot(pk=102) and record.source_key == "titel:fortrolig personalesag 2b7e"


@pytest.mark.parametrize(
    ("numbers", "expected", "warnings"),
    [
        (["1", "2", "3"], ["1", "2", "3"], []),
        (["1", "1", "1"], ["1", "1-2", "1-3"], [("1", "1-2"), ("1", "1-3")]),
        ([None, "5", None], ["1", "5", "6"], []),
        ([" 7 ", "7"], ["7", "7-2"], [("7", "7-2")]),
        (
            ["1234567890" * 2] * 2,
            ["1234567890" * 2, "12345678901234567-2"],
            [("1234567890" * 2, "12345678901234567-2")],
        ),
    ],
)
def test_numbers_are_unique_with_a_suffix_for_a_number_used_twice(numbers, expected, warnings):
    document = doc(*(item(n, f"Punkt {i} 9d9d") for i, n in enumerate(numbers)))
    p = plan(document, meeting(created=True))
    assert [c.number for c in p.creates] == expected
    assert [(w.params["number"], w.params["new"]) for w in p.warnings] == warnings


def test_a_number_changed_by_hand_is_kept_and_one_the_import_wrote_follows_the_document():
    m, items = imported(AGENDA)
    items = [dataclasses.replace(i, number="2a") if i.number == "2" else i for i in items]
    renumbered = doc(
        *(dataclasses.replace(p, number=str(int(p.number) + 10)) for p in AGENDA.items)
    )
    p = plan(renumbered, m, items)
    assert {u.pk: u.changes.get("number") for u in p.updates} == {100: "11", 102: "13"}


# --- closed items ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("access", "closed_in_document", "expected"),
    [
        ("lukket", False, None),  # a later document without the mark never opens it
        ("aaben", True, "lukket"),  # closing is always allowed
        ("lukket", True, None),
        ("aaben", False, None),
    ],
)
def test_a_closed_item_stays_closed_and_closing_is_always_allowed(
    access, closed_in_document, expected
):
    m, items = imported(doc(item("1", "Personalesag 8b8b")))
    items = [dataclasses.replace(items[0], access=access)]
    p = plan(doc(item("1", "Personalesag 8b8b", closed=closed_in_document)), m, items)
    assert {u.pk: u.changes.get("access") for u in p.updates}.get(100) == expected


# --- the meeting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location_now", "in_document", "expected", "warned"),
    [
        ("Fyrtårnet 1c1c", "Byrådssalen 1c1c", "Byrådssalen 1c1c", False),  # the import's: replaced
        ("", "Byrådssalen 1c1c", "Byrådssalen 1c1c", False),  # empty: filled
        ("Flyttet i hånden 1c1c", "Byrådssalen 1c1c", None, True),  # the hand's: kept
        ("Fyrtårnet 1c1c", None, None, False),  # the document does not say
    ],
)
def test_the_meeting_place_follows_the_document_unless_changed_by_hand(
    location_now, in_document, expected, warned
):
    first = dataclasses.replace(AGENDA, meeting=ParsedMeeting(**_m("Fyrtårnet 1c1c")))
    m, items = imported(first, location="Fyrtårnet 1c1c")
    m = dataclasses.replace(m, location=location_now)
    p = plan(dataclasses.replace(AGENDA, meeting=ParsedMeeting(**_m(in_document))), m, items)
    assert p.meeting_changes.get("location") == expected
    kept = Notice(planner.MEETING_FIELD_KEPT, {"field": "location"})
    assert (kept in p.warnings) is warned


def _m(location):
    return {"date": "2026-05-12", "start_time": "13:00", "end_time": "15:00", "location": location}


def test_a_new_time_moves_the_meeting_unless_its_time_was_changed_by_hand():
    m, items = imported(AGENDA)
    later = dataclasses.replace(
        AGENDA, meeting=ParsedMeeting(date="2026-05-12", start_time="14:00", end_time="16:30")
    )
    assert plan(later, m, items).meeting_changes == {"starts_at": at(14), "ends_at": at(16, 30)}
    by_hand = dataclasses.replace(m, starts_at=at(12), ends_at=at(14))
    p = plan(later, by_hand, items)
    assert p.meeting_changes == {}
    assert p.warnings == (
        Notice(planner.MEETING_FIELD_KEPT, {"field": "starts_at"}),
        Notice(planner.MEETING_FIELD_KEPT, {"field": "ends_at"}),
    )


# --- sections, attachments -------------------------------------------------------------------


def test_a_body_without_a_section_gets_its_text_elsewhere_joined():
    slim = meeting(created=True, section_roles=("sagsfremstilling", "beslutning"))
    p = plan(AGENDA, slim)
    assert p.creates[1].sections == {"sagsfremstilling": "Seks uger 2b7e.\n\nPlanen 2b7e."}
    assert p.creates[0].sections == {"sagsfremstilling": "at den godkendes."}


def test_attachments_are_added_once_per_content_and_those_without_a_file_become_a_note():
    listed = item(
        "1",
        "Budget 2027 4e4e",
        sections={"presentation": "Tal 4e4e.", "attachments": ["Budget", "Kopi", "Noter"]},
    )
    files = {"Budget": AttachmentFile("a" * 64, "budget.pdf"), "Kopi": AttachmentFile("a" * 64)}
    p = plan(doc(listed), meeting(created=True), files=files)
    (group,) = p.attachments
    assert group.item == Slot(new=0)
    assert [(f.title, f.source) for f in group.files] == [("Budget", "budget.pdf")]
    assert p.creates[0].sections["sagsfremstilling"] == "Tal 4e4e.\n\nBilag:\n- Noter"
    assert p.records[0].listed_attachments == ("Budget", "Kopi", "Noter")
    # Again, with the attachment there: nothing to add.
    m, items = meeting(written=p.meeting_fields), apply(p)
    assert plan(doc(listed), m, items, files=files).attachments == ()
    # A hand upload of other content is not touched; the document's file is still added.
    items = [dataclasses.replace(items[0], attachment_sha256=frozenset({"b" * 64}))]
    (group,) = plan(doc(listed), m, items, files=files).attachments
    assert group.item == Slot(pk=100)


def test_a_changed_list_of_attachments_is_recorded_and_an_empty_one_keeps_the_last():
    m, items = imported(AGENDA)
    listed = dataclasses.replace(AGENDA.items[1].sections, attachments=["Vagtplan 2c2c"])
    newer = doc(AGENDA.items[0], dataclasses.replace(AGENDA.items[1], sections=listed))
    p = plan(newer, m, items)
    record = next(r for r in p.records if r.item == Slot(pk=101))
    assert record.exists and record.listed_attachments == ("Vagtplan 2c2c",)
    # A document that lists none keeps the list of the last one that did.
    again = plan(AGENDA, m, apply(p, items))
    record = next(r for r in again.records if r.item == Slot(pk=101))
    assert record.listed_attachments == ("Vagtplan 2c2c",)


def test_the_planner_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys; import sekretariat.ingest.planner; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
