"""Building `SearchDocument` rows from the domain objects.

Each `documents_for_*` function turns one object (with what it needs already loaded) into its
unsaved documents; the `index_*` functions replace an object's documents in the database. What
the public may find is written into `visible_public` by asking `meetings.visibility` (the one
rule of every surface): an item's sections, an attachment and a case as the public pages show
them; meetings, bodies and people always (the meeting plan and the fora are public).

Members and staff see more; `selectors.search` adds "or the body is one whose closed material
the viewer may see" in SQL. Closed items and attachments are indexed with `access = 'lukket'` and
`visible_public = False`, so a public query can never reach them.
"""

import datetime
import functools
import operator
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sekretariat.bodies.models import Body, Membership, Person
from sekretariat.cases.models import Case
from sekretariat.meetings import visibility
from sekretariat.meetings.models import (
    Access,
    AgendaItem,
    Attachment,
    ItemSection,
    Meeting,
)

from .analysis import index_text
from .backends.base import CASE_BOOST, filter_term, quarter_term
from .extract import attachment_text
from .models import SearchDocument

Doc = SearchDocument
# Relevance boosts (SQLite multiplies bm25 by them; PostgreSQL uses the weight classes).
BOOST = {"beslutning": 1.5, "indstilling": 1.2, "resume": 1.2}

TEXT_WEIGHT = {"beslutning": "B", "indstilling": "C", "resume": "C"}


def _local_date(value: datetime.datetime) -> datetime.date:
    """The date in the installation's time zone (not the request's: the index is shared; and
    `timezone.localtime` looks the active zone up each time, a tenth of a rebuild)."""
    if value.utcoffset() is None:
        return value.date()
    return value.astimezone(timezone.get_default_timezone()).date()


def _meeting_label(meeting: Meeting, body: Body) -> str:
    return f"{body.name} · {_local_date(meeting.starts_at):%d.%m.%Y}"


def _case_url(journal_number: str) -> str:
    """The public case page ('' for a journal number the URL pattern cannot carry, e.g. '12/345')."""
    try:
        return reverse("publishing:case", kwargs={"journal_number": journal_number})
    except NoReverseMatch:
        return ""


@functools.cache
def _url_template(name: str, keys: tuple[str, ...]) -> str:
    """The URL of `name` with '{key}' where each argument goes (reversed once: a rebuild makes
    millions of these)."""
    marks = {key: 900_000_001 + index for index, key in enumerate(keys)}
    url = reverse(name, kwargs=marks)
    for key, mark in marks.items():
        url = url.replace(str(mark), "{" + key + "}")
    return url


def warm_up() -> None:
    """Load what every document needs once (the URL patterns take seconds): a rebuild calls
    this before its worker processes fork, so they do not each load them again."""
    _url("publishing:meeting", pk=1)
    _url("publishing:item", meeting_pk=1, pk=1)
    _url("publishing:attachment", pk=1)


def _url(name: str, **kwargs) -> str:
    return _url_template(name, tuple(kwargs)).format(**kwargs)


# Every column of a document with the model's default, for documents built as plain dicts.
_DEFAULTS = {
    f.attname: f.get_default() for f in SearchDocument._meta.concrete_fields if not f.primary_key
}


def _doc(common: dict, **fields) -> dict:
    """A document: the model's defaults, then `common`, then `fields`."""
    return {**_DEFAULTS, **common, **fields}


# --- filter terms ------------------------------------------------------------------------------


_FILTER_COLUMNS = operator.itemgetter(
    "kind", "doc_type", "visible_public", "body_id", "organisation_id", "year", "item_kind",
    "section",
)  # fmt: skip


