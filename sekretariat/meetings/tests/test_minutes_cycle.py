"""The meeting cycle's safety: the minutes in one form, concurrent edits, confirmation of the
steps that cannot be undone, and state changes that respect the calendar (issue 21)."""

import datetime
import re

import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sekretariat.bodies.tests import factories as bf
from sekretariat.core.errors import ApplicationError
from sekretariat.core.models import AuditEvent
from sekretariat.meetings import selectors, services
from sekretariat.meetings.models import AgendaItem, Attachment, ItemSection, Meeting

from . import factories as f

pytestmark = pytest.mark.django_db


def decision(item) -> str:
    section = ItemSection.objects.filter(item=item, section_type__role="beslutning").first()
    return section.text if section else ""


def held_meeting(body=None, *, titles=("Budget 3c9d", "Vejplan 3c9d", "Personalesag 3c9d")):
    """A held meeting with an open item per title (the last one closed), each with its
    recommendation."""
    items = [
        {
            "title": title,
            "sections": {"indstilling": f"Det indstilles, at {title} godkendes."},
            "access": "lukket" if i == len(titles) - 1 else "aaben",
        }
        for i, title in enumerate(titles)
    ]
    m = f.published_meeting(body, items=items)
    return services.meeting_mark_held(meeting=m)


def entries(meeting, texts: dict[str, str], *, loaded: dict[str, str] | None = None):
    """Decision entries by item title, loaded against `loaded` (default: the stored texts)."""
    out = []
    for item in meeting.agenda_items.order_by("position"):
        if item.title in texts:
            base = (loaded or {}).get(item.title, decision(item))
            out.append(
                services.DecisionEntry(
                    item_id=item.pk,
                    text=texts[item.title],
                    loaded_fingerprint=services.decision_fingerprint(base),
                )
            )
    return out


def in_future(days: int = 20) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


# --- the service: every decision of the meeting in one save ---------------------------------


