"""PostgreSQL: a tsvector of the analyzer's terms with a GIN index, ranked by ts_rank_cd().

The column `search_vector` (PostgreSQL only, migrations 0002 and 0007) is written with each
row as a tsvector literal of the analyzer's terms (`vector_literal`): PostgreSQL neither stems
nor drops a word, the analyzer has already done both, and it does not parse the text again.
Title terms carry weight A, a decision's text B, summary and recommendation C, other text D;
`WEIGHTS` gives the classes' worth (D, C, B, A). The terms themselves are not stored here
(SQLite's FTS5 table reads them; the tsvector is all PostgreSQL needs).
"""

import datetime
import time
from collections.abc import Mapping
from dataclasses import replace

from psycopg import sql

from ..analysis import ParsedQuery, to_tsquery
from ..models import SearchDocument
from .base import CASE_BOOST, SearchBackend, filter_term, secondary_indexes

WEIGHTS = "{0.1, 0.15, 0.2, 0.5}"
# The section boosts are in the weight classes; the kind's (cases below items) multiplies.
KIND_BOOST = f"CASE WHEN d.kind = 'sag' THEN {CASE_BOOST} ELSE 1.0 END"
# ts_rank_cd normalisation 1: divide by 1 + log(document length), as BM25 dampens long texts.
NORMALISATION = 1


# The years a search walks one by one without a year filter, newest first (see `_windowed`);
# the older ones after them.
WINDOW_YEARS = 4
YEAR_PREFIX = filter_term("year", "")

# The text index, in parts: a GIN index per year that has documents (`YEAR_INDEX`), and one
# over the rest (`REST_INDEX`: documents without a year, and of years that have no index of
# their own yet). Each document is in one part. A search asks each part for its own years
# (`_windowed`): a GIN scan reads the whole posting list of every term it is asked for, and in
# one year's index a frequent word's list is a twentieth as long as in an index over all
# years. A rebuild builds the parts side by side on two cores, many small builds instead of a
# few large ones; a new year's documents are in the rest until `ensure_year_indexes` (a
# rebuild, or `search_worker` every few hours) gives the year its own.
#
# A year's index has the predicate `(year = 2024) IS TRUE`, and its branch the same condition:
# the planner proves a partial index usable from a condition equal to its predicate at once,
# while `year = 2024` would have it evaluate `2024 = 2005`, `2024 = 2006`, ... for each branch
# and each year's index (with a branch per year, longer than many a search). The rest index
# has a plain condition, which a year without an index of its own (`d.year = 2027`) proves.
YEAR_INDEX_PREFIX = "search_doc_year_"
YEAR_INDEX = (
    "CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector) "
    "WHERE (year = {year}) IS TRUE"
)


def year_condition(year: int, indexed: bool) -> str:
    """A branch's condition for `year`: its index's predicate, or (no index) the column's."""
    return f"(d.year = {int(year)}) IS TRUE" if indexed else f"d.year = {int(year)}"


REST_INDEX = "search_doc_vector_rest"
# The rest index's comment: "years with an index of their own: 2005,2006,...".
REST_COMMENT = "years with an index of their own: "
REST_INDEX_SQL = "CREATE INDEX {name} ON {table} USING gin (search_vector) WHERE {condition}"
TABLE = "search_searchdocument"
# A rebuild with workers writes a new table beside the one searched, builds its indexes and
# statistics, and swaps it in (`PostgresBackend.beside_*`); its indexes carry this prefix
# until then.
NEW_TABLE = "search_searchdocument_new"
NEW_PREFIX = "search_new_"
# Rows up to this many bytes stay whole in the table (PostgreSQL's default is 2032): a
# document's text and tsvector are then mostly neither compressed nor moved out of line, and
# ranking reads them without a TOAST lookup (migration 0008).
TOAST_TUPLE_TARGET = 8160
# The advisory lock a rebuild beside the index holds (an arbitrary number of our own).
REBUILD_LOCK = 720_4471


def window_years(today: datetime.date | None = None) -> list[int]:
    """The years a search walks first, newest first: next year (planned meetings), this year
    and `WINDOW_YEARS` - 1 before it."""
    this_year = (today or datetime.date.today()).year
    return list(range(this_year + 1, this_year - WINDOW_YEARS, -1))


