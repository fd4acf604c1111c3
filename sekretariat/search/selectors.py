"""Searching: `search(query_text, viewer, filters, page, order) -> SearchResults`.

The access rule is part of the SQL the backend runs (`_access_condition`): a public viewer's
query carries `visible_public = true`, a member's "or the body is one of mine", and a case's
document is checked against the items that treat the case now (`_case_condition`); nothing is
filtered after the fact, so hits, snippets, counts and facets can only come from documents the
viewer may read.
"""

import datetime
import html
import math
import re
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sekretariat.bodies.models import Body
from sekretariat.bodies.selectors import Viewer
from sekretariat.meetings import visibility
from sekretariat.meetings.models import Access, AgendaItem, Meeting

from .analysis import ParsedQuery, QueryIssue, analyze_query, get_default_analyzer, snippet
from .analysis.relax import Relaxation, can_relax
from .backends import BackendQuery, get_backend
from .backends.base import filter_term
from .best_match import highlighted, relaxed_hits, relaxed_notice
from .facets import FacetOption, facets_of
from .models import SearchDocument

PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 500
SNIPPET_WIDTH = 240
# Snippets are cut from the first part of long texts only (an attachment may be 200,000 chars).
SNIPPET_SOURCE_CHARS = 30_000
ORDERS = ("relevance", "newest")
_JOURNAL_RE = re.compile(r"[0-9A-ZÆØÅ.\-]{2,60}")

ITEM_KINDS = {
    "beslutning": "beslutning",
    "droeftelse": "droeftelse",
    "drøftelse": "droeftelse",
    "orientering": "orientering",
}
DOC_TYPES = {
    "dagsorden": "dagsorden",
    "referat": "referat",
    "bilag": "bilag",
    "sag": "sag",
    "sager": "sag",
    "forum": "forum",
    "fora": "forum",
    "person": "person",
    "moede": "moede",
    "møde": "moede",
}
SECTION_TYPES = {"beslutning": "beslutning", "resume": "resume", "resumé": "resume",
                 "indstilling": "indstilling", "sagsfremstilling": "sagsfremstilling"}  # fmt: skip


@dataclass(frozen=True)
class SearchFilters:
    """Filters from the form, the URL or the command line (the query's own `field:` filters
    are added to these)."""

    body_ids: tuple[int, ...] = ()
    body_names: tuple[str, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kinds: tuple[str, ...] = ()
    item_kinds: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    journal: str = ""

    @property
    def is_empty(self) -> bool:
        return self == SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    title: str
    subtitle: str
    body: str
    date: datetime.date | None
    section: str
    section_name: str
    snippet: SafeString
    title_html: SafeString
    url: str
    score: float
    is_closed: bool
    # The query's words this hit does not have (a relaxed search's best match), as typed.
    missing: tuple[str, ...] = ()

    def as_json(self) -> dict:
        """The hit for the JSON endpoint and the CLI. Text comes two ways, named by what it is:
        `title` and `snippet_text` are plain text (escape them before putting them in HTML);
        `title_html` and `snippet` are HTML, escaped, with the query's words in <mark>."""
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "title_html": str(escape(self.title)),
            "snippet_text": html.unescape(strip_tags(str(self.snippet))),
            "body": self.body,
            "date": self.date.isoformat() if self.date else None,
            "section": self.section,
            "snippet": str(self.snippet),
            "url": self.url,
            "score": round(self.score, 6),
            "missing": list(self.missing),
        }


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: SearchFilters
    order: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    # Why nothing was searched ("type a word"), shown instead of results.
    message: str = ""
    # Remarks about the query (shortened, unclosed quote, unusable filter).
    notices: list[str] = field(default_factory=list)
    searched: bool = False
    # The match went on beyond what was read (`CANDIDATE_CAP` documents): `total` and the
    # facet counts are lower bounds ("more than 312 results").
    total_capped: bool = False
    # How many hits have every word; the rest (a relaxed search's) match most of them.
    total_all_words: int = 0

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0

    def as_json(self) -> dict:
        return {
            "query": self.query.raw,
            "total": self.total,
            "total_capped": self.total_capped,
            "page": self.page,
            "pages": self.pages,
            "order": self.order,
            "message": self.message,
            "notices": self.notices,
            "results": [hit.as_json() for hit in self.hits],
            "facets": {
                name: [{"value": o.value, "label": o.label, "count": o.count} for o in options]
                for name, options in self.facets.items()
            },
        }


