"""A full rebuild reads plain rows in bulk; indexing an object reads model instances. Both must
write the same documents, column for column."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from sekretariat.bodies.models import Body, Person
from sekretariat.cases.models import Case
from sekretariat.demo.services import demo_build
from sekretariat.meetings import services as ms
from sekretariat.meetings.models import AgendaItem, Meeting
from sekretariat.search import indexer, rebuild, services
from sekretariat.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    columns = list(indexer.COLUMNS)
    if connection.vendor == "postgresql":
        # The vector PostgreSQL indexes (the terms are not stored there).
        documents = SearchDocument.objects.extra(select={"vector": "search_vector::text"})
        columns.append("vector")
    else:
        documents = SearchDocument.objects.all()
    return sorted(tuple(str(value) for value in row) for row in documents.values_list(*columns))


@pytest.fixture
def installation():
    demo_build()
    # An attachment with text, and one closed, on an open item of the demo.
    item = (
        AgendaItem.objects.filter(access="aaben", meeting__status="dagsorden_offentliggjort")
        .order_by("pk")
        .first()
    )
    ms.attachment_add(
        item=item,
        file=ContentFile(b"Takstblad for dagstakster 4b4b", name="takst.txt"),
        title="Takstblad 4b4b",
    )
    ms.attachment_add(
        item=item,
        file=ContentFile(b"Fortroligt notat 9d9d", name="notat.txt"),
        title="Notat 9d9d",
        access="lukket",
    )


def _index_each_object() -> list[tuple]:
    SearchDocument.objects.all().delete()
    indexer.index_meetings(Meeting.objects.values_list("pk", flat=True))
    indexer.index_cases(Case.objects.values_list("pk", flat=True))
    indexer.index_bodies(Body.objects.values_list("pk", flat=True))
    indexer.index_people(Person.objects.values_list("pk", flat=True))
    return _snapshot()


def _check_rebuild(workers: int) -> None:
    by_object = _index_each_object()
    assert len(by_object) > 200
    kinds = {row[indexer.COLUMNS.index("kind")] for row in by_object}
    assert kinds == {"punkt", "bilag", "moede", "sag", "forum", "person"}
    services.search_reindex(workers=workers)
    rebuilt = _snapshot()
    assert len(rebuilt) == len(by_object)
    assert [row for row in rebuilt if row not in set(by_object)] == []
    assert rebuilt == by_object


def test_rebuild_writes_what_indexing_each_object_writes(installation):
    _check_rebuild(workers=0)


def test_no_workers_inside_an_open_transaction(installation):
    # They would read on connections of their own and miss the uncommitted rows.
    assert services.reindex_workers(2) == 0


@pytest.mark.django_db(transaction=True)
def test_rebuild_in_worker_processes(installation, monkeypatch):
    """The workers read the committed rows on their own connections (not possible on the
    in-memory SQLite database of the tests: there the rebuild runs in this process)."""
    from django.db import connection

    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert services.reindex_workers(2) == (0 if in_memory else 2)
    monkeypatch.setattr(rebuild, "REBUILD_MEETINGS_PER_JOB", 3)  # many jobs, kept in order
    _check_rebuild(workers=2)
    # This process's connection still works after the workers have left.
    assert SearchDocument.objects.count() > 200


def test_sqlite_rebuild_sets_fts5_back_to_its_defaults(installation):
    """The rebuild's large FTS5 hash and merge width are stored settings: left in place, every
    later edit would keep up to 256 MB of pending terms."""
    from django.db import connection

    from sekretariat.search.backends.sqlite_fts5 import DEFAULT_FTS_CONFIG

    if connection.vendor != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    services.search_reindex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT k, v FROM search_fts_config WHERE k IN ('hashsize', 'automerge')")
        stored = dict(cursor.fetchall())
    # FTS5 stores a setting only once it is set: after a rebuild both are there, as defaults.
    assert stored == DEFAULT_FTS_CONFIG


def test_sqlite_rebuild_keeps_the_fts_triggers(installation):
    """A rebuild sets the documents' table's triggers aside to empty it (SQLite truncates a
    table without triggers) and puts them back: later edits still reach the FTS index."""
    from sekretariat.bodies.selectors import PUBLIC
    from sekretariat.search.selectors import search

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers")

    def triggers():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'search_searchdocument' ORDER BY name"
            )
            return [(name, " ".join(sql.split())) for name, sql in cursor.fetchall()]

    before = triggers()
    assert {name for name, _sql in before} >= {"search_fts_insert", "search_fts_delete"}
    services.search_reindex()
    services.search_reindex()  # over a full index
    assert triggers() == before
    body = Body.objects.order_by("pk").first()
    body.name = "Forum for fyrtårnsbiblioteker"
    body.save()
    services.search_index_objects(bodies=[body.pk])
    hits = search("fyrtårnsbiblioteker", PUBLIC).hits
    assert [hit.title for hit in hits] == ["Forum for fyrtårnsbiblioteker"]
    with connection.cursor() as cursor:  # the old name's terms left the FTS index
        cursor.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'fyrtaarnsbibliotek'"
        )
        assert cursor.fetchone()[0] == 1


def test_postgres_vector_is_what_to_tsvector_makes_of_the_terms(installation):
    """The tsvector literal built from the analyzer's terms equals PostgreSQL's own
    construction from the same terms (the generated column it replaces), for every document."""
    from sekretariat.search.backends.postgres import vector_literal

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tsvector")
    rows = [row for job in rebuild.rebuild_jobs() for row in rebuild.rebuild_rows(job)]
    assert len(rows) > 200
    at = {name: indexer.COLUMNS.index(name) for name in indexer.COLUMNS}
    # A text longer than a tsvector's positions (PostgreSQL keeps 16383 as the last one).
    long_text = " ".join(f"ord{n}" for n in range(17_000))
    rows.append(tuple(long_text if name == "text_terms" else row for name, row in
                      zip(indexer.COLUMNS, rows[0], strict=True)))  # fmt: skip
    pairs = [
        (
            vector_literal(r[at["title_terms"]], r[at["text_terms"]], r[at["filter_terms"]],
                           r[at["text_weight"]]),
            r[at["title_terms"]], r[at["text_terms"]], r[at["filter_terms"]], r[at["text_weight"]],
        )
        for r in rows
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE v::tsvector = "
            "setweight(to_tsvector('simple', t), 'A') "
            "|| setweight(to_tsvector('simple', x), w::\"char\") "
            "|| setweight(to_tsvector('simple', f), 'D') AND length(v::tsvector) > 0) "
            "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
            "AS u(v, t, x, f, w)",
            [list(column) for column in zip(*pairs, strict=True)],
        )
        total, equal = cursor.fetchone()
        assert total == len(rows) and equal == total
        # Terms the analyzer never writes are quoted, not misread.
        cursor.execute("SELECT %s::tsvector::text", [vector_literal("it's", "a:b c\\d", "", "B")])
        assert cursor.fetchone()[0] == "'a:b':2B 'c\\\\d':3B 'it''s':1A"


def test_postgres_rebuild_analyses_tables_without_statistics(installation):
    """After a bulk import the planner may have no statistics of the tables a rebuild reads
    (and would scan millions of rows for a job's few thousand): they are analysed first."""
    from sekretariat.search.backends import get_backend

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    tables = [model._meta.db_table for model in rebuild.SOURCE_MODELS]

    def never_analysed() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
                "AND COALESCE(last_analyze, last_autoanalyze) IS NULL",
                [tables],
            )
            return {name for (name,) in cursor.fetchall()}

    backend = get_backend()
    missing = never_analysed()
    assert set(backend.analyze_sources(tables)) >= missing
    assert never_analysed() == set()
    assert backend.analyze_sources(tables) == []


