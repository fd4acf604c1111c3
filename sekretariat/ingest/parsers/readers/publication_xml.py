"""The 'Publication' XML (SBSYS eDagsorden): agendas whose items are ordered lists of fields.

A field flagged ``IsFeedback`` is filled in at the meeting: it is the decision. An empty feedback
field is no decision.
"""

from __future__ import annotations

from ..errors import NotMeetingDocumentError
from ..header import person
from ..labels import DECISION, PRESENTATION, section_name
from ..model import ParsedDocument, ParsedItem
from ..structure import TextResult, finish_document, read_item_text
from ._xml import node_text, one_line, parse_xml, set_when, text_of


def read(data: bytes, filename: str) -> ParsedDocument:
    root = parse_xml(data, filename)
    doc = ParsedDocument(source=filename)
    agendas = root.findall(".//Agendas/Agenda") or root.findall(".//Agenda")
    if not agendas:
        raise NotMeetingDocumentError(filename, "Publication-filen har ingen dagsorden")
    if len(agendas) > 1:
        doc.warn(f"Filen har {len(agendas)} dagsordener; kun den første er læst.")
    agenda = agendas[0]
    doc.body = text_of(agenda, "Name") or text_of(agenda, "Committee/Name") or None
    meeting = agenda.find("Meeting")
    if meeting is not None:
        set_when(doc.meeting, text_of(meeting, "When"), text_of(meeting, "Until"))
        doc.meeting.location = text_of(meeting, "Where") or None
        for member in meeting.findall("Members/MeetingMember"):
            ref = person(text_of(member, "Name"))
            status = text_of(member, "ParticipationStatusAsText").casefold()
            if ref is None:
                continue
            if status in {"absent", "notparticipating", "declined", "afbud"}:
                doc.meeting.absent.append(ref)
            else:
                doc.meeting.participants.append(ref)
    result = TextResult()
    for node in agenda.findall("Items/Item"):
        item = ParsedItem(
            title=one_line(text_of(node, "Caption")),
            number=text_of(node, "Number") or None,
            closed=text_of(node, "IsPublic").casefold() == "false",
        )
        case_number = text_of(node, "Case/Number")
        item.journal_number = case_number or None
        for field in node.findall("Fields/ItemField"):
            caption = one_line(text_of(field, "Caption"))
            content = node_text(field.find("Content"))
            feedback = text_of(field, "IsFeedback").casefold() == "true"
            if not content:
                continue
            kind = DECISION if feedback else (section_name(caption) or PRESENTATION)
            heading = f"### {caption}\n" if caption and not feedback else ""
            part = read_item_text(item, heading + content, doc, default=kind)
            result.decision_dates += part.decision_dates
        for enclosure in node.findall("Enclosures/Enclosure"):
            name = one_line(text_of(enclosure, "Name") or text_of(enclosure, "FileName"))
            if name:
                item.sections.attachments.append(name)
        doc.items.append(item)
    finish_document(doc, result)
    return doc
