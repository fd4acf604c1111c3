"""Parity with PostgreSQL: the same documents and queries find the same things as in FTS5.

Runs only when DATABASE_URL points at PostgreSQL (as in the project's PostgreSQL test run),
e.g. DATABASE_URL=postgres://postgres@/postgres?host=/var/run/postgresql. It only evaluates
expressions (no tables are created), so it can use any database it may connect to.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings

from sekretariat.search.analysis import analyze_query, index_text, to_tsquery

from .conftest import Fts5Index
from .test_properties import queries
from .test_render import DOCUMENTS

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="DATABASE_URL does not point at PostgreSQL",
)


@pytest.fixture(scope="module")
def connection():
    psycopg = pytest.importorskip("psycopg")
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    # The named database need not exist (Django's tests create their own): the checks only
    # evaluate expressions, so they use the server's maintenance database.
    params = conninfo_to_dict(DATABASE_URL)
    params["dbname"] = "postgres"
    with psycopg.connect(make_conninfo(**params), autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def fts5_index() -> Fts5Index:
    index = Fts5Index()
    for name, text in DOCUMENTS.items():
        index.add(name, text)
    return index


def postgres_search(connection, query: str) -> set[str]:
    tsquery = to_tsquery(analyze_query(query))
    if tsquery is None:
        return set()
    found = set()
    for name, text in DOCUMENTS.items():
        row = connection.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
            (index_text(text), tsquery),
        ).fetchone()
        if row[0]:
            found.add(name)
    return found


def test_simple_config_keeps_every_term_whole(connection):
    text = "Sundhedsdirektørkredsen: 1V-behandling, 2.498.901 kr., 00.15.10-P35 og KKR's Ærø"
    terms = index_text(text).split()
    (lexemes,) = connection.execute(
        "SELECT array_agg(token ORDER BY ordinality) FROM ts_debug('simple', %s)"
        " WITH ORDINALITY WHERE alias NOT IN ('blank')",
        (" ".join(terms),),
    ).fetchone()
    assert lexemes == terms


@pytest.mark.parametrize(
    "query",
    [
        "direktørkreds",
        "IV-behandling",
        "høj",
        "KKR",
        "Kommunekontaktråd",
        '"fælles medicinkort"',
        '"medicinkort fælles"',
        "MED",
        "kvalitet -høj",
        "-takst",
        '"sammenhæng i forløb"',
        "takst pumpe -covid",
    ],
)
def test_same_results_as_fts5(connection, fts5_index, query):
    assert postgres_search(connection, query) == fts5_index.search(query)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(queries)
def test_random_queries_are_valid_and_agree_with_fts5(connection, fts5_index, text):
    assert postgres_search(connection, text) == fts5_index.search(text)
