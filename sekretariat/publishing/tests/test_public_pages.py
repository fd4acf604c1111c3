"""The public site: content shown, closed material never shown, no N+1 queries."""

import io

import pypdfium2 as pdfium
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings import services
from sekretariat.meetings.tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Fortroligt kodeord hvidvin-8d1c"
SECRET_TITLE = "Afskedigelse af afdelingschef 8d1c"


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(io.BytesIO(data))
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


@pytest.fixture
def world():
    body = bf.body("Sundhedsklyngen Testby 3f0a")
    m = f.published_meeting(
        body,
        items=[
            {"title": "Godkendelse af budget 3f0a", "sections": {"resume": "Åbent resumé 3f0a"}},
            {
                "title": SECRET_TITLE,
                "access": "lukket",
                "sections": {"resume": SECRET, "sagsfremstilling": "Mere hemmeligt 8d1c"},
            },
        ],
    )
    open_item = m.agenda_items.get(title__startswith="Godkendelse")
    closed_item = m.agenda_items.get(title=SECRET_TITLE)
    services.attachment_add(
        item=open_item,
        file=ContentFile(b"lukket bilag 8d1c", name="loen.txt"),
        title="Lønbilag 8d1c",
        access="lukket",
    )
    services.attachment_add(
        item=open_item, file=ContentFile(b"aabent bilag", name="plan.txt"), title="Plan 3f0a"
    )
    return {"body": body, "meeting": m, "open": open_item, "closed": closed_item}


def assert_no_secret(text: str) -> None:
    for needle in (SECRET, SECRET_TITLE, "8d1c", "Lønbilag"):
        assert needle not in text, needle


def test_body_meeting_and_item_pages_show_the_content(client, world):
    m, open_item = world["meeting"], world["open"]
    r = client.get(reverse("publishing:body", kwargs={"slug": world["body"].slug}))
    assert r.status_code == 200 and "Sundhedsklyngen Testby 3f0a" in r.text
    r = client.get(m.get_absolute_url())
    assert r.status_code == 200
    assert "Godkendelse af budget 3f0a" in r.text and "Åbent resumé 3f0a" in r.text
    assert "Plan 3f0a" in r.text
    r = client.get(open_item.get_absolute_url())
    assert r.status_code == 200 and "Åbent resumé 3f0a" in r.text


