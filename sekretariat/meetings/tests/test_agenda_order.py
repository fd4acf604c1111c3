"""The order of an agenda's items: new items before 'Eventuelt', numbers that follow the order
after every add, move and removal, a move to a chosen place in one step, and standing items
that are added only when missing."""

import html

import pytest
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.meetings import services
from sekretariat.meetings.models import AgendaItem

from . import factories as f

pytestmark = pytest.mark.django_db


def agenda(meeting) -> list[tuple[str, str]]:
    """(number, title) in agenda order."""
    return list(meeting.agenda_items.order_by("position").values_list("number", "title"))


def positions(meeting) -> list[int]:
    return list(meeting.agenda_items.order_by("position").values_list("position", flat=True))


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def standing_meeting(body=None):
    return f.meeting(body, with_standing_items=True)


class TestNewItems:
    def test_a_new_item_goes_before_eventuelt_and_the_numbers_follow(self):
        m = standing_meeting()
        f.item(m, title="Budget 2028 – 1a2b")
        f.item(m, title="Vintertjeneste – 1a2b")
        assert agenda(m) == [
            ("1", "Godkendelse af dagsorden"),
            ("2", "Godkendelse af referat"),
            ("3", "Budget 2028 – 1a2b"),
            ("4", "Vintertjeneste – 1a2b"),
            ("5", "Eventuelt"),
        ]
        assert positions(m) == [1, 2, 3, 4, 5]

    def test_an_imported_closing_run_is_kept_last_too(self):
        m = f.meeting()
        # As an import writes them: not flagged as standing, 'Evt.' spelt short.
        f.item(m, title="Orientering om trafik 2b3c")
        f.item(m, title="Kommende møder")
        f.item(m, title="Evt.")
        f.item(m, title="Ny sag om broer 2b3c")
        assert [t for _n, t in agenda(m)] == [
            "Orientering om trafik 2b3c",
            "Ny sag om broer 2b3c",
            "Kommende møder",
            "Evt.",  # itself a closing item: it went last
        ]
        assert [n for n, _t in agenda(m)] == ["1", "2", "3", "4"]

    def test_an_agenda_without_eventuelt_gets_the_item_last(self):
        m = f.meeting()
        f.item(m, title="Første 3c4d")
        f.item(m, title="Anden 3c4d")
        assert agenda(m) == [("1", "Første 3c4d"), ("2", "Anden 3c4d")]

    def test_a_title_that_only_starts_like_eventuelt_is_an_ordinary_item(self):
        m = standing_meeting()
        f.item(m, title="Evaluering af samarbejdet 3d4e")
        f.item(m, title="Ny sag 3d4e")
        titles = [t for _n, t in agenda(m)]
        assert titles[-3:] == ["Evaluering af samarbejdet 3d4e", "Ny sag 3d4e", "Eventuelt"]

    def test_closed_items_are_numbered_with_the_others(self):
        m = standing_meeting()
        f.item(m, title="Åben sag 4d5e")
        closed = f.item(m, title="Personalesag 4d5e", access="lukket", public_title="Lukket")
        assert closed.number == "4"
        assert agenda(m)[-1] == ("5", "Eventuelt")

    def test_the_add_is_recorded_with_the_items_it_renumbered(self):
        m = standing_meeting()
        eventuelt = m.agenda_items.get(title="Eventuelt")
        AuditEvent.objects.all().delete()
        item = f.item(m, title="Revideret plan 5e6f")
        (event,) = events("agenda_item_add")
        assert sorted(event.data["event"]["item_ids"]) == sorted([item.pk, eventuelt.pk])

    def test_an_explicit_number_is_kept_and_the_others_keep_theirs(self):
        # An agenda rebuilt as a document numbers it (the search corpus, the demo).
        m = standing_meeting()
        f.item(m, title="Som i dokumentet 6f7a", number="12")
        assert agenda(m)[-1] == ("12", "Som i dokumentet 6f7a")
        assert agenda(m)[2] == ("3", "Eventuelt")