def search(
    query_text: str,
    viewer: Viewer,
    filters: SearchFilters | None = None,
    page: int = 1,
    order: str = "relevance",
    per_page: int = PER_PAGE,
    with_facets: bool = True,
    backend=None,
    all_words: bool = False,
) -> SearchResults:
    """Search the index as `viewer`; never raises on what a user typed.

    Every word must match; when that finds less than the page asks for, the search relaxes
    (`analysis.relax`) and fills the page with what matches most of the words, after the
    hits that match all, each saying which words it lacks. `all_words` keeps it strict.
    `backend` defaults to the one of the database in use (the benchmarks pass baselines)."""
    filters = filters or SearchFilters()
    parsed = analyze_query(query_text if isinstance(query_text, str) else "")
    order = order if order in ORDERS else "relevance"
    per_page = min(max(int(per_page or PER_PAGE), 1), MAX_PER_PAGE)
    page = min(max(int(page or 1), 1), MAX_PAGE)
    results = SearchResults(
        query=parsed, filters=filters, order=order, page=page, per_page=per_page
    )
    results.notices = _notices(parsed)
    filters = _merge_query_filters(parsed, filters)
    if not parsed.has_text and filters.is_empty:
        results.message = (
            _(
                "Only very common words (%(words)s) were typed, and they are not searched. "
                "Add a more specific word."
            )
            % {"words": ", ".join(parsed.stopwords[:6])}
            if parsed.only_stopwords
            else _("Type one or more words to search for.")
        )
        return results
    where, params = _conditions(viewer, filters)
    backend = backend or get_backend()
    query = BackendQuery(
        parsed=parsed,
        where=tuple(where),
        params=tuple(params),
        tokens=filter_tokens(viewer, filters),
        not_tokens=excluded_tokens(viewer),
        order=order if parsed.required else "newest",
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    results.searched = True
    bodies: dict[int, str] = {}
    # One statement: the best `CANDIDATE_CAP` matching documents (more for a deep page); the
    # page, the count and the facets come from them, so frequent words cost no full count.
    objects, rows, capped = backend.ranked(query)
    results.total_all_words = len(objects)
    forms: list[Relaxation | None] = [None] * len(objects)
    needed = query.offset + query.limit + 1
    if not all_words and len(objects) < needed and can_relax(parsed):
        found, found_rows, more = relaxed_hits(backend, query, needed, objects)
        objects = [*objects, *(row for row, _form in found)]
        forms += [form for _row, form in found]
        rows = [*rows, *found_rows]
        capped = capped or more
        if found:
            results.notices.append(relaxed_notice(results.total_all_words))
    results.total = len(objects)
    results.total_capped = capped
    if with_facets:
        results.facets, bodies = facets_of(rows)
    page = slice(query.offset, query.offset + query.limit)
    hit_rows, hit_forms = objects[page], forms[page]
    docs = SearchDocument.objects.defer("title_terms", "text_terms", "filter_terms").in_bulk(
        [hit.document_id for hit in hit_rows]
    )
    missing = {doc.body_id for doc in docs.values()} - set(bodies)
    bodies.update(_body_names(missing))
    results.hits = [
        _hit(docs[row.document_id], row.score, highlighted(parsed, form), bodies, form)
        for row, form in zip(hit_rows, hit_forms, strict=True)
        if row.document_id in docs
    ]
    if not results.hits and not results.message:
        results.message = _("Nothing was found. Try fewer or other words, or remove a filter.")
    return results


# --- filters and access ----------------------------------------------------------------------


def _access_condition(viewer: Viewer) -> tuple[str, list] | None:
    """The SQL that keeps a viewer to what they may read (None: everything)."""
    if viewer.is_admin:
        return None
    own = sorted(set(viewer.editable_body_ids) | set(viewer.member_body_ids))
    if not own:
        return "d.visible_public = %s", [True]
    marks = ", ".join(["%s"] * len(own))
    return f"d.visible_public = %s OR d.body_id IN ({marks})", [True, *own]


def _case_condition(viewer: Viewer) -> tuple[str, list] | None:
    """A case's document only while an item that treats the case under the title the document
    carries may be read by the viewer (open on a public agenda, or of one of the viewer's
    bodies); None for an administrator.

    A case's document can be behind its items: it is re-indexed with the items that treat the
    case now, not with an item that has just left it (a new journal number, a removed item),
    and a case treated only in closed items is filed under the body of its latest item with
    the title of its first, which may be another body's. Checked against the items themselves,
    such a document is not found until it is re-indexed, rather than found with a title the
    viewer may not read."""
    if viewer.is_admin:
        return None
    statuses = sorted(visibility.AGENDA_PUBLIC_STATUSES)
    readable = f"(i.access = %s AND m.status IN ({', '.join(['%s'] * len(statuses))}))"
    params: list = [SearchDocument.Kind.CASE.value, Access.OPEN.value, *statuses]
    own = sorted(set(viewer.editable_body_ids) | set(viewer.member_body_ids))
    if own:
        readable = f"({readable} OR m.body_id IN ({', '.join(['%s'] * len(own))}))"
        params += own
    items, meetings = AgendaItem._meta.db_table, Meeting._meta.db_table
    sql = (
        f"d.kind <> %s OR EXISTS (SELECT 1 FROM {items} i JOIN {meetings} m ON m.id = i.meeting_id"
        f" WHERE i.case_id = d.object_id AND i.title = d.title AND {readable})"
    )
    return sql, params


def _in(column: str, values, negate: bool = False) -> tuple[str, list]:
    values = list(values)
    if not values:
        return ("1 = 1", []) if negate else ("1 = 0", [])
    marks = ", ".join(["%s"] * len(values))
    return f"{column} {'NOT IN' if negate else 'IN'} ({marks})", values


def _conditions(viewer: Viewer, filters: SearchFilters) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []

    def add(condition: tuple[str, list] | None) -> None:
        if condition is not None:
            where.append(condition[0])
            params.extend(condition[1])

    add(_access_condition(viewer))
    add(_case_condition(viewer))
    body_ids = set(filters.body_ids)
    if filters.body_names:
        body_ids |= _resolve_bodies(filters.body_names) or {0}
    if body_ids:
        add(_in("d.body_id", sorted(body_ids)))
    if filters.organisation_ids:
        add(_in("d.organisation_id", filters.organisation_ids))
    if filters.year_from is not None:
        add(("d.year >= %s", [filters.year_from]))
    if filters.year_to is not None:
        add(("d.year <= %s", [filters.year_to]))
    if filters.date_from is not None:
        add(("d.date >= %s", [filters.date_from]))
    if filters.date_to is not None:
        add(("d.date <= %s", [filters.date_to]))
    if filters.kinds:
        add(_in("d.kind", filters.kinds))
    if filters.item_kinds:
        add(_in("d.item_kind", filters.item_kinds))
    if filters.doc_types:
        types = [t for t in filters.doc_types if t in DOC_TYPES.values()]
        sections = [t for t in filters.doc_types if t in SECTION_TYPES.values()]
        parts, values = [], []
        for column, chosen in (("d.doc_type", types), ("d.section", sections)):
            if chosen:
                sql, vals = _in(column, chosen)
                parts.append(sql)
                values += vals
        add((" OR ".join(parts) or "1 = 0", values))
    if filters.journal:
        add(("d.journal_number LIKE %s", [filters.journal + "%"]))
    return where, params


# A year filter becomes year terms up to this many years (beyond it only the SQL applies).
MAX_YEAR_TERMS = 50


def filter_tokens(viewer: Viewer, filters: SearchFilters) -> tuple[tuple[str, ...], ...]:
    """The access rule and the filters as index terms (`indexer.filter_terms`), for the text
    match itself: each group is a disjunction, the groups a conjunction. The SQL conditions of
    `_conditions` stay in the statement too; these only let the text index find less."""
    groups: list[tuple[str, ...]] = []

    def add(name: str, values) -> None:
        terms = tuple(
            filter_term(name, value) for value in values if str(value).isalnum() and value != ""
        )
        if terms:
            groups.append(terms)

    if not viewer.is_admin:
        own = sorted(set(viewer.editable_body_ids) | set(viewer.member_body_ids))
        if own:
            groups.append((filter_term("pub", 1), *(filter_term("body", pk) for pk in own)))
    body_ids = set(filters.body_ids)
    if filters.body_names:
        body_ids |= _resolve_bodies(filters.body_names) or {0}
    add("body", sorted(body_ids))
    add("org", filters.organisation_ids)
    first = max(
        (y for y in (filters.year_from, filters.date_from and filters.date_from.year) if y),
        default=None,
    )
    last = min(
        (y for y in (filters.year_to, filters.date_to and filters.date_to.year) if y),
        default=None,
    )
    if first is not None and last is not None and last - first < MAX_YEAR_TERMS:
        years = tuple(filter_term("year", y) for y in range(first, last + 1))
        groups.append(years or (filter_term("none", 0),))
    add("kind", filters.kinds)
    add("ik", filters.item_kinds)
    if filters.doc_types:
        types = [t for t in filters.doc_types if t in DOC_TYPES.values()]
        sections = [t for t in filters.doc_types if t in SECTION_TYPES.values()]
        terms = (*(filter_term("dt", t) for t in types), *(filter_term("sec", t) for t in sections))
        if terms:
            groups.append(terms)
    return tuple(groups)


def excluded_tokens(viewer: Viewer) -> tuple[str, ...]:
    """The index terms a viewer's matches may not have: the public's `øpriv1` (a member's
    rule is a group of `filter_tokens`)."""
    if viewer.is_admin or viewer.editable_body_ids or viewer.member_body_ids:
        return ()
    return (filter_term("priv", 1),)


def _resolve_bodies(names) -> set[int]:
    ids: set[int] = set()
    for name in names:
        exact = Body.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name))
        found = set(exact.values_list("pk", flat=True)) or set(
            Body.objects.filter(name__icontains=name).values_list("pk", flat=True)
        )
        ids |= found
    return ids


