"""Exports from systems we have no reader for, and HTML inside exports (issue 19, classes 1-2).

Every document here is written by us, in Danish, with invented content. Each one showed a failure
before the fix: an XML dialect with unfamiliar element names was refused, and HTML in a field
(escaped or in CDATA) came out as markup in titles.
"""

from __future__ import annotations

import json

import pytest

from sekretariat.ingest.parsers import NotMeetingDocumentError, parse_bytes
from sekretariat.ingest.parsers.detect import sniff

# A case system that names everything in Danish (ASCII spelling: 'Moede' for 'Møde').
DANISH_DIALECT = """<?xml version="1.0" encoding="utf-8"?>
<Eksport system="Sagsstyring 7" dannet="2024-03-13T08:00:00">
  <Moede>
    <Udvalg><Navn>Teknik- og Miljøudvalget</Navn><Udvalgsnummer>12</Udvalgsnummer></Udvalg>
    <Moedetidspunkt>2024-03-12T16:00:00</Moedetidspunkt>
    <Sluttidspunkt>2024-03-12T18:30:00</Sluttidspunkt>
    <Moedested>Mødelokale 3, Rådhuset</Moedested>
    <Deltagere>
      <Deltager><Navn>Karen Holm (A)</Navn><Status>Deltager</Status></Deltager>
      <Deltager><Navn>Bo Vestergaard (V)</Navn><Status>Afbud</Status></Deltager>
      <Deltager><Navn>Signe Dahl (F)</Navn><Status>Deltager</Status></Deltager>
    </Deltagere>
    <Dagsordenspunkter>
      <Dagsordenspunkt lukket="nej">
        <Punktnummer>1</Punktnummer>
        <Overskrift>Godkendelse af dagsorden</Overskrift>
        <Beslutning>Godkendt.</Beslutning>
      </Dagsordenspunkt>
      <Dagsordenspunkt lukket="nej">
        <Punktnummer>2</Punktnummer>
        <Overskrift>Ny belysning på stierne ved Engdalen</Overskrift>
        <Sagsnummer>05.01.02-P20-3-24</Sagsnummer>
        <Sagsbehandler>Mette Krogh</Sagsbehandler>
        <Tekstfelter>
          <Tekstfelt><Feltnavn>Sagsfremstilling</Feltnavn><Indhold>Stierne ved Engdalen er
mørke om vinteren, og borgerne har bedt om lys langs den nordlige sti.</Indhold></Tekstfelt>
          <Tekstfelt><Feltnavn>Indstilling</Feltnavn><Indhold>Forvaltningen indstiller, at der
opsættes 14 nye lysmaster.</Indhold></Tekstfelt>
          <Tekstfelt><Feltnavn>Beslutning</Feltnavn><Indhold>Godkendt.</Indhold></Tekstfelt>
        </Tekstfelter>
        <Bilagsliste><Bilag><Titel>Kort over stierne</Titel><Fil>kort.pdf</Fil></Bilag></Bilagsliste>
      </Dagsordenspunkt>
      <Dagsordenspunkt lukket="ja">
        <Punktnummer>3</Punktnummer>
        <Overskrift>Køb af grund ved Mosevej</Overskrift>
        <Beslutning>Tomt indhold</Beslutning>
      </Dagsordenspunkt>
    </Dagsordenspunkter>
  </Moede>
</Eksport>
"""

# English names, a namespace, the item's facts one level down, text fields as a list of
# title/content pairs with HTML in CDATA, items out of order, and the meeting time in UTC.
NAMESPACED_DIALECT = """<?xml version="1.0" encoding="utf-8"?>
<m:Root xmlns:m="urn:eksempel:moeder:2021">
  <m:Board><m:Identifier>7</m:Identifier><m:Name>Ældrerådet</m:Name></m:Board>
  <m:Meeting>
    <m:MeetingDateTime>2024-05-14T07:30:00Z</m:MeetingDateTime>
    <m:MeetingLocation>Aktivitetscentret, Skolegade 4</m:MeetingLocation>
    <m:Agenda>
      <m:AgendaElements>
        <m:AgendaElement>
          <m:AccessIsPublic>true</m:AccessIsPublic>
          <m:HandlingItem>
            <m:SerialNo>2</m:SerialNo>
            <m:Title>Høring om madservice</m:Title>
            <m:CaseNumber>27.12.00-P20-4-23</m:CaseNumber>
            <m:CasePresentations>
              <m:CasePresentation><m:Title>Sagsfremstilling</m:Title>
                <m:Content><![CDATA[<p>Kommunen har sendt <b>nye</b> standarder for madservice
                i høring.</p><p>Rådet skal svare inden 1. juni.</p>]]></m:Content></m:CasePresentation>
              <m:CasePresentation><m:Title>Beslutning</m:Title>
                <m:Content><![CDATA[<p>Rådet afgiver et høringssvar.</p>]]></m:Content></m:CasePresentation>
            </m:CasePresentations>
          </m:HandlingItem>
        </m:AgendaElement>
        <m:AgendaElement>
          <m:AccessIsPublic>false</m:AccessIsPublic>
          <m:HandlingItem>
            <m:SerialNo>1</m:SerialNo>
            <m:Title>&lt;strong&gt;Henvendelse fra en borger&lt;/strong&gt;</m:Title>
            <m:CasePresentations>
              <m:CasePresentation><m:Title>Beslutning</m:Title>
                <m:Content>&lt;p&gt;Tomt indhold&lt;/p&gt;</m:Content></m:CasePresentation>
            </m:CasePresentations>
          </m:HandlingItem>
        </m:AgendaElement>
      </m:AgendaElements>
    </m:Agenda>
  </m:Meeting>
</m:Root>
"""