class TestMoves:
    def test_moving_the_last_item_to_the_top_takes_one_step(self):
        m = standing_meeting()
        for n in range(1, 5):
            f.item(m, title=f"Sag {n} 7a8b")
        last = m.agenda_items.get(title="Eventuelt")
        moved = services.agenda_item_move_to(item=last, position=1)
        assert agenda(m) == [
            ("1", "Eventuelt"),
            ("2", "Godkendelse af dagsorden"),
            ("3", "Godkendelse af referat"),
            ("4", "Sag 1 7a8b"),
            ("5", "Sag 2 7a8b"),
            ("6", "Sag 3 7a8b"),
            ("7", "Sag 4 7a8b"),
        ]
        assert len(moved) == 7  # every item got a new place and number
        (event,) = events("agenda_item_move")
        assert event.data["details"] == {"position": 1}

    def test_moving_down_shifts_the_items_between_up(self):
        m = f.meeting()
        a, b, c, d = (f.item(m, title=f"{t} 8b9c") for t in "ABCD")
        services.agenda_item_move_to(item=a, position=3)
        assert agenda(m) == [("1", "B 8b9c"), ("2", "C 8b9c"), ("3", "A 8b9c"), ("4", "D 8b9c")]
        assert AgendaItem.objects.get(pk=d.pk).number == "4"

    def test_moving_to_the_same_place_changes_and_records_nothing(self):
        m = f.meeting()
        f.item(m)
        second = f.item(m)
        AuditEvent.objects.all().delete()
        assert services.agenda_item_move_to(item=second, position=2) == []
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize("position", [0, 4, -1, "x", None])
    def test_a_place_outside_the_agenda_is_refused_and_nothing_moves(self, position):
        m = f.meeting()
        items = [f.item(m, title=f"Punkt {n} 9c0d") for n in range(1, 4)]
        before = agenda(m)
        AuditEvent.objects.all().delete()
        with pytest.raises(ApplicationError) as exc:
            services.agenda_item_move_to(item=items[0], position=position)
        assert exc.value.message == "Vælg en plads mellem 1 og 3."
        assert agenda(m) == before
        assert not AuditEvent.objects.exists()

    def test_up_and_down_keep_the_numbers_in_order(self):
        m = standing_meeting()
        budget = f.item(m, title="Budget 0d1e")
        services.agenda_item_move(item=budget, offset=1)
        assert agenda(m)[2:] == [("3", "Eventuelt"), ("4", "Budget 0d1e")]
        services.agenda_item_move(item=budget, offset=1)  # already last: nothing moves
        services.agenda_item_move(item=AgendaItem.objects.get(pk=budget.pk), offset=-1)
        assert agenda(m)[2:] == [("3", "Budget 0d1e"), ("4", "Eventuelt")]

    def test_reorder_numbers_the_new_order(self):
        m = f.meeting()
        a, b, c = (f.item(m, title=f"{t} 1e2f") for t in "ABC")
        services.agenda_items_reorder(meeting=m, item_ids=[c.pk, a.pk, b.pk])
        assert agenda(m) == [("1", "C 1e2f"), ("2", "A 1e2f"), ("3", "B 1e2f")]

    def test_a_published_agenda_is_renumbered_and_recorded_when_an_item_is_added(self):
        m = standing_meeting()
        f.item(m, title="Første sag 2f3a")
        services.agenda_publish(meeting=m)
        eventuelt = m.agenda_items.get(title="Eventuelt")
        AuditEvent.objects.all().delete()
        late = f.item(m, title="Eftersendt sag 2f3a")
        assert agenda(m)[-2:] == [("4", "Eftersendt sag 2f3a"), ("5", "Eventuelt")]
        (event,) = events("agenda_item_add")
        assert set(event.data["event"]["item_ids"]) == {late.pk, eventuelt.pk}
        # The publish rule stands: no removal once published.
        with pytest.raises(ApplicationError):
            services.agenda_item_delete(item=late)

    def test_approved_minutes_refuse_a_move(self):
        m = f.approved_meeting(items=[{"title": "A 3a4b"}, {"title": "B 3a4b"}])
        second = m.agenda_items.get(title="B 3a4b")
        with pytest.raises(ApplicationError):
            services.agenda_item_move_to(item=second, position=1)
        assert agenda(m) == [("1", "A 3a4b"), ("2", "B 3a4b")]


