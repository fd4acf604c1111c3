"""PostgreSQL: a tsvector of the analyzer's terms with a GIN index, ranked by ts_rank_cd().

The column `search_vector` (migration 0002, PostgreSQL only) is generated from the stored
terms with the 'simple' configuration, so PostgreSQL neither stems nor drops a word: the
analyzer has already done both. Title terms carry weight A, a decision's text B, summary and
recommendation C, other text D; `WEIGHTS` gives the classes' worth (D, C, B, A).
"""

import datetime
from dataclasses import replace

from ..analysis import ParsedQuery, to_tsquery
from .base import CASE_BOOST, SearchBackend, filter_term

WEIGHTS = "{0.1, 0.15, 0.2, 0.5}"
# The section boosts are in the weight classes; the kind's (cases below items) multiplies.
KIND_BOOST = f"CASE WHEN d.kind = 'sag' THEN {CASE_BOOST} ELSE 1.0 END"
# ts_rank_cd normalisation 1: divide by 1 + log(document length), as BM25 dampens long texts.
NORMALISATION = 1


# As created by migrations 0002 and 0003.
GIN_INDEX = "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)"


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    label = "PostgreSQL"
    # ts_rank_cd reads each matching row's whole tsvector (often TOASTed): a smaller window.
    match_window = 2_500
    # search_vector holds the filter terms (migration 0003).
    filter_tokens = True

    def _matched(self, parsed: ParsedQuery):
        if not parsed.has_text:
            return "FROM search_searchdocument d WHERE 1 = 1", "0.0", []
        tsquery = to_tsquery(parsed)
        if tsquery is None:
            return None
        return (
            "FROM search_searchdocument d, to_tsquery('simple', %s) q WHERE d.search_vector @@ q",
            f"ts_rank_cd('{WEIGHTS}', d.search_vector, q, {NORMALISATION}) * {KIND_BOOST}",
            [tsquery],
        )

    def _matched_query(self, query):
        tokens = [group for group in query.tokens if group]
        if not self.filter_tokens or not (tokens or query.not_tokens):
            return self._matched(query.parsed)
        parts = ["( " + " | ".join(f"'{token}'" for token in group) + " )" for group in tokens] + [
            f"!'{token}'" for token in query.not_tokens
        ]
        groups = " & ".join(parts)
        parsed = query.parsed
        if not parsed.has_text:
            if not tokens:
                return self._matched(parsed)  # a tsquery of negations only scans everything
            return (
                "FROM search_searchdocument d, to_tsquery('simple', %s) f "
                "WHERE d.search_vector @@ f",
                "0.0",
                [groups],
            )
        tsquery = to_tsquery(parsed)
        if tsquery is None:
            return None
        # Matched with the filter terms, ranked on the text's terms alone.
        return (
            "FROM search_searchdocument d, to_tsquery('simple', %s) q, "
            "to_tsquery('simple', %s) f WHERE d.search_vector @@ (q && f)",
            f"ts_rank_cd('{WEIGHTS}', d.search_vector, q, {NORMALISATION}) * {KIND_BOOST}",
            [tsquery, groups],
        )

    def _window_order(self, parsed: ParsedQuery) -> str | None:
        # No ordered walk of a GIN match: see `_windowed`.
        return "" if parsed.has_text else None

    def _windowed(self, query, columns, window, size):
        """A GIN match has no order, so the newest window is found by years: the match within
        this year (and next), then the two before, the five before those, then the rest, each a
        branch of one UNION ALL under the window's LIMIT (PostgreSQL runs a branch only while
        the window is not full). The year terms are in the index (`øyear2024`), so each
        branch's GIN scan skips through the frequent words' postings by the rarer year term;
        ts_rank_cd is computed for the window's rows only."""
        year = datetime.date.today().year
        # Next year's planned meetings count as this year's.
        recent = [(year + 1, year), (year - 1, year - 2), tuple(range(year - 7, year - 2))]
        branches, params = [], []
        for years in recent:
            group = tuple(filter_term("year", y) for y in years)
            cte = self._cte(replace(query, tokens=(*query.tokens, group)), columns)
            if cte is None:
                return None
            branches.append(cte[0])
            params += cte[1]
        older = tuple(filter_term("year", y) for y in range(year - 7, year + 2))
        cte = self._cte(replace(query, not_tokens=(*query.not_tokens, *older)), columns)
        branches.append(cte[0])
        params += cte[1]
        union = " UNION ALL ".join(f"({branch})" for branch in branches)
        return f"SELECT * FROM ({union}) u LIMIT {size}", params

    def _group_hits_sql(self, matched_cte: str, order_by: str) -> str:
        return (
            f"WITH m AS ({matched_cte}) SELECT id, score, date FROM "
            "(SELECT DISTINCT ON (kind, object_id) id, score, date FROM m "
            "ORDER BY kind, object_id, score DESC, id) g "
            f"ORDER BY {order_by}"
        )

    def index_size_bytes(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
            return int(cursor.fetchone()[0])

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_searchdocument")

    def begin_bulk(self) -> None:
        super().begin_bulk()
        with self.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_doc_vector")

    def end_bulk(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        super().end_bulk()
        with self.connection.cursor() as cursor:
            cursor.execute(GIN_INDEX)

    def bulk_insert(self, columns, rows) -> None:
        """COPY: the generated tsvector is computed as the rows arrive."""
        if not rows:
            return
        with self.connection.cursor() as cursor:
            statement = f"COPY search_searchdocument ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
