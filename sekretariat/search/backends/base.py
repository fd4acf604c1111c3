"""The interface every search backend implements, and the SQL both share.

A backend only knows how to turn the analysed query into a text condition and a score; the
filters (including the access rule) come from `selectors` as plain SQL on `SearchDocument`'s
columns (alias `d`), so they are applied in the same statement as the match, never afterwards.

Results are grouped by object: an item whose summary, recommendation and decision all match is
one hit, represented by its best-scoring section.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from ..analysis import ParsedQuery

ORDERS = ("relevance", "newest")
# A case is titled like the item that opened it: ranked below the item, so the item comes first.
CASE_BOOST = 0.7


@dataclass(frozen=True)
class BackendQuery:
    """What a backend needs: the parsed query, the SQL filters on `d`, order and page."""

    parsed: ParsedQuery
    where: tuple[str, ...] = ()
    params: tuple = ()
    order: str = "relevance"
    limit: int = 20
    offset: int = 0
    # "window": a smaller match window than the backend's (a relaxed search's forms).
    extra: dict = field(default_factory=dict)
    # The filters and the access rule again, as index terms (`indexer.filter_terms`): a
    # conjunction of disjunctions, ANDed into the text match by backends that index them.
    tokens: tuple[tuple[str, ...], ...] = ()
    # Index terms no matching document may have (the public's `øpriv1`).
    not_tokens: tuple[str, ...] = ()


class Hit(NamedTuple):
    document_id: int
    score: float


class Candidate(NamedTuple):
    """A matching document with what grouping, facets and the page need."""

    document_id: int
    kind: str
    object_id: int
    body_id: int | None
    year: int | None
    item_kind: str
    doc_type: str
    date: object
    score: float


# How many matching documents one search reads, best first: hits, facets and the count of a
# search are computed over these. Beyond it the count and the facets say "at least".
CANDIDATE_CAP = 1000
# A word in a tenth of all documents would otherwise be scored in every one of them: only the
# last `MATCH_WINDOW` matching documents that pass the filters (the most recently indexed; a
# rebuild indexes meetings by date) are scored and ranked. Below it, ranking is exact.
MATCH_WINDOW = 10_000


# The filter and access values of a document as index terms (`indexer.filter_terms`). The
# analyzer writes æ, ø and å as ae, oe and aa, so no term of a text can start with "ø": these
# never meet a word of a text.
FILTER_PREFIX = "ø"


def filter_term(name: str, value) -> str:
    return f"{FILTER_PREFIX}{name}{value}"


def quarter_term(year: int, quarter: int) -> str:
    """The index term of a year's quarter (1-4) of a document's date: 'øyq20244'."""
    return filter_term("yq", f"{year}{quarter}")


class SearchBackend:
    """Base: subclasses give `_matched` (the FROM/WHERE of the text match and the score)."""

    vendor = ""
    label = ""
    # None: `MATCH_WINDOW`.
    match_window: int | None = None
    # Whether the text index holds `indexer.filter_terms` (then `BackendQuery.tokens` apply).
    filter_tokens = False
    # Whether a rebuild writes the newest meetings first (see `_windowed`).
    rebuild_newest_first = False
    # Whether a bulk load drops the b-tree indexes and builds them at the end: each build
    # reads the whole table, cheap where long values live out of line (PostgreSQL's TOAST),
    # dear where they do not (SQLite: five passes over every stored text cost more than
    # keeping the indexes up to date row by row).
    bulk_rebuilds_btrees = False

    def __init__(self, connection):
        self.connection = connection
        self.last_window_full = False

    # -- to implement ---------------------------------------------------------------------

    def _matched(self, parsed: ParsedQuery) -> tuple[str, str, list] | None:
        """(FROM ... WHERE <text condition>, score expression, params) for the query's text;
        None when the query has text but nothing of it can be searched. A query without text
        (filters only) gives a FROM over all documents and a score of 0."""
        raise NotImplementedError

    def _group_hits_sql(self, matched_cte: str, order_by: str) -> str:
        raise NotImplementedError

    def _matched_query(self, query: BackendQuery) -> tuple[str, str, list] | None:
        """`_matched` with the query's filter terms in the text match (backends that index
        them override this)."""
        return self._matched(query.parsed)

    def _window_order(self, query: BackendQuery) -> str | None:
        """The ORDER BY that walks the text match newest-indexed first without sorting ('' for
        the match's own order), or None when the query should not be windowed."""
        return None

    def index_size_bytes(self) -> int:
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document and its index entries."""
        raise NotImplementedError

    def optimize(self) -> None:
        """Make the index compact after a bulk load."""

    def after_rebuild(self) -> None:
        """After a rebuild has committed (outside any transaction)."""

    def refresh_statistics(self) -> int:
        """Count the documents of the frequent terms anew (`SearchTermStatistic`), where the
        backend uses them; returns the number of terms kept."""
        return 0

    # Whether a rebuild with workers writes a new table beside the one searched and swaps it in
    # (`services.search_reindex`; the backend then has `beside_begin`, `beside_statements`,
    # `beside_run`, `beside_swap` and `beside_abandon`).
    rebuilds_beside = False

    def analyze_sources(self, tables: list[str]) -> list[str]:
        """Bring the planner statistics of the tables a rebuild reads up to date where they
        are missing or stale; returns the tables analysed."""
        return []

    def begin_bulk(self) -> None:
        """Before a bulk load into an empty index: set the text index's upkeep aside (and,
        with `bulk_rebuilds_btrees`, the b-tree indexes: built once at the end)."""
        if self.bulk_rebuilds_btrees:
            with self.connection.cursor() as cursor:
                for name, _columns in secondary_indexes():
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def end_bulk(self) -> None:
        """After a bulk load: build the text index once (undoes `begin_bulk`)."""
        if self.bulk_rebuilds_btrees:
            with self.connection.cursor() as cursor:
                for name, columns in secondary_indexes():
                    cursor.execute(
                        f"CREATE INDEX {name} ON search_searchdocument ({', '.join(columns)})"
                    )

    @staticmethod
    def prepare_rows(columns: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
        """Rows of `columns` as `bulk_insert` takes them. A pure function of the rows, which a
        rebuild calls in its worker processes (a backend may add a column it computes)."""
        return rows

    def insert_rows(self, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Write documents as rows of `columns`, outside a bulk load too."""
        self.bulk_insert(columns, self.prepare_rows(columns, rows))

    def bulk_insert(self, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Write documents as rows of `columns`, prepared by `prepare_rows` (ids assigned in
        order)."""
        if not rows:
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO search_searchdocument ({', '.join(columns)}) VALUES ({marks})"
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    # -- shared ---------------------------------------------------------------------------

    def _cte(self, query: BackendQuery, columns: str) -> tuple[str, list] | None:
        matched = self._matched_query(query)
        if matched is None:
            return None
        from_where, score, params = matched
        where = "".join(f" AND ({condition})" for condition in query.where)
        sql = f"SELECT {columns.format(score=score)} {from_where}{where}"
        return sql, [*params, *query.params]

    def candidates(self, query: BackendQuery, cap: int = CANDIDATE_CAP) -> list[Candidate]:
        """The first `cap` matching documents in the requested order (filters and the access
        rule are in the statement): one query, no grouping or counting over every match."""
        columns = (
            "d.id AS doc_id, d.kind AS kind, d.object_id AS object_id, d.body_id AS body_id, "
            "d.year AS year, d.item_kind AS item_kind, d.doc_type AS doc_type, "
            "d.date AS doc_date, {score} AS score"
        )
        window = self._window_order(query)
        size = min(self.match_window or MATCH_WINDOW, query.extra.get("window") or MATCH_WINDOW)
        built = (
            self._cte(query, columns)
            if window is None
            else self._windowed(query, columns, window, size)
        )
        if built is None:
            return []
        sql, params = built
        if query.order == "newest":
            order_by = "doc_date DESC NULLS LAST, score DESC, doc_id DESC"
        else:
            order_by = "score DESC, doc_date DESC NULLS LAST, doc_id DESC"
        statement = f"SELECT w.*, COUNT(*) OVER () FROM ({sql}) w ORDER BY {order_by} LIMIT %s"
        with self.connection.cursor() as cursor:
            cursor.execute(statement, [*params, cap])
            rows = cursor.fetchall()
        self.last_window_full = bool(rows) and window is not None and rows[0][9] >= size
        return [Candidate(*row[:8], float(row[8] or 0.0)) for row in rows]

    def _windowed(
        self, query: BackendQuery, columns: str, window: str, size: int
    ) -> tuple[str, list] | None:
        """The first `size` matching documents in the window's order (the newest first)."""
        cte = self._cte(query, columns)
        if cte is None:
            return None
        sql, params = cte
        return f"{sql}{f' ORDER BY {window}' if window else ''} LIMIT {size}", params

    def ranked(
        self, query: BackendQuery, cap: int | None = None
    ) -> tuple[list[Candidate], list[Candidate], bool]:
        """One candidate per object (its best document), in order, enough for the requested
        page; all candidates read (for the facets; at least `cap`, by default
        `CANDIDATE_CAP`, where there are as many); and whether the cap cut the match off
        (then counts are lower bounds)."""
        cap = cap or CANDIDATE_CAP
        while True:
            rows = self.candidates(query, cap)
            capped = len(rows) >= cap or self.last_window_full
            objects = group_objects(rows)
            if len(rows) < cap or len(objects) >= query.offset + query.limit:
                return objects, rows, capped
            cap *= 4

    def count_documents(self, queries: list[ParsedQuery], cap: int) -> list[int]:
        """How many documents match each query's text, each counted up to `cap` (filters and
        access left aside: a word's frequency in the index, for its weight in `relax`), in one
        statement."""
        counts: list[int] = [0] * len(queries)
        selects, params, asked = [], [], []
        for index, parsed in enumerate(queries):
            matched = self._matched(parsed) if parsed.required else None
            if matched is None:
                continue
            from_where, _score, values = matched
            selects.append(f"(SELECT count(*) FROM (SELECT 1 {from_where} LIMIT %s) c{index})")
            params += [*values, cap]
            asked.append(index)
        if selects:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT {', '.join(selects)}", params)
                for index, count in zip(asked, cursor.fetchone(), strict=True):
                    counts[index] = int(count)
        return counts

    def have_matches(self, queries: list[BackendQuery]) -> list[bool]:
        """Whether each query finds a document (its filters and access rule included), in one
        statement: a search that finds nothing costs the walk to its rarest word's end."""
        selects, params = [], []
        for query in queries:
            cte = self._cte(query, "d.id")
            if cte is None:
                selects.append("(1 = 0)")
                continue
            selects.append(f"EXISTS ({cte[0]})")
            params += cte[1]
        if not selects:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(selects)}", params)
            return [bool(value) for value in cursor.fetchone()]

    def total_documents(self) -> int:
        """About how many documents the index has (the highest id: one index lookup)."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM search_searchdocument")
            return int(cursor.fetchone()[0] or 0)

    def hits(self, query: BackendQuery) -> list[Hit]:
        """The page of hits: one per object, best section first, in the requested order."""
        objects, _rows, _capped = self.ranked(query)
        page = objects[query.offset : query.offset + query.limit]
        return [Hit(row.document_id, row.score) for row in page]


def secondary_indexes() -> list[tuple[str, list[str]]]:
    """(name, columns) of `SearchDocument`'s b-tree indexes, as its Meta declares them."""
    from ..models import SearchDocument

    meta = SearchDocument._meta
    return [
        (index.name, [meta.get_field(name).column for name in index.fields])
        for index in meta.indexes
    ]


def group_objects(rows: list[Candidate]) -> list[Candidate]:
    """The first (best) document of each object, in the rows' order: in relevance order the
    object's best-scoring section; newest first, sections share the date and are by score."""
    seen: set[tuple[str, int]] = set()
    objects = []
    for row in rows:
        key = (row.kind, row.object_id)
        if key not in seen:
            seen.add(key)
            objects.append(row)
    return objects
