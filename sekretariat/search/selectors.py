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
from collections import Counter
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
from .analysis.query import Clause
from .analysis.relax import (
    Relaxation,
    can_relax,
    clause_weight,
    part_clauses,
    relaxations,
    title_coverage,
)
from .backends import BackendQuery, get_backend
from .backends.base import Candidate, filter_term
from .models import SearchDocument

PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 500
SNIPPET_WIDTH = 240
# Snippets are cut from the first part of long texts only (an attachment may be 200,000 chars).
SNIPPET_SOURCE_CHARS = 30_000
# A word's documents are counted up to this many for its weight when a search relaxes.
RELAX_COUNT_CAP = 5_000
# A relaxed hit's order: its form's coverage plus this times the share of the query in its title.
TITLE_BONUS = 0.5
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


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


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
        found, found_rows, more = _relaxed(backend, query, needed, objects)
        objects = [*objects, *(row for row, _form in found)]
        forms += [form for _row, form in found]
        rows = [*rows, *found_rows]
        capped = capped or more
        if found:
            results.notices.append(_relaxed_notice(results.total_all_words))
    results.total = len(objects)
    results.total_capped = capped
    if with_facets:
        results.facets, bodies = _facets(rows)
    page = slice(query.offset, query.offset + query.limit)
    hit_rows, hit_forms = objects[page], forms[page]
    docs = SearchDocument.objects.defer("title_terms", "text_terms", "filter_terms").in_bulk(
        [hit.document_id for hit in hit_rows]
    )
    missing = {doc.body_id for doc in docs.values()} - set(bodies)
    bodies.update(_body_names(missing))
    results.hits = [
        _hit(docs[row.document_id], row.score, _highlighted(parsed, form), bodies, form)
        for row, form in zip(hit_rows, hit_forms, strict=True)
        if row.document_id in docs
    ]
    if not results.hits and not results.message:
        results.message = _("Nothing was found. Try fewer or other words, or remove a filter.")
    return results


# --- best match -------------------------------------------------------------------------------


def _relaxed(
    backend, query: BackendQuery, needed: int, found_already: list[Candidate]
) -> tuple[list[tuple[Candidate, Relaxation]], list[Candidate], bool]:
    """The objects the query's relaxed forms find (`analysis.relax`), each with the form that
    found it first, best first; their documents (for the facets); and whether forms were left
    unrun (then there may be more).

    The forms run best first until `needed` objects are found in all, and at least one form
    per word the query has (a form that finds nothing is quick: its rarest word's list is
    short), so a page is not filled by the first forms alone. The objects are then ordered by
    the coverage of their form plus `TITLE_BONUS` times the share of the query in their title
    (a known item is asked for by its title), then by the order their form found them in."""
    parsed = query.parsed
    total = backend.total_documents()
    counts = [_documents(backend, parsed, clause) for clause in parsed.required]
    absent = frozenset(i for i, count in enumerate(counts) if count == 0)
    absent_parts = frozenset(
        i
        for i, clause in enumerate(parsed.required)
        if clause.parts
        and any(_documents(backend, parsed, part) == 0 for part in part_clauses(clause))
    )
    weights = [clause_weight(count, total) for count in counts]
    forms = relaxations(parsed, weights, absent=absent, absent_parts=absent_parts)
    seen = {(row.kind, row.object_id) for row in found_already}
    found: list[tuple[Candidate, Relaxation]] = []
    found_rows: list[Candidate] = []
    more = False
    minimum = len(parsed.required) + 2
    empty: list[frozenset[Clause]] = []
    for index, form in enumerate(forms):
        if len(found_already) + len(found) >= needed and index >= minimum:
            more = True
            break
        asked = frozenset(form.parsed.required)
        if any(nothing <= asked for nothing in empty):
            continue  # it asks for all that a form that found nothing asked for, and more
        objects, rows, capped = backend.ranked(
            replace(query, parsed=form.parsed, offset=0, limit=needed)
        )
        if not objects:
            empty.append(asked)
        fresh = [row for row in objects if (row.kind, row.object_id) not in seen]
        seen.update((row.kind, row.object_id) for row in fresh)
        found += [(row, form) for row in fresh]
        keys = {(row.kind, row.object_id) for row in fresh}
        found_rows += [row for row in rows if (row.kind, row.object_id) in keys]
        more = more or capped
    titles = dict(
        SearchDocument.objects.filter(id__in=[row.document_id for row, _form in found]).values_list(
            "id", "title"
        )
    )
    analyzer = get_default_analyzer()

    def key(entry):
        position, (row, form) = entry
        terms = analyzer.index_text(titles.get(row.document_id, "")).split()
        return (-(form.coverage + TITLE_BONUS * title_coverage(parsed, weights, terms)), position)

    ordered = [entry for _position, entry in sorted(enumerate(found), key=key)]
    return ordered, found_rows, more


