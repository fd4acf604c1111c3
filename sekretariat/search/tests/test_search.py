"""Indexing and searching through the services and selectors, on the real database."""

import datetime

import pytest
from django.core.files.base import ContentFile

from sekretariat.bodies.selectors import PUBLIC, viewer_for
from sekretariat.bodies.tests import factories as bf
from sekretariat.core import dispatch
from sekretariat.meetings import services as ms
from sekretariat.meetings.models import Meeting
from sekretariat.meetings.tests import factories as mf
from sekretariat.search import services
from sekretariat.search.models import SearchDocument, SearchState
from sekretariat.search.selectors import SearchFilters, search

pytestmark = pytest.mark.django_db

SECRET = "Fortrolig personalesag om direktør Zebulonsen 3f9c"
OPEN_TEXT = "Det indstilles, at forløbstaksterne for IV-behandling godkendes 8d2a"


def titles(results):
    return [hit.title for hit in results.hits]


@pytest.fixture
def body():
    return bf.body("Sundhedsdirektørkredsen 7e1b", slug="sdk-7e1b")


@pytest.fixture
def meeting(body):
    m = mf.meeting(body, starts_at=mf.aware(2024, 5, 14))
    mf.item(m, title="Godkendelse af IV-takster 2024", sections={"indstilling": OPEN_TEXT})
    mf.item(
        m,
        title="Personalesag 5a1d",
        access="lukket",
        public_title="Lukket punkt",
        sections={"sagsfremstilling": SECRET},
    )
    ms.agenda_publish(meeting=m)
    return m


def test_open_item_found_by_inflected_and_compound_words(meeting, catch_up):
    catch_up()
    for query in ("IV-behandlingen", "forløbstakst", "takster", "iv takst"):
        results = search(query, PUBLIC)
        assert "Godkendelse af IV-takster 2024" in titles(results), query


def test_hit_says_which_section_matched(meeting, catch_up):
    catch_up()
    (hit,) = search("forløbstaksterne", PUBLIC).hits
    assert hit.section == "indstilling"
    assert hit.section_name == "Indstilling"
    assert "<mark>forløbstaksterne</mark>" in hit.snippet


def test_public_never_sees_closed_item_title_snippet_or_count(meeting, catch_up):
    catch_up()
    for query in ("Zebulonsen", "personalesag", "fortrolig direktør", "5a1d", "-zzzz"):
        results = search(query, PUBLIC)
        assert all("Zebulonsen" not in str(h.snippet) for h in results.hits)
        assert "Personalesag 5a1d" not in titles(results)
    assert search("Zebulonsen", PUBLIC).total == 0
    assert search("Zebulonsen", PUBLIC).facets == {
        k: [] for k in ("body", "organisation", "year", "kind", "item_kind", "type")
    }


def test_member_and_secretariat_see_closed_items_of_their_body_only(body, meeting, catch_up):
    catch_up()
    member = viewer_for(bf.member_user(body))
    staff = viewer_for(bf.secretariat_user(body))
    other = viewer_for(bf.member_user(bf.body()))
    assert titles(search("Zebulonsen", member)) == ["Personalesag 5a1d"]
    assert titles(search("Zebulonsen", staff)) == ["Personalesag 5a1d"]
    assert search("Zebulonsen", other).total == 0
    (hit,) = search("Zebulonsen", member).hits
    assert hit.is_closed


def test_unpublished_agenda_is_not_public_until_published(body, catch_up):
    m = mf.meeting(body, starts_at=mf.aware(2024, 9, 1))
    mf.item(m, title="Kvalitetsaftale for genoptræning 2c4e")
    catch_up()
    assert search("genoptræning", PUBLIC).total == 0
    ms.agenda_publish(meeting=m)
    catch_up()
    assert titles(search("genoptræning", PUBLIC)) == ["Kvalitetsaftale for genoptræning 2c4e"]


