"""Decisions without a heading, items with short or odd titles (issue 19, class 5), and prose
minutes without items. Our own documents, in Danish, with invented content.
"""

from __future__ import annotations

from sekretariat.ingest.parsers import parse_bytes


def _text(text: str, name: str = "referat.txt"):
    return parse_bytes(text.encode("utf-8"), name)


OLD_TEMPLATE = """Referat
Teknisk Udvalg
Onsdag den 4. maj 2005 kl. 19.00
Rådhuset, mødelokale 2

1. Godkendelse af dagsorden
Godkendt.

2. Vejbelysning på Skolevej
Sagsfremstilling
Beboerne på Skolevej har bedt om bedre lys om aftenen.
Indstilling
Forvaltningen indstiller, at der opsættes fire nye lygter.

Udvalget godkendte indstillingen.

3. Tilskud til byfesten
Sagsfremstilling
Byfestforeningen søger om 20.000 kr.

Indstillingen blev tiltrådt, dog således at tilskuddet er 15.000 kr.
"""


def test_decisions_without_a_heading_make_minutes_not_an_agenda():
    doc = _text(OLD_TEMPLATE)
    assert doc.document_type == "minutes"
    first, lights, festival = doc.items
    assert first.sections.decision == "Godkendt."
    assert lights.sections.decision == "Udvalget godkendte indstillingen."
    assert lights.sections.recommendation == (
        "Forvaltningen indstiller, at der opsættes fire nye lygter."
    )
    assert festival.sections.decision.startswith("Indstillingen blev tiltrådt")
    assert festival.sections.presentation == "Byfestforeningen søger om 20.000 kr."
    assert any("uden overskrift" in w for w in doc.warnings)


def test_an_agenda_with_recommendations_only_stays_an_agenda():
    agenda = OLD_TEMPLATE.replace("Referat", "Dagsorden", 1)
    agenda = agenda.replace("Godkendt.\n", "").replace("Udvalget godkendte indstillingen.\n", "")
    agenda = agenda.replace(
        "Indstillingen blev tiltrådt, dog således at tilskuddet er 15.000 kr.\n", ""
    )
    doc = _text(agenda, "dagsorden.txt")
    assert doc.document_type == "agenda"
    assert all(item.sections.decision is None for item in doc.items)


def test_items_with_short_or_odd_titles_are_kept():
    doc = _text(
        "Dagsorden\nTestudvalget\nMandag den 2. juni 2025 kl. 10.00\n\n"
        "1. test\nSagsfremstilling\nDette er en prøve på et punkt.\n\n"
        "2. IT\nSagsfremstilling\nNye computere til sekretariatet.\n"
        "Indstilling\nDet indstilles:\n1. at der købes ti computere\n2. at de gamle sælges\n\n"
        "3. (Udgår)\nSagsfremstilling\nPunktet er trukket tilbage.\n"
    )
    assert [(i.number, i.title) for i in doc.items] == [
        ("1", "test"),
        ("2", "IT"),
        ("3", "(Udgår)"),
    ]
    assert "at der købes ti computere" in doc.items[1].sections.recommendation


MINUTE_BOOK = """Sogneraadet afholdt i Dag Møde hvor følgende behandledes.
Regnskabet for 1949/50 forelaa og blev godkendt.
Det vedtoges at anskaffe en ny Sneplov til Vejvæsenet.
Vestby Sogneraad d. 3/5 1950
Anders Nielsen  Karl Jensen

Sogneraadet afholdt i Dag Møde hvor følgende Sager var til Behandling.
Det vedtoges at yde Tilskud til Skolens Udflugt.
Andragende fra Vandværket om Laan vedtoges.
Vestby Sogneraad den 14/6 1950
Anders Nielsen  Karl Jensen
"""


def test_a_minute_book_of_several_meetings_in_prose_is_minutes_of_its_council():
    doc = _text(MINUTE_BOOK, "protokol.txt")
    assert doc.document_type == "minutes"
    assert doc.body == "Vestby Sogneraad"
    assert doc.meeting.date is None and doc.items == []
    assert any("flere møder" in w for w in doc.warnings)


def test_an_attachment_has_no_meeting_place():
    doc = _text(
        "Politik for idræt og bevægelse\nGodkendt af byrådet den 30. april 2009\n\nForord\n"
        "Idræt skal være for alle borgere i kommunen, og politikken beskriver hvordan.\n"
        "Kommunen vil støtte foreningerne med lokaler og tilskud.\n",
        "politik.txt",
    )
    assert doc.document_type == "attachment"
    assert doc.meeting.date is None and doc.meeting.location is None


def test_a_closed_item_published_with_its_decision_alone_has_that_decision():
    doc = _text(
        "Referat\nØkonomiudvalget\nTirsdag den 8. april 2025 kl. 16.00\n\n"
        "1. Budgetopfølgning\nSagsfremstilling\nForbruget følger budgettet.\n"
        "Beslutning\nTaget til efterretning.\n\n"
        "2. Lukket: Køb af ejendom\nIndstillingen blev godkendt.\n"
    )
    closed = doc.items[1]
    assert closed.closed and closed.sections.decision == "Indstillingen blev godkendt."
    assert closed.sections.presentation is None