def filter_terms(doc: dict) -> str:
    """'økindpunkt ødtreferat øpub1 øbody12 øorg3 øyear2024 øikbeslutning øsecresume
    øyq20244' (the values of the columns `selectors` filters on; `øpub1` when
    `visible_public`, else `øpriv1`; the year and quarter of the date, by which PostgreSQL's
    search walks the newest matches first)."""
    day = doc["date"]
    return _filter_terms((*_FILTER_COLUMNS(doc), (day.month + 2) // 3 if day else None))


@functools.lru_cache(maxsize=65_536)
def _filter_terms(values: tuple) -> str:
    """The filter terms of one combination of values (a rebuild meets each many times)."""
    kind, doc_type, visible_public, *named, quarter = values
    terms = [filter_term("kind", kind), filter_term("dt", doc_type)]
    # Both ways: a member's query asks for "public or my body", the public's for "not private"
    # (the short list of what the public may not see is cheaper to exclude than the long one
    # of what it may see is to intersect).
    terms.append(filter_term("pub", 1) if visible_public else filter_term("priv", 1))
    for name, value in zip(("body", "org", "year", "ik", "sec"), named, strict=True):
        if value not in (None, ""):
            terms.append(filter_term(name, value))
    year = named[2]  # (in the order of `_FILTER_COLUMNS` after the first three)
    if quarter is not None and year is not None:
        terms.append(quarter_term(year, quarter))
    return " ".join(terms)


# --- documents of one object -----------------------------------------------------------------


def documents_for_item(item, meeting, body, sections: list[tuple[str, str, str]]) -> list[dict]:
    """One document per non-empty section (an item without text gets one with its title).

    `item`, `meeting` and `body` are model instances or anything with their attributes (the
    bulk build reads plain rows); `sections` are (role, name, text) in the item's order."""
    status, access = meeting.status, item.access
    minutes_public = visibility.minutes_are_public(status)
    day = _local_date(meeting.starts_at)
    title = f"{item.title}"
    header = " ".join(
        part for part in (item.presenter, item.case_officer, item.journal_number) if part
    )
    title_terms = index_text(title)
    common = {
        "kind": Doc.Kind.ITEM,
        "object_id": item.pk,
        "item_id": item.pk,
        "meeting_id": meeting.pk,
        "body_id": body.pk,
        "organisation_id": body.organisation_id,
        "date": day,
        "year": day.year,
        "item_kind": item.kind,
        "doc_type": Doc.DocType.MINUTES if minutes_public else Doc.DocType.AGENDA,
        "journal_number": item.journal_number,
        "access": item.access,
        "title": title[:400],
        "subtitle": f"{_meeting_label(meeting, body)} · {item.number}"[:400],
        "url": _url("publishing:item", meeting_pk=meeting.pk, pk=item.pk),
        "title_terms": title_terms,
    }
    docs = []
    for role, name, text in sections:
        if not text.strip():
            continue
        text_terms = index_text(text)
        if not docs and header:
            text_terms = f"{text_terms} {index_text(header)}"
        docs.append(
            _doc(
                common,
                section=role,
                section_name=name[:100],
                visible_public=visibility.section_is_public(
                    role=role, access=access, status=status
                ),
                boost=BOOST.get(role, 1.0),
                text_weight=TEXT_WEIGHT.get(role, "D"),
                text=text,
                text_terms=text_terms,
            )
        )
    if not docs:
        docs.append(
            _doc(
                common,
                visible_public=visibility.item_is_public(access=access, status=status),
                text=header,
                text_terms=index_text(header),
            )
        )
    return docs


def _sections_of(item: AgendaItem) -> list[tuple[str, str, str]]:
    """(role, name, text) of a model item's sections (prefetched with their types)."""
    return [(s.section_type.role, s.section_type.name, s.text) for s in item.sections.all()]


def documents_for_attachment(
    attachment: Attachment, item: AgendaItem, meeting: Meeting, body: Body
) -> list[dict]:
    day = _local_date(meeting.starts_at)
    is_open = attachment.access == Access.OPEN and item.access == Access.OPEN
    text = attachment_text(attachment)
    return [
        _doc(
            {},
            kind=Doc.Kind.ATTACHMENT,
            object_id=attachment.pk,
            item_id=item.pk,
            meeting_id=meeting.pk,
            body_id=body.pk,
            organisation_id=body.organisation_id,
            date=day,
            year=day.year,
            item_kind=item.kind,
            doc_type=Doc.DocType.ATTACHMENT,
            journal_number=item.journal_number,
            access=Access.OPEN if is_open else Access.CLOSED,
            visible_public=visibility.attachment_is_public(
                access=attachment.access, item_access=item.access, status=meeting.status
            ),
            title=attachment.title[:400],
            subtitle=f"{_meeting_label(meeting, body)} · {item.number}. {item.title}"[:400],
            url=_url("publishing:attachment", pk=attachment.pk),
            text=text,
            title_terms=index_text(attachment.title),
            text_terms=index_text(text),
        )
    ]


def documents_for_meeting(meeting: Meeting, body: Body) -> list[dict]:
    day = _local_date(meeting.starts_at)
    title = meeting.title or _meeting_label(meeting, body)
    text = " ".join(part for part in (body.name, meeting.title, meeting.location) if part)
    return [
        _doc(
            {},
            kind=Doc.Kind.MEETING,
            object_id=meeting.pk,
            meeting_id=meeting.pk,
            body_id=body.pk,
            organisation_id=body.organisation_id,
            date=day,
            year=day.year,
            doc_type=Doc.DocType.MEETING,
            visible_public=True,
            title=title[:400],
            subtitle=_meeting_label(meeting, body),
            url=_url("publishing:meeting", pk=meeting.pk),
            text=text,
            title_terms=index_text(title),
            text_terms=index_text(text),
        )
    ]


def documents_for_case(case: Case, treatments: list[tuple], bodies: dict) -> list[dict]:
    """The case's document. `treatments`: (access, meeting status, starts_at, body id, item
    title) of the items that treat it, newest first (`_case_treatments`); `bodies`: {id:
    Body}. A public case's title is the one the public may see (`case_public_title`)."""
    public_title = visibility.case_public_title((t[0], t[1], t[4]) for t in reversed(treatments))
    public = public_title is not None
    latest = treatments[0] if treatments else None
    # A case the public may not see is filed under the body of its latest item, with that
    # item's title: the case's own title is its first item's, which may be another body's
    # closed item (or renamed since), and a member of the latest body must not find it.
    title = public_title if public else (latest[4] if latest else case.title)
    day = _local_date(latest[2]) if latest else _local_date(case.created_at)
    body = bodies.get(latest[3]) if latest is not None else None
    text = " ".join(part for part in (case.journal_number, case.description) if part)
    return [
        _doc(
            {},
            kind=Doc.Kind.CASE,
            object_id=case.pk,
            body_id=body.pk if body else None,
            organisation_id=body.organisation_id if body else None,
            date=day,
            year=day.year,
            doc_type=Doc.DocType.CASE,
            journal_number=case.journal_number,
            visible_public=public,
            boost=CASE_BOOST,
            title=title[:400],
            subtitle=case.journal_number,
            url=_case_url(case.journal_number),
            text=text,
            title_terms=index_text(title),
            text_terms=index_text(text),
        )
    ]


def _case_treatments(case_ids) -> dict[int, list[tuple]]:
    """{case id: [(access, meeting status, starts_at, body id, item title), ... newest first]}:
    one query."""
    found: dict[int, list[tuple]] = {pk: [] for pk in case_ids}
    rows = (
        AgendaItem.objects.filter(case_id__in=case_ids)
        .order_by("-meeting__starts_at", "-pk")
        .values_list(
            "case_id",
            "access",
            "meeting__status",
            "meeting__starts_at",
            "meeting__body_id",
            "title",
        )
    )
    for case_id, *treatment in rows:
        found[case_id].append(tuple(treatment))
    return found


def documents_for_body(body: Body) -> list[dict]:
    text = " ".join(
        part for part in (str(body.get_kind_display()), body.organisation.name, body.description)
    )
    return [
        _doc(
            {},
            kind=Doc.Kind.BODY,
            object_id=body.pk,
            body_id=body.pk,
            organisation_id=body.organisation_id,
            doc_type=Doc.DocType.BODY,
            visible_public=True,
            title=body.name[:400],
            subtitle=body.organisation.name[:400],
            url=body.get_absolute_url(),
            text=text,
            title_terms=index_text(body.name),
            text_terms=index_text(text),
        )
    ]


def documents_for_person(person: Person) -> list[dict]:
    today = timezone.localdate()
    memberships = [
        m
        for m in person.memberships.all()
        if m.start_date <= today and (m.end_date is None or m.end_date >= today)
    ]
    org = person.organisation.name if person.organisation else ""
    bodies = ", ".join(m.body.name for m in memberships)
    text = " ".join(part for part in (person.job_title, org, bodies) if part)
    first = memberships[0].body if memberships else None
    return [
        _doc(
            {},
            kind=Doc.Kind.PERSON,
            object_id=person.pk,
            body_id=first.pk if first else None,
            organisation_id=person.organisation_id,
            doc_type=Doc.DocType.PERSON,
            visible_public=True,
            title=person.name[:400],
            subtitle=", ".join(part for part in (person.job_title, org) if part)[:400],
            url=first.get_absolute_url() if first else "",
            text=text,
            title_terms=index_text(person.name),
            text_terms=index_text(text),
        )
    ]


# --- replacing an object's documents ---------------------------------------------------------


def _items_query():
    return AgendaItem.objects.prefetch_related(
        Prefetch("sections", queryset=ItemSection.objects.select_related("section_type")),
        "attachments",
    )


def _documents_for_meetings(meetings: Iterable[Meeting]) -> Iterator[dict]:
    for meeting in meetings:
        body = meeting.body
        yield from documents_for_meeting(meeting, body)
        for item in meeting.agenda_items.all():
            yield from documents_for_item(item, meeting, body, _sections_of(item))
            for attachment in item.attachments.all():
                yield from documents_for_attachment(attachment, item, meeting, body)


def _meetings_query():
    return Meeting.objects.select_related("body").prefetch_related(
        Prefetch("agenda_items", queryset=_items_query())
    )


def _replace(delete: Q, docs: Iterable[dict]) -> int:
    from .backends import get_backend

    SearchDocument.objects.filter(delete).delete()
    new_rows = rows(list(docs))
    get_backend().insert_rows(COLUMNS, new_rows)
    return len(new_rows)


@transaction.atomic
def index_meetings(meeting_ids: Iterable[int]) -> int:
    """Re-index meetings with all their items and attachments (a status change moves them all)."""
    ids = set(meeting_ids)
    if not ids:
        return 0
    meetings = _meetings_query().filter(pk__in=ids)
    count = _replace(Q(meeting_id__in=ids), _documents_for_meetings(meetings))
    case_ids = AgendaItem.objects.filter(meeting_id__in=ids, case__isnull=False).values_list(
        "case_id", flat=True
    )
    return count + index_cases(set(case_ids))


@transaction.atomic
def index_items(item_ids: Iterable[int]) -> int:
    """Re-index items and their attachments (an item's access decides its attachments')."""
    ids = set(item_ids)
    if not ids:
        return 0
    docs = []
    case_ids = set()
    for item in _items_query().select_related("meeting__body").filter(pk__in=ids):
        meeting, body = item.meeting, item.meeting.body
        docs += documents_for_item(item, meeting, body, _sections_of(item))
        for attachment in item.attachments.all():
            docs += documents_for_attachment(attachment, item, meeting, body)
        if item.case_id:
            case_ids.add(item.case_id)
    count = _replace(Q(item_id__in=ids), docs)
    return count + index_cases(case_ids)


@transaction.atomic
def index_attachments(attachment_ids: Iterable[int]) -> int:
    ids = set(attachment_ids)
    if not ids:
        return 0
    docs = []
    for att in Attachment.objects.select_related("item__meeting__body").filter(pk__in=ids):
        docs += documents_for_attachment(att, att.item, att.item.meeting, att.item.meeting.body)
    return _replace(Q(kind=Doc.Kind.ATTACHMENT, object_id__in=ids), docs)


@transaction.atomic
def index_cases(case_ids: Iterable[int]) -> int:
    ids = set(case_ids)
    if not ids:
        return 0
    return _replace(Q(kind=Doc.Kind.CASE, object_id__in=ids), documents_for_cases(ids))


def documents_for_cases(ids) -> list[dict]:
    """The documents of the cases `ids` (three queries, whatever their number)."""
    cases = list(Case.objects.filter(pk__in=ids).order_by("pk"))
    treatments = _case_treatments([case.pk for case in cases])
    bodies = Body.objects.in_bulk({t[3] for found in treatments.values() for t in found[:1]})
    return [doc for case in cases for doc in documents_for_case(case, treatments[case.pk], bodies)]


@transaction.atomic
def index_bodies(body_ids: Iterable[int]) -> int:
    ids = set(body_ids)
    if not ids:
        return 0
    docs = [
        d
        for body in Body.objects.select_related("organisation").filter(pk__in=ids)
        for d in documents_for_body(body)
    ]
    return _replace(Q(kind=Doc.Kind.BODY, object_id__in=ids), docs)


def people_query():
    return Person.objects.select_related("organisation").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("body"))
    )