def test_decision_public_only_when_minutes_are_approved(body, catch_up):
    m = mf.published_meeting(body, items=[{"title": "Budget 2025 – test 7f3a"}])
    ms.meeting_mark_held(meeting=m)
    (item,) = m.agenda_items.all()
    ms.decision_record(item=item, text="Direktørkredsen vedtog budgettet med bemærkningen Qwyx")
    catch_up()
    assert search("Qwyx", PUBLIC).total == 0
    assert search("Qwyx", viewer_for(bf.member_user(body))).total == 1
    ms.minutes_approve(meeting=m)
    catch_up()
    (hit,) = search("Qwyx", PUBLIC).hits
    assert hit.section == "beslutning"
    assert hit.title == "Budget 2025 – test 7f3a"


def test_edit_through_services_is_found_by_the_next_search(meeting, catch_up):
    catch_up()
    item = meeting.agenda_items.get(title="Godkendelse af IV-takster 2024")
    ms.agenda_item_update(
        item=item, expected_version=item.version, fields={"title": "Pumpebehandling b9e0"}
    )
    # No explicit catch-up: the search request catches up itself (as the views do).
    services.search_catch_up()
    assert titles(search("pumpebehandling", PUBLIC)) == ["Pumpebehandling b9e0"]
    assert search('"IV-takster 2024"', PUBLIC).total == 0


def test_closing_an_item_hides_it_from_the_public(meeting, catch_up):
    catch_up()
    item = meeting.agenda_items.get(title="Godkendelse af IV-takster 2024")
    ms.agenda_item_update(item=item, expected_version=item.version, fields={"access": "lukket"})
    catch_up()
    assert search("forløbstakst", PUBLIC).total == 0


def test_attachment_text_is_indexed_and_closed_attachment_hidden(meeting, catch_up):
    item = meeting.agenda_items.get(title="Godkendelse af IV-takster 2024")
    ms.attachment_add(
        item=item,
        file=ContentFile(b"Bilag om dagstakst for pumpebehandling 4b4b", name="takster.txt"),
        title="Takstblad 4b4b",
    )
    ms.attachment_add(
        item=item,
        file=ContentFile(b"Hemmeligt notat om Xylofonsagen", name="notat.txt"),
        title="Notat 9d9d",
        access="lukket",
    )
    catch_up()
    (hit,) = search("dagstakster", PUBLIC).hits
    assert (hit.kind, hit.title) == ("bilag", "Takstblad 4b4b")
    assert search("Xylofonsagen", PUBLIC).total == 0
    assert search("Xylofonsagen", viewer_for(bf.admin_user())).total == 1


def test_bodies_people_and_cases_are_searchable(body, catch_up):
    m = mf.meeting(body, starts_at=mf.aware(2023, 2, 2))
    mf.item(m, title="Kommissorium for styregruppen 1a2b", journal_number="00.15.10-P35-2-18")
    ms.agenda_publish(meeting=m)
    services.search_reindex()
    kinds = {hit.kind for hit in search("sundhedsdirektørkredsen", PUBLIC).hits}
    assert {"forum", "moede"} <= kinds
    assert "sag" in {hit.kind for hit in search("kommissorium 1a2b", PUBLIC).hits}


