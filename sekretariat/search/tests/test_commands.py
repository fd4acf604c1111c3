"""`sekretariat search`, `reindex` and `search_worker` end to end."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services as ms
from sekretariat.meetings.tests import factories as mf
from sekretariat.search import services
from sekretariat.search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    body = bf.body("Socialdirektørforum 3b3b", slug="sdf-3b3b")
    m = mf.meeting(body, starts_at=mf.aware(2022, 11, 14))
    mf.item(m, title="Udmøntning af puljen til rehabilitering 3b3b",
            sections={"resume": "Puljen til rehabiliteringsforløb fordeles."})  # fmt: skip
    mf.item(m, title="Fortrolig rehabilitering 3b3b", access="lukket")
    ms.agenda_publish(meeting=m)
    other = mf.meeting(bf.body("Andet forum 3b3b"), starts_at=mf.aware(2023, 1, 5))
    mf.item(other, title="Rehabilitering i andet forum 3b3b")
    ms.agenda_publish(meeting=other)
    services.search_catch_up()  # as after the commit (the test's transaction never commits)
    return body


def run(*args) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_search_json_lists_hits_with_the_documented_keys(data):
    hits = json.loads(run("rehabilitering", "--json", "--limit", "5"))
    assert {h["title"] for h in hits if h["kind"] == "punkt"} == {
        "Udmøntning af puljen til rehabilitering 3b3b",
        "Rehabilitering i andet forum 3b3b",
    }
    assert set(hits[0]) == {
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


def test_search_filters_by_body_and_dates(data):
    hits = json.loads(run("rehabilitering", "--json", "--body", "Socialdirektørforum 3b3b"))
    assert [h["title"] for h in hits if h["kind"] == "punkt"] == [
        "Udmøntning af puljen til rehabilitering 3b3b"
    ]
    hits = json.loads(run("rehabilitering", "--json", "--from", "2023-01-01", "--to", "2023-12-31"))
    assert [h["title"] for h in hits if h["kind"] == "punkt"] == [
        "Rehabilitering i andet forum 3b3b"
    ]


def test_search_text_output_and_limit(data):
    out = run("rehabilitering", "--limit", "1")
    assert "3b3b" in out and " 1. " in out and " 2. " not in out


def test_search_as_user_sees_closed_items(data):
    admin = bf.admin_user()
    hits = json.loads(run("fortrolig", "--json", "--as-user", admin.username))
    assert [h["title"] for h in hits] == ["Fortrolig rehabilitering 3b3b"]
    assert json.loads(run("fortrolig", "--json")) == []


def test_search_of_nothing_prints_a_message(data):
    assert "common words" in run("og i") or "almindelige" in run("og i")


def test_bad_options_give_an_error_not_a_traceback(data):
    with pytest.raises(CommandError):
        run("x", "--from", "13-13-2020")
    with pytest.raises(CommandError):
        run("x", "--limit", "0")
    with pytest.raises(CommandError):
        run("x", "--as-user", "nobody-3b3b")


def test_reindex_and_worker(data):
    out = StringIO()
    call_command("reindex", stdout=out)
    assert "Indexed" in out.getvalue()
    count = SearchDocument.objects.count()
    assert count > 0
    call_command("search_worker", "--once")
    assert SearchDocument.objects.count() == count
