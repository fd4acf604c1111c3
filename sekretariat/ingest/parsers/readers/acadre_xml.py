"""Acadre MM 'XML fusion' exports: an item file (<root><table name="agenda">...) and the manifest
(<root><org>...) that points to it. The manifest holds the meeting but no items: type 'other'.
"""

from __future__ import annotations

from lxml import etree

from ..errors import NotMeetingDocumentError
from ..header import person
from ..labels import DECISION, PRESENTATION, decision_heading, section_name
from ..model import ParsedDocument, ParsedItem
from ..structure import TextResult, finish_document, read_item_text
from ._xml import field_text, one_line, parse_xml, set_when


def _fields(table: etree._Element) -> dict[str, str]:
    """The table's own <fields>: name -> value; manifests use attributes instead of names."""
    out: dict[str, str] = {}
    own = table.find("fields")
    if own is None:
        return out
    for field in own.findall("field"):
        name = field.get("name")
        if name is not None and (field.text or "").strip():
            out[name] = field.text.strip()
        elif name is not None and len(field.attrib) == 1:
            out.setdefault("name", name)  # manifest: <field name="Udvalget ..."></field>
        else:
            for key, value in field.attrib.items():
                out.setdefault(key, value)
    return out


def _tables(root: etree._Element, name: str) -> list[etree._Element]:
    return [t for t in root.iter("table") if t.get("name") == name]


def read(data: bytes, filename: str) -> ParsedDocument:
    root = parse_xml(data, filename)
    doc = ParsedDocument(source=filename)
    committee = _tables(root, "committee")
    if committee:
        doc.body = _fields(committee[0]).get("name")
    meeting_tables = _tables(root, "meeting")
    if meeting_tables:
        info = _fields(meeting_tables[0])
        set_when(doc.meeting, info.get("date", ""), info.get("finish", ""))
        place = [info.get("location", "")]
        doc.meeting.location = ", ".join(p for p in place if p) or None
        for member in _tables(meeting_tables[0], "member"):
            fields = _fields(member)
            ref = person(fields.get("name", ""))
            if ref is None:
                continue
            if fields.get("absent", "0") not in {"", "0", "false"}:
                doc.meeting.absent.append(ref)
            else:
                doc.meeting.participants.append(ref)
    parents = _tables(root, "agendaitemparents")
    if root.find("org") is not None and not parents:
        doc.document_type = "other"
        doc.warn(
            "Manifestfilen beskriver mødet og peger på punktfilerne; den har ingen punkter selv."
        )
        if doc.body is None and doc.meeting.date is None:
            raise NotMeetingDocumentError(filename, "Acadre-manifestet nævner intet møde")
        return doc
    if not parents and doc.body is None:
        raise NotMeetingDocumentError(filename, "Acadre-filen har hverken udvalg eller punkter")
    result = TextResult()
    for parent in parents:
        order = _fields(parent).get("sort")
        for node in [t for t in parent if t.get("name") == "agendaitem"]:
            fields = _fields(node)
            item = ParsedItem(title=one_line(fields.get("name", "")), number=order)
            item.closed = fields.get("access", "1") not in {"1", ""} or fields.get(
                "accessname", ""
            ).casefold().startswith("lukket")
            item.journal_number = fields.get("caseno")
            item.case_officer = fields.get("caseofficername")
            for bullet in [t for t in node if t.get("name") == "bullet"]:
                info = _fields(bullet)
                name = one_line(info.get("bulletname", ""))
                content = field_text(info.get("bulletcontent", ""))
                if not content:
                    continue
                heading = decision_heading(name)
                if heading is not None:
                    kind = DECISION
                    if heading[1]:
                        result.decision_dates.append(heading[1])
                else:
                    kind = section_name(name) or PRESENTATION
                read_item_text(item, content, doc, default=kind)
            for enclosure in [t for t in node.iter("table") if t.get("name") == "enclosure"]:
                name = _fields(enclosure).get("name")
                if name:
                    item.sections.attachments.append(name)
            doc.items.append(item)
    finish_document(doc, result)
    return doc