class TestMinutesSave:
    def test_all_decisions_are_saved_in_one_action_and_each_change_is_recorded(self):
        m = held_meeting()
        actor = bf.user()
        before = AuditEvent.objects.count()
        versions = dict(m.agenda_items.values_list("title", "version"))
        changed = services.minutes_save(
            meeting=m,
            entries=entries(
                m,
                {
                    "Budget 3c9d": "Godkendt 3c9d-1.",
                    "Vejplan 3c9d": "Udsat 3c9d-2.\r\nSagen genoptages.",
                    "Personalesag 3c9d": "Taget til efterretning 3c9d-3.",
                },
            ),
            actor=actor,
        )
        items = {i.title: i for i in m.agenda_items.all()}
        assert len(changed) == 3
        assert decision(items["Budget 3c9d"]) == "Godkendt 3c9d-1."
        assert decision(items["Vejplan 3c9d"]) == "Udsat 3c9d-2.\nSagen genoptages."
        assert decision(items["Personalesag 3c9d"]) == "Taget til efterretning 3c9d-3."
        rows = AuditEvent.objects.order_by("id")[before:]
        assert [r.action for r in rows] == ["decision_record"] * 3
        assert all(items[t].version == versions[t] + 1 for t in items)

    def test_an_unchanged_decision_records_nothing(self):
        m = held_meeting(titles=("Alene 5d1e",))
        services.minutes_save(meeting=m, entries=entries(m, {"Alene 5d1e": "Vedtaget 5d1e."}))
        before = AuditEvent.objects.count()
        changed = services.minutes_save(
            meeting=m, entries=entries(m, {"Alene 5d1e": "  Vedtaget 5d1e.\r\n"})
        )
        assert changed == []
        assert AuditEvent.objects.count() == before

    def test_a_decision_someone_else_saved_meanwhile_is_not_overwritten_and_nothing_is_saved(
        self,
    ):
        m = held_meeting()
        items = {i.title: i for i in m.agenda_items.all()}
        opened = {t: decision(i) for t, i in items.items()}  # the form is loaded now
        services.decision_record(item=items["Vejplan 3c9d"], text="Den andens tekst 6f2a.")
        typed = {"Budget 3c9d": "Min tekst 6f2a-1.", "Vejplan 3c9d": "Min tekst 6f2a-2."}
        with pytest.raises(services.MinutesConflictError) as exc:
            services.minutes_save(meeting=m, entries=entries(m, typed, loaded=opened))
        (conflict,) = exc.value.conflicts
        assert conflict.item_id == items["Vejplan 3c9d"].pk
        assert conflict.current_text == "Den andens tekst 6f2a."
        assert "Intet er gemt" in exc.value.message and "Vejplan 3c9d" in exc.value.message
        # All or nothing: not even the item without a conflict is written.
        assert decision(items["Budget 3c9d"]) == ""
        assert decision(items["Vejplan 3c9d"]) == "Den andens tekst 6f2a."

    def test_an_item_the_user_left_alone_keeps_the_other_users_text(self):
        m = held_meeting()
        items = {i.title: i for i in m.agenda_items.all()}
        opened = {t: decision(i) for t, i in items.items()}
        services.decision_record(item=items["Vejplan 3c9d"], text="Den andens tekst 7a3b.")
        services.minutes_save(
            meeting=m,
            entries=entries(
                m, {"Budget 3c9d": "Min tekst 7a3b.", "Vejplan 3c9d": ""}, loaded=opened
            ),
        )
        assert decision(items["Budget 3c9d"]) == "Min tekst 7a3b."
        assert decision(items["Vejplan 3c9d"]) == "Den andens tekst 7a3b."

    def test_saving_again_against_the_other_users_text_overwrites_it_deliberately(self):
        m = held_meeting(titles=("Sag 8c4d",))
        item = m.agenda_items.get()
        services.decision_record(item=item, text="Den andens tekst 8c4d.")
        retry = entries(m, {"Sag 8c4d": "Min tekst 8c4d."}, loaded={"Sag 8c4d": ""})
        with pytest.raises(services.MinutesConflictError):
            services.minutes_save(meeting=m, entries=retry)
        # The form now carries the other's fingerprint (see MinutesForm.conflicts_show).
        services.minutes_save(meeting=m, entries=entries(m, {"Sag 8c4d": "Min tekst 8c4d."}))
        assert decision(item) == "Min tekst 8c4d."

    @pytest.mark.parametrize(
        ("state", "message"),
        [
            ("planned", "når dagsordenen er offentliggjort"),
            ("cancelled", "Mødet er aflyst."),
            ("approved", "Referatet er godkendt og låst"),
        ],
    )
    def test_minutes_are_refused_before_publication_after_approval_and_when_cancelled(
        self, state, message
    ):
        if state == "planned":
            m = f.meeting()
            f.item(m, title="Punkt 9d5e")
        elif state == "cancelled":
            m = f.published_meeting(items=[{"title": "Punkt 9d5e"}])
            services.meeting_cancel(meeting=m)
        else:
            m = f.approved_meeting(items=[{"title": "Punkt 9d5e"}], decision="Oprindelig 9d5e.")
        before = decision(m.agenda_items.get())
        with pytest.raises(ApplicationError, match=message):
            services.minutes_save(meeting=m, entries=entries(m, {"Punkt 9d5e": "Ny 9d5e."}))
        assert decision(m.agenda_items.get()) == before

    def test_an_item_of_another_meeting_is_refused(self):
        m, other = held_meeting(titles=("Her 1e6f",)), held_meeting(titles=("Der 1e6f",))
        stray = services.DecisionEntry(
            item_id=other.agenda_items.get().pk,
            text="Forkert møde 1e6f.",
            loaded_fingerprint=services.decision_fingerprint(""),
        )
        with pytest.raises(ApplicationError, match="ikke længere på dagsordenen"):
            services.minutes_save(
                meeting=m, entries=[*entries(m, {"Her 1e6f": "Her 1e6f."}), stray]
            )
        assert decision(m.agenda_items.get()) == ""
        assert decision(other.agenda_items.get()) == ""


# --- the calendar ------------------------------------------------------------------------------