class TestRemoval:
    def test_the_numbers_close_up_after_a_removal(self):
        m = standing_meeting()
        first = f.item(m, title="Udgår 4b5c")
        f.item(m, title="Bliver 4b5c")
        services.agenda_item_delete(item=first)
        assert agenda(m) == [
            ("1", "Godkendelse af dagsorden"),
            ("2", "Godkendelse af referat"),
            ("3", "Bliver 4b5c"),
            ("4", "Eventuelt"),
        ]
        assert positions(m) == [1, 2, 3, 4]


class TestStandingItems:
    def test_pressing_twice_adds_nothing_and_records_nothing(self):
        m = standing_meeting()
        f.item(m, title="Sag 5c6d")
        before = agenda(m)
        AuditEvent.objects.all().delete()
        assert services.agenda_standing_items_add(meeting=m) == []
        assert agenda(m) == before
        assert not AuditEvent.objects.exists()

    def test_only_the_missing_ones_are_added_in_their_places(self):
        m = standing_meeting()
        f.item(m, title="Sag 6d7e")
        services.agenda_item_delete(item=m.agenda_items.get(title="Godkendelse af referat"))
        services.agenda_item_delete(item=m.agenda_items.get(title="Eventuelt"))
        AuditEvent.objects.all().delete()
        added = services.agenda_standing_items_add(meeting=m)
        assert [i.title for i in added] == ["Godkendelse af referat", "Eventuelt"]
        assert all(i.is_standing for i in added)
        assert agenda(m) == [
            ("1", "Godkendelse af dagsorden"),
            ("2", "Godkendelse af referat"),
            ("3", "Sag 6d7e"),
            ("4", "Eventuelt"),
        ]
        (event,) = events("agenda_standing_items_add")
        assert event.data["details"]["titles"] == ["Godkendelse af referat", "Eventuelt"]

    def test_titles_written_otherwise_count_as_present(self):
        m = f.meeting()
        f.item(m, title="GODKENDELSE AF DAGSORDEN")
        f.item(m, title="Godkendelse af referat.")
        f.item(m, title="Evt.")
        assert services.agenda_standing_items_add(meeting=m) == []
        assert m.agenda_items.count() == 3

    def test_on_an_empty_agenda_all_three_come_in_order(self):
        m = f.meeting()
        services.agenda_standing_items_add(meeting=m)
        assert agenda(m) == [
            ("1", "Godkendelse af dagsorden"),
            ("2", "Godkendelse af referat"),
            ("3", "Eventuelt"),
        ]


# --- the agenda page ------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    body = bf.body()
    client.force_login(bf.secretariat_user(body))
    client.body = body
    return client