def rest_condition(years) -> str:
    """The rows of the rest index, where `years` have indexes of their own: the column
    condition PostgreSQL proves the index's predicate from, as ranges (a search plans a branch
    per year, and proving each against a list of every year costs more than the search)."""
    if not years:
        return "true"
    ordered = sorted(map(int, years))
    parts = ["d.year IS NULL", f"d.year < {ordered[0]}"]
    for low, high in zip(ordered, ordered[1:], strict=False):
        if high - low == 2:
            parts.append(f"d.year = {low + 1}")
        elif high - low > 2:
            parts.append(f"d.year BETWEEN {low + 1} AND {high - 1}")
    parts.append(f"d.year > {ordered[-1]}")
    return " OR ".join(parts)


def _rest_statements(years, name: str = REST_INDEX, table: str = TABLE) -> str:
    """The rest index, over every row of a year without an index of its own, with the years
    that have one as its comment (what `ensure_year_indexes` reads)."""
    statement = REST_INDEX_SQL.format(name=name, table=table, condition="").partition(" WHERE")[0]
    if years:
        statement += " WHERE " + rest_condition(years).replace("d.", "")
    listed = ",".join(str(int(year)) for year in sorted(years))
    return f"{statement}; COMMENT ON INDEX {name} IS '{REST_COMMENT}{listed}'"


YEAR_INDEX_CACHE_SECONDS = 60.0
_year_index_cache: dict = {"at": float("-inf"), "years": frozenset()}


def forget_year_indexes() -> None:
    """Read the year indexes anew at the next search (after they changed in this process)."""
    _year_index_cache["at"] = float("-inf")


def index_names(cursor, prefix: str, table: str = TABLE) -> list[str]:
    """The table's indexes whose names start with `prefix`."""
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND starts_with(indexname, %s)",
        [table, prefix],
    )
    return [name for (name,) in cursor.fetchall()]


def indexed_years(cursor) -> set[int]:
    """The years that have an index of their own."""
    names = index_names(cursor, YEAR_INDEX_PREFIX)
    suffixes = (name[len(YEAR_INDEX_PREFIX) :] for name in names)
    return {int(suffix) for suffix in suffixes if suffix.isdigit()}


def document_years(cursor) -> set[int]:
    """The years that have documents, found in the date index (a few lookups, no scan): a
    document's year is its date's."""
    cursor.execute(
        f"""WITH RECURSIVE y(day) AS (
            SELECT min(date) FROM {TABLE}
            UNION ALL
            SELECT (SELECT min(date) FROM {TABLE}
                    WHERE date >= make_date(extract(year FROM y.day)::int + 1, 1, 1))
            FROM y WHERE y.day IS NOT NULL
        ) SELECT extract(year FROM day)::int FROM y WHERE day IS NOT NULL"""
    )
    return {year for (year,) in cursor.fetchall()}


def _rest_years(cursor) -> set[int] | None:
    """The years the rest index leaves to indexes of their own (None: no rest index)."""
    cursor.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [REST_INDEX])
    comment = cursor.fetchone()[0]
    if comment is None or not comment.startswith(REST_COMMENT):
        return None
    return {int(year) for year in comment[len(REST_COMMENT) :].split(",") if year}


def ensure_year_indexes(cursor, years=None) -> None:
    """Give each year with documents (or each of `years`) an index of its own and the rest
    index the other documents; drop the indexes of years that have none left. In this order,
    so that every document is in an index throughout: the new years' indexes, then the rest
    index anew (built beside the old one, then put in its place), then the old years' drop."""
    wanted = set(document_years(cursor) if years is None else map(int, years))
    for year in sorted(wanted):
        cursor.execute(YEAR_INDEX.format(name=f"{YEAR_INDEX_PREFIX}{year}", year=year, table=TABLE))
    if _rest_years(cursor) != wanted:
        replacement = f"{REST_INDEX}_new"
        cursor.execute(f"DROP INDEX IF EXISTS {replacement}")
        cursor.execute(_rest_statements(wanted, name=replacement))
        cursor.execute(f"DROP INDEX IF EXISTS {REST_INDEX}")
        cursor.execute(f"ALTER INDEX {replacement} RENAME TO {REST_INDEX}")
    for year in indexed_years(cursor) - wanted:
        cursor.execute(f"DROP INDEX IF EXISTS {YEAR_INDEX_PREFIX}{year}")
    forget_year_indexes()


def drop_text_indexes(cursor) -> None:
    """Every part of the text index (a bulk load builds them afresh after it)."""
    for name in index_names(cursor, YEAR_INDEX_PREFIX):
        cursor.execute(f"DROP INDEX IF EXISTS {name}")
    cursor.execute(f"DROP INDEX IF EXISTS {REST_INDEX}")
    forget_year_indexes()


