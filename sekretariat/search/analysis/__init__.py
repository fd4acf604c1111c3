"""The Danish text analyzer behind search: pure Python, no Django, no other app.

Indexing: `index_text(text)` (or `analyze_document(text)` for the list) gives the terms a
backend stores, whitespace-separated. Searching: `analyze_query(text)` parses what the user
typed; `to_fts5_match` and `to_tsquery` render it for SQLite FTS5 and PostgreSQL; `snippet`
shows where it matched. See `analyzer` for the steps a word goes through, `compounds` for
compound splitting, `abbreviations` for the expansion policy, `ocr` for OCR repair and `query`
for the query syntax.

The module-level functions share one default `Analyzer`, built on first use (about half a
second: the lexicon). `set_default_analyzer` replaces it, e.g. with an installation's own
abbreviations:

    set_default_analyzer(Analyzer(extra_abbreviations=load_abbreviations(path)))

For the backends (every term is lower-case letters and digits, so any tokenizer keeps it whole):

    SQLite:     CREATE VIRTUAL TABLE search USING fts5(terms, tokenize = 'unicode61')
                  -- keep detail=full (the default): phrases need positions
                INSERT INTO search (rowid, terms) VALUES (:id, :index_text)
                q = to_fts5_match(parsed)
                q.match    -> ... WHERE search MATCH :match
                q.exclude  -> ... WHERE rowid NOT IN (SELECT rowid FROM search
                                                      WHERE search MATCH :exclude)
    PostgreSQL: terms tsvector = to_tsvector('simple', :index_text)  (GIN index)
                ... WHERE terms @@ to_tsquery('simple', :tsquery)   -- tsquery = to_tsquery(parsed)

Both return the same rows for the same query (tests/test_postgres.py checks it when
DATABASE_URL points at PostgreSQL). `parsed.filters` are for the backend's own columns.
"""

import threading

from .abbreviations import (
    DEFAULT_ABBREVIATIONS,
    Abbreviation,
    AbbreviationFormatError,
    abbreviations_from_pairs,
    load_abbreviations,
)
from .analyzer import Analyzer
from .highlight import DEFAULT_WIDTH
from .highlight import snippet as _snippet
from .query import Clause, FieldFilter, ParsedQuery, QueryIssue, parse_query
from .render import Fts5Match, to_fts5_match, to_tsquery

__all__ = [
    "DEFAULT_ABBREVIATIONS",
    "Abbreviation",
    "AbbreviationFormatError",
    "Analyzer",
    "Clause",
    "FieldFilter",
    "Fts5Match",
    "ParsedQuery",
    "QueryIssue",
    "abbreviations_from_pairs",
    "analyze_document",
    "analyze_query",
    "get_default_analyzer",
    "index_text",
    "load_abbreviations",
    "set_default_analyzer",
    "snippet",
    "to_fts5_match",
    "to_tsquery",
]

_default: Analyzer | None = None
_default_lock = threading.Lock()


def get_default_analyzer() -> Analyzer:
    """The shared analyzer, built on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyzer()
    return _default


def set_default_analyzer(analyzer: Analyzer | None) -> None:
    """Replace the shared analyzer (None: build a fresh default on next use).

    Documents indexed with one abbreviation table stay valid with another: abbreviations are
    expanded at query time. Only a new abbreviation that is a stop word in lower case ("MED")
    needs a re-index to be found in old documents.
    """
    global _default
    with _default_lock:
        _default = analyzer


def analyze_document(text: str, analyzer: Analyzer | None = None) -> list[str]:
    """Index terms of `text`, in order (positions matter for phrase queries).

    >>> analyze_document("Sundhedsdirektørkredsen godkender taksten")  # doctest: +NORMALIZE_WHITESPACE
    ['sundhedsdirektoerkred', 'sund', 'direktoer', 'kred', 'sund0direktoer', 'direktoer0kred',
     'godkend', 'takst']
    """
    return (analyzer or get_default_analyzer()).analyze_document(text)


def index_text(text: str, analyzer: Analyzer | None = None) -> str:
    """The terms of `text` joined by single spaces: what a backend stores and tokenizes."""
    return (analyzer or get_default_analyzer()).index_text(text)


def analyze_query(text: str, analyzer: Analyzer | None = None) -> ParsedQuery:
    """Parse and analyse a user's query; never raises (see `query` for the syntax)."""
    return parse_query(text, analyzer or get_default_analyzer())


def snippet(
    text: str,
    parsed: ParsedQuery,
    width: int = DEFAULT_WIDTH,
    analyzer: Analyzer | None = None,
) -> str:
    """About `width` characters of `text` around the best match, as HTML with <mark>s."""
    return _snippet(text, parsed, width, analyzer=analyzer or get_default_analyzer())
