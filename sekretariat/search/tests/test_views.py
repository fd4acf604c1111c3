"""The search page and the JSON endpoint: results, access, bad input, query counts."""

import pytest
from django.db import connection
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services as ms
from sekretariat.meetings.tests import factories as mf
from sekretariat.search import services

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sekretariat.search.tests.urls")]

BAD_QUERIES = [
    "",
    "   ",
    "og i at det",
    '"ubalanceret citat',
    'IV" takst"',
    "x" * 10_000,
    "IV-behandling " * 900,
    "\" * NEAR ; '",
    "NEAR(takst pumpe, 3)",
    "takst*",
    "'; DROP TABLE search_searchdocument; --",
    "-",
    "---",
    "-takst",
    "body:",
    "year:abc",
    "year:2021-",
    "journal:%%%",
    "kind:",
    '"',
    '""',
    "()",
    "\x00\x01",
    "AND OR NOT",
    "^takst",
    "takst:pumpe",
    "😀",
]


@pytest.fixture
def data():
    body = bf.body("Kommunekontaktrådet Syd 2d2d", slug="kkr-syd-2d2d")
    m = mf.meeting(body, starts_at=mf.aware(2024, 3, 12))
    for n in range(3):
        mf.item(
            m,
            title=f"Praksisplan for almen praksis {n} 1e1e",
            sections={
                "resume": "Praksisplanen beskriver lægedækningen.",
                "indstilling": "Godkendes",
            },
        )
    mf.item(m, title="Lukket sag om praksis 0f0f", access="lukket")
    for n in range(12):  # other items, so that the words searched for are not in most documents
        mf.item(m, title=f"Andet punkt {n}", sections={"resume": "Budget og økonomi."})
    ms.agenda_publish(meeting=m)
    services.search_catch_up()  # as after the commit (the test's transaction never commits)
    return body


def test_search_page_shows_highlighted_hits_and_facets(client, data):
    response = client.get(reverse("search:search"), {"q": "praksisplanen"})
    assert response.status_code == 200
    html = response.content.decode()
    # The title marks the words that hold the query's terms: "praksis" alone is not one.
    assert "<mark>Praksisplan</mark> for almen praksis 0 1e1e" in html
    assert "<mark>Praksisplanen</mark>" in html
    assert "Kommunekontaktrådet Syd 2d2d" in html  # the body facet
    assert "0f0f" not in html


def test_json_endpoint_gives_the_same_results(client, data):
    response = client.get(reverse("search:json"), {"q": "praksisplan"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["total"] == 3
    first = payload["results"][0]
    assert set(first) == {
        "kind",
        "id",
        "title",
        "title_html",
        "body",
        "date",
        "section",
        "snippet",
        "snippet_text",
        "url",
        "score",
        "missing",
    }
    assert first["body"] == "Kommunekontaktrådet Syd 2d2d"
    assert all("0f0f" not in r["title"] for r in payload["results"])


def test_member_sees_closed_item_on_the_page(client, data):
    client.force_login(bf.member_user(data))
    response = client.get(reverse("search:search"), {"q": "praksis 0f0f", "all_words": "on"})
    assert [h.title for h in response.context["results"].hits] == ["Lukket sag om praksis 0f0f"]
    assert "<mark>0f0f</mark>" in response.content.decode()
    # Without the option, the hits with most of the words follow, each saying what it lacks.
    results = client.get(reverse("search:search"), {"q": "praksis 0f0f"}).context["results"]
    assert results.hits[0].title == "Lukket sag om praksis 0f0f"
    assert results.total_all_words == 1
    assert results.hits[1:] and all(hit.missing == ("0f0f",) for hit in results.hits[1:])


def test_facet_link_narrows_and_pagination_links(client, data):
    response = client.get(reverse("search:search"), {"q": "praksis", "kind": "punkt"})
    assert response.context["results"].total == 3
    assert response.context["facet_groups"][0]["options"][0]["active"]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_never_fails(client, data, query):
    for name in ("search:search", "search:json"):
        response = client.get(reverse(name), {"q": query})
        assert response.status_code == 200, query


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-3"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"body": "x", "year": "y", "organisation": "1e99"},
        {"date_from": "2024-13-45", "date_to": "i går"},
        {"order": "DROP"},
        {"journal": "'; --"},
        {"type": "<script>"},
        {"kind": "punkt", "type": "referat", "item_kind": "beslutning", "year": "2024"},
    ],
)
def test_bad_parameters_never_fail(client, data, params):
    for name in ("search:search", "search:json"):
        response = client.get(reverse(name), {"q": "praksis", **params})
        assert response.status_code == 200, params


def test_empty_and_stopword_queries_get_a_helpful_message(client, data):
    empty = client.get(reverse("search:json"), {"q": ""}).json()
    assert empty["message"] and empty["results"] == []
    stop = client.get(reverse("search:json"), {"q": "og i at"}).json()
    assert stop["message"] and "og" in stop["message"]
    html = client.get(reverse("search:search"), {"q": "og i at"}).content.decode()
    assert stop["message"].split("(")[0].strip()[:20] in html