class TestCalendar:
    def test_a_meeting_that_starts_in_the_future_cannot_be_marked_held(self):
        m = f.published_meeting(starts_at=in_future())
        with pytest.raises(ApplicationError) as exc:
            services.meeting_mark_held(meeting=m)
        assert "begynder først" in exc.value.message
        assert "kan markeres som afholdt, når det er begyndt" in exc.value.message
        assert Meeting.objects.get(pk=m.pk).status == Meeting.Status.AGENDA_PUBLISHED

    def test_the_boundary_is_the_start_time(self):
        start = in_future(3)
        m = f.published_meeting(starts_at=start)
        with pytest.raises(ApplicationError):
            services.meeting_mark_held(meeting=m, now=start - datetime.timedelta(seconds=1))
        services.meeting_mark_held(meeting=m, now=start)
        assert Meeting.objects.get(pk=m.pk).status == Meeting.Status.HELD

    def test_minutes_of_a_future_meeting_cannot_be_approved(self):
        start = in_future(10)
        m = f.published_meeting(starts_at=start)
        # Marked held 'in the future' (as data from before the rule can be).
        m = services.meeting_mark_held(meeting=m, now=start)
        with pytest.raises(ApplicationError) as exc:
            services.minutes_approve(meeting=m)
        assert "Referatet kan ikke godkendes, før mødet er holdt" in exc.value.message
        assert Meeting.objects.get(pk=m.pk).status == Meeting.Status.HELD

    def test_a_held_meeting_cannot_be_moved_into_the_future(self):
        m = services.meeting_mark_held(meeting=f.published_meeting())
        start = in_future(7)
        with pytest.raises(ApplicationError) as exc:
            services.meeting_update(
                meeting=m,
                expected_version=m.version,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                location="Sal 2c7a",
                is_virtual=False,
            )
        assert exc.value.field == "starts_at"
        assert Meeting.objects.get(pk=m.pk).location != "Sal 2c7a"

    def test_only_planned_and_published_meetings_are_upcoming(self):
        body = bf.body()
        planned = f.meeting(body, starts_at=in_future(5))
        published = f.published_meeting(body, starts_at=in_future(6))
        cancelled = f.meeting(body, starts_at=in_future(7))
        services.meeting_cancel(meeting=cancelled)
        start = in_future(8)
        wrongly_approved = f.published_meeting(body, starts_at=start)
        services.meeting_mark_held(meeting=wrongly_approved, now=start)
        services.minutes_approve(meeting=wrongly_approved, now=start)
        upcoming = list(selectors.meetings_upcoming(limit=50))
        assert planned in upcoming and published in upcoming
        assert cancelled not in upcoming and wrongly_approved not in upcoming
        soon, others = selectors.meetings_for_secretariat_split(bodies=[body])
        assert soon == [planned, published]
        assert set(others) == {cancelled, wrongly_approved}


# --- the screens ----------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    body = bf.body("Direktørkredsen 4f8a")
    client.force_login(bf.secretariat_user(body))
    client.body = body
    return client