def test_filters(body, catch_up):
    other = bf.body("Socialdirektørforum 6c6c", slug="sdf-6c6c")
    for b, year, title, kind, journal in (
        (body, 2021, "Drøftelse af sundhedsaftalen", "droeftelse", "29.30.00-A00-1-21"),
        (body, 2023, "Godkendelse af sundhedsaftalen", "beslutning", "00.15.10-P35-1-23"),
        (other, 2023, "Orientering om sundhedsaftalen", "orientering", "00.15.00-G01-1-23"),
    ):
        m = mf.meeting(b, starts_at=mf.aware(year, 3, 3))
        mf.item(m, title=title, kind=kind, journal_number=journal)
        ms.agenda_publish(meeting=m)
    catch_up()

    def found(query, **filters):
        filters.setdefault("kinds", ("punkt",))
        return sorted(
            t for t in titles(search(query, PUBLIC, SearchFilters(**filters))) if "aftalen" in t
        )

    assert len(found("sundhedsaftalen")) == 3
    assert found("sundhedsaftalen body:sdf-6c6c") == ["Orientering om sundhedsaftalen"]
    assert found("sundhedsaftalen", body_names=("Socialdirektørforum",)) == [
        "Orientering om sundhedsaftalen"
    ]
    assert found("sundhedsaftalen year:2021") == ["Drøftelse af sundhedsaftalen"]
    assert len(found("sundhedsaftalen year:2022-2023")) == 2
    assert found(
        "sundhedsaftalen",
        date_from=datetime.date(2021, 1, 1),
        date_to=datetime.date(2021, 12, 31),
    ) == ["Drøftelse af sundhedsaftalen"]
    assert found("sundhedsaftalen kind:drøftelse") == ["Drøftelse af sundhedsaftalen"]
    assert found("sundhedsaftalen journal:00.15") == [
        "Godkendelse af sundhedsaftalen",
        "Orientering om sundhedsaftalen",
    ]
    assert found("sundhedsaftalen journal:00.15.10-P35") == ["Godkendelse af sundhedsaftalen"]
    assert found("sundhedsaftalen", item_kinds=("orientering",)) == [
        "Orientering om sundhedsaftalen"
    ]
    assert found("sundhedsaftalen", organisation_ids=(other.organisation_id,)) == [
        "Orientering om sundhedsaftalen"
    ]
    assert found("sundhedsaftalen type:referat") == []
    assert len(found("sundhedsaftalen type:dagsorden")) == 3
    results = search("sundhedsaftalen", PUBLIC, SearchFilters(kinds=("punkt",)))
    assert {o.label: o.count for o in results.facets["year"]} == {"2021": 1, "2023": 2}
    assert {o.label: o.count for o in results.facets["body"]} == {
        "Sundhedsdirektørkredsen 7e1b": 2,
        "Socialdirektørforum 6c6c": 1,
    }


def test_title_match_ranks_first_and_newest_order(body, catch_up):
    for year, title, text in (
        (2020, "Status på arbejdet", "Kort om klyngesamarbejdet i regionen."),
        (2022, "Klyngesamarbejdet", "Status for året."),
        (2024, "Eventuelt", "Nævnt: klyngesamarbejdet."),
    ):
        m = mf.meeting(body, starts_at=mf.aware(year, 6, 1))
        mf.item(m, title=title, sections={"sagsfremstilling": text})
        ms.agenda_publish(meeting=m)
    catch_up()
    relevance = titles(search("klyngesamarbejde", PUBLIC, SearchFilters(kinds=("punkt",))))
    assert relevance[0] == "Klyngesamarbejdet"
    newest = search("klyngesamarbejde", PUBLIC, SearchFilters(kinds=("punkt",)), order="newest")
    assert [h.date.year for h in newest.hits] == [2024, 2022, 2020]


def test_pagination_has_no_duplicates_and_counts_objects_once(body, catch_up):
    m = mf.meeting(body, starts_at=mf.aware(2024, 1, 9))
    for n in range(25):
        mf.item(
            m,
            title=f"Taskforce {n:02d}",
            sections={"resume": "taskforce resumé", "indstilling": "taskforce indstilling"},
        )
    ms.agenda_publish(meeting=m)
    catch_up()
    first = search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), per_page=10)
    pages = [search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), page=p, per_page=10)
             for p in (1, 2, 3)]  # fmt: skip
    seen = [t for page in pages for t in titles(page)]
    assert first.total == 25 and first.pages == 3
    assert len(seen) == 25 == len(set(seen))


def test_phrase_and_exclusion(body, catch_up):
    m = mf.meeting(body, starts_at=mf.aware(2024, 2, 9))
    mf.item(m, title="Fælles medicinkort i kommunerne")
    mf.item(m, title="Medicinkort og fælles indkøb")
    ms.agenda_publish(meeting=m)
    catch_up()
    assert titles(search('"fælles medicinkort"', PUBLIC)) == ["Fælles medicinkort i kommunerne"]
    assert titles(search("medicinkort -indkøb", PUBLIC)) == ["Fælles medicinkort i kommunerne"]


def test_catch_up_builds_index_once_then_follows_events(meeting):
    assert not SearchState.objects.exists()
    services.search_catch_up()
    assert dispatch.position_of(services.CONSUMER_NAME) > 0
    assert SearchDocument.objects.filter(kind="punkt").exists()
    assert services.search_catch_up() == 0


