"""The parse format both ways, and the plain text of a file to show beside the parse.

`parsed_from_dict` reads back what `ParsedDocument.to_dict()` wrote (an upload awaiting review
keeps its parse as JSON); `source_text` gives the text a person compares the parse with.
"""

from __future__ import annotations

from typing import Any

from .parsers import ParsedDocument, ParsedItem, ParsedMeeting, ParseError, PersonRef, Sections
from .parsers.detect import sniff
from .parsers.htmltext import html_to_text
from .parsers.readers import docx, pdf, text
from .parsers.readers.html import decode_html

MAX_SOURCE_CHARS = 400_000


def _people(rows: list[dict[str, Any]] | None) -> list[PersonRef]:
    return [
        PersonRef(r.get("name") or "", r.get("affiliation")) for r in rows or [] if r.get("name")
    ]


def parsed_from_dict(data: dict[str, Any]) -> ParsedDocument:
    m = data.get("meeting") or {}
    items = []
    for raw in data.get("items") or []:
        s = raw.get("sections") or {}
        items.append(
            ParsedItem(
                title=raw.get("title") or "",
                number=raw.get("number"),
                closed=bool(raw.get("closed")),
                journal_number=raw.get("journal_number"),
                case_officer=raw.get("case_officer"),
                presenter=raw.get("presenter"),
                timeframe_minutes=raw.get("timeframe_minutes"),
                kind=raw.get("kind"),
                sections=Sections(
                    resume=s.get("resume"),
                    recommendation=s.get("recommendation"),
                    presentation=s.get("presentation"),
                    decision=s.get("decision"),
                    attachments=list(s.get("attachments") or []),
                ),
            )
        )
    return ParsedDocument(
        source=data.get("source") or "",
        document_type=data.get("document_type") or "other",
        body=data.get("body"),
        organisation=data.get("organisation"),
        meeting=ParsedMeeting(
            date=m.get("date"),
            start_time=m.get("start_time"),
            end_time=m.get("end_time"),
            location=m.get("location"),
            participants=_people(m.get("participants")),
            absent=_people(m.get("absent")),
            guests=_people(m.get("guests")),
        ),
        items=items,
        warnings=list(data.get("warnings") or []),
    )


def source_text(data: bytes, filename: str) -> str:
    """The file's text as its reader sees it (PDF text layer, DOCX paragraphs, HTML text)."""
    try:
        kind = sniff(data, filename)
        if kind == "pdf":
            document = pdf.open_pdf(data, filename)
            try:
                result = "\n".join(pdf.page_texts(document))
            finally:
                document.close()
        elif kind == "docx":
            result = docx.docx_text(data, filename)
        elif kind == "html":
            result = html_to_text(decode_html(data))
        elif kind == "text":
            result = text.decode(data, filename)
        else:
            result = data.decode("utf-8", errors="replace")
    except (ParseError, ValueError, OSError):
        result = data[:MAX_SOURCE_CHARS].decode("utf-8", errors="replace")
    return result[:MAX_SOURCE_CHARS]
