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
    extra: dict = field(default_factory=dict)


class Hit(NamedTuple):
    document_id: int
    score: float


class FacetRow(NamedTuple):
    body_id: int | None
    year: int | None
    kind: str
    item_kind: str
    doc_type: str
    count: int


class SearchBackend:
    """Base: subclasses give `_matched` (the FROM/WHERE of the text match and the score)."""

    vendor = ""
    label = ""

    def __init__(self, connection):
        self.connection = connection

    # -- to implement ---------------------------------------------------------------------

    def _matched(self, parsed: ParsedQuery) -> tuple[str, str, list] | None:
        """(FROM ... WHERE <text condition>, score expression, params) for the query's text;
        None when the query has text but nothing of it can be searched. A query without text
        (filters only) gives a FROM over all documents and a score of 0."""
        raise NotImplementedError

    def _group_hits_sql(self, matched_cte: str, order_by: str) -> str:
        raise NotImplementedError

    def index_size_bytes(self) -> int:
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document and its index entries."""
        raise NotImplementedError

    def optimize(self) -> None:
        """Make the index compact after a bulk load."""

    # -- shared ---------------------------------------------------------------------------

    def _cte(self, query: BackendQuery, columns: str) -> tuple[str, list] | None:
        matched = self._matched(query.parsed)
        if matched is None:
            return None
        from_where, score, params = matched
        where = "".join(f" AND ({condition})" for condition in query.where)
        sql = f"SELECT {columns.format(score=score)} {from_where}{where}"
        return sql, [*params, *query.params]

    def hits(self, query: BackendQuery) -> list[Hit]:
        """The page of hits: one per object, best section first, in the requested order."""
        cte = self._cte(query, "d.id, d.kind, d.object_id, d.date, {score} AS score")
        if cte is None:
            return []
        sql, params = cte
        if query.order == "newest":
            order_by = "date DESC NULLS LAST, score DESC, id DESC"
        else:
            order_by = "score DESC, date DESC NULLS LAST, id DESC"
        statement = self._group_hits_sql(sql, order_by) + " LIMIT %s OFFSET %s"
        with self.connection.cursor() as cursor:
            cursor.execute(statement, [*params, query.limit, query.offset])
            return [Hit(row[0], float(row[1] or 0.0)) for row in cursor.fetchall()]

    def facets(self, query: BackendQuery) -> list[FacetRow]:
        """Counts of matching objects per (body, year, kind, item kind, document type)."""
        cte = self._cte(query, "d.kind, d.object_id, d.body_id, d.year, d.item_kind, d.doc_type")
        if cte is None:
            return []
        sql, params = cte
        statement = (
            f"WITH m AS ({sql}) "
            "SELECT body_id, year, kind, item_kind, doc_type, COUNT(*) FROM "
            "(SELECT DISTINCT kind, object_id, body_id, year, item_kind, doc_type FROM m) g "
            "GROUP BY body_id, year, kind, item_kind, doc_type"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(statement, params)
            return [FacetRow(*row) for row in cursor.fetchall()]
