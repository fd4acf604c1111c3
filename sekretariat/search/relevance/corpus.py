"""Loading the relevance corpus into the database through the meeting services.

The corpus is the seeds (/work/shared/seeds), the real documents (/work/shared/real/docs) and
the demo installation. Documents are parsed by the caller (the pure parser lives in the ingest
app, which this app does not import) and handed over as `ParsedDocument`s; each becomes a body,
a meeting and its items, or, for a document without items (an agreement), one item with the
document as its attachment. Items are identified by their document's file name and title, never
by database id, so expectations survive a reload.
"""

import datetime
import pathlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from sekretariat.bodies import services as body_services
from sekretariat.bodies.models import Body, Organisation
from sekretariat.core.errors import ApplicationError
from sekretariat.meetings import services as meeting_services
from sekretariat.meetings.models import Access, AgendaItem, Attachment

DEFAULT_DATE = datetime.date(2023, 6, 1)
SHARED = pathlib.Path("/work/shared")
ROLE_OF = {
    "resume": "resume",
    "recommendation": "indstilling",
    "presentation": "sagsfremstilling",
    "decision": "beslutning",
}


@dataclass(frozen=True)
class Loaded:
    """(kind, object id) -> (document name, title) of everything loaded."""

    names: dict[tuple[str, int], tuple[str, str]]


def corpus_paths(shared: pathlib.Path = SHARED) -> list[pathlib.Path]:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    real = sorted(p for p in (shared / "real" / "docs").iterdir() if p.is_file())
    return seeds + real


def load_documents(
    paths: Iterable[pathlib.Path], parse: Callable[[pathlib.Path], object]
) -> Loaded:
    names: dict[tuple[str, int], tuple[str, str]] = {}
    for path in paths:
        try:
            document = parse(path)
        except Exception:  # a document the parser refuses is simply not in the corpus
            continue
        names.update(_load_one(path, document))
    return Loaded(names)


def _body(name: str, organisation: str | None) -> Body:
    body = Body.objects.filter(name=name[:200]).first()
    if body:
        return body
    org = body_services.organisation_find_or_create(
        name=organisation or "Ukendt organisation", kind=Organisation.Kind.OTHER
    )
    return body_services.body_create(name=name, organisation=org)


def _date(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else DEFAULT_DATE
    except ValueError:
        return DEFAULT_DATE


def _load_one(path: pathlib.Path, document) -> dict[tuple[str, int], tuple[str, str]]:
    name = path.name
    text = path.read_text(errors="replace") if path.suffix in (".txt", ".md") else ""
    if not document.items and not text.strip():
        return {}  # e.g. a manifest: nothing to search
    body = _body(document.body or name.rsplit(".", 1)[0], document.organisation)
    day = _date(document.meeting.date)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    meeting = meeting_services.meeting_create(
        body=body, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    roles = {st.role: st.pk for st in meeting_services.section_template_ensure(body)}
    names: dict[tuple[str, int], tuple[str, str]] = {}
    has_decision = False
    for parsed in document.items:
        sections = {}
        for attr, role in ROLE_OF.items():
            text = getattr(parsed.sections, attr, None)
            if text and text.strip():
                sections[roles[role]] = text
                has_decision |= role == "beslutning"
        kwargs = {
            "meeting": meeting,
            "title": (parsed.title or "Uden titel")[:400],
            "access": Access.CLOSED if parsed.closed else Access.OPEN,
            "journal_number": (parsed.journal_number or "")[:60],
            "sections": sections,
        }
        # As the importer reads it: the document's kind, else the title's (`agenda_item_add`).
        kind = meeting_services.item_kind_from_import(parsed.kind)
        if kind:
            kwargs["kind"] = kind
        try:
            item = meeting_services.agenda_item_add(number=parsed.number, **kwargs)
        except ApplicationError:
            item = meeting_services.agenda_item_add(**kwargs)
        names[("punkt", item.pk)] = (name, item.title)
    if not document.items:
        title = _first_line(text) or name
        item = meeting_services.agenda_item_add(meeting=meeting, title=f"Bilag: {title}"[:400])
        names[("punkt", item.pk)] = (name, item.title)
        attachment = meeting_services.attachment_add(
            item=item,
            file=ContentFile(text.encode(), name=f"{slugify(title)[:40]}.txt"),
            title=title,
        )
        names[("bilag", attachment.pk)] = (name, attachment.title)
    meeting_services.agenda_publish(meeting=meeting)
    if has_decision:
        meeting_services.meeting_mark_held(meeting=meeting)
        meeting_services.minutes_approve(meeting=meeting)
    return names


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip(" .0123456789\t")
        if len(line) >= 30:
            return line[:80].rsplit(" ", 1)[0]
    return ""


def demo_names() -> dict[tuple[str, int], tuple[str, str]]:
    """Names for the demo installation's items and attachments (document 'demo')."""
    names = {("punkt", pk): ("demo", title) for pk, title in AgendaItem.objects.filter(
        meeting__body__secretariat__isnull=False).values_list("pk", "title")}  # fmt: skip
    attachments = Attachment.objects.filter(item__meeting__body__secretariat__isnull=False)
    names.update(
        {("bilag", pk): ("demo", title) for pk, title in attachments.values_list("pk", "title")}
    )
    return names