def _postgres_index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        return {name for (name,) in cursor.fetchall()}


def _table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_postgres_rebuild_beside_swaps_in_a_complete_table(installation, monkeypatch):
    """With workers, PostgreSQL builds a new table beside the one searched, with the same
    indexes (renamed to theirs), and swaps it in; a rebuild that fails leaves the old index
    as it was and no new table behind, and the next rebuild can run."""
    from sekretariat.search.backends import postgres
    from sekretariat.search.backends.postgres import NEW_TABLE

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's rebuild beside the index")
    # A window year without documents (1990).
    window = postgres.window_years
    monkeypatch.setattr(postgres, "window_years", lambda today=None: [*window(today), 1990])
    services.search_reindex(workers=0)  # in one transaction, in this process
    before = _postgres_index_names()
    assert {"search_searchdocument_pkey", "search_doc_vector_even", "search_doc_object"} <= before
    count = SearchDocument.objects.count()

    def broken(job):
        raise RuntimeError("a job fails")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rebuild, "rebuild_rows", broken)
        with pytest.raises(RuntimeError):
            services.search_reindex(workers=2)
    assert SearchDocument.objects.count() == count
    assert not _table_exists(NEW_TABLE)

    SearchDocument.objects.filter(kind="forum").delete()  # stale: the rebuild restores them
    with connection.cursor() as cursor:  # a column that is not the documents' own
        cursor.execute("ALTER TABLE search_searchdocument ADD COLUMN stray integer")
    services.search_reindex(workers=2)
    assert SearchDocument.objects.count() == count
    # A window year without documents gets its index later (`search_worker`), not in a
    # rebuild, where it would read the whole table for nothing.
    years = set(SearchDocument.objects.values_list("year", flat=True).distinct())
    empty = {f"search_doc_vector_y{year}" for year in postgres.window_years() if year not in years}
    assert "search_doc_vector_y1990" in empty & before
    assert len(empty) < len(postgres.window_years())
    assert _postgres_index_names() == before - empty
    services.search_statistics_refresh()
    assert _postgres_index_names() == before
    assert not _table_exists(NEW_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'search_searchdocument' AND column_name = 'stray'"
        )
        assert cursor.fetchone()[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('search_searchdocument', 'id')")
        assert cursor.fetchone()[0] == "public.search_searchdocument_id_seq"
    # New documents get ids after the rebuilt ones.
    assert services.search_index_objects(bodies=[Body.objects.first().pk])


def test_sqlite_rebuild_empties_the_write_ahead_log(tmp_path):
    """After a rebuild the log is copied into the database and emptied (`after_rebuild`):
    it held the whole new index. On a database file of its own (the tests' is in memory)."""
    import contextlib
    import os
    import sqlite3

    from sekretariat.search.backends.sqlite_fts5 import SqliteFts5Backend

    path = tmp_path / "index.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    raw.execute("CREATE TABLE t (x BLOB)")
    raw.executemany("INSERT INTO t VALUES (?)", [(b"x" * 1000,)] * 2000)
    log = f"{path}-wal"
    assert os.path.getsize(log) > 1_000_000

    class Connection:  # what the backend uses of Django's
        def cursor(self):
            return contextlib.closing(raw.cursor())

    SqliteFts5Backend(Connection()).after_rebuild()
    assert os.path.getsize(log) == 0
    assert raw.execute("SELECT count(*) FROM t").fetchone() == (2000,)
    raw.close()
