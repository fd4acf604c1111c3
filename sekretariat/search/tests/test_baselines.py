"""The plain baselines of the benchmarks (`relevance.baselines`), on the real database: they
search the same documents with plain analysis, and on PostgreSQL plan as a plain query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sekretariat.bodies.selectors import PUBLIC
from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services as ms
from sekretariat.meetings.tests import factories as mf
from sekretariat.search.relevance import baselines
from sekretariat.search.selectors import search

pytestmark = pytest.mark.django_db


def _baseline():
    if connection.vendor == "postgresql":
        baselines.DanishPostgresBackend.create(connection)
        return baselines.DanishPostgresBackend(connection)
    baselines.PlainFts5Backend.create(connection)
    return baselines.PlainFts5Backend(connection)


@pytest.fixture
def indexed(catch_up):
    body = bf.body("Sundhedsdirektørkredsen 4c4c", slug="sdk-4c4c")
    for year in (2019, 2024, 2025):
        m = mf.meeting(body, starts_at=mf.aware(year, 3, 10))
        mf.item(m, title=f"Praksisplanen {year}", sections={"resume": "Lægedækning i kommunerne."})
        ms.agenda_publish(meeting=m)
    catch_up()
    return body


def titles(results):
    return sorted(hit.title for hit in results.hits)


def test_a_baseline_finds_the_words_as_written_not_their_parts(indexed):
    base = _baseline()
    assert titles(search("praksisplanen", PUBLIC, backend=base)) == [
        "Praksisplanen 2019",
        "Praksisplanen 2024",
        "Praksisplanen 2025",
    ]
    assert titles(search("praksisplanen year:2024", PUBLIC, backend=base)) == ["Praksisplanen 2024"]
    # Ours splits the compound; a plain baseline does not.
    assert len(search("plan", PUBLIC).hits) == 3
    assert search("plan", PUBLIC, backend=base).hits == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_postgres_baseline_is_one_plain_statement_on_its_own_index(indexed):
    """Not our walk year by year: its conditions on the year let the planner AND the
    baseline's match with a scan of a whole year index of ours (35 s a query at a million
    items). The baseline's statement names no year, so no index of ours on the search vector
    can serve it, and its own GIN index does."""
    base = _baseline()
    with CaptureQueriesContext(connection) as captured:
        search("praksisplanen", PUBLIC, backend=base)
    statements = [q["sql"] for q in captured.captured_queries if "baseline_vector" in q["sql"]]
    assert statements
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # as on a large table: an index is wanted
        for statement in statements:
            assert "UNION ALL" not in statement and "d.year =" not in statement, statement
            cursor.execute(f"EXPLAIN {statement}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "search_doc_vector" not in plan, plan
            assert "search_doc_baseline" in plan, plan
        cursor.execute("RESET enable_seqscan")