# No element repeats for each item: the text is read in document order.
FLAT_DIALECT = """<?xml version="1.0"?>
<dokument>
  <linje>Referat</linje>
  <linje>Bestyrelsen for Fritidshuset Lærken</linje>
  <linje>Mandag den 3. juni 2024 kl. 19.00</linje>
  <linje>1. Regnskab 2023</linje>
  <linje>Beslutning</linje>
  <linje>Regnskabet blev godkendt.</linje>
  <linje>2. Eventuelt</linje>
  <linje>Beslutning</linje>
  <linje>Næste møde holdes i august.</linje>
</dokument>
"""


def _xml(text: str, name: str = "eksport.xml"):
    return parse_bytes(text.encode("utf-8"), name)


def test_danish_dialect_is_read_by_structure_and_names():
    doc = _xml(DANISH_DIALECT)
    assert doc.body == "Teknik- og Miljøudvalget"
    meeting = doc.meeting
    assert (meeting.date, meeting.start_time, meeting.end_time) == ("2024-03-12", "16:00", "18:30")
    assert meeting.location == "Mødelokale 3, Rådhuset"
    assert [p.name for p in meeting.participants] == ["Karen Holm", "Signe Dahl"]
    assert [p.name for p in meeting.absent] == ["Bo Vestergaard"]
    assert [(i.number, i.title, i.closed) for i in doc.items] == [
        ("1", "Godkendelse af dagsorden", False),
        ("2", "Ny belysning på stierne ved Engdalen", False),
        ("3", "Køb af grund ved Mosevej", True),
    ]
    first, second, third = doc.items
    assert first.sections.decision == "Godkendt."
    assert (second.journal_number, second.case_officer) == ("05.01.02-P20-3-24", "Mette Krogh")
    assert second.sections.presentation.startswith("Stierne ved Engdalen")
    assert second.sections.recommendation.startswith("Forvaltningen indstiller")
    assert second.sections.decision == "Godkendt."
    assert second.sections.attachments == ["Kort over stierne"]
    assert third.sections.decision is None  # 'Tomt indhold'
    assert doc.document_type == "minutes"
    assert any("Ukendt XML-format" in w and "<Dagsordenspunkt>" in w for w in doc.warnings)


def test_namespaced_dialect_with_html_in_cdata_and_escaped_markup():
    doc = _xml(NAMESPACED_DIALECT)
    assert doc.body == "Ældrerådet"
    assert (doc.meeting.date, doc.meeting.start_time) == ("2024-05-14", "09:30")  # UTC → Danish
    assert doc.meeting.location == "Aktivitetscentret, Skolegade 4"
    assert [(i.number, i.title, i.closed) for i in doc.items] == [
        ("1", "Henvendelse fra en borger", True),
        ("2", "Høring om madservice", False),
    ]
    closed, hearing = doc.items
    assert closed.sections.decision is None
    assert hearing.journal_number == "27.12.00-P20-4-23"
    assert "<" not in hearing.sections.presentation
    assert "nye standarder" in " ".join(hearing.sections.presentation.split())
    assert hearing.sections.decision == "Rådet afgiver et høringssvar."
    assert doc.document_type == "minutes"


def test_xml_without_repeated_items_is_read_as_text_in_document_order():
    doc = _xml(FLAT_DIALECT)
    assert [(i.number, i.title) for i in doc.items] == [("1", "Regnskab 2023"), ("2", "Eventuelt")]
    assert doc.meeting.date == "2024-06-03" and doc.meeting.start_time == "19:00"
    assert doc.items[0].sections.decision == "Regnskabet blev godkendt."
    assert any("almindelig tekst" in w for w in doc.warnings)


def test_xml_with_nothing_of_a_meeting_is_still_refused():
    with pytest.raises(NotMeetingDocumentError, match="hverken møde eller punkter"):
        _xml("<lager><vare><navn>Mel</navn><antal>4</antal></vare></lager>", "lager.xml")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (
            b'<?xml version="1.0"?><Eksport><Felt><![CDATA[<p>Tekst</p><div>x</div>]]></Felt>',
            "generic_xml",
        ),
        (b"<Publication><Agendas><Agenda><Items><![CDATA[<p>a</p>]]>", "publication_xml"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html><html><body><p>x</p></body></html>', "html"),
        (b"<div><p>Dagsorden</p></div>", "html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "html"),
    ],
)
def test_html_in_an_export_does_not_make_it_a_web_page(head, kind):
    assert sniff(head, "fil.xml") == kind


