"""The Atom feed of a forum's decisions: the decisions of open items in approved minutes, and
nothing of a closed item or of minutes not yet approved, whoever fetches it."""

import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services
from sekretariat.meetings.tests import factories as f

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

OPEN_TITLE = "Godkendelse af budget for klyngen 4b7e"
OPEN_DECISION = "Budgettet for klyngen blev godkendt 4b7e."
CLOSED_TITLE = "Afskedigelse af leder lukket-9c1d"
CLOSED_DECISION = "Fortrolig beslutning om personale 9c1d."
DRAFT_TITLE = "Drøftelse af udkast 2a6f"
DRAFT_DECISION = "Udkast til beslutning, ikke godkendt 2a6f."


def held(body, items, decisions, **kwargs):
    """A held meeting with `items` and a decision written for each (minutes not approved)."""
    meeting = f.published_meeting(body, items=items, **kwargs)
    services.meeting_mark_held(meeting=meeting)
    for item in meeting.agenda_items.all():
        if item.title in decisions:
            services.decision_record(item=item, text=decisions[item.title])
    return meeting


@pytest.fixture
def world():
    body = bf.body("Sundhedsklynge Feedby 4b7e")
    approved = held(
        body,
        [{"title": OPEN_TITLE}, {"title": CLOSED_TITLE, "access": "lukket"}],
        {OPEN_TITLE: OPEN_DECISION, CLOSED_TITLE: CLOSED_DECISION},
        starts_at=f.aware(2026, 2, 3),
    )
    services.minutes_approve(meeting=approved)
    draft = held(
        body, [{"title": DRAFT_TITLE}], {DRAFT_TITLE: DRAFT_DECISION}, starts_at=f.aware(2026, 3, 5)
    )
    return {"body": body, "approved": approved, "draft": draft}


def feed_url(body) -> str:
    return reverse("publishing:body_decisions_feed", kwargs={"slug": body.slug})


def entries(response) -> list[dict[str, str]]:
    root = ET.fromstring(response.content)
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "summary": e.findtext(f"{ATOM}summary"),
            "link": e.find(f"{ATOM}link").get("href"),
            "updated": e.findtext(f"{ATOM}updated"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_the_decision_of_an_approved_open_item(client, world):
    response = client.get(feed_url(world["body"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "Beslutninger i Sundhedsklynge Feedby 4b7e"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    [entry] = entries(response)
    item = world["approved"].agenda_items.get(title=OPEN_TITLE)
    assert entry["title"] == f"3. februar 2026, punkt {item.number}: {OPEN_TITLE}"
    assert OPEN_DECISION in entry["summary"]
    assert "Beslutning på mødet den 3. februar 2026" in entry["summary"]
    assert entry["link"] == "http://testserver" + item.get_absolute_url()


def test_the_feed_never_shows_a_closed_item_nor_a_draft_decision(client, world):
    text = client.get(feed_url(world["body"])).content.decode()
    for secret in (CLOSED_TITLE, CLOSED_DECISION, "9c1d", DRAFT_TITLE, DRAFT_DECISION, "2a6f"):
        assert secret not in text, secret


def test_a_member_who_sees_closed_items_gets_the_same_public_feed(client, world):
    public = entries(client.get(feed_url(world["body"])))
    client.force_login(bf.member_user(world["body"]))
    closed = world["approved"].agenda_items.get(title=CLOSED_TITLE)
    assert CLOSED_DECISION in client.get(closed.get_absolute_url()).text  # the member sees it
    member = client.get(feed_url(world["body"]))
    assert entries(member) == public
    assert CLOSED_DECISION not in member.content.decode()


def test_a_decision_appears_once_its_minutes_are_approved_and_shows_a_correction(client, world):
    services.minutes_approve(meeting=world["draft"])
    found = {e["title"].split(": ", 1)[1]: e for e in entries(client.get(feed_url(world["body"])))}
    assert list(found) == [DRAFT_TITLE, OPEN_TITLE]  # the newest meeting first
    item = world["approved"].agenda_items.get(title=OPEN_TITLE)
    before = found[OPEN_TITLE]["updated"]
    services.minutes_correct(
        item=item, new_text="Budgettet blev godkendt med en rettelse 4b7e.", reason="Stavefejl"
    )
    after = {e["title"].split(": ", 1)[1]: e for e in entries(client.get(feed_url(world["body"])))}
    assert "Budgettet blev godkendt med en rettelse 4b7e." in after[OPEN_TITLE]["summary"]
    assert OPEN_DECISION not in after[OPEN_TITLE]["summary"]
    assert after[OPEN_TITLE]["updated"] >= before


def test_a_forum_without_approved_minutes_has_an_empty_feed_and_an_unknown_one_is_404(client):
    body = bf.body("Styregruppe Tomfeed 5d3a")
    held(body, [{"title": DRAFT_TITLE}], {DRAFT_TITLE: DRAFT_DECISION})
    response = client.get(feed_url(body))
    assert response.status_code == 200 and entries(response) == []
    assert client.get("/fora/findes-ikke-5d3a/beslutninger.xml").status_code == 404


def test_the_feed_takes_the_same_queries_for_one_decision_or_many(
    client, world, django_assert_num_queries
):
    body = world["body"]
    for n in range(3):
        meeting = held(
            body,
            [{"title": f"Punkt om trafik {n} 7e1b"}, {"title": f"Punkt om skoler {n} 7e1b"}],
            {f"Punkt om trafik {n} 7e1b": "Taget til efterretning 7e1b."},
            starts_at=f.aware(2025, 4 + n, 7),
        )
        services.minutes_approve(meeting=meeting)
    # The forum; the decisions with their items and meetings.
    with django_assert_num_queries(2):
        response = client.get(feed_url(body))
    assert len(entries(response)) == 4


def test_the_forum_page_links_the_feed_beside_its_calendar(client, world):
    body = world["body"]
    doc = lxml.html.document_fromstring(client.get(body.get_absolute_url()).text)
    [alternate] = doc.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    assert alternate.get("href") == feed_url(body)
    assert alternate.get("title") == "Beslutninger i Sundhedsklynge Feedby 4b7e"
    calendar = reverse("publishing:body_calendar", kwargs={"slug": body.slug})
    [subscribe] = doc.xpath(f"//a[@href='{calendar}']/ancestor::ul[1]")
    [feed_link] = subscribe.xpath(f".//a[@href='{feed_url(body)}']")
    assert feed_link.text_content() == "Følg beslutningerne (Atom-feed)"
