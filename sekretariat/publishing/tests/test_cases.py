import pytest
from django.urls import reverse

from sekretariat.bodies.tests import factories as bf
from sekretariat.meetings.tests import factories as f

pytestmark = pytest.mark.django_db

JNR = "00.15.10-P35-7-26"


def test_a_case_shows_its_path_through_several_fora(client):
    first, second = bf.body("Forretningsudvalget 7b7b"), bf.body("Direktørkredsen 7b7b")
    f.approved_meeting(
        first,
        items=[{"title": "Drøftelse af fast placering 7b7b", "journal_number": JNR}],
        starts_at=f.aware(2026, 2, 1),
        decision="Sendes videre til kredsen 7b7b.",
    )
    f.published_meeting(
        second,
        items=[{"title": "Godkendelse af fast placering 7b7b", "journal_number": JNR}],
        starts_at=f.aware(2026, 3, 1),
    )
    f.published_meeting(
        second,
        items=[{"title": "Lukket behandling 7b7b", "journal_number": JNR, "access": "lukket"}],
        starts_at=f.aware(2026, 4, 1),
    )
    r = client.get(reverse("publishing:case", kwargs={"journal_number": JNR}))
    assert r.status_code == 200
    text = r.text
    assert text.index("Forretningsudvalget 7b7b") < text.index("Direktørkredsen 7b7b")
    assert "Sendes videre til kredsen 7b7b." in text
    assert "Lukket behandling 7b7b" not in text
    client.force_login(bf.member_user(second))
    assert (
        "Lukket behandling 7b7b"
        in client.get(reverse("publishing:case", kwargs={"journal_number": JNR})).text
    )


def test_case_known_only_from_closed_items_is_not_public(client):
    f.published_meeting(
        items=[
            {"title": "Hemmelig 8c8c", "journal_number": "81.03.00-G01-1-26", "access": "lukket"}
        ]
    )
    r = client.get(reverse("publishing:case", kwargs={"journal_number": "81.03.00-G01-1-26"}))
    assert r.status_code == 404


def test_a_journal_number_with_a_slash_has_a_case_page(client):
    f.published_meeting(items=[{"title": "Sag med skråstreg 9d9d", "journal_number": "12/27845"}])
    url = reverse("publishing:case", kwargs={"journal_number": "12/27845"})
    assert url.endswith("/sager/12/27845/")
    assert "Sag med skråstreg 9d9d" in client.get(url).text


def test_a_closed_items_title_never_becomes_the_cases_public_title(client):
    jnr = "82.06.00-G01-9-26"
    body = bf.body("Økonomiudvalget 9f1f")
    # The closed item comes first: the case is opened, and named, by it.
    f.published_meeting(
        body,
        items=[{"title": "Fratrædelse af chef Hemmeligsen 9f1f", "journal_number": jnr,
                "access": "lukket"}],
        starts_at=f.aware(2026, 1, 10),
    )  # fmt: skip
    later = f.published_meeting(
        body,
        items=[{"title": "Ny organisering af staben 9f1f", "journal_number": jnr}],
        starts_at=f.aware(2026, 2, 10),
    )
    open_item = later.agenda_items.get()
    case_page = client.get(reverse("publishing:case", kwargs={"journal_number": jnr})).text
    item_page = client.get(open_item.get_absolute_url()).text
    for page in (case_page, item_page):
        assert "Hemmeligsen" not in page
    assert "<h1>Ny organisering af staben 9f1f</h1>" in case_page
    assert f"{jnr} Ny organisering af staben 9f1f" in item_page

    # A member of the body sees the case under its own title.
    client.force_login(bf.member_user(body))
    assert (
        "<h1>Fratrædelse af chef Hemmeligsen 9f1f</h1>"
        in client.get(reverse("publishing:case", kwargs={"journal_number": jnr})).text
    )
