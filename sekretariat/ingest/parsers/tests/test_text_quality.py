"""Text from PDFs read as a person reads it (issue 19, class 3).

Each document is ours (Danish, invented), laid out as PDF text extraction gives it: pages split by
form feeds, hard line breaks inside paragraphs, hyphens that mark divided words.
"""

from __future__ import annotations

from sekretariat.ingest.parsers import parse_bytes
from sekretariat.ingest.parsers.lines import join_soft_hyphens


def _text(text: str, name: str = "referat.txt"):
    return parse_bytes(text.encode("utf-8"), name)


def _all_text(doc) -> str:
    parts = []
    for item in doc.items:
        sections = item.sections
        parts += [item.title, sections.resume, sections.recommendation]
        parts += [sections.presentation, sections.decision, *sections.attachments]
    return "\n".join(p for p in parts if p)


def test_hyphens_that_divide_words_at_line_ends_are_joined_not_boxes():
    doc = _text(
        "Referat\nMiljøudvalget\nTirsdag den 4. marts 2025 kl. 16.00\n\n"
        "1. Støjskærm ved Ringvejen\n"
        "Sagsfremstilling\n"
        "Forvaltningen har undersøgt ikke\ufffeplanlagte løsninger for Miljø\ufffe\n"
        "og Teknikområdet og for støj\u00ad\nbekæmpelse langs vejen.\n"
        "Beslutning\nGodkendt.\n"
    )
    text = _all_text(doc)
    assert "\ufffe" not in text and "\u00ad" not in text
    assert "Miljø- og Teknikområdet" in text
    assert "ikkeplanlagte" in text and "støjbekæmpelse" in text


def test_join_soft_hyphens_keeps_a_hyphen_before_a_capital():
    assert join_soft_hyphens("IT\ufffe\nStrategi for skolerne") == "IT-Strategi for skolerne"


def _page(number: int, body: str) -> str:
    return f"Socialudvalget\nReferat\nSide {number} af 4\n{body}"


def test_running_header_with_a_section_word_does_not_cut_a_section_at_the_page_break():
    pages = [
        _page(1, "Mandag den 3. februar 2025 kl. 15.00\nMødelokale 2\n\n1. Godkendelse af dagsorden\n"
              "Beslutning\nGodkendt.\n"),
        _page(2, "2. Nyt botilbud på Egevej\nSagsfremstilling\nForvaltningen foreslår et nyt "
              "botilbud med tolv pladser, fordi ventelisten er vokset i de seneste år og"),
        _page(3, "de nuværende tilbud er fulde.\nIndstilling\nDet indstilles, at udvalget "
              "godkender projektet.\nBeslutning\nGodkendt."),
        _page(4, "3. Eventuelt\nBeslutning\nIntet."),
    ]  # fmt: skip
    doc = _text("\f".join(pages))
    assert [i.title for i in doc.items] == [
        "Godkendelse af dagsorden",
        "Nyt botilbud på Egevej",
        "Eventuelt",
    ]
    shelter = doc.items[1]
    assert shelter.sections.decision == "Godkendt."
    assert "de nuværende tilbud er fulde" in shelter.sections.presentation
    assert "Socialudvalget" not in _all_text(doc) and "Side" not in _all_text(doc)
    assert any("sidehoved" in w for w in doc.warnings)


WRAPPED = """Referat
Kultur- og Fritidsudvalget
Onsdag den 12. marts 2025 kl. 17.00

1. Tilskud til foreningernes lokaler
Sagsfremstilling
Foreningerne i kommunen har i flere år efterspurgt bedre lokaler til deres
aktiviteter, og forvaltningen har derfor undersøgt, hvordan tilskuddet kan
fordeles mere retfærdigt mellem de store og de små foreninger i kommunen.
Der er tre modeller, som forvaltningen har regnet på i efteråret 2024.
Forvaltningen anbefaler den anden model, fordi den giver de mindste
foreninger et fast grundbeløb.
Indstilling
Forvaltningen indstiller, at
A) model 2 godkendes, og at tilskuddet udbetales fra 1. juli 2025
B) ordningen evalueres efter et år.
Beslutning
Godkendt.
"""


def test_lines_broken_by_the_pdf_are_joined_into_paragraphs_and_lists_stay_lists():
    item = _text(WRAPPED).items[0]
    presentation = item.sections.presentation
    assert presentation.startswith(
        "Foreningerne i kommunen har i flere år efterspurgt bedre lokaler til deres aktiviteter, "
        "og forvaltningen har derfor undersøgt, hvordan tilskuddet kan fordeles mere retfærdigt"
    )
    assert "i kommunen.\nDer er tre modeller" in presentation  # a sentence that ends a line
    assert "de mindste foreninger et fast grundbeløb." in presentation
    assert item.sections.recommendation.split("\n") == [
        "Forvaltningen indstiller, at",
        "A) model 2 godkendes, og at tilskuddet udbetales fra 1. juli 2025",
        "B) ordningen evalueres efter et år.",
    ]


def test_sub_headings_after_an_attachment_list_are_not_attachments():
    doc = _text(
        "Dagsorden\nTeknik- og Miljøudvalget\nTorsdag den 6. marts 2025 kl. 16.00\n\n"
        "1. Lokalplan for Havnefronten\n"
        "Sagsfremstilling\n"
        "a. Høringssvar fra borgerne\n"
        "Bilag\n"
        "2025-10001 - Samlede høringssvar fra borgere og foreninger i det nære\n"
        "lokalområde\n"
        "b. Trafikvurdering af den nye vejadgang\n"
        "Bilag\n"
        "2025-10002 - Trafikrapport for Havnevej\n"
        "c. Økonomien i projektet\n"
        "Indstilling\nDet indstilles, at udvalget godkender lokalplanen.\n"
    )
    item = doc.items[0]
    assert item.sections.attachments == [
        "Samlede høringssvar fra borgere og foreninger i det nære lokalområde",
        "Trafikrapport for Havnevej",
    ]
    assert "b. Trafikvurdering af den nye vejadgang" in item.sections.presentation
    assert "c. Økonomien i projektet" in item.sections.presentation
