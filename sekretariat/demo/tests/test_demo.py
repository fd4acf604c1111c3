"""The demo installation builds, holds every state, and its closed texts stay closed."""

import datetime

import pytest
from django.urls import reverse

from sekretariat.bodies.models import Body
from sekretariat.demo import content, services
from sekretariat.meetings import visibility
from sekretariat.meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return services.demo_build(today=datetime.date(2026, 11, 22))


def test_demo_has_four_bodies_a_year_of_meetings_and_every_state(demo):
    assert Body.objects.count() == 4
    assert demo["items"] == AgendaItem.objects.count()
    assert 60 <= demo["items"] <= 100
    states = set(Meeting.objects.values_list("status", flat=True))
    assert states >= {"planlagt", "dagsorden_offentliggjort", "afholdt", "referat_godkendt"}
    assert AgendaItem.objects.filter(access="lukket").count() == 4
    assert set(AgendaItem.objects.values_list("kind", flat=True)) == {
        "beslutning",
        "droeftelse",
        "orientering",
    }
    assert services.demo_exists()


def test_demo_pages_answer_and_hide_closed_texts(client, demo):
    urls = [reverse("publishing:home"), reverse("publishing:body_list")]
    for body in Body.objects.all():
        urls.append(body.get_absolute_url())
        urls.append(reverse("publishing:body_calendar", kwargs={"slug": body.slug}))
    for meeting in Meeting.objects.all():
        urls.append(meeting.get_absolute_url())
        for item in meeting.agenda_items.filter(access="aaben"):
            if visibility.agenda_is_public(meeting.status):
                urls.append(item.get_absolute_url())
            else:  # a planned meeting's draft items are not public yet
                assert client.get(item.get_absolute_url()).status_code == 404
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        for marker in [*content.CLOSED_MARKERS, "hejre-0c4d"]:
            assert marker not in r.content.decode(), (url, marker)