def _documents(backend, parsed: ParsedQuery, clause: Clause) -> int:
    alone = replace(parsed, required=(clause,), excluded=())
    return backend.count_documents(alone, RELAX_COUNT_CAP)


def _highlighted(parsed: ParsedQuery, form: Relaxation | None) -> ParsedQuery:
    """What a hit's title and snippet mark: the query's words, and the parts a relaxed form
    looked for in place of a compound."""
    if form is None:
        return parsed
    return replace(parsed, required=tuple(dict.fromkeys((*parsed.required, *form.parsed.required))))


def _relaxed_notice(all_words: int) -> str:
    if not all_words:
        return _(
            "Nothing has all the words you searched for. These are the results with most of "
            "them; each says which words it lacks. Write +word for a word that must be there."
        )
    return ngettext(
        "%(count)s result has all the words; after it come results with most of them.",
        "%(count)s results have all the words; after them come results with most of them.",
        all_words,
    ) % {"count": all_words}


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


def _facets(rows: list[Candidate]) -> tuple[dict[str, list[FacetOption]], dict[int, str]]:
    """The facets over the candidates (each object counted once per distinct value), and the
    names of the bodies among them."""
    names_of = ("body", "year", "kind", "item_kind", "type")
    # (kind, object id) and the five values: an object's sections share them, mostly. Counted
    # a column at a time (a frequent word's page counts a thousand candidates).
    distinct = {(r[1], r[2], r[3], r[4], r[1], r[5], r[6]) for r in rows}
    columns = list(zip(*distinct, strict=True))[2:] if distinct else [()] * len(names_of)
    counts: dict[str, Counter] = {}
    for name, column in zip(names_of, columns, strict=True):
        found = Counter(column)
        found.pop(None, None)
        found.pop("", None)
        counts[name] = found
    # Plain rows: a frequent word's facets name most bodies, and model instances of them and
    # their organisations cost more than the counting.
    names = {
        pk: (name, organisation_id, organisation_name)
        for pk, name, organisation_id, organisation_name in Body.objects.filter(
            pk__in=counts["body"].keys()
        ).values_list("pk", "name", "organisation_id", "organisation__name")
    }
    organisations: dict[int, list] = {}
    for body_id, count in counts["body"].items():
        body = names.get(body_id)
        if body is not None:
            entry = organisations.setdefault(body[1], [body[2], 0])
            entry[1] += count
    kind_labels = dict(SearchDocument.Kind.choices)
    type_labels = dict(SearchDocument.DocType.choices)
    item_kind_labels = {
        "beslutning": _("decision"),
        "droeftelse": _("discussion"),
        "orientering": _("information"),
    }

    def options(name, label, key=lambda o: (-o.count, o.label)):
        return sorted(
            (FacetOption(str(v), str(label(v)), c) for v, c in counts[name].items()), key=key
        )

    facets = {
        "body": [
            FacetOption(str(pk), names[pk][0], c)
            for pk, c in sorted(counts["body"].items(), key=lambda kv: (-kv[1], str(kv[0])))
            if pk in names
        ],
        "organisation": sorted(
            (FacetOption(str(pk), name, c) for pk, (name, c) in organisations.items()),
            key=lambda o: (-o.count, o.label),
        ),
        "year": options("year", str, key=lambda o: o.value)[::-1],
        "kind": options("kind", lambda v: kind_labels.get(v, v)),
        "item_kind": options("item_kind", lambda v: item_kind_labels.get(v, v)),
        "type": options("type", lambda v: type_labels.get(v, v)),
    }
    return facets, {pk: body[0] for pk, body in names.items()}