def _merge_query_filters(parsed: ParsedQuery, filters: SearchFilters) -> SearchFilters:
    """Add the query's `body:`, `year:`, `kind:`, `type:` and `journal:` filters."""
    changes: dict = {}
    for item in parsed.filters:
        if item.negated:
            continue  # negated field filters are not offered in the form; ignore them
        if item.field == "body":
            changes["body_names"] = (*changes.get("body_names", filters.body_names), item.value)
        elif item.field == "year":
            first, last = item.year_range
            changes["year_from"] = max(first, filters.year_from or first)
            changes["year_to"] = min(last, filters.year_to or last)
        elif item.field == "kind":
            value = ITEM_KINDS.get(item.value)
            if value:
                changes["item_kinds"] = (*changes.get("item_kinds", filters.item_kinds), value)
            elif item.value in SearchDocument.Kind.values:
                changes["kinds"] = (*changes.get("kinds", filters.kinds), item.value)
        elif item.field == "type":
            value = DOC_TYPES.get(item.value) or SECTION_TYPES.get(item.value)
            if value:
                changes["doc_types"] = (*changes.get("doc_types", filters.doc_types), value)
        elif item.field == "journal":
            changes["journal"] = item.value
    return replace(filters, **changes) if changes else filters


def clean_journal(value: str) -> str:
    """A journal-number prefix from a form ('' if it is not one)."""
    value = (value or "").strip().upper()
    return value if _JOURNAL_RE.fullmatch(value) else ""