def test_reindex_rebuilds_from_scratch(meeting):
    services.search_reindex()
    count = SearchDocument.objects.count()
    SearchDocument.objects.filter(kind="punkt").delete()
    assert services.search_reindex() == count
    assert search("forløbstakst", PUBLIC).total == 1


def test_deleting_an_item_removes_it(body, catch_up):
    m = mf.meeting(body, starts_at=mf.aware(2024, 4, 4))
    item = mf.item(m, title="Midlertidigt punkt Quokka")
    catch_up()
    admin = viewer_for(bf.admin_user())
    assert search("quokka", admin).total == 1
    ms.agenda_item_delete(item=item)
    catch_up()
    assert search("quokka", admin).total == 0


def test_cancelled_meeting_status_change_is_followed(meeting, catch_up):
    catch_up()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.AGENDA_PUBLISHED
    ms.meeting_cancel(meeting=meeting)
    catch_up()
    # A cancelled meeting's agenda is no longer public.
    assert search("forløbstakst", PUBLIC).total == 0


def _taskforce_items(body, n, closed=0):
    m = mf.meeting(body, starts_at=mf.aware(2024, 3, 9))
    for i in range(n):
        mf.item(m, title=f"Taskforce {i:02d}", sections={"resume": "taskforce resumé"})
    for i in range(closed):
        mf.item(m, title=f"Taskforce lukket {i:02d}", access="lukket",
                sections={"resume": "taskforce hemmelig"})  # fmt: skip
    ms.agenda_publish(meeting=m)


def test_count_and_facets_beyond_the_cap_are_lower_bounds(body, catch_up, monkeypatch):
    from sekretariat.search.backends import base

    _taskforce_items(body, 12)
    catch_up()
    exact = search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), per_page=5)
    assert exact.total == 12 and not exact.total_capped
    monkeypatch.setattr(base, "CANDIDATE_CAP", 4)
    capped = search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), per_page=3)
    assert capped.total_capped and capped.total == 4
    assert sum(o.count for o in capped.facets["year"]) == 4
    assert titles(capped) == titles(exact)[:3]
    assert capped.as_json()["total_capped"] is True
    # A page beyond the cap reads more candidates and is still the exact page.
    deep = search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), page=3, per_page=5)
    assert (
        titles(deep)
        == titles(search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), per_page=20))[10:15]
    )


def test_match_window_keeps_the_access_rule_in_the_query(body, catch_up, monkeypatch):
    from sekretariat.search.backends import base

    _taskforce_items(body, 3, closed=5)
    catch_up()
    from sekretariat.search.backends.postgres import PostgresBackend
    from sekretariat.search.backends.sqlite_fts5 import SqliteFts5Backend

    monkeypatch.setattr(base, "MATCH_WINDOW", 2)
    monkeypatch.setattr(PostgresBackend, "match_window", None)
    monkeypatch.setattr(SqliteFts5Backend, "match_window", None)
    monkeypatch.setattr(base, "CANDIDATE_CAP", 2)
    results = search("taskforce", PUBLIC, SearchFilters(kinds=("punkt",)), per_page=20)
    # The closed items were indexed last, so a window applied after the access rule would be
    # empty; the rule is inside the windowed statement, so public items fill it.
    assert results.hits and all(not h.is_closed for h in results.hits)
    assert results.total_capped
    assert search("hemmelig", PUBLIC).total == 0
    assert search("hemmelig", PUBLIC).facets == {
        k: [] for k in ("body", "organisation", "year", "kind", "item_kind", "type")
    }
    admin = search("hemmelig", viewer_for(bf.admin_user()))
    assert admin.total == 2 and admin.total_capped  # the window (2) holds, capped


