import pytest

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings.models import Meeting
from sekretariat.meetings.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_builds_and_publishes_an_agenda(page, live_server, login):
    body = bf.body("Styregruppen for Broer 5c5c")
    user = bf.secretariat_user(body)
    login(page, user.username)
    page.goto(f"{live_server.url}/fora/{body.slug}/")
    page.get_by_role("link", name="Nyt møde").click()
    page.get_by_label("Start").fill("2026-12-03T13:00")
    page.get_by_label("Slut").fill("2026-12-03T15:00")
    page.get_by_label("Sted").fill("Byrådssalen")
    page.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Mødet er oprettet.").is_visible()

    page.get_by_label("Titel").fill("Godkendelse af brotakster 5c5c")
    page.get_by_role("button", name="Tilføj punkt").last.click()
    # The item editor opens; write the summary and save.
    page.get_by_label("Resumé").fill("Taksten for passage foreslås hævet 5c5c.")
    page.get_by_label("Tidsramme (minutter)").fill("20")
    page.get_by_role("button", name="Gem punkt").click()
    assert page.get_by_text("er gemt").is_visible()
    # Back on the agenda: the new item landed before 'Eventuelt', numbered in order, so there
    # is nothing to move or renumber.
    assert page.get_by_role("button", name="Omnummerér").count() == 0
    page.get_by_role("link", name="Offentliggør dagsorden").click()
    page.get_by_role("button", name="Ja, offentliggør dagsordenen").click()  # the confirmation
    assert page.get_by_text("Dagsordenen er offentliggjort.").is_visible()

    meeting = Meeting.objects.get(body=body)
    titles = list(meeting.agenda_items.order_by("position").values_list("number", "title"))
    assert titles[2] == ("3", "Godkendelse af brotakster 5c5c")
    assert titles[3] == ("4", "Eventuelt")

    # A member of the public now reads it.
    page.get_by_role("button", name="Log ud").click()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    assert page.get_by_role("heading", name="Godkendelse af brotakster 5c5c").is_visible()
    assert page.get_by_text("Taksten for passage foreslås hævet 5c5c.").is_visible()
    # ... and finds it by search: the writes' events kept the index current.
    page.goto(f"{live_server.url}/soeg/?q=brotakster")
    assert page.get_by_role("link", name="Godkendelse af brotakster 5c5c").first.is_visible()


def test_member_sees_closed_item_that_the_public_does_not(page, live_server, login):
    body = bf.body("Direktionen 6d6d")
    member = bf.member_user(body)
    m = f.published_meeting(
        body,
        items=[
            {"title": "Budgetopfølgning 6d6d"},
            {
                "title": "Ansættelse af direktør 6d6d",
                "access": "lukket",
                "public_title": "Personalesag",
            },
        ],
    )
    url = f"{live_server.url}{m.get_absolute_url()}"
    page.goto(url)
    text = page.locator("main").inner_text()
    assert "Budgetopfølgning 6d6d" in text
    assert "Ansættelse af direktør 6d6d" not in text
    assert "Personalesag" in text

    login(page, member.username)
    page.goto(url)
    text = page.locator("main").inner_text()
    assert "Ansættelse af direktør 6d6d" in text


def test_keyboard_user_can_skip_to_content(page, live_server):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Gå til indhold"