def test_unbalanced_quote_and_long_query_are_explained(client, data):
    payload = client.get(reverse("search:json"), {"q": '"praksisplan for'}).json()
    assert payload["total"] == 3 and payload["notices"]
    payload = client.get(reverse("search:json"), {"q": "praksisplan " * 1000}).json()
    assert payload["notices"]


SEARCH_QUERIES = 5 if connection.vendor == "sqlite" else 4


def test_query_count_of_the_search_page(client, data, django_assert_num_queries):
    services.search_catch_up()  # the first search of an installation builds the index
    url = reverse("search:search")
    # catch-up: the state beside the latest event; search: the candidates (hits, count and
    # facets in one statement), the facets' bodies, the hits' documents; on SQLite also the
    # statistics of the query's terms (bm25 or not). PostgreSQL reads which years have an
    # index of their own at most once a minute: the first search after a rebuild does.
    client.get(url, {"q": "budget"})
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(url, {"q": "praksisplan", "order": "newest", "all_words": "1"})
    assert response.context["results"].total == 3
    # Relaxed (too few hits have every word): the index's size, every word's and part's
    # documents (one statement; on SQLite the statistics first), which relaxed forms find
    # anything (one statement), the forms that do (statistics and candidates on SQLite),
    # their titles.
    with django_assert_num_queries(SEARCH_QUERIES + (8 if connection.vendor == "sqlite" else 5)):
        response = client.get(url, {"q": "praksisplan", "order": "newest"})
    assert response.context["results"].total_all_words == 3
    with django_assert_num_queries(1):
        client.get(url, {"q": ""})


def test_query_count_does_not_grow_with_hits(client, data, django_assert_num_queries):
    m = mf.meeting(data, starts_at=mf.aware(2024, 6, 1))
    for n in range(30):
        mf.item(m, title=f"Praksisplan ekstra {n}")
    ms.agenda_publish(meeting=m)
    services.search_catch_up()
    while services.search_catch_up():
        pass
    client.get(reverse("search:search"), {"q": "budget"})  # as above: the year indexes read
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get(reverse("search:search"), {"q": "praksisplan"})


def test_a_request_leaves_a_large_installations_rebuild_to_the_worker(client, data, monkeypatch):
    """An index of an older version is rebuilt by the next catch-up; a search request does it
    only on a small installation (seconds). On a large one the page says the index is waiting
    and searches the index there is; `sekretariat search_worker` (here: `search_catch_up`)
    rebuilds it."""
    from sekretariat.search.models import SearchState

    services.search_catch_up()
    SearchState.objects.update(index_version=services.INDEX_VERSION - 1)
    monkeypatch.setattr(services, "PARALLEL_MIN_MEETINGS", 1)  # the one meeting is "large"
    payload = client.get(reverse("search:json"), {"q": "praksisplan"}).json()
    assert payload["total"] == 3  # the index in place
    assert any("genopbygget" in notice for notice in payload["notices"])
    assert SearchState.objects.get().index_version == services.INDEX_VERSION - 1
    html = client.get(reverse("search:search"), {"q": "praksisplan"}).content.decode()
    assert "Søgeindekset venter på at blive genopbygget" in html

    services.search_catch_up()  # the worker
    assert SearchState.objects.get().index_version == services.INDEX_VERSION
    payload = client.get(reverse("search:json"), {"q": "praksisplan"}).json()
    assert payload["total"] == 3 and not payload["notices"]


def test_a_request_never_writes_the_index_and_says_when_it_awaits_a_rebuild(client, data):
    from sekretariat.search.models import SearchState

    SearchState.objects.update(index_version=services.INDEX_VERSION - 1)
    payload = client.get(reverse("search:json"), {"q": "praksisplan"}).json()
    assert payload["total"] == 3 and payload["notices"]
    assert SearchState.objects.get().index_version == services.INDEX_VERSION - 1
    # The next catch-up (after a write, or the worker's round) rebuilds it.
    services.search_catch_up()
    assert SearchState.objects.get().index_version == services.INDEX_VERSION
    payload = client.get(reverse("search:json"), {"q": "praksisplan"}).json()
    assert payload["total"] == 3 and not payload["notices"]


def test_json_says_which_text_is_plain_and_which_is_html(client, data):
    m = data.meetings.first()
    mf.item(
        m,
        title="Takster <b>& vilkår</b> for kvæsturen",
        sections={"resume": "Takster <i>og</i> priser."},
    )
    services.search_catch_up()
    hit = next(
        r
        for r in client.get(reverse("search:json"), {"q": "kvæsturen takster"}).json()["results"]
        if r["kind"] == "punkt"
    )
    assert hit["title"] == "Takster <b>& vilkår</b> for kvæsturen"  # plain text
    assert hit["title_html"] == "Takster &lt;b&gt;&amp; vilkår&lt;/b&gt; for kvæsturen"
    assert "&lt;i&gt;" in hit["snippet"] and "<mark>" in hit["snippet"]  # HTML
    assert "<mark>" not in hit["snippet_text"] and "<i>og</i>" in hit["snippet_text"]