class TestAgendaPage:
    def test_move_to_a_chosen_place_in_one_post(self, staff_client):
        m = standing_meeting(staff_client.body)
        f.item(m, title="Sag 7e8f")
        last = m.agenda_items.get(title="Eventuelt")
        r = staff_client.post(
            reverse("meetings:item_move_to", args=[last.pk]), {"position": "1"}, follow=True
        )
        assert "'Eventuelt' er nu punkt 1." in html.unescape(r.text)
        assert agenda(m)[0] == ("1", "Eventuelt")
        assert [n for n, _t in agenda(m)] == ["1", "2", "3", "4"]

    def test_a_bad_place_is_refused_with_a_danish_message(self, staff_client):
        m = f.meeting(staff_client.body)
        item = f.item(m)
        url = reverse("meetings:item_move_to", args=[item.pk])
        r = staff_client.post(url, {"position": "9"}, follow=True)
        assert "Vælg en plads mellem 1 og 1." in r.text
        r = staff_client.post(url, {"position": "nej"}, follow=True)
        assert "Vælg den plads, punktet skal flyttes til." in r.text
        assert staff_client.get(url).status_code == 405

    def test_each_item_has_a_move_to_select_with_every_place(self, staff_client):
        m = standing_meeting(staff_client.body)
        item = f.item(m, title="Sag 8f9a")
        page = staff_client.get(reverse("meetings:agenda", args=[m.pk])).text
        assert page.count("data-move-form") == 4
        assert f'<select id="flyt-{item.pk}" name="position">' in page
        assert '<option value="3" selected>3</option>' in page
        assert "meetings/agenda-order.js" in page
        assert "<script>" not in page  # no inline script (CSP)
        assert "Et nyt punkt sættes ind før “Eventuelt”" in page

    def test_renumber_is_offered_only_when_the_numbers_are_out_of_order(self, staff_client):
        m = f.meeting(staff_client.body)
        f.item(m, title="A 9a0b")
        renumber = reverse("meetings:agenda_action", args=[m.pk, "renumber"])
        assert renumber not in staff_client.get(reverse("meetings:agenda", args=[m.pk])).text
        f.item(m, title="B 9a0b", number="7")  # a number written by hand
        page = staff_client.get(reverse("meetings:agenda", args=[m.pk])).text
        assert renumber in page and "Numrene følger ikke punkternes rækkefølge" in page
        staff_client.post(renumber)
        assert agenda(m) == [("1", "A 9a0b"), ("2", "B 9a0b")]

    def test_standing_items_say_what_was_done(self, staff_client):
        m = f.meeting(staff_client.body)
        url = reverse("meetings:agenda_action", args=[m.pk, "standing"])
        r = staff_client.post(url, follow=True)
        assert (
            "De faste punkter 'Godkendelse af dagsorden', 'Godkendelse af referat', "
            "'Eventuelt' er tilføjet." in html.unescape(r.text)
        )
        r = staff_client.post(url, follow=True)
        assert "Alle de faste punkter er allerede på dagsordenen; ingen er tilføjet." in r.text
        assert m.agenda_items.count() == 3

    def test_the_item_editor_does_not_write_back_a_stale_number(self, staff_client):
        m = standing_meeting(staff_client.body)
        eventuelt = m.agenda_items.get(title="Eventuelt")
        url = reverse("meetings:item_edit", args=[eventuelt.pk])
        page = staff_client.get(url).text
        assert 'name="loaded_number" value="3"' in page
        f.item(m, title="Ny sag imens 0b1c")  # Eventuelt becomes 4 meanwhile
        data = {
            "number": "3",
            "loaded_number": "3",
            "title": "Eventuelt",
            "kind": eventuelt.kind,
            "access": "aaben",
            "presenter": "Formanden 0b1c",
            "version": eventuelt.version,
        }
        r = staff_client.post(url, data)
        assert r.status_code == 302, r.text
        eventuelt.refresh_from_db()
        assert (eventuelt.number, eventuelt.presenter) == ("4", "Formanden 0b1c")
        assert [n for n, _t in agenda(m)] == ["1", "2", "3", "4"]

    def test_the_attachment_form_has_ids_of_its_own(self, staff_client):
        item = f.item(f.meeting(staff_client.body))
        page = staff_client.get(reverse("meetings:item_edit", args=[item.pk])).text
        assert page.count('id="id_title"') == 1 and page.count('id="id_access"') == 1
        assert 'for="bilag_title"' in page and 'id="bilag_title"' in page
