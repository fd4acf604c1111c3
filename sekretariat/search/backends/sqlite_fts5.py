"""SQLite: FTS5 over the analyzer's terms, ranked by bm25() with a title weight and a boost.

The FTS5 table `search_fts` (created by migration 0002 on SQLite only) has two columns, the
title's terms and the text's terms. The score is `TITLE_WEIGHT` × the title's bm25() plus the
text's bm25(), each computed on its own (FTS5 weighs columns inside one saturating sum, where a
title weight hardly counts), times the document's `boost` (decisions 1.5, summary and
recommendation 1.2). bm25() is negative (lower is better), so the score is its negation.
"""

from dataclasses import replace

from ..analysis import ParsedQuery, to_fts5_match
from ..analysis.render import safe_alternatives
from .base import SearchBackend, filter_term

TITLE_WEIGHT = 3.0
# bm25() first counts the documents of every phrase of the MATCH expression (its IDF), a walk
# through each phrase's whole posting list: for a word in half a million documents that alone
# is more than the whole search may take. When the foreseen walk (`_bm25_costs`: documents per
# term, from `SearchTermStatistic`; twice for a phrase, whose positions are compared) is above
# this, the query is ranked without bm25 (`_recent_windowed`).
BM25_BUDGET = 200_000
# The page cache of a rebuild (KiB; the default is 2 MB); SQLite takes it only as it needs it
# (an installation of a million items takes all 4 GiB). What does not fit is spilled to the WAL
# before the commit, and every later read of a spilled page looks it up among all the frames
# written so far: at a million items the FTS rebuild took 153 s with 1 GiB, 122 s with 4 GiB
# (73 s outside a transaction).
BULK_CACHE_KIB = 4_194_304
# FTS5 settings for a rebuild, and their defaults (FTS5 keeps them in its config table, so they
# are set back after it): the in-memory pending terms are written out as a segment whenever
# they reach `hashsize` (1 MB by default: thousands of small segments at a million items,
# merged again and again), and `automerge` segments of a level are merged into one. With a
# 256 MB hash the rebuild and its optimize take half as long.
BULK_FTS_CONFIG = {"hashsize": 268_435_456, "automerge": 16}
DEFAULT_FTS_CONFIG = {"hashsize": 1_048_576, "automerge": 4}
# A filter that lets through less than this share of the documents is applied in the MATCH.
SELECTIVE_SHARE = 0.25
# Every document has one of these two terms (public or not), so together they count all.
_EVERY = (filter_term("pub", 1), filter_term("priv", 1))
# A term missing from the statistics is in fewer documents than this.
STATISTICS_MIN_DOCUMENTS = 2_000
# As created by migration 0003.
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
    # The newest this many matches are ranked (see MATCH_WINDOW), as on PostgreSQL: FTS5 walks
    # the doclists until the window is full, and every window row is joined to its document
    # and scored. At a million items a window of 3,000 took a frequent word's page from 12 to
    # 20 ms, and a rare word ANDed with two frequent ones from 34 to 58 ms.
    match_window = 1_000
    # Whether `_bm25_costs` reads `SearchTermStatistic` (the baselines' tables have none).
    statistics = True
    # The page cache size before `begin_bulk` (restored after `optimize`).
    _cache_size: int | None = None

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

    def count_documents(self, queries: list[ParsedQuery], cap: int) -> list[int]:
        """As the base, from the FTS index alone (no document row is read), and a clause of
        single terms that the statistics count (`SearchTermStatistic`: the frequent ones) by
        them, without a walk."""
        counts: list[int | None] = [None] * len(queries)
        singles = {
            index: [alt[0] for alt in safe_alternatives(parsed.required[0]) if len(alt) == 1]
            for index, parsed in enumerate(queries)
            if len(parsed.required) == 1
        }
        known = self._statistics([t for terms in singles.values() for t in terms])
        for index, terms in singles.items():
            if terms and any(term in known for term in terms):
                counts[index] = min(cap, sum(known.get(term, 0) for term in terms))
        selects, params, asked = [], [], []
        for index, parsed in enumerate(queries):
            if counts[index] is not None:
                continue
            rendered = to_fts5_match(parsed) if parsed.required else None
            if rendered is None or not rendered.match:
                counts[index] = 0
                continue
            selects.append(
                f"(SELECT count(*) FROM (SELECT 1 FROM {self.fts_table} "
                f"WHERE {self.fts_table} MATCH %s LIMIT %s) c{index})"
            )
            params += [rendered.match, cap]
            asked.append(index)
        if selects:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT {', '.join(selects)}", params)
                for index, count in zip(asked, cursor.fetchone(), strict=True):
                    counts[index] = int(count)
        return [int(count or 0) for count in counts]

    def _statistics(self, terms: list[str]) -> dict[str, int]:
        """The documents of those of `terms` that `SearchTermStatistic` counts."""
        if not self.statistics or not terms:
            return {}
        terms = sorted(set(terms))
        marks = ", ".join(["%s"] * len(terms))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM search_searchtermstatistic WHERE term IN ({marks})",
                terms,
            )
            return dict(cursor.fetchall())

    def _bm25_costs(self, query) -> tuple[int, int, bool]:
        """How many postings bm25() would walk for the query's phrases, how many more if the
        filter and access terms were in the MATCH too (see BM25_BUDGET), and whether a filter
        lets through less than `SELECTIVE_SHARE` of the documents."""
        if not self.statistics:
            return 0, 0, False
        phrases = [
            alternative
            for clause in (*query.parsed.required, *query.parsed.excluded)
            for alternative in safe_alternatives(clause)
        ]
        tokens = [token for group in query.tokens for token in group] + list(query.not_tokens)
        terms = sorted({term for phrase in phrases for term in phrase} | set(tokens) | set(_EVERY))
        if not terms:
            return 0, 0, False
        marks = ", ".join(["%s"] * len(terms))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM search_searchtermstatistic WHERE term IN ({marks})",
                terms,
            )
            counts = dict(cursor.fetchall())

        def documents(terms) -> int:
            return sum(counts.get(term, STATISTICS_MIN_DOCUMENTS) for term in terms)

        text = sum(documents(phrase) * (2 if len(phrase) > 1 else 1) for phrase in phrases)
        every = sum(counts.get(term, 0) for term in _EVERY)
        selective = any(
            documents(group) < SELECTIVE_SHARE * every for group in query.tokens if group
        )
        return text, documents(tokens), selective

    def _windowed(self, query, columns, window, size):
        """Words in few documents: bm25() over the newest `size` matches, with the filter and
        access terms in the MATCH where bm25() can afford to count their documents too (FTS5
        then walks only to the documents that pass: a year filter on a common word), else
        as SQL only, unless a filter is selective (a year of twenty: the SQL would discard most
        of the walk). Frequent words, and such filters: see `_recent_windowed`."""
        text, tokens, selective = self._bm25_costs(query)
        if text + tokens <= BM25_BUDGET:
            return super()._windowed(query, columns, window, size)
        if text <= BM25_BUDGET and not selective:
            return super()._windowed(
                replace(query, tokens=(), not_tokens=()), columns, window, size
            )
        return self._recent_windowed(query, columns, size)

    def _recent_windowed(self, query, columns, size):
        """A query of frequent words, ranked without bm25(): the newest `size` matching
        documents that pass the filters (their terms in the MATCH, so FTS5 walks only to
        them), each scored by its section's boost, times up to 1 + TITLE_WEIGHT by the share
        of the query's clauses found in its title (in the stored title terms: no second walk
        through the index)."""
        clauses = [
            [" ".join(alternative) for alternative in safe_alternatives(clause)]
            for clause in query.parsed.required
        ]
        clauses = [clause for clause in clauses if clause]
        if not clauses:
            return super()._windowed(query, columns, "", size)
        cte = self._cte(
            query, columns.replace("{score}", "d.boost") + ", d.title_terms AS title_terms"
        )
        if cte is None:
            return None
        sql, params = cte
        tests, values = [], []
        for clause in clauses:
            found = " OR ".join(["instr(' ' || title_terms || ' ', %s) > 0"] * len(clause))
            tests.append(f"(CASE WHEN {found} THEN 1.0 ELSE 0.0 END)")
            values += [f" {alternative} " for alternative in clause]
        share = f"({' + '.join(tests)}) / {len(clauses)}.0"
        statement = (
            f"SELECT doc_id, kind, object_id, body_id, year, item_kind, doc_type, doc_date, "
            f"score * (1.0 + {TITLE_WEIGHT} * {share}) AS score "
            f"FROM ({sql} ORDER BY {self.fts_table}.rowid DESC LIMIT {size}) recent"
        )
        return statement, [*values, *params]

    def _window_order(self, query) -> str | None:
        # FTS5 walks a match by rowid descending without a sort: newest indexed first.
        parsed = query.parsed
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
        """Empty the index: the documents' table's triggers are set aside meanwhile, so the
        DELETE neither deletes from the FTS index row by row nor visits the rows at all
        (SQLite truncates a table without triggers: at a million items, seconds instead of
        minutes), and the FTS index is emptied in one statement."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["search_searchdocument"],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            cursor.execute("DELETE FROM search_searchdocument")
            cursor.execute(f"INSERT INTO {self.fts_table} ({self.fts_table}) VALUES ('delete-all')")
            for _name, sql in triggers:
                cursor.execute(sql)

    def begin_bulk(self) -> None:
        super().begin_bulk()
        with self.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS search_fts_insert")
            # A rebuild is one transaction: with the default 2 MB page cache, SQLite spills
            # changed pages to the WAL and writes them again at every later change (40 GB
            # written for a 9 GB index of a million items). A large cache for the rebuild.
            cursor.execute("PRAGMA cache_size")
            self._cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        self._configure(BULK_FTS_CONFIG)

    def _configure(self, settings: dict[str, int]) -> None:
        with self.connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(
                    f"INSERT INTO {self.fts_table} ({self.fts_table}, rank) VALUES (%s, %s)",
                    [name, value],
                )

    def end_bulk(self) -> None:
        """One pass over the stored terms builds the FTS index (external content)."""
        super().end_bulk()
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts_table} ({self.fts_table}) VALUES ('rebuild')")
            cursor.execute(INSERT_TRIGGER)

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.fts_table} ({self.fts_table}) VALUES ('optimize')")
            self._configure(DEFAULT_FTS_CONFIG)
            if self._cache_size is not None:
                cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
                self._cache_size = None

    def after_rebuild(self) -> None:
        """The write-ahead log holds the whole new index after a rebuild's commit (gigabytes
        at a million items): it is copied into the database and emptied. Otherwise the file
        keeps its size on disk, and open connections look their pages up in the log until the
        next write resets it."""
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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

    def refresh_statistics(self) -> int:
        """One walk through the FTS index's vocabulary (about 10 s for a million items)."""
        fts = self.fts_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{fts}_vocab "
                f"USING fts5vocab(main, {fts}, 'row')"
            )
            cursor.execute("DELETE FROM search_searchtermstatistic")
            cursor.execute(
                "INSERT INTO search_searchtermstatistic (term, documents) "
                f"SELECT term, doc FROM temp.{fts}_vocab WHERE doc >= %s",
                [STATISTICS_MIN_DOCUMENTS],
            )
            return cursor.rowcount
