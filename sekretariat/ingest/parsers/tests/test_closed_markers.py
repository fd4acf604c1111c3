"""Every way a document marks a closed item (lukket punkt) closes it; a doubt closes it too, with
a warning. Documents written for these tests."""

import doctest
import json

import pytest

from sekretariat.ingest.parsers import parse_bytes, titles

AGENDA = """Dagsorden
Direktørkredsen Nordvest 3c8d
Mødedato: 14. marts 2024 kl. 9.00
Sted: Rådhuset

1. Godkendelse af dagsorden
Resumé
Dagsordenen godkendes.

2. Ansættelse af direktør (lukket punkt)
Resumé
Indstillingen om ansættelse drøftes 3c8d.

3. Køb af grund ved havnen - lukket
Resumé
Prisen forhandles 3c8d.

4. Orientering om vinterberedskab
Lukket punkt
Resumé
Beredskabet for veje 3c8d.

5. Tilskud til foreninger (Lukket)
Resumé
Tilskuddet fordeles 3c8d.

6. Status på den lukkede afdeling
Resumé
Afdelingen genåbner 3c8d.

7. Eventuelt
Resumé
Intet.
"""


@pytest.fixture(scope="module")
def agenda():
    return parse_bytes(AGENDA.encode(), "dagsorden.txt")


@pytest.mark.parametrize(
    ("number", "title", "closed"),
    [
        ("1", "Godkendelse af dagsorden", False),
        ("2", "Ansættelse af direktør", True),
        ("3", "Køb af grund ved havnen", True),
        ("4", "Orientering om vinterberedskab", True),
        ("5", "Tilskud til foreninger", True),
        ("6", "Status på den lukkede afdeling", True),
        ("7", "Eventuelt", False),
    ],
)
def test_every_marker_closes_its_item_and_leaves_the_title(agenda, number, title, closed):
    item = next(i for i in agenda.items if i.number == number)
    assert (item.title, item.closed) == (title, closed)


def test_a_closed_line_is_not_text_and_a_doubt_is_warned_about(agenda):
    item4 = next(i for i in agenda.items if i.number == "4")
    assert "Lukket" not in (item4.sections.resume or "")
    warnings = " ".join(agenda.warnings)
    assert "Punkt 6" in warnings and "lukkede" in warnings
    assert "Punkt 2" not in warnings  # a clear marker needs no warning


def test_a_marker_line_at_the_end_of_an_item_closes_the_next_one_in_doubt():
    text = AGENDA.replace(
        "4. Orientering om vinterberedskab\nLukket punkt\n", "4. Orientering om vinterberedskab\n"
    )
    text = text.replace(
        "Tilskuddet fordeles 3c8d.\n", "Tilskuddet fordeles 3c8d.\n\nLukket punkt\n"
    )
    doc = parse_bytes(text.encode(), "dagsorden.txt")
    item6 = next(i for i in doc.items if i.number == "6")
    assert item6.closed
    assert any("står lige over punktet" in w for w in doc.warnings)


def test_markers_in_an_export_close_the_item_whatever_the_reader():
    meeting = {
        "Id": 1,
        "Committee": {"Name": "Økonomiudvalget 3c8d"},
        "MeetingDate": "2024-03-14T09:00:00",
        "AgendaItems": [
            {"Number": 1, "Title": "Budgetopfølgning", "Fields": []},
            {"Number": 2, "Title": "Personalesag (Lukket)", "Fields": []},
            {"Number": 3, "Title": "Salg af areal - lukket punkt", "Fields": []},
        ],
    }
    doc = parse_bytes(json.dumps(meeting).encode(), "moede.json")
    closed = {i.number: (i.title, i.closed) for i in doc.items}
    assert closed["2"] == ("Personalesag", True)
    assert closed["3"] == ("Salg af areal", True)
    assert closed["1"] == ("Budgetopfølgning", False)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Personalesag (lukket punkt)", ("Personalesag", True, False)),
        ("Personalesag [Fortroligt]", ("Personalesag", True, False)),
        ("Personalesag, lukket", ("Personalesag", True, False)),
        ("Lukket punkt - Personalesag", ("Personalesag", True, False)),
        ("Lukket punkt", ("Lukket punkt", True, False)),
        ("Lukket vej ved skolen", ("Lukket vej ved skolen", True, True)),
        (
            "Fortrolighed og informationssikkerhed",
            ("Fortrolighed og informationssikkerhed", False, False),
        ),
        ("Udlukning af tvivl", ("Udlukning af tvivl", False, False)),
    ],
)
def test_closed_marker(title, expected):
    mark = titles.closed_marker(title)
    assert (mark.title, mark.closed, mark.doubt) == expected


def test_the_module_examples():
    assert doctest.testmod(titles).failed == 0