def test_known_export_in_a_namespace_is_still_the_known_export():
    publication = """<?xml version="1.0"?>
<Publication xmlns="urn:eksempel:publication">
  <Agendas><Agenda><Name>Kulturudvalget</Name>
    <Meeting><When>02-10-2024 16:00:00</When><Where>Biblioteket</Where></Meeting>
    <Items><Item><Caption>Tilskud til byfesten</Caption><Number>1</Number><IsPublic>True</IsPublic>
      <Fields><ItemField><Caption>Beslutning</Caption><IsFeedback>True</IsFeedback>
      <Content><![CDATA[<p>Bevilget.</p>]]></Content></ItemField></Fields></Item></Items>
  </Agenda></Agendas>
</Publication>"""
    doc = _xml(publication)
    assert doc.body == "Kulturudvalget" and doc.meeting.date == "2024-10-02"
    assert [(i.number, i.title) for i in doc.items] == [("1", "Tilskud til byfesten")]
    assert doc.items[0].sections.decision == "Bevilget."


def test_html_in_json_fields_and_titles_is_read_as_html():
    payload = {
        "Udvalg": {"Navn": "Børne- og Ungeudvalget"},
        "Moede": {"Dato": "2024-09-05T15:00:00", "Sted": "Byrådssalen"},
        "Dagsordenpunkter": [
            {
                "Number": 1,
                "Caption": "<p><b>Skolernes trivselsmåling</b></p>",
                "Felter": [
                    {"Navn": "Sagsfremstilling", "Tekst": "<p>Målingen viser fremgang.</p>"},
                    {"Navn": "Beslutning", "Html": "<p>Tomt indhold</p>"},
                ],
            }
        ],
    }
    doc = parse_bytes(json.dumps(payload).encode(), "api.json")
    item = doc.items[0]
    assert item.title == "Skolernes trivselsmåling"
    assert item.sections.presentation == "Målingen viser fremgang."
    assert item.sections.decision is None
    assert doc.document_type == "agenda"


def test_json_of_an_unknown_api_is_read_by_structure():
    payload = {
        "moede": {
            "forum": "Handicaprådet",
            "starttidspunkt": "2024-11-20T17:00:00+01:00",
            "lokale": "Mødelokale 1",
            "punkter": [
                {"nr": "1", "titel": "Tilgængelighed i svømmehallen",
                 "indstilling": "Det indstilles, at rådet drøfter sagen.",
                 "beslutning": "Drøftet."},
                {"nr": "2", "titel": "Eventuelt", "beslutning": ""},
            ],
        }
    }  # fmt: skip
    doc = parse_bytes(json.dumps(payload).encode(), "ukendt_api.json")
    assert doc.body == "Handicaprådet"
    assert (doc.meeting.date, doc.meeting.start_time) == ("2024-11-20", "17:00")
    assert doc.meeting.location == "Mødelokale 1"
    assert [(i.number, i.title) for i in doc.items] == [
        ("1", "Tilgængelighed i svømmehallen"),
        ("2", "Eventuelt"),
    ]
    assert doc.items[0].sections.decision == "Drøftet."
    assert doc.items[1].sections.decision is None
    assert any("Ukendt JSON-format" in w for w in doc.warnings)


@pytest.mark.parametrize(
    "name", ["edoc_eksport.xml", "publication_eksport.xml", "acadre_punkt.xml"]
)
def test_the_generic_reader_reads_the_known_exports_blind(name):
    """Generality: our fixtures of the three exports we have readers for, read by structure and
    names alone, give the same meeting and items as their own readers."""
    from sekretariat.ingest.parsers import parse_path
    from sekretariat.ingest.parsers.readers import generic_xml
    from sekretariat.ingest.parsers.titles import mark_closed_items

    from .conftest import FIXTURES

    known = parse_path(FIXTURES / name)
    blind = generic_xml.read((FIXTURES / name).read_bytes(), name)
    mark_closed_items(blind)

    def shape(doc):
        items = [
            (i.number, i.title, i.closed, {k: bool(v) for k, v in i.sections.to_dict().items()})
            for i in doc.items
        ]
        meeting = (doc.body, doc.meeting.date, doc.meeting.start_time, doc.meeting.location)
        return doc.document_type, meeting, items

    assert shape(blind) == shape(known)


def test_a_file_with_several_meetings_reads_the_first_and_says_so():
    meetings = "".join(
        f"<Moede><Dato>{day}-05-2024 16:00</Dato><Punkter>"
        f"<Punkt><Nr>1</Nr><Titel>Sag {day} a</Titel><Beslutning>Godkendt.</Beslutning></Punkt>"
        f"<Punkt><Nr>2</Nr><Titel>Sag {day} b</Titel><Beslutning>Udsat.</Beslutning></Punkt>"
        "</Punkter></Moede>"
        for day in ("07", "21")
    )
    doc = _xml(f"<Eksport><Udvalg>Vejudvalget</Udvalg>{meetings}</Eksport>")
    assert doc.meeting.date == "2024-05-07"
    assert [i.title for i in doc.items] == ["Sag 07 a", "Sag 07 b"]
    assert any("2 møder" in w for w in doc.warnings)
