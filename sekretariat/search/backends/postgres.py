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
from dataclasses import replace

from psycopg import sql

from ..analysis import ParsedQuery, to_tsquery
from ..analysis.render import safe_alternatives
from ..models import SearchDocument, SearchState
from .base import (
    CASE_BOOST,
    SearchBackend,
    filter_term,
    quarter_term,
    secondary_indexes,
)
from .pg_vector import MAX_POSITION, vector_literal, vector_rows  # noqa: F401 (re-exported)

WEIGHTS = "{0.1, 0.15, 0.2, 0.5}"
# The section boosts are in the weight classes; the kind's (cases below items) multiplies.
KIND_BOOST = f"CASE WHEN d.kind = 'sag' THEN {CASE_BOOST} ELSE 1.0 END"
# ts_rank_cd normalisation 1: divide by 1 + log(document length), as BM25 dampens long texts.
NORMALISATION = 1


# The years a search walks one by one, newest first (see `_windowed`); older ones together.
WINDOW_YEARS = 4
YEAR_PREFIX = filter_term("year", "")
# A walk of at most this many years goes quarter by quarter (`quarter_term`): a GIN match has
# no order, so a frequent word's branch finds every match of its part of the walk before the
# newest are read (a quarter's instead of a year's: at a million items, 14,000 instead of
# 56,000 for "økonomi"); a longer one year by year (four branches a year to plan).
QUARTER_YEARS = WINDOW_YEARS + 1
# A year is walked by quarter where the words are expected in more documents of it than this
# (`PostgresBackend._by_quarter`): a quarter then fills the window before the year is read.
QUARTER_MIN_MATCHES = 4_000
# The index version (`services.INDEX_VERSION`) from which documents have their quarter terms.
QUARTER_TERMS_VERSION = 6

# As created by migrations 0002 and 0003, replaced by `PARITY_INDEXES` in 0008.
GIN_INDEX = "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)"
# The text index over all documents, in two halves: documents of even years, and of odd years
# or none. A rebuild builds them side by side (a GIN build uses one core: the two halves take
# half the time of one index), and a search reads them as two branches (`_windowed`): each a
# predicate the planner proves from the branch's own condition (`PARITY_CONDITIONS`).
PARITY_CONDITIONS = {0: "mod(d.year, 2) = 0", 1: "(mod(d.year, 2) = 1 OR d.year IS NULL)"}
PARITY_INDEXES = {
    f"search_doc_vector_{name}": (
        "CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector) WHERE "
        + PARITY_CONDITIONS[parity].replace("d.", "")
    )
    for parity, name in ((0, "even"), (1, "odd"))
}
# A GIN index per year of the window (see `_windowed`), beside the one over all documents: a
# GIN scan reads the whole posting list of every term it is asked for, and a word in a third of
# a million items' documents has a long one; in one year's index it is a twentieth as long.
YEAR_INDEX_PREFIX = "search_doc_vector_y"
YEAR_INDEX = (
    "CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector) WHERE year = {year}"
)
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
    """The years a search walks one by one, newest first: next year (planned meetings), this
    year and `WINDOW_YEARS` - 1 before it."""
    this_year = (today or datetime.date.today()).year
    return list(range(this_year + 1, this_year - WINDOW_YEARS, -1))


YEAR_INDEX_CACHE_SECONDS = 60.0
# What searches read of the catalogue, at most once a minute (`PostgresBackend._catalogue`).
_catalogue_cache: dict = {
    "at": float("-inf"),
    "years": set(),
    "quarters": False,
    "terms": {},
    "floor": 0.0,
    "per_year": {},
    "documents": 0.0,
}


def forget_year_indexes() -> None:
    """Read the year indexes anew at the next search (after they changed in this process)."""
    _catalogue_cache["at"] = float("-inf")


def index_names(cursor, prefix: str) -> list[str]:
    """The documents' table's indexes whose names start with `prefix`."""
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND starts_with(indexname, %s)",
        [TABLE, prefix],
    )
    return [name for (name,) in cursor.fetchall()]