def _notices(parsed: ParsedQuery) -> list[str]:
    notices = []
    if QueryIssue.TRUNCATED in parsed.issues:
        notices.append(_("The query was long and only its first 1,000 characters were used."))
    if QueryIssue.UNBALANCED_QUOTE in parsed.issues:
        notices.append(_("A quotation mark was not closed; the phrase runs to the end."))
    if QueryIssue.TOO_MANY_TERMS in parsed.issues:
        notices.append(_("The query had many words; some were left out."))
    if parsed.ignored:
        notices.append(
            ngettext(
                "This part could not be used: %(parts)s",
                "These parts could not be used: %(parts)s",
                len(parsed.ignored),
            )
            % {"parts": ", ".join(parsed.ignored[:5])}
        )
    if parsed.stopwords and parsed.has_text:
        notices.append(
            _("Very common words were not searched: %(words)s")
            % {"words": ", ".join(parsed.stopwords[:6])}
        )
    return notices


# --- hits and facets ------------------------------------------------------------------------


def _body_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(Body.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _hit(
    doc: SearchDocument,
    score: float,
    parsed: ParsedQuery,
    bodies,
    form: Relaxation | None = None,
) -> SearchHit:
    text = doc.text[:SNIPPET_SOURCE_CHARS]
    if parsed.required:
        marked = snippet(text, parsed, SNIPPET_WIDTH) if text else ""
        title_html = _mark_title(doc.title, parsed)
    else:
        marked = escape(text[:SNIPPET_WIDTH]) + ("…" if len(text) > SNIPPET_WIDTH else "")
        title_html = escape(doc.title)
    return SearchHit(
        kind=doc.kind,
        id=doc.object_id,
        title=doc.title,
        subtitle=doc.subtitle,
        body=bodies.get(doc.body_id, ""),
        date=doc.date,
        section=doc.section,
        section_name=doc.section_name,
        snippet=mark_safe(marked),  # built by the analyzer's snippet(): escaped, <mark> only
        title_html=mark_safe(title_html),
        url=doc.url,
        score=score,
        is_closed=doc.access == "lukket",
        missing=form.missing if form is not None else (),
    )


def _mark_title(title: str, parsed: ParsedQuery) -> str:
    """The whole title, HTML-escaped, with the words that carry a query term in <mark>."""
    terms = set(parsed.terms)
    pieces, position = [], 0
    for word in get_default_analyzer().analyze_words(title):
        if terms.intersection(word.terms):
            pieces.append(escape(title[position : word.start]))
            pieces.append(f"<mark>{escape(title[word.start : word.end])}</mark>")
            position = word.end
    pieces.append(escape(title[position:]))
    return "".join(pieces)
