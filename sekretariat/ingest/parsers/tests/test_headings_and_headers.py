"""Headings that wrap and meeting headers in two columns (issue 19, class 4).

Our own documents, in Danish, with invented content.
"""

from __future__ import annotations

import io

import pytest

from sekretariat.ingest.parsers import parse_bytes


def _text(text: str, name: str = "dagsorden.txt"):
    return parse_bytes(text.encode("utf-8"), name)


HEAD = "Dagsorden\nPlanudvalget\nTorsdag den 6. marts 2025 kl. 16.00\n\n"


def test_a_heading_that_wraps_keeps_its_second_line():
    doc = _text(
        HEAD
        + "1. Godkendelse af lokalplan nr. 112 for boligområdet ved\n"
        + "Skovbrynet i Egebjerg\n"
        + "Sagsfremstilling\nLokalplanen har været i høring i otte uger.\n\n"
        + "2. Status på udbygningen af cykelstier langs de kommunale veje i\n"
        + "landdistrikterne\n"
        + "Sagsfremstilling\nDer er anlagt fire kilometer sti i 2024.\n\n"
        + "3. Orientering om budget\n"
        + "Borgmesteren orienterede om status. Der er ingen afvigelser.\n"
        + "Indstilling\nDet indstilles, at orienteringen tages til efterretning.\n"
    )
    assert [i.title for i in doc.items] == [
        "Godkendelse af lokalplan nr. 112 for boligområdet ved Skovbrynet i Egebjerg",
        "Status på udbygningen af cykelstier langs de kommunale veje i landdistrikterne",
        "Orientering om budget",
    ]
    assert doc.items[2].sections.presentation.startswith("Borgmesteren orienterede")


def test_meeting_header_in_two_columns_read_across_keeps_date_time_and_place():
    doc = _text(
        "Referat\nBørne- og Skoleudvalget\n"
        "Dato: Torsdag den 6. marts 2025 Sted: Rådhuset, mødelokale 1\n"
        "Tid: Kl. 16.00-18.00 Afbud: Hans Berg\n\n"
        "1. Skolestruktur\nBeslutning\nDrøftet.\n"
    )
    meeting = doc.meeting
    assert (meeting.date, meeting.start_time, meeting.end_time) == ("2025-03-06", "16:00", "18:00")
    assert meeting.location == "Rådhuset, mødelokale 1"
    assert [p.name for p in meeting.absent] == ["Hans Berg"]


def test_meeting_header_in_two_columns_read_down_keeps_date_time_and_place():
    doc = _text(
        "Referat\nBørne- og Skoleudvalget\n"
        "Dato:\nTid:\nSted:\n"
        "Torsdag den 6. marts 2025\nKl. 16.00 - 18.00\nRådhuset, mødelokale 1\n\n"
        "1. Skolestruktur\nBeslutning\nDrøftet.\n"
    )
    meeting = doc.meeting
    assert (meeting.date, meeting.start_time, meeting.end_time) == ("2025-03-06", "16:00", "18:00")
    assert meeting.location == "Rådhuset, mødelokale 1"


def test_place_written_as_an_address_over_several_lines():
    doc = _text(
        "Referat\nÆldrerådet\nMandag den 10. marts 2025\nKl. 13:00\n"
        "Egebjerg Kulturhus\nStationsvej 12\nNørre Egebjerg\n4500 Egebjerg\n"
        "Medlemmer\nKaren Holm\nBo Dahl\n\n"
        "1. Madservice\nBeslutning\nTaget til efterretning.\n"
    )
    assert doc.meeting.location == (
        "Egebjerg Kulturhus, Stationsvej 12, Nørre Egebjerg, 4500 Egebjerg"
    )
    assert [p.name for p in doc.meeting.participants] == ["Karen Holm", "Bo Dahl"]