# The terms' columns of `indexer.COLUMNS`, in the order of the vector's positions.
_TERM_COLUMNS = ("title_terms", "text_terms", "filter_terms")


# The highest position a tsvector keeps (PostgreSQL writes any later one as this).
MAX_POSITION = 16383
# ":1A ", ":2A ", ...: each term's position and weight class, built once (a rebuild writes
# hundreds of millions of them). D, the default class, goes without its letter: most terms
# are in it, and the server parses every character of the literal.
_MARKS = {
    weight: [f":{n}{'' if weight == 'D' else weight} " for n in range(1, MAX_POSITION + 1)]
    for weight in "ABCD"
}


def vector_literal(title_terms: str, text_terms: str, filter_terms: str, text_weight: str) -> str:
    """The tsvector of a document as a literal: each term with its position and weight class
    (D unmarked), in order ("iv:1A takst:2A takst:3 ..."); PostgreSQL sorts the lexemes and
    merges each one's positions. The same value as
    `setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple',
    text_terms), text_weight) || setweight(to_tsvector('simple', filter_terms), 'D')`
    (a test checks it), at a third of the server's work: no parser, no dictionary. One
    difference: a term more than 255 times in one text keeps 256 positions here, 255 there."""
    out: list[str] = []
    position = 0
    for terms, weight in ((title_terms, "A"), (text_terms, text_weight), (filter_terms, "D")):
        words = terms.split()
        # The analyzer's terms are letters and digits; a lexeme with a quote, a backslash or a
        # colon would have to be quoted (white space separates the terms).
        if "'" in terms or "\\" in terms or ":" in terms:
            words = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
        marks = _MARKS[weight]
        chosen = marks[position : position + len(words)]
        if len(chosen) < len(words):
            chosen += [marks[-1]] * (len(words) - len(chosen))
        out += map(str.__add__, words, chosen)
        position += len(words)
    return "".join(out)