def loaded_fingerprints(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(loaded_\d+)" value="([0-9a-f]*)"', html))


class TestMinutesScreen:
    def test_one_form_with_the_recommendation_beside_each_decision(self, staff_client):
        m = held_meeting(staff_client.body)
        r = staff_client.get(reverse("meetings:minutes", args=[m.pk]))
        html = r.text
        assert html.count('<form method="post" class="form minutes-form"') == 1
        assert html.count(">Gem referat</button>") == 1
        assert "Gem beslutning" not in html
        for item in m.agenda_items.all():
            assert f'name="decision_{item.pk}"' in html
            assert f"Det indstilles, at {item.title} godkendes." in html
        assert '<span class="badge closed">lukket</span>' in html
        assert 'src="/static/meetings/minutes-draft.js"' in html
        assert "<script>" not in html  # CSP: no inline script

    def test_one_press_saves_every_decision(self, staff_client):
        m = held_meeting(staff_client.body)
        url = reverse("meetings:minutes", args=[m.pk])
        data = loaded_fingerprints(staff_client.get(url).text)
        items = list(m.agenda_items.order_by("position"))
        data |= {f"decision_{it.pk}": f"Beslutning {n} 2b7c." for n, it in enumerate(items)}
        r = staff_client.post(url, data, follow=True)
        assert "Referatet er gemt: 3 beslutninger er ændret." in r.text
        assert [decision(it) for it in items] == [f"Beslutning {n} 2b7c." for n in range(3)]

    def test_a_concurrent_save_is_named_and_the_typed_text_is_kept(self, staff_client):
        m = held_meeting(staff_client.body)
        url = reverse("meetings:minutes", args=[m.pk])
        loaded = loaded_fingerprints(staff_client.get(url).text)
        budget, vejplan, _closed = m.agenda_items.order_by("position")
        services.decision_record(item=vejplan, text="Kollegaens beslutning 5e9f.")
        data = loaded | {
            f"decision_{budget.pk}": "Min beslutning 5e9f-1.",
            f"decision_{vejplan.pk}": "Min beslutning 5e9f-2.",
        }
        r = staff_client.post(url, data)
        assert r.status_code == 200
        assert "Referatet er ikke gemt" in r.text
        assert "En anden har gemt beslutningen i disse punkter" in r.text
        assert f"{vejplan.number}. Vejplan 3c9d" in r.text
        assert "Min beslutning 5e9f-1." in r.text and "Min beslutning 5e9f-2." in r.text
        assert "Kollegaens beslutning 5e9f." in r.text  # shown beside the field
        assert decision(budget) == "" and decision(vejplan) == "Kollegaens beslutning 5e9f."
        # The page now carries the colleague's fingerprint: saving again is deliberate.
        again = loaded_fingerprints(r.text) | {
            f"decision_{budget.pk}": "Min beslutning 5e9f-1.",
            f"decision_{vejplan.pk}": "Min beslutning 5e9f-2.",
        }
        assert again[f"loaded_{vejplan.pk}"] != loaded[f"loaded_{vejplan.pk}"]
        staff_client.post(url, again)
        assert decision(vejplan) == "Min beslutning 5e9f-2."

    def test_approved_minutes_are_read_only_with_the_correction_flow(self, staff_client):
        m = f.approved_meeting(staff_client.body, decision="Godkendt 6a1b.")
        item = m.agenda_items.get()
        r = staff_client.get(reverse("meetings:minutes", args=[m.pk]))
        assert "Godkendt 6a1b." in r.text and "decision_" not in r.text
        assert reverse("meetings:correction", args=[item.pk]) in r.text

    def test_a_save_refused_because_the_minutes_were_approved_meanwhile_keeps_the_text(
        self, staff_client
    ):
        m = held_meeting(staff_client.body, titles=("Sent 2d6f",))
        url = reverse("meetings:minutes", args=[m.pk])
        loaded = loaded_fingerprints(staff_client.get(url).text)
        services.minutes_approve(meeting=m)  # a colleague approves while the form is open
        item = m.agenda_items.get()
        r = staff_client.post(url, loaded | {f"decision_{item.pk}": "Skrevet for sent 2d6f."})
        assert r.status_code == 200
        assert "Referatet er godkendt og låst" in r.text
        assert "Skrevet for sent 2d6f." in r.text
        assert decision(item) == ""

    def test_the_per_item_address_still_saves_one_decision(self, staff_client):
        m = held_meeting(staff_client.body, titles=("Enkelt 7b2c",))
        item = m.agenda_items.get()
        r = staff_client.post(
            reverse("meetings:decision_save", args=[item.pk]),
            {f"i{item.pk}-text": "Vedtaget 7b2c.", f"i{item.pk}-version": item.version},
        )
        assert r.status_code == 302 and decision(item) == "Vedtaget 7b2c."

    def test_the_minutes_page_reads_the_same_number_of_queries_for_more_items(
        self, staff_client, django_assert_num_queries
    ):
        small = held_meeting(staff_client.body, titles=("A 8d3e", "B 8d3e"))
        large = held_meeting(staff_client.body, titles=tuple(f"P{n} 8d3e" for n in range(8)))
        counts = []
        for m in (small, large):
            with CaptureQueriesContext(connection) as ctx:
                staff_client.get(reverse("meetings:minutes", args=[m.pk]))
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1]
        with django_assert_num_queries(counts[1]):
            staff_client.get(reverse("meetings:minutes", args=[large.pk]))


