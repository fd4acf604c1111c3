"""Small rules, table-driven: dates, journal numbers, people, section names, and the package's purity."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import pytest

from sekretariat.ingest.parsers import danish, journal, labels, ocr_repair
from sekretariat.ingest.parsers.header import people


@pytest.mark.parametrize(
    ("text", "date", "times"),
    [
        ("Torsdag den 9. juni 2022 kl. 14.30-16.00", "2022-06-09", ("14:30", "16:00")),
        ("Fredag den 20. august 2021, kl. 10.00 – 12.00", "2021-08-20", ("10:00", "12:00")),
        ("8. oktober 2019 kl. 08:30", "2019-10-08", ("08:30", None)),
        ("Dato: 04.12.2012", "2012-12-04", (None, None)),
        ("den 3. sept. 2024 klokken 9", "2024-09-03", ("09:00", None)),
        ("31. februar 2024", None, (None, None)),
    ],
)
def test_dates_and_times(text, date, times):
    assert danish.find_date(text) == date
    assert danish.find_times(text) == times


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("00.15.10-P35-2-18/ Morten Hedegaard", ("00.15.10-P35-2-18", "Morten Hedegaard")),
        ("Sagsnr.: 2012-31673", ("2012-31673", None)),
        ("EMN-2025-003383", ("EMN-2025-003383", None)),
        ("Sagsnr.:", (None, None)),
        ("J.nr. 25-004119", ("25-004119", None)),
        ("Budget 2025-2028 er vedtaget", None),
        ("2012-2013", None),
    ],
)
def test_journal_numbers(line, expected):
    assert journal.find_journal(line) == expected


def test_people_lists():
    joined = people(["Leif Serup, Bente Graversen, Peter Hvid", "Paulsen, Jonas Lunen"])
    assert [p.name for p in joined] == [
        "Leif Serup",
        "Bente Graversen",
        "Peter Hvid Paulsen",
        "Jonas Lunen",
    ]
    per_line = people(["Lars Holm, Lemvig Kommune", "Eva Dahl, Region Midtjylland"])
    assert [(p.name, p.affiliation) for p in per_line] == [
        ("Lars Holm", "Lemvig Kommune"),
        ("Eva Dahl", "Region Midtjylland"),
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("RESUMÉ", "resume"),
        ("Sammendrag", "resume"),
        ("ADMINISTRATIONENS INDSTILLING", "recommendation"),
        ("Beslutningspunkter", "recommendation"),
        ("Forvaltningen foreslår", "recommendation"),
        ("Sagsbeskrivelse", "presentation"),
        ("Beslutninger", "decision"),
        ("Referat:", "decision"),
        ("Direktionen, den 8. oktober 2019", "decision"),
        ("Økonomiudvalgets beslutning den 04.12.2012 Punkt 2", "decision"),
        ("Beslutning i Udvalget for teknik (UT) den 10-04-2013", "decision"),
        ("Beslutningen træffes af", "aside"),
        ("Tidsramme: 45 minutter", "timeframe"),
        ("Bilag 2: Prisoversigt", "attachment"),
        ("Borgerne ønsker flere bænke.", None),
    ],
)
def test_section_names(line, kind):
    label = labels.classify(line)
    assert (label.kind if label else None) == kind


def test_ocr_repair_words():
    assert ocr_repair.repair_word("hgj") == "høj"
    assert ocr_repair.repair_word("forlgb") == "forløb"
    assert ocr_repair.repair_word("Nar") == "Når"
    assert ocr_repair.repair_word("afsat") is None  # a real word stays
    assert ocr_repair.repair_word("sundhed") is None
    fixed, changes = ocr_repair.repair_text("e 1V-behandling i kommunalt regi pa hospitalet")
    assert fixed == "• IV-behandling i kommunalt regi på hospitalet" and changes == 3


def test_clean_text_is_not_repaired():
    text = "Kommunen har ansvaret for forløbet, og sygeplejersken vurderer på stedet. " * 10
    assert ocr_repair.repair_if_damaged(text) == (text, [])


@pytest.mark.parametrize("module", [danish, journal])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_parser_package_is_pure():
    """No Django and no other sekretariat app inside ingest/parsers (import-linter's rule)."""
    package = Path(__file__).resolve().parents[1]
    offenders = []
    for path in package.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("django") or (
                    name.startswith("sekretariat")
                    and not name.startswith("sekretariat.ingest.parsers")
                ):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