def vector_rows(columns: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """Rows of `columns` as this backend writes them (`write_columns`): the title's and the
    text's terms left empty, the tsvector literal added at the end."""
    title, text, filters = (columns.index(name) for name in _TERM_COLUMNS)
    weight = columns.index("text_weight")
    low, high = min(title, text), max(title, text)
    if high != low + 1:
        raise ValueError("title_terms and text_terms must be adjacent columns")
    return [
        (
            *row[:low],
            "",
            "",
            *row[high + 1 :],
            vector_literal(row[title], row[text], row[filters], row[weight]),
        )  # fmt: skip
        for row in rows
    ]


def tsquery_sql(tsquery: str) -> str:
    """`to_tsquery('simple', ...)` of a query's tsquery as a literal, not a parameter: a
    constant the planner folds once, where a function joined in (`FROM ..., to_tsquery(%s)
    q`) made each branch of a search a join to plan. (The terms are letters and digits, and
    the literal is quoted by psycopg; a "%" would be read as a parameter, so it is doubled.)"""
    return "to_tsquery('simple', " + sql.quote(tsquery).replace("%", "%%") + ")"


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    label = "PostgreSQL"
    # ts_rank_cd reads each matching row's whole tsvector (often TOASTed): a smaller window.
    match_window = 1_000
    # search_vector holds the filter terms (migration 0003).
    filter_tokens = True
    # A bitmap heap scan reads the table in its physical order: a rebuild puts the newest
    # first, so the last branch of `_windowed` (the older years) also starts with the newest.
    rebuild_newest_first = True
    bulk_rebuilds_btrees = True

    def _matched(self, parsed: ParsedQuery):
        if not parsed.has_text:
            return "FROM search_searchdocument d WHERE 1 = 1", "0.0", []
        tsquery = to_tsquery(parsed)
        if tsquery is None:
            return None
        q = tsquery_sql(tsquery)
        return (
            f"FROM search_searchdocument d WHERE d.search_vector @@ {q}",
            f"ts_rank_cd('{WEIGHTS}', d.search_vector, {q}, {NORMALISATION}) * {KIND_BOOST}",
            [],
        )

    def _matched_query(self, query):
        tokens = [group for group in query.tokens if group]
        if not self.filter_tokens or not (tokens or query.not_tokens):
            return self._matched(query.parsed)
        parts = ["( " + " | ".join(f"'{token}'" for token in group) + " )" for group in tokens] + [
            f"!'{token}'" for token in query.not_tokens
        ]
        f = tsquery_sql(" & ".join(parts))
        parsed = query.parsed
        if not parsed.has_text:
            if not tokens:
                return self._matched(parsed)  # a tsquery of negations only scans everything
            return f"FROM search_searchdocument d WHERE d.search_vector @@ {f}", "0.0", []
        tsquery = to_tsquery(parsed)
        if tsquery is None:
            return None
        q = tsquery_sql(tsquery)
        # Matched with the filter terms, ranked on the text's terms alone.
        return (
            f"FROM search_searchdocument d WHERE d.search_vector @@ ({q} && {f})",
            f"ts_rank_cd('{WEIGHTS}', d.search_vector, {q}, {NORMALISATION}) * {KIND_BOOST}",
            [],
        )

    def _year_indexes(self) -> frozenset[int]:
        """The years that have an index of their own, as of at most a minute ago. A stale
        answer costs speed, never a hit: a year believed to lack an index is searched in the
        rest index with its year term, which holds it until `ensure_year_indexes` makes its
        own; only a rest index rebuilt in that minute (once a year, when a new year gets its
        index) cannot be proved from a stale list, and is then read as the table."""
        now = time.monotonic()
        if now - _year_index_cache["at"] > YEAR_INDEX_CACHE_SECONDS:
            with self.connection.cursor() as cursor:
                _year_index_cache["years"] = frozenset(indexed_years(cursor))
            _year_index_cache["at"] = now
        return _year_index_cache["years"]

    def _window_order(self, query) -> str | None:
        # No ordered walk of a GIN match: see `_windowed`. A query of SQL filters alone walks
        # the date index.
        return "" if query.parsed.has_text or any(query.tokens) else None

    def _windowed(self, query, columns, window, size):
        """A GIN match has no order, so the newest window is found year by year: one branch of
        a UNION ALL per year, newest first, then one for the rest (no year, or a year without
        an index of its own), under the window's LIMIT: PostgreSQL runs a branch only while
        the window is not full. With a year filter, the branches are its years. A year's
        branch has its index's predicate as a condition (`year_condition`) and reads that
        year's index only; a year without one (the new
        year, until `ensure_year_indexes` runs) is read from the rest index with its year
        term ANDed (`øyear2027`): a term GIN must find in every match, so that year's
        postings drive the scan. Within a branch the table is read in physical order, newest
        first after a rebuild. ts_rank_cd is computed for the window only."""
        tokens = [group for group in query.tokens if group]
        chosen = [g for g in tokens if all(t.startswith(YEAR_PREFIX) for t in g)]
        others = tuple(g for g in tokens if g not in chosen)
        indexed = self._year_indexes()
        if chosen:
            years = set.intersection(*({int(t[len(YEAR_PREFIX) :]) for t in g} for g in chosen))
        else:
            years = indexed | set(window_years())
        queries = []
        for year in sorted(years, reverse=True):
            year = int(year)
            year_tokens: tuple = ()
            if year not in indexed or not query.parsed.has_text:
                # (Without words, the year term is what the index is asked for.)
                year_tokens = ((filter_term("year", year),),)
            queries.append(
                replace(
                    query,
                    tokens=(*others, *year_tokens),
                    where=(*query.where, year_condition(year, year in indexed)),
                )
            )
        if not chosen:
            walked = tuple(filter_term("year", year) for year in sorted(years - indexed))
            queries.append(
                replace(
                    query,
                    tokens=others,
                    not_tokens=(*query.not_tokens, *walked),
                    where=(*query.where, rest_condition(indexed)),
                )
            )
        if not queries:
            return None  # year filters that no year satisfies
        branches, params = [], []
        for branch in queries:
            cte = self._cte(branch, columns)
            if cte is None:
                return None
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

    def analyze_sources(self, tables: list[str]) -> list[str]:
        """ANALYZE the tables never analysed, or changed by more than a tenth since: right
        after a bulk import (or where autovacuum is off) the planner would otherwise take a
        rebuild's lookup of a few thousand rows for a scan of millions."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
                "AND (COALESCE(last_analyze, last_autoanalyze) IS NULL "
                "OR n_mod_since_analyze > 0.1 * n_live_tup + 50)",
                [list(tables)],
            )
            stale = sorted(name for (name,) in cursor.fetchall())
            for name in stale:
                cursor.execute(f'ANALYZE "{name}"')
        return stale

    def begin_bulk(self) -> None:
        super().begin_bulk()
        with self.connection.cursor() as cursor:
            drop_text_indexes(cursor)

    def end_bulk(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        super().end_bulk()
        with self.connection.cursor() as cursor:
            ensure_year_indexes(cursor)

    def refresh_statistics(self) -> int:
        """No statistics here; `search_worker` calls this every few hours, which gives a new
        year an index of its own."""
        with self.connection.cursor() as cursor:
            ensure_year_indexes(cursor)
        return 0

    prepare_rows = staticmethod(vector_rows)

    def write_columns(self, columns: tuple[str, ...]) -> tuple[str, ...]:
        return (*columns, "search_vector")

    def bulk_insert(self, columns, rows, table: str = TABLE) -> None:
        """COPY of rows prepared by `prepare_rows` (the tsvector literal last)."""
        if not rows:
            return
        columns = self.write_columns(columns)
        with self.connection.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)

    # -- a rebuild beside the index in use ---------------------------------------------------

    rebuilds_beside = True

    def beside_begin(self) -> str:
        """A new, empty table shaped as the documents' table, without indexes (a failed
        rebuild's is dropped first); returns its name. Committed: the workers write to it on
        connections of their own."""
        with self.connection.cursor() as cursor:
            # One rebuild at a time (held by this session until `beside_swap` or
            # `beside_abandon`): another waits here.
            cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK])
            cursor.execute(f"DROP TABLE IF EXISTS {NEW_TABLE}")
            cursor.execute(
                f"CREATE TABLE {NEW_TABLE} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY "
                "INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING "
                "COMPRESSION)"
            )
            cursor.execute(
                f"ALTER TABLE {NEW_TABLE} SET (toast_tuple_target = {TOAST_TUPLE_TARGET})"
            )
            # Only the documents' own columns: one added beside them (the benchmark's
            # baseline tsvector, generated from the text) would be computed for every row.
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                [NEW_TABLE],
            )
            own = {field.column for field in SearchDocument._meta.concrete_fields}
            for (column,) in cursor.fetchall():
                if column not in own and column != "search_vector":
                    cursor.execute(f'ALTER TABLE {NEW_TABLE} DROP COLUMN "{column}"')
        return NEW_TABLE

    def beside_statements(self, years: Mapping[int | None, int]) -> list[str]:
        """What the new table needs before it is searched: its indexes, as the documents'
        table has them, and its statistics. Independent statements, longest first: a rebuild
        runs them side by side on its workers' connections. `years`: how many documents of
        each year were written; each year with documents gets an index of its own (the
        largest first), the rest index the documents without a year."""
        new, prefix = NEW_TABLE, NEW_PREFIX
        written = sorted((y for y in years if y is not None), key=lambda y: (-years[y], -y))
        statements = [
            YEAR_INDEX.format(name=f"{prefix}{YEAR_INDEX_PREFIX}{year}", year=year, table=new)
            for year in written
        ]
        statements.append(_rest_statements(written, name=f"{prefix}{REST_INDEX}", table=new))
        # The primary key's index (a constraint would lock the table against the other builds;
        # `beside_swap` makes it the primary key).
        statements.append(f"CREATE UNIQUE INDEX {prefix}{TABLE}_pkey ON {new} (id)")
        statements += [
            f"CREATE INDEX {prefix}{name} ON {new} ({', '.join(columns)})"
            for name, columns in secondary_indexes()
        ]
        statements.append(f"ANALYZE {new}")
        return statements

    def beside_run(self, statement: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(statement)

    def beside_swap(self) -> None:
        """Put the new table in the place of the documents' table (in the caller's
        transaction: searches wait for it, then see the new index)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(f"ALTER TABLE {NEW_TABLE} RENAME TO {TABLE}")
            cursor.execute(
                f"ALTER TABLE {TABLE} ADD CONSTRAINT {NEW_PREFIX}{TABLE}_pkey "
                f"PRIMARY KEY USING INDEX {NEW_PREFIX}{TABLE}_pkey"
            )
            for name in index_names(cursor, NEW_PREFIX):
                cursor.execute(f"ALTER INDEX {name} RENAME TO {name[len(NEW_PREFIX) :]}")
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
            (sequence,) = cursor.fetchone()
            if sequence and sequence.split(".")[-1] != f"{TABLE}_id_seq":
                cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {TABLE}_id_seq")
        # Released at the commit of the swap: a session lock, let go of with the transaction.
        self.connection.on_commit(self._unlock)
        self.connection.on_commit(forget_year_indexes)

    def beside_abandon(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {NEW_TABLE}")
        self._unlock()

    def _unlock(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