CONFIRMATIONS = {
    "publish": ("Offentliggør dagsordenen?", "Ja, offentliggør dagsordenen"),
    "approve": ("Godkend referatet?", "Ja, godkend referatet"),
    "cancel": ("Aflys mødet?", "Ja, aflys mødet"),
}


class TestConfirmation:
    def _meeting_for(self, action, body):
        if action == "approve":
            return held_meeting(body, titles=("Sag 9e4f",))
        m = f.meeting(body)
        f.item(m, title="Sag 9e4f")
        return m

    @pytest.mark.parametrize("action", sorted(CONFIRMATIONS))
    def test_an_irreversible_meeting_step_asks_first_and_says_what_happens(
        self, staff_client, action
    ):
        m = self._meeting_for(action, staff_client.body)
        status = m.status
        url = reverse("meetings:agenda_action", args=[m.pk, action])
        question, button = CONFIRMATIONS[action]
        for response in (staff_client.get(url), staff_client.post(url)):
            assert response.status_code == 200
            assert question in response.text and button in response.text
            assert "kan ikke fortrydes" in response.text
            assert reverse("meetings:agenda", args=[m.pk]) in response.text  # the way back
            assert Meeting.objects.get(pk=m.pk).status == status  # nothing happened
        r = staff_client.post(url, {"confirm": "yes"})
        assert r.status_code == 302
        assert Meeting.objects.get(pk=m.pk).status != status

    def test_approval_names_the_items_without_a_decision(self, staff_client):
        m = held_meeting(staff_client.body)
        first = m.agenda_items.order_by("position").first()
        services.decision_record(item=first, text="Vedtaget 0f5a.")
        r = staff_client.get(reverse("meetings:agenda_action", args=[m.pk, "approve"]))
        assert "Punkt 2, 3 har ingen beslutning." in r.text

    def test_publish_says_how_many_items_become_public(self, staff_client):
        m = f.meeting(staff_client.body)
        f.item(m, title="Åben 1a6b")
        f.item(m, title="Lukket 1a6b", access="lukket")
        r = staff_client.get(reverse("meetings:agenda_action", args=[m.pk, "publish"]))
        assert "Dagsordenens 2 punkter bliver offentlige" in r.text
        assert "1 punkt er lukket" in r.text

    def test_removing_an_item_asks_first(self, staff_client):
        m = f.meeting(staff_client.body)
        item = f.item(m, title="Overflødigt punkt 2b7c")
        url = reverse("meetings:item_delete", args=[item.pk])
        r = staff_client.get(url)
        assert "Fjern punktet?" in r.text and "Overflødigt punkt 2b7c" in r.text
        staff_client.post(url)
        assert AgendaItem.objects.filter(pk=item.pk).exists()
        staff_client.post(url, {"confirm": "yes"})
        assert not AgendaItem.objects.filter(pk=item.pk).exists()

    def test_removing_an_attachment_asks_first(self, staff_client):
        item = f.item(f.meeting(staff_client.body))
        attachment = services.attachment_add(
            item=item, file=ContentFile(b"bilag 3c8d", name="bilag.txt"), title="Bilag 3c8d"
        )
        url = reverse("meetings:attachment_delete", args=[attachment.pk])
        r = staff_client.post(url)  # the item page's button: shows the confirmation
        assert r.status_code == 200 and "Fjern bilaget?" in r.text and "Bilag 3c8d" in r.text
        assert Attachment.objects.filter(pk=attachment.pk).exists()
        staff_client.post(url, {"confirm": "yes"})
        assert not Attachment.objects.filter(pk=attachment.pk).exists()

    def test_other_actions_are_still_post_only(self, staff_client):
        m = f.meeting(staff_client.body)
        url = reverse("meetings:agenda_action", args=[m.pk, "renumber"])
        assert staff_client.get(url).status_code == 405

    def test_cancel_is_kept_apart_from_publish(self, staff_client):
        m = f.meeting(staff_client.body, title="Temamøde om broer 4d9e")
        f.item(m)
        html = staff_client.get(reverse("meetings:agenda", args=[m.pk])).text
        assert "Temamøde om broer 4d9e" in html  # the staff editor shows the title
        publish = html.index(reverse("meetings:agenda_action", args=[m.pk, "publish"]))
        zone = html.index('class="danger-zone"')
        cancel = html.index(reverse("meetings:agenda_action", args=[m.pk, "cancel"]))
        assert publish < zone < cancel
        assert html.count(reverse("meetings:agenda_action", args=[m.pk, "cancel"])) == 1


