"""The meeting cycle as the secretariat clicks through it: the minutes written in one form and
saved with one press, a warning before leaving unsaved text (and the draft put back), and an
agenda published through its confirmation page.

With SEKRETARIAT_SCREENSHOTS=<dir> the pages are photographed at 1280 and 390 px wide.
"""

import os
from pathlib import Path

import pytest

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services
from sekretariat.meetings.models import ItemSection, Meeting
from sekretariat.meetings.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("SEKRETARIAT_SCREENSHOTS")

ITEMS = [
    {
        "title": "Godkendelse af budget for brovedligehold 3f7e",
        "sections": {
            "indstilling": "Det indstilles, at kredsen godkender budgettet på 2,4 mio. kr. "
            "for 2027 og beder sekretariatet følge op i 2. kvartal."
        },
    },
    {
        "title": "Drøftelse af fælles indkøb af vintersalt 3f7e",
        "sections": {"indstilling": "Det indstilles, at kredsen drøfter modellen."},
    },
    {
        "title": "Ansættelse af ny projektleder 3f7e",
        "access": "lukket",
        "public_title": "Personalesag",
        "sections": {"indstilling": "Det indstilles, at ansættelsen godkendes."},
    },
]


def shoot(page, name: str) -> None:
    """Full-page screenshots at desktop and phone width (only when asked for)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        # The whole page in one viewport: the sticky save bar then sits where it belongs.
        page.set_viewport_size({"width": width, "height": 900})
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": max(height, 900)})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 720})


def held_meeting(body):
    m = f.published_meeting(body, items=ITEMS, title="Vintermøde om broer 3f7e")
    return services.meeting_mark_held(meeting=m)


def decisions(meeting) -> list[str]:
    texts = dict(
        ItemSection.objects.filter(
            item__meeting=meeting, section_type__role="beslutning"
        ).values_list("item__position", "text")
    )
    return [texts.get(i.position, "") for i in meeting.agenda_items.order_by("position")]


def test_all_decisions_are_saved_with_one_press(page, live_server, login):
    body = bf.body("Vejdirektørkredsen 3f7e")
    user = bf.secretariat_user(body)
    meeting = held_meeting(body)
    login(page, user.username)
    url = f"{live_server.url}/sekretariat/moeder/{meeting.pk}/referat/"
    page.goto(url)
    assert page.get_by_role("heading", name="Referat: Vejdirektørkredsen 3f7e").is_visible()
    assert page.get_by_text("Vintermøde om broer 3f7e").is_visible()
    assert page.get_by_text("beder sekretariatet følge op i 2. kvartal").is_visible()
    assert page.get_by_role("button", name="Gem referat").count() == 1

    typed = [
        "Budgettet blev godkendt 3f7e-1.",
        "Kredsen drøftede modellen 3f7e-2.\nSagen kommer igen i marts.",
        "Ansættelsen blev godkendt 3f7e-3.",
    ]
    for number, text in enumerate(typed, start=1):
        page.get_by_label(f"Beslutning på punkt {number}", exact=True).fill(text)
    shoot(page, "minutes-typed")
    page.get_by_role("button", name="Gem referat").click()
    expect(page.get_by_text("Referatet er gemt: 3 beslutninger er ændret.")).to_be_visible()
    assert decisions(meeting) == typed

    page.reload()
    for number, text in enumerate(typed, start=1):
        assert page.get_by_label(f"Beslutning på punkt {number}", exact=True).input_value() == text
    shoot(page, "minutes-saved")


def test_leaving_with_unsaved_text_warns_and_the_draft_comes_back(page, live_server, login):
    body = bf.body("Vejdirektørkredsen 4a8f")
    user = bf.secretariat_user(body)
    meeting = held_meeting(body)
    login(page, user.username)
    url = f"{live_server.url}/sekretariat/moeder/{meeting.pk}/referat/"
    page.goto(url)

    field = page.get_by_label("Beslutning på punkt 2", exact=True)
    field.click()
    page.keyboard.type("Ikke gemt endnu 4a8f")
    expect(page.get_by_text("Kladde gemt i denne browser")).to_be_visible()

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Tilbage til dagsordenen").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == url
    assert field.input_value() == "Ikke gemt endnu 4a8f"
    page.remove_listener("dialog", stay)

    # Leave anyway (the browser closes, a crash ...): the draft is put back on return.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/")
    page.goto(url)
    notice = page.locator("[data-draft-notice]")
    expect(notice).to_contain_text("sat ind igen i punkt 2")
    assert page.get_by_label("Beslutning på punkt 2", exact=True).input_value() == (
        "Ikke gemt endnu 4a8f"
    )
    assert decisions(meeting)[1] == ""  # a draft, not saved
    shoot(page, "minutes-draft-restored")
    page.get_by_role("button", name="Gem referat").click()
    expect(page.get_by_text("Referatet er gemt: 1 beslutning er ændret.")).to_be_visible()
    assert decisions(meeting)[1] == "Ikke gemt endnu 4a8f"
    expect(page.locator("[data-draft-notice]")).to_be_hidden()  # saved: the draft is gone


def test_the_minutes_form_works_without_javascript(browser, live_server):
    body = bf.body("Vejdirektørkredsen 5b9a")
    user = bf.secretariat_user(body)
    meeting = held_meeting(body)
    context = browser.new_context(locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/log-ind/")
        page.get_by_label("Brugernavn").fill(user.username)
        page.get_by_label("Adgangskode").fill("test-7f3a-password")
        page.get_by_role("button", name="Log ind").click()
        page.goto(f"{live_server.url}/sekretariat/moeder/{meeting.pk}/referat/")
        page.get_by_label("Beslutning på punkt 1", exact=True).fill("Uden script 5b9a-1.")
        page.get_by_label("Beslutning på punkt 3", exact=True).fill("Uden script 5b9a-3.")
        page.get_by_role("button", name="Gem referat").click()
        expect(page.get_by_text("Referatet er gemt: 2 beslutninger er ændret.")).to_be_visible()
    finally:
        context.close()
    assert decisions(meeting) == ["Uden script 5b9a-1.", "", "Uden script 5b9a-3."]


def test_an_agenda_is_published_through_its_confirmation_page(page, live_server, login):
    body = bf.body("Vejdirektørkredsen 6c1b")
    user = bf.secretariat_user(body)
    meeting = f.meeting(body, title="Forårsmøde 6c1b")
    for spec in ITEMS:
        f.item(meeting, **spec)
    login(page, user.username)
    page.goto(f"{live_server.url}/sekretariat/moeder/{meeting.pk}/")
    assert page.get_by_text("Forårsmøde 6c1b").is_visible()
    shoot(page, "agenda")
    page.get_by_role("link", name="Offentliggør dagsorden").click()
    assert page.get_by_role("heading", name="Offentliggør dagsordenen?").is_visible()
    assert page.get_by_text("Dagsordenens 3 punkter bliver offentlige").is_visible()
    assert page.get_by_text("1 punkt er lukket").is_visible()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    shoot(page, "confirm-publish")
    page.get_by_role("button", name="Ja, offentliggør dagsordenen").click()
    expect(page.get_by_text("Dagsordenen er offentliggjort.")).to_be_visible()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.AGENDA_PUBLISHED

    # Cancelling asks as well, and going back leaves the meeting as it was.
    page.get_by_role("link", name="Aflys mødet").click()
    assert page.get_by_role("heading", name="Aflys mødet?").is_visible()
    shoot(page, "confirm-cancel")
    page.get_by_role("link", name="Nej, gå tilbage").click()
    expect(page.get_by_role("heading", name="Dagsorden: Vejdirektørkredsen 6c1b")).to_be_visible()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.AGENDA_PUBLISHED


def test_a_colleagues_save_meanwhile_is_shown_and_nothing_typed_is_lost(page, live_server, login):
    body = bf.body("Vejdirektørkredsen 7d2c")
    user = bf.secretariat_user(body)
    meeting = held_meeting(body)
    login(page, user.username)
    page.goto(f"{live_server.url}/sekretariat/moeder/{meeting.pk}/referat/")
    page.get_by_label("Beslutning på punkt 1", exact=True).fill("Min tekst 7d2c-1.")
    page.get_by_label("Beslutning på punkt 2", exact=True).fill("Min tekst 7d2c-2.")
    # A colleague saves item 2 while the form is open.
    second = meeting.agenda_items.get(number="2")
    services.decision_record(item=second, text="Kollegaens tekst 7d2c.", actor=bf.user())
    page.get_by_role("button", name="Gem referat").click()
    expect(page.get_by_role("heading", name="Referatet er ikke gemt")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("2. Drøftelse af fælles indkøb")
    assert page.get_by_label("Beslutning på punkt 1", exact=True).input_value() == (
        "Min tekst 7d2c-1."
    )
    assert page.get_by_label("Beslutning på punkt 2", exact=True).input_value() == (
        "Min tekst 7d2c-2."
    )
    expect(page.get_by_text("Kollegaens tekst 7d2c.")).to_be_visible()
    assert decisions(meeting)[:2] == ["", "Kollegaens tekst 7d2c."]
    shoot(page, "minutes-conflict")
    # Having seen the colleague's text, the user saves theirs on purpose.
    page.get_by_role("button", name="Gem referat").click()
    expect(page.get_by_text("Referatet er gemt: 2 beslutninger er ændret.")).to_be_visible()
    assert decisions(meeting)[:2] == ["Min tekst 7d2c-1.", "Min tekst 7d2c-2."]