def test_match_window_holds_the_newest_matches(body, monkeypatch):
    """A word in more documents than the window: the newest matches are the ones ranked,
    on both backends (SQLite walks the index newest first, PostgreSQL by years)."""
    from sekretariat.search.backends import base
    from sekretariat.search.backends.postgres import PostgresBackend
    from sekretariat.search.backends.sqlite_fts5 import SqliteFts5Backend

    this_year = datetime.date.today().year
    for year in (this_year - 15, this_year - 9, this_year - 4, this_year - 1, this_year):
        m = mf.meeting(body, starts_at=mf.aware(year, 3, 3))
        mf.item(m, title=f"Vandmølleprojekt {year}")
        ms.agenda_publish(meeting=m)
    services.search_reindex()
    monkeypatch.setattr(base, "MATCH_WINDOW", 2)
    monkeypatch.setattr(PostgresBackend, "match_window", None)
    monkeypatch.setattr(SqliteFts5Backend, "match_window", None)
    results = search("vandmølleprojekt", PUBLIC)
    assert results.total_capped
    assert sorted(titles(results)) == [
        f"Vandmølleprojekt {this_year - 1}",
        f"Vandmølleprojekt {this_year}",
    ]
    monkeypatch.setattr(base, "MATCH_WINDOW", 3)
    assert f"Vandmølleprojekt {this_year - 4}" in titles(search("vandmølleprojekt", PUBLIC))
    monkeypatch.setattr(base, "MATCH_WINDOW", 10)
    assert len(search("vandmølleprojekt", PUBLIC).hits) == 5
    # The older years' branches leave out the walked years: no document comes twice.
    from sekretariat.search.analysis import analyze_query
    from sekretariat.search.backends import BackendQuery, get_backend

    rows = get_backend().candidates(BackendQuery(analyze_query("vandmølleprojekt")))
    ids = [row.document_id for row in rows]
    assert len(ids) == len(set(ids)) >= 5
    assert {row.year for row in rows} >= {this_year - 15, this_year - 9, this_year}


def test_match_window_walks_the_quarters_newest_first(body, monkeypatch):
    """Within a year the window holds the newest quarters' matches (PostgreSQL asks its
    index quarter by quarter, `quarter_term`; SQLite walks its index newest first), and an
    index built before its documents had quarter terms is still searched, year by year."""
    from sekretariat.search.backends import base, postgres
    from sekretariat.search.backends.postgres import PostgresBackend
    from sekretariat.search.backends.sqlite_fts5 import SqliteFts5Backend

    year = datetime.date.today().year - 1
    for month in (2, 5, 8, 11):
        m = mf.meeting(body, starts_at=mf.aware(year, month, 10))
        mf.item(m, title=f"Vindmølleparken {month}")
        ms.agenda_publish(meeting=m)
    services.search_reindex()
    doc = SearchDocument.objects.get(title="Vindmølleparken 8")
    assert base.quarter_term(year, 3) in doc.filter_terms.split()
    monkeypatch.setattr(postgres, "QUARTER_MIN_MATCHES", -1)  # by quarter, however rare
    monkeypatch.setattr(PostgresBackend, "match_window", None)
    monkeypatch.setattr(SqliteFts5Backend, "match_window", None)
    for window, expected in ((1, [11]), (2, [8, 11]), (3, [5, 8, 11]), (10, [2, 5, 8, 11])):
        monkeypatch.setattr(base, "MATCH_WINDOW", window)
        found = sorted(int(t.split()[-1]) for t in titles(search("vindmølleparken", PUBLIC)))
        assert found == expected, window
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    # An index of documents without quarter terms (built before them): searched by year.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchdocument SET search_vector = ts_delete(search_vector, %s::text[])",
            [[base.quarter_term(year, quarter) for quarter in (1, 2, 3, 4)]],
        )
    monkeypatch.setattr(base, "MATCH_WINDOW", 10)
    SearchState.objects.update(index_version=postgres.QUARTER_TERMS_VERSION)
    postgres.forget_year_indexes()
    assert search("vindmølleparken", PUBLIC).hits == []  # (the quarters are what it asks for)
    SearchState.objects.update(index_version=postgres.QUARTER_TERMS_VERSION - 1)
    postgres.forget_year_indexes()
    assert len(search("vindmølleparken", PUBLIC).hits) == 4