def test_closed_item_is_absent_from_every_public_output(client, world):
    m, closed = world["meeting"], world["closed"]
    pages = [
        reverse("publishing:home"),
        reverse("publishing:body", kwargs={"slug": world["body"].slug}),
        m.get_absolute_url(),
        world["open"].get_absolute_url(),
        reverse("publishing:body_calendar", kwargs={"slug": world["body"].slug}),
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert_no_secret(r.content.decode())
    # The public sees that a closed item exists, not what it is.
    assert "Lukket punkt" in client.get(m.get_absolute_url()).text
    assert client.get(closed.get_absolute_url()).status_code == 404
    pdf = client.get(reverse("publishing:agenda_pdf", kwargs={"pk": m.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Godkendelse af budget 3f0a" in text
    assert_no_secret(text)
    closed_att = world["open"].attachments.get(access="lukket")
    assert (
        client.get(reverse("publishing:attachment", kwargs={"pk": closed_att.pk})).status_code
        == 404
    )


def test_member_and_secretariat_see_the_closed_item(client, world):
    for u in (bf.member_user(world["body"]), bf.secretariat_user(world["body"])):
        client.force_login(u)
        r = client.get(world["meeting"].get_absolute_url())
        assert SECRET in r.text and SECRET_TITLE in r.text and "Lønbilag 8d1c" in r.text
        assert client.get(world["closed"].get_absolute_url()).status_code == 200
        att = world["open"].attachments.get(access="lukket")
        r = client.get(reverse("publishing:attachment", kwargs={"pk": att.pk}))
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"lukket bilag 8d1c"
        pdf = client.get(reverse("publishing:agenda_pdf", kwargs={"pk": world["meeting"].pk}))
        assert SECRET in pdf_text(pdf.content)


def test_former_member_no_longer_sees_closed_items(client, world):
    import datetime

    u = bf.member_user(
        world["body"], start=datetime.date(2018, 1, 1), end=datetime.date(2021, 12, 31)
    )
    client.force_login(u)
    assert_no_secret(client.get(world["meeting"].get_absolute_url()).text)


def test_member_of_another_body_does_not_see_closed_items(client, world):
    client.force_login(bf.member_user(bf.body()))
    assert_no_secret(client.get(world["meeting"].get_absolute_url()).text)


def test_unpublished_agenda_shows_no_items_to_the_public(client):
    m = f.meeting()
    f.item(m, title="Udkast til punkt 6e6e")
    r = client.get(m.get_absolute_url())
    assert r.status_code == 200 and "Udkast til punkt 6e6e" not in r.text
    assert client.get(reverse("publishing:agenda_pdf", kwargs={"pk": m.pk})).status_code == 404


def test_decisions_are_public_only_after_approval(client):
    m = f.published_meeting(items=[{"title": "Sag om veje 1b1b"}])
    services.meeting_mark_held(meeting=m)
    services.decision_record(item=m.agenda_items.get(), text="Beslutning om veje 1b1b")
    assert "Beslutning om veje 1b1b" not in client.get(m.get_absolute_url()).text
    services.minutes_approve(meeting=m)
    assert "Beslutning om veje 1b1b" in client.get(m.get_absolute_url()).text
    pdf = client.get(reverse("publishing:minutes_pdf", kwargs={"pk": m.pk}))
    assert "Beslutning om veje 1b1b" in pdf_text(pdf.content)


def test_calendar_lists_meetings(client, world):
    r = client.get(reverse("publishing:body_calendar", kwargs={"slug": world["body"].slug}))
    assert r["Content-Type"].startswith("text/calendar")
    body = r.content.decode()
    assert "BEGIN:VEVENT" in body and f"meeting-{world['meeting'].pk}@sekretariat" in body


class TestQueryCounts:
    """The number of queries of a page does not grow with the number of items."""

    def _meeting_with(self, n_items: int):
        body = bf.body()
        items = []
        for i in range(n_items):
            spec = {"title": f"Punkt {i} 4d4d", "sections": {"resume": f"Tekst {i}"}}
            if i % 3 == 0:
                spec["access"] = "lukket"
            items.append(spec)
        m = f.published_meeting(body, items=items)
        for it in m.agenda_items.all()[:3]:
            services.attachment_add(item=it, file=ContentFile(b"a", name="a.txt"))
        return m

    def test_meeting_page(self, client, django_assert_num_queries):
        small, large = self._meeting_with(3), self._meeting_with(30)
        with django_assert_num_queries(6):
            client.get(small.get_absolute_url())
        with django_assert_num_queries(6):
            client.get(large.get_absolute_url())

    def test_meeting_page_for_member(self, client, django_assert_num_queries):
        m = self._meeting_with(20)
        client.force_login(bf.member_user(m.body))
        # session + user + 2 rights queries + the IV grants (the header's link) + meeting +
        # items + sections + attachments + attendance
        with django_assert_num_queries(10):
            r = client.get(m.get_absolute_url())
        assert "Punkt 0 4d4d" in r.text

    def test_body_list_and_detail(self, client, django_assert_num_queries):
        for _ in range(5):
            b = bf.body()
            bf.member_user(b)
            f.meeting(b)
        with django_assert_num_queries(1):
            client.get(reverse("publishing:body_list"))
        # body with parent/children/terms, members, years, meetings
        with django_assert_num_queries(6):
            client.get(reverse("publishing:body", kwargs={"slug": b.slug}))

    def test_item_page(self, client, django_assert_num_queries):
        m = self._meeting_with(10)
        it = m.agenda_items.filter(access="aaben").first()
        with django_assert_num_queries(5):
            client.get(it.get_absolute_url())


@pytest.mark.parametrize(
    ("content", "name", "claimed", "inline_type"),
    [
        (b"%PDF-1.4 fake 1d1d", "referat.pdf", "application/pdf", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n1d1d", "kort.png", "image/png", "image/png"),
        (b"<html><script>alert(1)</script></html>", "side.html", "text/html", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.svg",
         "image/svg+xml", None),
        (b"<script>alert(1)</script>", "falsk.pdf", "application/pdf", None),
    ],
)  # fmt: skip
def test_only_pdfs_and_images_are_shown_inline(client, world, content, name, claimed, inline_type):
    upload = ContentFile(content, name=name)
    upload.content_type = claimed
    att = services.attachment_add(item=world["open"], file=upload, title=f"Bilag {name}")
    r = client.get(reverse("publishing:attachment", kwargs={"pk": att.pk}))
    assert r.status_code == 200
    disposition = r["Content-Disposition"]
    if inline_type:
        assert r["Content-Type"] == inline_type and disposition.startswith("inline")
    else:
        assert disposition.startswith("attachment")
        assert r["Content-Type"] == "application/octet-stream"
    assert r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("year", [0, 1, 1899, 2201, 10000, 99999999])
def test_a_meeting_plan_of_an_impossible_year_is_not_found(client, world, year):
    body = world["open"].meeting.body
    r = client.get(f"/fora/{body.slug}/moedeplan/{year}/")
    assert r.status_code == 404


def test_a_meeting_plan_of_a_possible_year_is_shown(client, world):
    body = world["open"].meeting.body
    assert client.get(f"/fora/{body.slug}/moedeplan/1900/").status_code == 200
    assert client.get(f"/fora/{body.slug}/moedeplan/2200/").status_code == 200
