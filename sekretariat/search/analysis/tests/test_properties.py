"""Property tests: nothing a user types breaks parsing or SQLite, and the index agrees with
the query side (a phrase cut from a document finds the document)."""

import re
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sekretariat.search.analysis import (
    analyze_document,
    analyze_query,
    snippet,
    to_fts5_match,
    to_tsquery,
)

from .conftest import Fts5Index

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SYNTAX = [
    '"',
    "'",
    "*",
    "(",
    ")",
    ":",
    ";",
    "-",
    "+",
    "^",
    "{",
    "}",
    "[",
    "]",
    ",",
    ".",
    "\\",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "body:",
    "year:",
    "kind:",
    "type:",
    "journal:",
    "col:",
    "--",
    "/*",
    "*/",
    "DROP TABLE docs",
    "|",
    "&",
    "!",
    "<->",
    "<2>",
    ":*",
    ":A",
    "\x00",
    "\u200b",
    "\ufeff",
    "«",
    "»",
    "„",
    "“",
    " ",
    "  ",
    "\t",
    "\n",
]
WORDS = [
    "takst",
    "forløb",
    "Sundhedsdirektørkredsen",
    "KKR",
    "MED",
    "med",
    "og",
    "IV-behandling",
    "1V",
    "hgj",
    "Århus",
    "Aarhus",
    "2021",
    "00.15.10",
    "P35",
    "ﬁ",
    "ß",
    "Ω",
    "😀",
    "x²",
]
fragments = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)
queries = st.one_of(
    st.lists(fragments, max_size=25).map("".join),
    st.lists(fragments, max_size=25).map(" ".join),
    st.text(max_size=200),
)


def _fts5_tables() -> list[sqlite3.Connection]:
    tables = []
    for tokenizer in ("unicode61", "ascii", "porter unicode61", "trigram"):
        db = sqlite3.connect(":memory:")
        db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = '{tokenizer}')")
        db.execute(
            "INSERT INTO docs (body) VALUES (?)",
            (" ".join(analyze_document("Sundhedsdirektørkredsen og KKR: takst 2021")),),
        )
        tables.append(db)
    return tables


TABLES = _fts5_tables()


@SETTINGS
@given(queries)
def test_analyze_query_never_raises_and_yields_safe_terms(text):
    parsed = analyze_query(text)
    assert all(term.isalnum() and term == term.casefold() for term in parsed.terms)
    assert len(parsed.raw) <= 1000


@SETTINGS
@given(queries)
def test_fts5_expression_is_always_valid_syntax(text):
    rendered = to_fts5_match(analyze_query(text))
    for expression in (rendered.match, rendered.exclude):
        if expression is None:
            continue
        for db in TABLES:
            # Raises sqlite3.OperationalError on a syntax error; must never happen.
            db.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (expression,)).fetchall()


@SETTINGS
@given(queries)
def test_tsquery_has_only_quoted_alphanumeric_lexemes(text):
    rendered = to_tsquery(analyze_query(text))
    if rendered is None:
        return
    stripped = re.sub(r"<(?:-|[1-9][0-9]*)>", " ", rendered)  # <-> and <N>
    for operator in ("&", "|", "!", "(", ")"):
        stripped = stripped.replace(operator, " ")
    for lexeme in stripped.split():
        assert lexeme[0] == lexeme[-1] == "'" and lexeme[1:-1].isalnum(), lexeme


@SETTINGS
@given(st.text(max_size=300))
def test_analyze_document_never_raises_and_yields_safe_terms(text):
    for term in analyze_document(text):
        assert term.isalnum() and term == term.casefold() and len(term) <= 64


@SETTINGS
@given(st.text(max_size=300), queries, st.integers(min_value=-10, max_value=10_000))
def test_snippet_never_raises_and_is_escaped(text, query, width):
    html = snippet(text, analyze_query(query), width)
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


VOCABULARY = [
    "Sundhedsdirektørkredsen",
    "kommunaldirektørkredsen",
    "forløbstaksten",
    "dagstakst",
    "socialdirektørforum",
    "sundhedssamarbejdsudvalget",
    "IV-behandling",
    "1V-behandling",
    "KKR",
    "Kommunekontaktrådet",
    "PLO",
    "Praktiserende",
    "Lægers",
    "Organisation",
    "MED",
    "Fælles",
    "Medicinkort",
    "hgj",
    "forlgb",
    "Aarhus",
    "Århus",
    "Koebenhavn",
    "og",
    "i",
    "at",
    "med",
    "for",
    "af",
    "godkender",
    "indstillingen",
    "2021",
    "00.15.10-P35",
    "KD-Net",
    "SOSU-assistent",
    "social-",
    "sundhed",
    "borgerne",
    "visitationsretten",
    "kreds",
    "takst",
]
documents = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(documents, st.data())
def test_any_phrase_cut_from_a_document_finds_it(words, data):
    index = Fts5Index()
    index.add("doc", " ".join(words))
    start = data.draw(st.integers(min_value=0, max_value=len(words) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(words)))
    phrase = '"' + " ".join(words[start:end]) + '"'
    if analyze_query(phrase).required:
        assert index.search(phrase) == {"doc"}, phrase
    word = words[start]
    if analyze_query(word).required:
        assert index.search(word) == {"doc"}, word


@settings(max_examples=150, deadline=None)
@given(documents, documents)
def test_analysis_of_words_does_not_depend_on_their_neighbours(first, second):
    assert analyze_document(" ".join(first + second)) == analyze_document(
        " ".join(first)
    ) + analyze_document(" ".join(second))