def test_postgres_walks_by_quarter_only_where_the_words_are_frequent(body, meeting, catch_up):
    """A year is walked quarter by quarter only where the planner's statistics expect the
    words in more than `QUARTER_MIN_MATCHES` of its documents."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    from sekretariat.search.analysis import analyze_query
    from sekretariat.search.backends import BackendQuery, get_backend, postgres
    from sekretariat.search.backends.base import filter_term

    catch_up()
    backend = get_backend()
    postgres.forget_year_indexes()
    cache = backend._catalogue()
    assert cache["quarters"] and cache["per_year"].get(2024, 0) >= 1  # the meeting's year
    cache.update(terms={"oekonomi": 0.3, "takst": 0.05}, floor=0.01, per_year={2024: 100_000})
    years = [2025, 2024]

    def quarters(text):
        return backend._by_quarter(BackendQuery(analyze_query(text)), years)

    assert quarters("økonomi") == {2024}  # 30,000 expected
    assert quarters("takst") == {2024}  # 5,000
    assert quarters("økonomi takst") == set()  # 1,500
    assert quarters("vindmølle") == set()  # at most 500
    # A filter's terms count as well (a body's share); the year's do not (the walk has them).
    cache["terms"]["øbody7"] = 0.01

    def filtered(text, *groups):
        return backend._by_quarter(BackendQuery(analyze_query(text), tokens=groups), years)

    assert filtered("økonomi", ("øbody7",)) == set()  # 300
    assert filtered("økonomi", ("øbody7", "oekonomi")) == {2024}  # either term: 9,300
    assert filtered("økonomi", (filter_term("year", 2024),)) == {2024}
    # A walk of more than `QUARTER_YEARS` years goes by year.
    five, six = list(range(2020, 2025)), list(range(2019, 2025))
    assert backend._by_quarter(BackendQuery(analyze_query("økonomi")), five) == {2024}
    assert backend._by_quarter(BackendQuery(analyze_query("økonomi")), six) == set()
    postgres.forget_year_indexes()


@pytest.mark.parametrize(
    ("costs", "path"),
    [
        ((10, 10, False), "bm25 with filter terms"),
        ((10, 10**9, False), "bm25, filters as SQL"),
        ((10, 10**9, True), "without bm25"),
        ((10**9, 0, False), "without bm25"),
    ],
)
def test_sqlite_chooses_its_path_by_cost_and_finds_the_same(
    body, meeting, catch_up, monkeypatch, costs, path
):
    """SQLite's three ways of ranking a window (`SqliteFts5Backend._windowed`): by the foreseen
    cost of bm25() with and without the filter terms, and whether a filter is selective. Each
    applies the year filter and the access rule."""
    from django.db import connection

    from sekretariat.search.backends import base, sqlite_fts5

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's ranking")
    older = mf.meeting(body, starts_at=mf.aware(2021, 5, 14))
    mf.item(older, title="Takster for 2021", sections={"resume": "Taksten for 2021."})
    ms.agenda_publish(meeting=older)
    catch_up()
    taken = []
    backend = sqlite_fts5.SqliteFts5Backend
    monkeypatch.setattr(backend, "_bm25_costs", lambda self, query: costs)
    windowed, recent = base.SearchBackend._windowed, backend._recent_windowed

    def spy_windowed(self, query, *args):
        taken.append("bm25 with filter terms" if query.tokens else "bm25, filters as SQL")
        return windowed(self, query, *args)

    def spy_recent(self, *args):
        taken.append("without bm25")
        return recent(self, *args)

    monkeypatch.setattr(base.SearchBackend, "_windowed", spy_windowed)
    monkeypatch.setattr(backend, "_recent_windowed", spy_recent)
    assert titles(search("takster year:2024", PUBLIC)) == ["Godkendelse af IV-takster 2024"]
    assert titles(search("takster year:2021", PUBLIC)) == ["Takster for 2021"]
    assert search("personalesag year:2024", PUBLIC).total == 0
    assert set(taken) == {path}


def test_postgres_year_indexes_follow_the_window(body):
    """PostgreSQL: one GIN index per year of the window, created by a rebuild and set right
    by `ensure_year_indexes`; a window branch's year condition lets the planner use it."""
    from django.db import connection

    from sekretariat.search.backends.postgres import (
        YEAR_INDEX_PREFIX,
        ensure_year_indexes,
        window_years,
    )

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes")

    def names() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE starts_with(indexname, %s)",
                [YEAR_INDEX_PREFIX],
            )
            return {name for (name,) in cursor.fetchall()}

    this_year = datetime.date.today().year
    m = mf.meeting(body, starts_at=mf.aware(this_year, 3, 3))
    mf.item(m, title="Vandmølleprojekt")
    ms.agenda_publish(meeting=m)
    services.search_reindex()
    expected = {f"{YEAR_INDEX_PREFIX}{year}" for year in window_years()}
    assert this_year in window_years() and len(expected) == 5
    assert names() == expected
    with connection.cursor() as cursor:
        ensure_year_indexes(cursor, years=[1999])
        assert names() == {f"{YEAR_INDEX_PREFIX}1999"}
        ensure_year_indexes(cursor)
        assert names() == expected
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchdocument d "
            f"WHERE d.search_vector @@ 'vandmoelleprojekt'::tsquery AND d.year = {this_year}"
        )
        plan = " ".join(line for (line,) in cursor.fetchall())
    assert f"{YEAR_INDEX_PREFIX}{this_year}" in plan
    assert titles(search("vandmølleprojekt", PUBLIC)) == ["Vandmølleprojekt"]