class TestCalendarOnTheScreens:
    def test_marking_a_future_meeting_held_shows_the_rule(self, staff_client):
        m = f.published_meeting(staff_client.body, starts_at=in_future(12))
        agenda = staff_client.get(reverse("meetings:agenda", args=[m.pk])).text
        assert "kan markeres som afholdt, når det er begyndt" in agenda
        r = staff_client.post(reverse("meetings:agenda_action", args=[m.pk, "hold"]), follow=True)
        assert "Mødet begynder først" in r.text
        assert Meeting.objects.get(pk=m.pk).status == Meeting.Status.AGENDA_PUBLISHED

    def test_a_wrongly_approved_future_meeting_is_not_upcoming_on_the_front_page(self, client):
        body = bf.body("Styregruppen 5f1a")
        start = in_future(9)
        m = f.published_meeting(body, starts_at=start, title="Fejlagtigt godkendt 5f1a")
        services.meeting_mark_held(meeting=m, now=start)
        services.minutes_approve(meeting=m, now=start)
        f.published_meeting(body, starts_at=in_future(10), title="Rigtigt kommende 5f1a")
        html = client.get(reverse("publishing:home")).text
        upcoming = html[html.index('id="upcoming-h"') : html.index('id="recent-h"')]
        assert "Styregruppen 5f1a" in upcoming
        assert upcoming.count("Styregruppen 5f1a") == 1


class TestCancelledPublicPage:
    def test_the_public_page_says_the_meeting_is_cancelled(self, client):
        m = f.published_meeting(items=[{"title": "Punkt 6b2d"}])
        services.meeting_cancel(meeting=m)
        html = client.get(m.get_absolute_url()).text
        assert "Mødet er aflyst." in html
        assert "Mødet er aflyst, så der er ingen dagsorden." in html
        assert "Dagsordenen er ikke offentliggjort endnu" not in html
        assert "Punkt 6b2d" not in html


def problems(html: str) -> list[str]:
    """One h1, every control labelled, no skipped heading level (as the demo's page checks)."""
    doc = lxml.html.document_fromstring(html)
    found = [] if len(doc.xpath("//h1")) == 1 else ["not one h1"]
    labels = {label.get("for") for label in doc.xpath("//label[@for]")}
    for control in doc.xpath("//input|//select|//textarea"):
        if control.get("type") not in {"hidden", "submit", "button"} and not (
            control.get("id") in labels or control.get("aria-label")
        ):
            found.append(f"unlabelled {control.tag} {control.get('name')}")
    levels = [
        int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")
    ]
    found += [f"h{a} to h{b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    return found


def test_the_new_pages_pass_the_structural_accessibility_checks(staff_client):
    m = held_meeting(staff_client.body)
    url = reverse("meetings:minutes", args=[m.pk])
    pages = {
        "minutes": staff_client.get(url).text,
        "approve": staff_client.get(reverse("meetings:agenda_action", args=[m.pk, "approve"])).text,
        "agenda": staff_client.get(reverse("meetings:agenda", args=[m.pk])).text,
    }
    # The minutes with a conflict: error summary, field errors and the colleague's text.
    loaded = loaded_fingerprints(pages["minutes"])
    first = m.agenda_items.order_by("position").first()
    services.decision_record(item=first, text="Kollega 3e5a.")
    pages["conflict"] = staff_client.post(
        url, loaded | {f"decision_{first.pk}": "Min tekst 3e5a."}
    ).text
    assert "Gemt af en anden" in pages["conflict"]
    assert {name: problems(html) for name, html in pages.items()} == {n: [] for n in pages}