def ensure_year_indexes(cursor, years: list[int] | None = None) -> None:
    """Create the window's year indexes that are missing and drop those of years that left it
    (a new year's is empty, so this is quick outside a rebuild)."""
    if years is None:
        years = window_years()
    wanted = {f"{YEAR_INDEX_PREFIX}{year}": year for year in years}
    for name in index_names(cursor, YEAR_INDEX_PREFIX):
        if name not in wanted:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, year in wanted.items():
        cursor.execute(YEAR_INDEX.format(name=name, year=int(year), table=TABLE))
    forget_year_indexes()


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

    @staticmethod
    def _keys_sql(keys: list[str]) -> str:
        return " AND ".join(f"d.search_vector @@ {tsquery_sql(key)}" for key in keys)

    @staticmethod
    def _rank_sql(q: str) -> str:
        return f"ts_rank_cd('{WEIGHTS}', d.search_vector, {q}, {NORMALISATION}) * {KIND_BOOST}"

    def _matched(self, parsed: ParsedQuery):
        if not parsed.has_text:
            return "FROM search_searchdocument d WHERE 1 = 1", "0.0", []
        tsquery = to_tsquery(parsed)
        if tsquery is None:
            return None
        return (
            f"FROM search_searchdocument d WHERE {self._keys_sql([tsquery])}",
            self._rank_sql(tsquery_sql(tsquery)),
            [],
        )

    def _matched_query(self, query):
        tokens = [group for group in query.tokens if group]
        if not self.filter_tokens or not (tokens or query.not_tokens):
            return self._matched(query.parsed)
        groups = ["( " + " | ".join(f"'{token}'" for token in group) + " )" for group in tokens]
        negations = tuple(f"'{token}'" for token in query.not_tokens)
        parsed = query.parsed
        if not parsed.has_text:
            if not tokens:
                return self._matched(parsed)  # a tsquery of negations only scans everything
            keys = [" & ".join([*groups, *(f"!{operand}" for operand in negations)])]
            return f"FROM search_searchdocument d WHERE {self._keys_sql(keys)}", "0.0", []
        tsquery = to_tsquery(parsed)
        if tsquery is None:
            return None
        # The text (with the exclusions) and each filter group as GIN scan keys of their own
        # (several `@@` conditions on the column): GIN leaps from one key's match to the next
        # one's. At a million items a frequent word with a year or a body (takst
        # year:2015-2018) took 34 ms instead of 40 as one tsquery. (The text's own clauses stay
        # together: a clause as a key of its own, beside one with the exclusions, made a query
        # of two rare words 15 times slower.)
        text = " & ".join([f"( {tsquery} )", *(f"!{operand}" for operand in negations)])
        if any(map(safe_alternatives, parsed.required)):
            keys = [text, *groups]
        elif groups:
            # Exclusions only: they go with a filter group (a key of negations alone would
            # make GIN read the whole index).
            keys = [f"{groups[0]} & {text}", *groups[1:]]
        else:
            return self._matched(parsed)
        # Matched with the filter terms, ranked on the text's terms alone.
        return (
            f"FROM search_searchdocument d WHERE {self._keys_sql(keys)}",
            self._rank_sql(tsquery_sql(tsquery)),
            [],
        )

    def count_documents(self, queries: list[ParsedQuery], cap: int) -> list[int]:
        """As the base, but a query of one clause with a word among the planner's most common
        terms is taken as at least the documents its share gives (a GIN count of a word in
        half the documents reads its whole posting list)."""
        catalogue = self._catalogue()
        terms, documents = catalogue["terms"], catalogue.get("documents", 0.0)
        known: dict[int, int] = {}
        for index, parsed in enumerate(queries):
            if len(parsed.required) == 1:
                alternatives = safe_alternatives(parsed.required[0])
                single = [alt[0] for alt in alternatives if len(alt) == 1]
                if sum(terms.get(term, 0.0) for term in single) * documents >= cap:
                    known[index] = cap
        rest = [i for i in range(len(queries)) if i not in known]
        counted = super().count_documents([queries[i] for i in rest], cap) if rest else []
        known.update(zip(rest, counted, strict=True))
        return [known[i] for i in range(len(queries))]

    def _catalogue(self) -> dict:
        """What searches read of the catalogue, as of at most a minute ago: the years with a
        GIN index of their own, whether the index has quarter terms, and the planner's
        statistics (`_planner_statistics`)."""
        now = time.monotonic()
        if now - _catalogue_cache["at"] > YEAR_INDEX_CACHE_SECONDS:
            with self.connection.cursor() as cursor:
                names = index_names(cursor, YEAR_INDEX_PREFIX)
            _catalogue_cache["years"] = {
                int(name[len(YEAR_INDEX_PREFIX) :])
                for name in names
                if name[len(YEAR_INDEX_PREFIX) :].isdigit()
            }
            version = (
                SearchState.objects.order_by("pk").values_list("index_version", flat=True).first()
            )
            _catalogue_cache["quarters"] = (version or 0) >= QUARTER_TERMS_VERSION
            _catalogue_cache.update(self._planner_statistics())
            _catalogue_cache["at"] = now
        return _catalogue_cache

    def _year_indexes(self) -> set[int]:
        """The years that have a GIN index of their own. A year the window has just reached
        may have none yet (until `search_worker` or a rebuild makes it); a stale answer
        either way is safe: a year believed to lack one is searched in its half of the text
        index, and a year's index is dropped only once the year has left the window."""
        return self._catalogue()["years"]

    def _planner_statistics(self) -> dict:
        """What ANALYZE found (`pg_stats`): the share of documents of each of the index's
        most common terms (about a thousand; every other term is in fewer than `floor`), and
        how many documents each of the most common years has."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs, "
                "most_common_vals::text::text[], most_common_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = %s "
                "AND attname IN ('search_vector', 'year')",
                [TABLE],
            )
            rows = {row[0]: row[1:] for row in cursor.fetchall()}
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
            found = cursor.fetchone()
        documents = max(float(found[0]) if found else 0.0, 0.0)
        elements, element_shares = rows.get("search_vector", (None, None, None, None))[:2]
        terms, floor = {}, 0.0
        if elements and element_shares and len(element_shares) > len(elements):
            terms = dict(zip(elements, element_shares, strict=False))
            floor = float(element_shares[len(elements)])  # the least share among them
        years, year_shares = rows.get("year", (None, None, None, None))[2:]
        per_year = {
            int(year): share * documents
            for year, share in zip(years or (), year_shares or (), strict=False)
            if str(year).isdigit()
        }
        return {"terms": terms, "floor": floor, "per_year": per_year, "documents": documents}

    def _expected_share(self, query) -> float:
        """The share of documents the query's words and filter terms (a body, a kind: not the
        year, which the walk has per year) are expected to match, from the planner's
        statistics (clauses and filter groups taken as independent; a phrase as its rarest
        word; a term not among the most common as half the least common's share)."""
        catalogue = self._catalogue()
        terms, floor = catalogue["terms"], catalogue["floor"]
        groups = [safe_alternatives(clause) for clause in query.parsed.required]
        groups += [
            [(term,) for term in group]
            for group in query.tokens
            if group and not all(term.startswith(YEAR_PREFIX) for term in group)
        ]
        share = 1.0
        for alternatives in groups:
            if alternatives:
                share *= min(
                    1.0,
                    sum(min(terms.get(t, floor / 2) for t in alt) for alt in alternatives),
                )
        return share

    def _by_quarter(self, query, years: list[int]) -> set[int]:
        """The years a search walks quarter by quarter: where the words (within the filters)
        are expected in more than `QUARTER_MIN_MATCHES` documents of the year (a rarer word's
        postings would be read four times, a quarter at a time, for nothing), if the index
        has quarter terms (one built before them is searched by year until the rebuild its
        version calls for is done) and the walk is short (`QUARTER_YEARS`)."""
        catalogue = self._catalogue()
        if len(years) > QUARTER_YEARS or not catalogue["quarters"]:
            return set()
        share = self._expected_share(query)
        per_year = catalogue["per_year"]
        return {year for year in years if share * per_year.get(year, 0.0) > QUARTER_MIN_MATCHES}

    def _window_order(self, query) -> str | None:
        # No ordered walk of a GIN match: see `_windowed`. A query of SQL filters alone walks
        # the date index.
        return "" if query.parsed.has_text or any(query.tokens) else None

    def _windowed(self, query, columns, window, size):
        """A GIN match has no order, so the newest window is found part by part: one branch
        of a UNION ALL per year, or per quarter of a year where the words are frequent in it
        (`_by_quarter`), newest first (next year's planned meetings, this year, ... back
        `WINDOW_YEARS`), and the older years after them, under the window's LIMIT: PostgreSQL
        runs a branch only while the window is not full. A quarter's branch asks the index for
        its quarter term (`øyq20244`) as a scan key of its own: GIN leaps from its postings to
        the words', and a frequent word's branch finds the matches of a quarter, not of the
        year, before the newest are read. A year's branch asks for its year term (`øyear2024`)
        where no year index serves it. With a year filter, the branches are its years'. The
        last branches (even years, then odd ones: `PARITY_INDEXES`) read the table in
        physical order, newest first after a rebuild. The window's years have GIN indexes of
        their own (`ensure_year_indexes`), so a branch reads its words' postings of one year
        only. ts_rank_cd is computed for the window only."""
        tokens = [group for group in query.tokens if group]
        chosen = [g for g in tokens if all(t.startswith(YEAR_PREFIX) for t in g)]
        rest = tuple(g for g in tokens if g not in chosen)
        window = window_years()
        indexed = set(window) & self._year_indexes()
        if chosen:
            years = sorted(
                set.intersection(*({int(t[len(YEAR_PREFIX) :]) for t in g} for g in chosen)),
                reverse=True,
            )
        else:
            years = window
        quarters = self._by_quarter(query, years)
        queries = []
        for year in years:
            # The year as a column condition (a literal: the planner proves the partial
            # index's predicate from it); where no year index serves it, with its parity
            # (the half of the text index that holds it). Then each quarter, newest first,
            # as a term the index must find (a scan key of its own, see `_matched_query`), or
            # the year as a term where no year index serves it. (Given both, the planner may
            # take the half for a year that has an index of its own.)
            year = int(year)
            where = (*query.where, f"d.year = {year}")
            if year not in indexed:
                where += (PARITY_CONDITIONS[year % 2],)
            if year in quarters:
                queries += [
                    replace(query, tokens=(*rest, (quarter_term(year, quarter),)), where=where)
                    for quarter in (4, 3, 2, 1)
                ]
                continue
            year_tokens: tuple = ()
            if year not in indexed or not query.parsed.has_text:
                # (Without words, the year term is what the index is asked for.)
                year_tokens = ((filter_term("year", year),),)
            queries.append(replace(query, tokens=(*rest, *year_tokens), where=where))
        if not chosen:
            # The window's years left out by a condition on the column, not by negated year
            # terms: GIN reads the postings of every term of a tsquery, negated ones too (five
            # years' worth; at 1M items 7 ms of each half for a rare word).
            walked = ", ".join(str(int(year)) for year in years)
            older = f"(d.year IS NULL OR d.year NOT IN ({walked}))"
            queries += [
                replace(query, tokens=rest, where=(*query.where, condition, older))
                for condition in PARITY_CONDITIONS.values()
            ]
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
            for name in PARITY_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            ensure_year_indexes(cursor, years=[])

    def end_bulk(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        super().end_bulk()
        with self.connection.cursor() as cursor:
            for name, statement in PARITY_INDEXES.items():
                cursor.execute(statement.format(name=name, table=TABLE))
            ensure_year_indexes(cursor)

    def refresh_statistics(self) -> int:
        """No statistics here; `search_worker` calls this every few hours, which keeps the
        year indexes in step with the calendar."""
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

    def beside_statements(self, years: set[int | None]) -> list[str]:
        """What the new table needs before it is searched: its indexes, as the documents'
        table has them, and its statistics. Independent statements, longest first: a rebuild
        runs them side by side on its workers' connections.

        A window year without documents (`years`: those written) gets no index now: building
        it would read the whole table for nothing. Until `refresh_statistics` adds it
        (`search_worker` calls it every few hours), a search finds the year in its half."""
        new, prefix = NEW_TABLE, NEW_PREFIX
        statements = [
            statement.format(name=f"{prefix}{name}", table=new)
            for name, statement in PARITY_INDEXES.items()
        ]
        statements += [
            YEAR_INDEX.format(name=f"{prefix}{YEAR_INDEX_PREFIX}{year}", year=year, table=new)
            for year in window_years()
            if year in years
        ]
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