@pytest.mark.parametrize(
    "query_text",
    ["vandmølleprojekt", "vandmølleprojekt year:2011", "year:2011", "body:sdk-7e1b", "year:1999"],
)
def test_postgres_searches_read_only_the_partial_text_indexes(body, query_text):
    """There is no text index over all documents: every branch of a search must reach one of
    the halves (even and odd years) or a year's index, never scan the table."""
    from django.db import connection

    from sekretariat.search.analysis import analyze_query
    from sekretariat.search.backends import BackendQuery, get_backend
    from sekretariat.search.backends.postgres import ensure_year_indexes
    from sekretariat.search.selectors import (
        _conditions,
        _merge_query_filters,
        excluded_tokens,
        filter_tokens,
    )

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes")
    for year in (2011, 2012, datetime.date.today().year):
        m = mf.meeting(body, starts_at=mf.aware(year, 3, 3))
        mf.item(m, title=f"Vandmølleprojekt {year}")
        ms.agenda_publish(meeting=m)
    services.search_reindex()
    parsed = analyze_query(query_text)
    filters = _merge_query_filters(parsed, SearchFilters())
    where, params = _conditions(PUBLIC, filters)
    query = BackendQuery(parsed, tuple(where), tuple(params), tokens=filter_tokens(PUBLIC, filters),
                         not_tokens=excluded_tokens(PUBLIC))  # fmt: skip
    backend = get_backend()

    def plan() -> str:
        columns = "d.id AS doc_id, {score} AS score"
        built = backend._windowed(query, columns, backend._window_order(query), 1000)
        assert built is not None
        sql, sql_params = built
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", sql_params)
            return " ".join(line for (line,) in cursor.fetchall())

    assert "Seq Scan" not in plan()
    if parsed.has_text or "year" in query_text:
        assert "search_doc_vector_" in plan()
    # Without the window's year indexes (the calendar moved on and no worker made the new
    # year's yet), the halves still serve every branch.
    with connection.cursor() as cursor:
        ensure_year_indexes(cursor, years=[])
    assert "Seq Scan" not in plan()
    found = {hit.title for hit in search(query_text, PUBLIC).hits}
    if "vandmølle" in query_text:
        assert found == (
            {"Vandmølleprojekt 2011"}
            if "2011" in query_text
            else {f"Vandmølleprojekt {y}" for y in (2011, 2012, datetime.date.today().year)}
        )


@pytest.mark.parametrize("frequent", [True, False])
def test_ranking_without_bm25_keeps_access_and_finds_the_same(
    body, meeting, catch_up, monkeypatch, frequent
):
    """SQLite ranks a query of frequent words without bm25() (`_recent_windowed`, the filter
    terms in the MATCH); words in few documents with bm25() (filters and access as SQL). Both
    keep closed items from the public; the title match still counts."""
    from sekretariat.search.backends import sqlite_fts5

    monkeypatch.setattr(sqlite_fts5, "BM25_BUDGET", -1 if frequent else 10**9)
    catch_up()
    m = mf.meeting(body, starts_at=mf.aware(2024, 6, 6))
    mf.item(m, title="Notat", sections={"resume": "Om forløbstakster i 2024 og siden."})
    ms.agenda_publish(meeting=m)
    catch_up()
    assert search("Zebulonsen", PUBLIC).total == 0
    assert search("personalesag", PUBLIC).total == 0
    assert search("Zebulonsen", viewer_for(bf.member_user(body))).total == 1
    found = titles(search("forløbstakst", PUBLIC))
    assert set(found) == {"Godkendelse af IV-takster 2024", "Notat"}
    # "Notat" is newer and also in its text; the other has "takster" in its title.
    assert titles(search("takster", PUBLIC)) == ["Godkendelse af IV-takster 2024", "Notat"]