def _docx_with_layout_table() -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    layout = document.add_table(rows=4, cols=1)
    layout.cell(0, 0).text = "Kultur- og Fritidsudvalget"
    layout.cell(1, 0).text = "Onsdag den 12. marts 2025 kl. 17.00"
    place = layout.cell(2, 0).paragraphs[0]
    for k, part in enumerate(("Fritidscentret", "Skolegade 4", "4500 Egebjerg")):
        run = place.add_run(part)
        if k < 2:
            run.add_break()
    members = layout.cell(3, 0)
    members.text = "Medlemmer"
    columns = members.add_table(rows=1, cols=2)
    for column, names in zip(columns.rows[0].cells, (("Anne Lund (A)", "Jens Vad (V)"), ("Per Kock (C)",)), strict=True):  # fmt: skip
        inner = column.add_table(rows=len(names), cols=1)
        for row, name in zip(inner.rows, names, strict=True):
            row.cells[0].text = name
    document.add_paragraph("Fraværende")
    document.add_paragraph("")
    document.add_paragraph("1. Tilskud til spejderne")
    document.add_paragraph("Beslutning")
    document.add_paragraph("Bevilget.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_header_laid_out_in_tables_keeps_place_and_both_columns_of_members():
    doc = parse_bytes(_docx_with_layout_table(), "referat.docx")
    assert doc.body == "Kultur- og Fritidsudvalget"
    assert (doc.meeting.date, doc.meeting.start_time) == ("2025-03-12", "17:00")
    assert doc.meeting.location == "Fritidscentret, Skolegade 4, 4500 Egebjerg"
    assert [p.name for p in doc.meeting.participants] == ["Anne Lund", "Jens Vad", "Per Kock"]
    assert doc.meeting.absent == []
    assert [i.title for i in doc.items] == ["Tilskud til spejderne"]


BOLD_MINUTES = """<html><body style="font-family: sans-serif; font-size: 11pt">
<p style="font-size: 16pt"><b>Referat af møde i Handicaprådet</b></p>
<p>Mandag den 3. marts 2025 kl. 15.00-17.00</p><p>Rådhuset, mødelokale 2</p>
<p><b>Godkendelse af dagsorden</b></p><p>Dagsordenen blev godkendt.</p>
<p><b>Orientering fra formanden</b></p>
<p>Formanden orienterede om årets første møder med kommunen og om budgettet.</p>
<p><b>Tilgængelighed i svømmehallen</b></p>
<p>Adgangen til svømmehallen er svær for kørestolsbrugere, fordi der mangler en lift.</p>
<p>Beslutning</p><p>Rådet skriver til Kultur- og Fritidsudvalget.</p>
<p><b>Høring om nye busruter</b></p><p>Rådet har ingen bemærkninger til høringen.</p>
<p><b>Eventuelt</b></p><p>Intet.</p></body></html>"""


def test_word_pdf_whose_item_headings_are_bold_lines_reads_every_item():
    from .conftest import html_pdf

    doc = parse_bytes(html_pdf(BOLD_MINUTES), "referat.pdf")
    assert doc.body == "Handicaprådet" and doc.meeting.date == "2025-03-03"
    assert [i.title for i in doc.items] == [
        "Godkendelse af dagsorden",
        "Orientering fra formanden",
        "Tilgængelighed i svømmehallen",
        "Høring om nye busruter",
        "Eventuelt",
    ]
    assert doc.items[2].sections.decision == "Rådet skriver til Kultur- og Fritidsudvalget."
    assert any("fede linjer" in w for w in doc.warnings)


def test_bold_headings_of_a_document_that_is_no_meeting_make_no_items():
    from .conftest import html_pdf

    policy = (
        "<html><body style='font-family: sans-serif'><p><b>Politik for idræt</b></p>"
        "<p>Godkendt af byrådet den 30. april 2009</p>"
        "<p><b>Forord</b></p><p>Idræt skal være for alle borgere i kommunen.</p>"
        "<p><b>Mål</b></p><p>Flere skal dyrke idræt i foreningerne.</p>"
        "<p><b>Indsatser</b></p><p>Kommunen støtter foreningerne med lokaler.</p></body></html>"
    )
    doc = parse_bytes(html_pdf(policy), "politik.pdf")
    assert doc.items == [] and doc.document_type == "attachment"
