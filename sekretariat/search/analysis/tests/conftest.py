"""Shared fixtures: the default analyzer and a real in-memory SQLite FTS5 index."""

import sqlite3

import pytest

from sekretariat.search.analysis import (
    Analyzer,
    analyze_query,
    get_default_analyzer,
    index_text,
    to_fts5_match,
)


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return get_default_analyzer()


class Fts5Index:
    """Documents indexed the way the SQLite backend will: analyzer terms in an FTS5 column."""

    def __init__(self, tokenizer: str = "unicode61"):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = '{tokenizer}')")
        self.names: dict[int, str] = {}

    def add(self, name: str, text: str) -> None:
        rowid = len(self.names) + 1
        self.names[rowid] = name
        self.db.execute("INSERT INTO docs (rowid, body) VALUES (?, ?)", (rowid, index_text(text)))

    def match(self, expression: str) -> set[str]:
        rows = self.db.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (expression,))
        return {self.names[rowid] for (rowid,) in rows}

    def search(self, query: str) -> set[str]:
        """Names of the documents a user's query finds (empty query: nothing)."""
        rendered = to_fts5_match(analyze_query(query))
        if rendered.match:
            return self.match(rendered.match)
        if rendered.exclude:
            return set(self.names.values()) - self.match(rendered.exclude)
        return set()


@pytest.fixture
def fts5() -> Fts5Index:
    return Fts5Index()
