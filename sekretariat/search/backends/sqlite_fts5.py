"""SQLite: FTS5 over the analyzer's terms, ranked by bm25() with a title weight and a boost.

The FTS5 table `search_fts` (created by migration 0002 on SQLite only) has two columns, the
title's terms and the text's terms. The score is `TITLE_WEIGHT` × the title's bm25() plus the
text's bm25(), each computed on its own (FTS5 weighs columns inside one saturating sum, where a
title weight hardly counts), times the document's `boost` (decisions 1.5, summary and
recommendation 1.2). bm25() is negative (lower is better), so the score is its negation.
"""

from ..analysis import ParsedQuery, to_fts5_match
from .base import SearchBackend

TITLE_WEIGHT = 3.0
# As created by migration 0003.
DELETE_TRIGGER = """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_terms, text_terms, filter_terms)
    VALUES ('delete', old.id, old.title_terms, old.text_terms, old.filter_terms);
END"""


INSERT_TRIGGER = """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
    INSERT INTO search_fts (rowid, title_terms, text_terms, filter_terms)
    VALUES (new.id, new.title_terms, new.text_terms, new.filter_terms);
END"""


class SqliteFts5Backend(SearchBackend):
    vendor = "sqlite"
    label = "SQLite FTS5"
    fts_table = "search_fts"
    # The FTS table has the filter terms as a third column (migration 0003).
    filter_tokens = True

    def _matched(self, parsed: ParsedQuery):
        if not parsed.has_text:
            return "FROM search_searchdocument d WHERE 1 = 1", "0.0", []
        rendered = to_fts5_match(parsed)
        if rendered.match:
            return (
                f"FROM {self.fts_table} CROSS JOIN search_searchdocument d "
                f"ON d.id = {self.fts_table}.rowid WHERE {self.fts_table} MATCH %s",
                f"(-{TITLE_WEIGHT} * bm25({self.fts_table}, 1.0, 0.0, 0.0)"
                f" - bm25({self.fts_table}, 0.0, 1.0, 0.0)) * d.boost",
                [rendered.match],
            )
        if rendered.exclude:
            return (
                "FROM search_searchdocument d WHERE d.id NOT IN "
                f"(SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s)",
                "0.0",
                [rendered.exclude],
            )
        return None

    def _matched_query(self, query):
        tokens = [group for group in query.tokens if group]
        if not self.filter_tokens or not (tokens or query.not_tokens):
            return self._matched(query.parsed)
        groups = " AND ".join(
            "(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in tokens
        )
        excluded = " OR ".join(f'"{token}"' for token in query.not_tokens)
        fts = self.fts_table
        source = f"FROM {fts} CROSS JOIN search_searchdocument d ON d.id = {fts}.rowid "
        parsed = query.parsed
        rendered = to_fts5_match(parsed) if parsed.has_text else None
        if rendered is not None and rendered.match:
            match = f"({rendered.match}) AND {groups}" if groups else f"({rendered.match})"
            return (
                f"{source}WHERE {fts} MATCH %s",
                f"(-{TITLE_WEIGHT} * bm25({fts}, 1.0, 0.0, 0.0)"
                f" - bm25({fts}, 0.0, 1.0, 0.0)) * d.boost",
                [f"({match}) NOT ({excluded})" if excluded else match],
            )
        if rendered is not None and not rendered.exclude:
            return None
        if not groups:
            # FTS5 cannot match by exclusion alone: the SQL conditions filter.
            return self._matched(parsed)
        if rendered is not None:
            excluded = f"{excluded} OR {rendered.exclude}" if excluded else rendered.exclude
        return (
            f"{source}WHERE {fts} MATCH %s",
            "0.0",
            [f"({groups}) NOT ({excluded})" if excluded else groups],
        )

    def _window_order(self, parsed: ParsedQuery) -> str | None:
        # FTS5 walks a match by rowid descending without a sort: newest indexed first.
        if parsed.has_text and to_fts5_match(parsed).match:
            return f"{self.fts_table}.rowid DESC"
        return None

    def _group_hits_sql(self, matched_cte: str, order_by: str) -> str:
        # SQLite gives the bare columns of the row holding max(score): the best section.
        return (
            f"WITH m AS MATERIALIZED ({matched_cte}) SELECT id, MAX(score) AS score, date FROM m "
            f"GROUP BY kind, object_id ORDER BY {order_by}"
        )

    def index_size_bytes(self) -> int:
        with self.connection.cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_%%'")
                return int(cursor.fetchone()[0] or 0)
            except Exception:
                cursor.execute("PRAGMA page_count")
                pages = cursor.fetchone()[0]
                cursor.execute("PRAGMA page_size")
                return pages * cursor.fetchone()[0]

    def clear(self) -> None:
        """Empty the index without a per-row FTS delete (the trigger is set aside meanwhile)."""
        with self.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS search_fts_delete")
            cursor.execute("DELETE FROM search_searchdocument")
            cursor.execute(f"INSERT INTO {self.fts_table} ({self.fts_table}) VALUES ('delete-all')")
            cursor.execute(DELETE_TRIGGER)

    def begin_bulk(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS search_fts_insert")

    def end_bulk(self) -> None:
        """One pass over the stored terms builds the FTS index (external content)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts_table} ({self.fts_table}) VALUES ('rebuild')")
            cursor.execute(INSERT_TRIGGER)

    def bulk_insert(self, columns, rows) -> None:
        if not rows:
            return
        date = columns.index("date")
        rows = [(*r[:date], r[date].isoformat() if r[date] else None, *r[date + 1 :]) for r in rows]
        marks = ", ".join(["?"] * len(columns))
        sql = f"INSERT INTO search_searchdocument ({', '.join(columns)}) VALUES ({marks})"
        # The driver's own executemany: one prepared statement for the whole batch.
        self.connection.ensure_connection()
        self.connection.connection.executemany(sql, rows)

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts_table} ({self.fts_table}) VALUES ('optimize')")
