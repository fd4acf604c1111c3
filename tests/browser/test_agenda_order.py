"""The agenda's order and the attendance checklist as the secretariat clicks through them: a new
item lands before 'Eventuelt' with the numbers in order, the last item moves to the top in one
action (and by drag and drop, where JavaScript runs), and the attendance of three members and a
guest is recorded with one press and is there after a reload.

With SEKRETARIAT_SCREENSHOTS=<dir> the pages are photographed at 1280 and 390 px wide.
"""

import datetime
import os
from pathlib import Path

import pytest

from sekretariat.bodies.models import Membership, Person
from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings.models import Attendance
from sekretariat.meetings.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("SEKRETARIAT_SCREENSHOTS")

ITEMS = [
    "Godkendelse af takster for vintertjeneste 8d2a",
    "Drøftelse af fælles udbud af asfalt 8d2a",
    "Orientering om trafiktællinger 8d2a",
    "Status på cykelstiplanen 8d2a",
]


def shoot(page, name: str) -> None:
    """Full-page screenshots at desktop and phone width (only when asked for)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": max(height, 900)})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 720})


def numbers_and_titles(page) -> list[tuple[str, str]]:
    rows = page.locator("table.agenda-table tbody tr")
    return [
        (
            rows.nth(i).locator("td.num").inner_text().replace("\u2261", "").strip(),
            rows.nth(i).locator("td.title a").inner_text().strip(),
        )
        for i in range(rows.count())
    ]


def agenda_meeting(body):
    m = f.meeting(body, with_standing_items=True, title="Vejforum marts 8d2a")
    for title in ITEMS:
        f.item(m, title=title)
    return m


def stored(meeting) -> list[tuple[str, str]]:
    return list(meeting.agenda_items.order_by("position").values_list("number", "title"))


def test_a_new_item_lands_before_eventuelt_and_the_last_moves_to_the_top_in_one_action(
    page, live_server, login
):
    body = bf.body("Vejdirektørkredsen 8d2a")
    user = bf.secretariat_user(body)
    meeting = agenda_meeting(body)
    login(page, user.username)
    agenda_url = f"{live_server.url}/sekretariat/moeder/{meeting.pk}/"
    page.goto(agenda_url)

    page.get_by_label("Titel").fill("Godkendelse af vinterberedskab 8d2a")
    page.get_by_role("button", name="Tilføj punkt").click()
    expect(page.get_by_text("Punkt 7 er tilføjet.")).to_be_visible()  # the item editor
    page.goto(agenda_url)
    expected = [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Godkendelse af referat"),
        *[(str(n), title) for n, title in enumerate(ITEMS, start=3)],
        ("7", "Godkendelse af vinterberedskab 8d2a"),
        ("8", "Eventuelt"),
    ]
    assert numbers_and_titles(page) == expected
    assert stored(meeting) == expected

    # The last item to the top: one choice and one press.
    page.get_by_label("Punkt 8: Flyt til nr.").select_option("1")
    page.get_by_role("button", name="Flyt punkt 8", exact=True).click()
    expect(page.get_by_text("'Eventuelt' er nu punkt 1.")).to_be_visible()
    moved = [("1", "Eventuelt")] + [(str(int(n) + 1), t) for n, t in expected[:-1]]
    assert numbers_and_titles(page) == moved
    assert stored(meeting) == moved

    page.reload()
    assert numbers_and_titles(page) == moved
    expect(page.locator("[data-drag-hint]")).to_be_visible()  # the script runs (CSP allows it)
    shoot(page, "agenda-order")


def test_drag_and_drop_posts_the_same_move(page, live_server, login):
    body = bf.body("Vejdirektørkredsen 9e3b")
    user = bf.secretariat_user(body)
    meeting = agenda_meeting(body)
    login(page, user.username)
    page.goto(f"{live_server.url}/sekretariat/moeder/{meeting.pk}/")
    rows = page.locator("table.agenda-table tbody tr")
    handle = rows.nth(5).locator(".drag-handle")  # 'Status på cykelstiplanen', item 6
    expect(handle).to_be_visible()
    with page.expect_navigation():
        handle.drag_to(rows.nth(0), target_position={"x": 20, "y": 3})
    expect(page.get_by_text("'Status på cykelstiplanen 8d2a' er nu punkt 1.")).to_be_visible()
    assert stored(meeting)[0] == ("1", "Status på cykelstiplanen 8d2a")
    assert [n for n, _t in stored(meeting)] == ["1", "2", "3", "4", "5", "6", "7"]


def test_the_move_works_without_javascript(browser, live_server):
    body = bf.body("Vejdirektørkredsen 0f4c")
    user = bf.secretariat_user(body)
    meeting = agenda_meeting(body)
    context = browser.new_context(locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/log-ind/")
        page.get_by_label("Brugernavn").fill(user.username)
        page.get_by_label("Adgangskode").fill("test-7f3a-password")
        page.get_by_role("button", name="Log ind").click()
        page.goto(f"{live_server.url}/sekretariat/moeder/{meeting.pk}/")
        assert page.locator(".drag-handle").count() == 0
        page.get_by_label("Punkt 7: Flyt til nr.").select_option("3")
        page.get_by_role("button", name="Flyt punkt 7", exact=True).click()
        assert stored(meeting)[2] == ("3", "Eventuelt")
    finally:
        context.close()


def test_attendance_of_three_members_and_a_guest_is_saved_with_one_press(page, live_server, login):
    body = bf.body("Sundhedsdirektørkredsen 1a5d")
    user = bf.secretariat_user(body)
    meeting = f.published_meeting(body, starts_at=f.aware(2026, 3, 12, 9), title="Marts 1a5d")
    names = ["Anne Formand 1a5d", "Bo Medlem 1a5d", "Cecilie Medlem 1a5d", "Dan Suppleant 1a5d"]
    roles = ["formand", "medlem", "medlem", "suppleant"]
    for name, role in zip(names, roles, strict=True):
        Membership.objects.create(
            person=Person.objects.create(name=name),
            body=body,
            role=role,
            start_date=datetime.date(2024, 1, 1),
        )
    Person.objects.create(name="Ikke medlem 1a5d")  # in the register, not in the forum
    login(page, user.username)
    url = f"{live_server.url}/sekretariat/moeder/{meeting.pk}/deltagere/"
    page.goto(url)
    assert page.get_by_text("Ikke medlem 1a5d").count() == 0

    def member(name):
        return page.get_by_role("group", name=name)

    member("Anne Formand 1a5d").get_by_label("Til stede").check()
    member("Bo Medlem 1a5d").get_by_label("Afbud").check()
    member("Bo Medlem 1a5d").get_by_label("Note").fill("Ferie 1a5d")
    member("Cecilie Medlem 1a5d").get_by_label("Til stede").check()
    guest = page.get_by_role("group", name="Ny gæst 1")
    guest.get_by_label("Navn").fill("Gitte Gæst 1a5d")
    guest.get_by_label("Stilling").fill("Konsulent")
    guest.get_by_label("Organisation").fill("Rådgivning 1a5d")
    page.get_by_role("button", name="Gem deltagelse").click()
    expect(
        page.get_by_text("Deltagelsen er gemt. Til stede: 2, afbud: 1, gæster: 1.")
    ).to_be_visible()

    recorded = {
        a.person.name: (a.role, a.note) for a in meeting.attendances.select_related("person")
    }
    assert recorded == {
        "Anne Formand 1a5d": (Attendance.Role.PARTICIPANT, ""),
        "Bo Medlem 1a5d": (Attendance.Role.ABSENT, "Ferie 1a5d"),
        "Cecilie Medlem 1a5d": (Attendance.Role.PARTICIPANT, ""),
        "Gitte Gæst 1a5d": (Attendance.Role.GUEST, ""),
    }

    page.reload()
    expect(member("Anne Formand 1a5d").get_by_label("Til stede")).to_be_checked()
    expect(member("Bo Medlem 1a5d").get_by_label("Afbud")).to_be_checked()
    expect(member("Bo Medlem 1a5d").get_by_label("Note")).to_have_value("Ferie 1a5d")
    expect(member("Cecilie Medlem 1a5d").get_by_label("Til stede")).to_be_checked()
    expect(member("Dan Suppleant 1a5d").get_by_label("Ikke registreret")).to_be_checked()
    guest_row = page.get_by_role("group", name="Gitte Gæst 1a5d")
    expect(guest_row).to_contain_text("Konsulent, Rådgivning 1a5d")
    expect(guest_row.get_by_label("Gæst", exact=True)).to_be_checked()
    shoot(page, "attendance-checklist")

    # The meeting's public page names them.
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    main = page.locator("main").inner_text()
    assert "Gitte Gæst 1a5d" in main and "Bo Medlem 1a5d" in main