@transaction.atomic
def index_people(person_ids: Iterable[int]) -> int:
    ids = set(person_ids)
    if not ids:
        return 0
    docs = [d for person in people_query().filter(pk__in=ids) for d in documents_for_person(person)]
    return _replace(Q(kind=Doc.Kind.PERSON, object_id__in=ids), docs)


def index_objects(
    *,
    meetings: Iterable[int] = (),
    items: Iterable[int] = (),
    attachments: Iterable[int] = (),
    cases: Iterable[int] = (),
    bodies: Iterable[int] = (),
    people: Iterable[int] = (),
) -> int:
    """Re-index the named objects (ids of objects since removed drop their documents);
    returns the documents written. What the search index's event consumer does."""
    meetings, attachments = set(meetings), set(attachments)
    count = index_meetings(meetings)
    items = set(items) - _items_of_meetings(meetings)
    count += index_items(items)
    if attachments:
        # Attachments of items just re-indexed are already current.
        done = set(
            Attachment.objects.filter(item_id__in=items, pk__in=attachments).values_list(
                "pk", flat=True
            )
        )
        count += index_attachments(attachments - done)
    count += index_cases(set(cases))
    count += index_bodies(set(bodies))
    count += index_people(set(people))
    return count


def _items_of_meetings(meeting_ids: set[int]) -> set[int]:
    if not meeting_ids:
        return set()
    return set(AgendaItem.objects.filter(meeting_id__in=meeting_ids).values_list("pk", flat=True))


# --- bulk build: documents as rows -------------------------------------------------------------

# The columns a bulk build writes, in order (the id is assigned by the database, in order).
COLUMNS = tuple(f.column for f in SearchDocument._meta.concrete_fields if not f.primary_key)
_as_row = operator.itemgetter(*COLUMNS)


def rows(docs: list[dict]) -> list[tuple]:
    """The documents as tuples of `COLUMNS`, with their filter terms."""
    for doc in docs:
        doc["filter_terms"] = filter_terms(doc)
    return list(map(_as_row, docs))
