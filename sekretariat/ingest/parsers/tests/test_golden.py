"""Golden JSON for our own fixtures (regenerate with regenerate_golden.py and review the diff),
plus the facts each fixture was written to exercise."""

from __future__ import annotations

import json

import pytest

from sekretariat.ingest.parsers import parse_path

from .conftest import FIXTURES
from .regenerate_golden import GOLDEN, golden_payload

FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.is_file())


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_output_matches_golden(path):
    golden = GOLDEN / f"{path.name}.json"
    assert golden.exists(), f"no golden file for {path.name}: run regenerate_golden"
    assert json.loads(golden_payload(path)) == json.loads(golden.read_text(encoding="utf-8"))


def _doc(name):
    return parse_path(FIXTURES / name)


def test_table_of_contents_never_adds_items_and_wrapped_title_is_joined():
    doc = _doc("indholdsfortegnelse_tabel.txt")
    assert [i.number for i in doc.items] == ["1", "2", "3"]
    assert doc.items[1].title == (
        "Fælles indkøb af medicinhuskere og dosisdispensere i de deltagende kommuner"
    )
    assert (doc.items[0].journal_number, doc.items[0].case_officer) == (
        "27.12.00-P20-4-23",
        "Anne Holm",
    )
    assert doc.items[0].timeframe_minutes == 60
    assert doc.document_type == "agenda"


def test_punkt_headings_closed_items_placeholders_and_people():
    doc = _doc("punkt_kolon_referat.txt")
    assert doc.body == "Ældrerådet" and doc.organisation == "Egebjerg Kommune"
    first, second, closed, last = doc.items
    assert first.timeframe_minutes == 5 and first.title == "Godkendelse af dagsorden"
    assert second.presenter == "Lis Brandt"
    assert second.sections.recommendation.startswith("at Ældrerådet afgiver")
    assert second.sections.attachments == [
        "Udkast til kvalitetsstandard for madservice",
        "Prisoversigt 2025",
    ]
    assert closed.closed and closed.title == "Henvendelse fra en borger"
    assert last.sections.decision is None  # 'Tomt indhold'
    assert [p.name for p in doc.meeting.absent][:2] == ["Jens Kragh", "Aase Tønder"]
    assert doc.meeting.guests[0].affiliation == "Egebjerg Kommune"
    assert (doc.meeting.start_time, doc.meeting.end_time) == ("09:00", "11:30")


def test_running_numbers_and_decision_named_after_the_committee():
    doc = _doc("loebenumre_referat.txt")
    assert [i.number for i in doc.items] == ["412", "413"]
    assert doc.items[1].title.endswith("ved Lunde Mose") and doc.items[1].presenter is None
    assert doc.items[1].sections.decision.startswith("Tiltrådt")
    assert [p.name for p in doc.meeting.absent] == ["Peter Lind"]


def test_unknown_layout_falls_back_to_headings_and_says_so():
    doc = _doc("ukendt_layout.txt")
    assert [i.title for i in doc.items] == [
        "Sundhedsprofil for ungdomsuddannelserne",
        "Fælles kampagne om trafiksikkerhed",
    ]
    assert any("Layoutet er ukendt" in w for w in doc.warnings)


def test_markdown_without_numbers_keeps_subheadings_inside_items():
    doc = _doc("markdown_uden_numre.md")
    assert [i.title for i in doc.items] == [
        "Temadrøftelse om rekruttering af social- og sundhedsassistenter",
        "Godkendelse af mødeplan for 2026",
        "Eventuelt",
    ]
    assert "140 fuldtidsstillinger" in doc.items[0].sections.presentation
    assert doc.body == "Socialdirektørforum"


def test_appendix_without_meeting_is_an_attachment():
    doc = _doc("bilag_uden_moede.txt")
    assert doc.document_type == "attachment" and doc.items == []


def test_exports():
    edoc = _doc("edoc_eksport.xml")
    assert [i.number for i in edoc.items] == ["1", "2", "3"]  # sorted although out of order
    assert edoc.items[2].closed and edoc.items[1].journal_number == "2024-10455"
    publication = _doc("publication_eksport.xml")
    assert [bool(i.sections.decision) for i in publication.items] == [True, False, False]
    assert publication.items[2].closed
    acadre = _doc("acadre_punkt.xml")
    assert acadre.items[0].number == "88" and acadre.items[0].case_officer == "Signe Dal"
    assert _doc("acadre_manifest.xml").document_type == "other"
    api = _doc("dagsorden_api.json")
    assert api.items[1].closed and api.items[1].sections.decision == "Tilskuddet blev bevilget."
    assert [p.name for p in api.meeting.absent] == ["Said Amin"]


def test_generic_html_page():
    doc = _doc("generisk_side.html")
    assert doc.body == "Handicaprådet"
    assert [i.title for i in doc.items] == ["Tilgængelighed på stranden", "Eventuelt"]
    assert any("Ukendt HTML-layout" in w for w in doc.warnings)
