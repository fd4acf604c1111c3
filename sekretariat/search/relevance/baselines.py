"""Plain baselines for the relevance and speed benchmarks (not used by the application).

- SQLite: FTS5's unicode61 tokenizer over the original title and text, no stemming, no compound
  splitting, no abbreviations; the user's words ANDed, "phrases" kept, -words excluded.
- PostgreSQL: the built-in 'danish' text search configuration (Snowball stemmer and stop words)
  over the original title (weight A) and text (D), queried with websearch_to_tsquery('danish').

Both use the same filters, access rule, grouping and ranking formula as our backends; only the
analysis differs.
"""

import re

from ..analysis import ParsedQuery
from ..backends.base import SearchBackend
from ..backends.postgres import KIND_BOOST, NORMALISATION, WEIGHTS, PostgresBackend
from ..backends.sqlite_fts5 import TITLE_WEIGHT, SqliteFts5Backend

_FILTER_RE = re.compile(r'(?i)(?<!\S)-?(body|year|kind|type|journal):("[^"]*"?|\S*)')
_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(-?)(\w+)')


def plain_text(parsed: ParsedQuery) -> str:
    """What the user typed, without the field filters (the baselines apply those as columns)."""
    return _FILTER_RE.sub(" ", parsed.raw[:1000])


def plain_fts5(parsed: ParsedQuery) -> tuple[str | None, str | None]:
    """(match, exclude) over the raw words, each quoted so nothing becomes FTS5 syntax."""
    required, excluded = [], []
    for match in _TOKEN_RE.finditer(plain_text(parsed)):
        if match[2] is not None:
            words = re.findall(r"\w+", match[2])
            target = excluded if match[1] else required
        else:
            words = [match[4]]
            target = excluded if match[3] else required
        if words:
            target.append('"' + " ".join(words) + '"')
    if required:
        expression = " AND ".join(required)
        if excluded:
            expression = f"({expression}) NOT ({' OR '.join(excluded)})"
        return expression, None
    return None, (" OR ".join(excluded) or None)


class PlainFts5Backend(SqliteFts5Backend):
    label = "SQLite FTS5 unicode61 (baseline)"
    fts_table = "search_fts_plain"
    filter_tokens = False
    statistics = False  # always bm25()

    @staticmethod
    def create(connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS search_fts_plain")
            cursor.execute(
                "CREATE VIRTUAL TABLE search_fts_plain USING fts5(title, text, "
                "content='search_searchdocument', content_rowid='id', tokenize='unicode61')"
            )
            cursor.execute("INSERT INTO search_fts_plain (search_fts_plain) VALUES ('rebuild')")

    def _matched(self, parsed: ParsedQuery):
        if not parsed.has_text:
            return super()._matched(parsed)
        match, exclude = plain_fts5(parsed)
        table = self.fts_table
        if match:
            return (
                f"FROM {table} CROSS JOIN search_searchdocument d ON d.id = {table}.rowid "
                f"WHERE {table} MATCH %s",
                f"(-{TITLE_WEIGHT} * bm25({table}, 1.0, 0.0) - bm25({table}, 0.0, 1.0)) * d.boost",
                [match],
            )
        if exclude:
            return (
                f"FROM search_searchdocument d WHERE d.id NOT IN "
                f"(SELECT rowid FROM {table} WHERE {table} MATCH %s)",
                "0.0",
                [exclude],
            )
        return None


class DanishPostgresBackend(PostgresBackend):
    label = "PostgreSQL 'danish' (baseline)"
    filter_tokens = False

    @staticmethod
    def create(connection) -> None:
        # A generated column is always in step with the text, so one there already (a bench
        # run with --reuse) is kept: building it takes ten minutes at a million items.
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS baseline_vector tsvector "
                "GENERATED ALWAYS AS (setweight(to_tsvector('danish', title), 'A') || "
                "setweight(to_tsvector('danish', text), 'D')) STORED"
            )
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_doc_baseline ON search_searchdocument "
                "USING gin (baseline_vector)"
            )
            cursor.execute("ANALYZE search_searchdocument")

    def _windowed(self, query, columns, window, size):
        """The first `size` matches, as a plain query finds them (the baseline's GIN index,
        or for a frequent word the table in its order, which a rebuild makes newest first).
        Not our walk year by year: its conditions on the year let the planner AND the
        baseline's match with a scan of the whole of our year's GIN index (which holds no
        baseline terms), 35 s a query at a million items."""
        return SearchBackend._windowed(self, query, columns, window, size)

    def _matched(self, parsed: ParsedQuery):
        if not parsed.has_text:
            return super()._matched(parsed)
        text = plain_text(parsed).strip()
        if not text:
            return None
        return (
            "FROM search_searchdocument d, websearch_to_tsquery('danish', %s) q "
            "WHERE d.baseline_vector @@ q",
            f"ts_rank_cd('{WEIGHTS}', d.baseline_vector, q, {NORMALISATION}) * {KIND_BOOST}",
            [text],
        )