def test_text_index_applies_access_rule_and_filters_without_the_sql(
    body, meeting, catch_up, monkeypatch
):
    """The filter terms alone keep closed items from the public and apply the filters: the
    match is run here without the SQL conditions (which stay in real searches as well). On
    SQLite this is the path of frequent words; words in few documents are ranked by bm25()
    with filters and access in SQL only (see the test above)."""
    from sekretariat.search.analysis import analyze_query
    from sekretariat.search.backends import BackendQuery, get_backend, sqlite_fts5
    from sekretariat.search.backends.base import FILTER_PREFIX
    from sekretariat.search.selectors import excluded_tokens, filter_tokens

    monkeypatch.setattr(sqlite_fts5, "BM25_BUDGET", -1)

    catch_up()
    assert SearchState.objects.get().index_version == services.INDEX_VERSION
    backend = get_backend()
    member = viewer_for(bf.member_user(body))
    other = viewer_for(bf.member_user(bf.body()))

    def found(query, viewer, filters=None):
        parsed = analyze_query(query)
        filters = filters or SearchFilters()
        q = BackendQuery(
            parsed,
            tokens=filter_tokens(viewer, filters),
            not_tokens=excluded_tokens(viewer),
            order="relevance" if parsed.required else "newest",
            limit=50,
        )
        ids = [hit.document_id for hit in backend.hits(q)]
        return {d.title for d in SearchDocument.objects.filter(pk__in=ids)}

    assert found("Zebulonsen", PUBLIC) == set()
    assert found("personalesag", PUBLIC) == set()
    assert found("iv", PUBLIC) == {"Godkendelse af IV-takster 2024"}
    assert found("Zebulonsen", member) == {"Personalesag 5a1d"}
    assert found("Zebulonsen", other) == set()
    assert found("iv", PUBLIC, SearchFilters(year_from=2024, year_to=2024))
    assert not found("iv", PUBLIC, SearchFilters(year_from=2020, year_to=2023))
    assert not found("iv", PUBLIC, SearchFilters(body_ids=(body.pk + 1000,)))
    assert found("", PUBLIC, SearchFilters(body_ids=(body.pk,))) >= {
        "Godkendelse af IV-takster 2024"
    }
    assert "Personalesag 5a1d" not in found("", PUBLIC, SearchFilters(body_ids=(body.pk,)))
    # No term of a text can look like a filter term (the analyzer writes ø as oe).
    doc = SearchDocument.objects.filter(title="Personalesag 5a1d").first()
    assert doc.filter_terms.split()[0].startswith(FILTER_PREFIX)
    assert FILTER_PREFIX not in doc.text_terms + doc.title_terms
    assert services.search_index_objects(meetings=[meeting.pk])
    assert found("Zebulonsen", PUBLIC) == set()


def test_a_closed_items_title_never_names_a_public_case_in_search(body, catch_up):
    jnr = "82.06.00-G01-9-27"
    first = mf.meeting(body, starts_at=mf.aware(2026, 1, 10))
    mf.item(first, title="Fratrædelse af chef Hemmeligsen 9f1f", journal_number=jnr,
            access="lukket")  # fmt: skip
    ms.agenda_publish(meeting=first)
    later = mf.meeting(body, starts_at=mf.aware(2026, 2, 10))
    mf.item(later, title="Ny organisering af staben 9f1f", journal_number=jnr)
    ms.agenda_publish(meeting=later)
    catch_up()
    assert search("Hemmeligsen", PUBLIC).total == 0
    cases = [hit for hit in search(jnr, PUBLIC).hits if hit.kind == "sag"]
    assert [hit.title for hit in cases] == ["Ny organisering af staben 9f1f"]
    member = viewer_for(bf.member_user(body))
    assert search("Hemmeligsen", member).total >= 1
