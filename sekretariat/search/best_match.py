"""Best match: what a search shows when too few documents have every word (issue 20).

`selectors.search` runs the query as typed first; when that finds less than the page asks for,
`relaxed_hits` runs the query's relaxed forms (`analysis.relax`) through the same backend, with
the same filters and access rule, and returns what they find after it.
"""

from dataclasses import replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .analysis import ParsedQuery, get_default_analyzer
from .analysis.query import Clause
from .analysis.relax import (
    Relaxation,
    clause_weight,
    near_clauses,
    part_clauses,
    relaxations,
    title_coverage,
)
from .backends import BackendQuery
from .backends.base import CASE_BOOST, Candidate
from .models import SearchDocument

# A word's documents are counted up to this many for its weight when a search relaxes.
RELAX_COUNT_CAP = 2_000
# A relaxed hit's order: its form's coverage plus this times the share of the query in its title.
TITLE_BONUS = 0.5
# The relaxed forms run at least (unless fewer exist), even when the first ones fill the page.
MIN_FORMS = 2
# The relaxed forms run at most: each is a search of its own (3 to 6 ms on a small installation).
MAX_RUN = 6
# The documents a relaxed form reads at first (more if they hold too few objects for the page).
FORM_CANDIDATES = 100
# The newest matching documents a relaxed form ranks (the backends rank a thousand for the query
# itself): a form is one of several searches, and its hits come after the query's own.
FORM_WINDOW = 300


def relaxed_hits(
    backend, query: BackendQuery, needed: int, found_already: list[Candidate]
) -> tuple[list[tuple[Candidate, Relaxation]], list[Candidate], bool]:
    """The objects the query's relaxed forms find (`analysis.relax`), each with the form that
    found it first, best first; their documents (for the facets); and whether there may be
    more (a full page was found before every form had run, or a form's match was cut off).

    Which forms find anything at all is asked first, in one statement (`have_matches`); of
    those, the forms run best first until `needed` objects are found in all, at least
    `MIN_FORMS` of them (so a page is not filled by the first forms alone) and at most
    `MAX_RUN`. The objects are then ordered by
    the coverage of their form plus `TITLE_BONUS` times the share of the query in their title
    (a known item is asked for by its title), then by the order their form found them in."""
    parsed = query.parsed
    total = backend.total_documents()
    # Every clause's documents, and each part of its split and near forms, in one statement.
    asked: list[Clause] = list(parsed.required)
    for clause in parsed.required:
        asked += [*part_clauses(clause), *near_clauses(clause)]
    asked = list(dict.fromkeys(asked))
    alone = [replace(parsed, required=(clause,), excluded=()) for clause in asked]
    found_in = dict(zip(asked, backend.count_documents(alone, RELAX_COUNT_CAP), strict=True))
    counts = [found_in[clause] for clause in parsed.required]
    absent = frozenset(i for i, count in enumerate(counts) if count == 0)

    def lacking(clauses) -> bool:
        return any(found_in[clause] == 0 for clause in clauses)

    absent_parts = frozenset(
        i for i, c in enumerate(parsed.required) if c.parts and lacking(part_clauses(c))
    )
    absent_near = frozenset(
        i for i, c in enumerate(parsed.required) if c.near and lacking(near_clauses(c))
    )
    weights = [clause_weight(count, total) for count in counts]
    forms = relaxations(
        parsed, weights, absent=absent, absent_parts=absent_parts, absent_near=absent_near
    )
    seen = {(row.kind, row.object_id) for row in found_already}
    found: list[tuple[Candidate, Relaxation]] = []
    found_rows: list[Candidate] = []
    asked = [
        replace(query, parsed=form.parsed, offset=0, limit=needed, extra={"window": FORM_WINDOW})
        for form in forms
    ]
    useful = [
        (form, relaxed)
        for form, relaxed, matches in zip(forms, asked, backend.have_matches(asked), strict=True)
        if matches
    ]
    more = False
    for run, (form, relaxed) in enumerate(useful[:MAX_RUN]):
        if len(found_already) + len(found) >= needed and run >= MIN_FORMS:
            more = True
            break
        # The form's best objects, enough to fill the page by themselves (not the thousand
        # documents a search reads for its facets).
        objects, rows, capped = backend.ranked(relaxed, cap=FORM_CANDIDATES)
        fresh = [row for row in objects if (row.kind, row.object_id) not in seen][:needed]
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
        worth = form.coverage + TITLE_BONUS * title_coverage(parsed, weights, terms)
        # A case is titled like the item that opened it: below the item, as in the ranking.
        return (-worth * (CASE_BOOST if row.kind == SearchDocument.Kind.CASE else 1.0), position)

    ordered = [entry for _position, entry in sorted(enumerate(found), key=key)]
    return ordered, found_rows, more


def highlighted(parsed: ParsedQuery, form: Relaxation | None) -> ParsedQuery:
    """What a hit's title and snippet mark: the query's words, and the parts a relaxed form
    looked for in place of a compound."""
    if form is None:
        return parsed
    return replace(parsed, required=tuple(dict.fromkeys((*parsed.required, *form.parsed.required))))


def relaxed_notice(all_words: int) -> str:
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
