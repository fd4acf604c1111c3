"""What a document without agenda items is: a meeting's document, or an attachment."""

from sekretariat.ingest.parsers import parse_bytes

POLICY = """Strategi for Grønne Stier 4f9a

Vedtaget af kommunalbestyrelsen, Egeskov Kommune den 12. marts 2019

Indledning
Stierne skal binde landsbyerne sammen, så flere cykler til skole og arbejde.
Strategien bygger på borgermøderne i foråret og på kommunens planstrategi.

Mål
Inden 2025 skal der være en sammenhængende sti mellem alle skoler.
"""

MEETING_WITHOUT_ITEMS = """Referat
Ældrerådet i Egeskov Kommune 4f9a
Mødedato: 3. februar 2020
Mødested: Rådhuset, mødelokale 2

Mødet blev aflyst, da der ikke var sager til behandling.
"""


def test_a_document_that_never_speaks_of_a_meeting_is_an_attachment_without_a_date():
    doc = parse_bytes(POLICY.encode(), "strategi.txt")
    assert doc.document_type == "attachment"
    assert doc.meeting.date is None  # the approval date is not a meeting's
    assert doc.items == []


def test_a_meeting_document_without_items_keeps_its_date():
    doc = parse_bytes(MEETING_WITHOUT_ITEMS.encode(), "referat.txt")
    assert doc.document_type == "other"
    assert doc.meeting.date == "2020-02-03"
