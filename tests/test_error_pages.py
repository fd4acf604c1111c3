"""The error pages are Danish and say where to go: 404, 403, a refused form (CSRF) and 500.

Run with DEBUG=False, as in production (with DEBUG Django shows its own English pages). The
addresses that raise a 403 or a 500 on purpose live in this module's own URL configuration,
around the site's.
"""

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.views.defaults import server_error

from sekretariat.bodies.tests import factories as bf
from sekretariat.config.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied("Internal reason 6f1d")


def broken(request):
    raise RuntimeError("A bug 6f1d")


urlpatterns = [
    path("test-forbudt/", forbidden),
    path("test-fejl/", broken),
    *site_urlpatterns,
]

with_test_urls = override_settings(DEBUG=False, ROOT_URLCONF=__name__)

ENGLISH = ("Not Found", "Forbidden", "Server Error", "CSRF", "requested resource", "6f1d")


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(response.content.decode())


def assert_site_layout(doc) -> None:
    """The page is one of the site's: Danish, its stylesheet, header with the menu, one h1."""
    assert doc.get("lang") == "da"
    assert doc.xpath("//link[@rel='stylesheet'][contains(@href, 'sekretariat/site.css')]")
    assert doc.xpath("//header[@class='site-header']//nav//a[@href='/fora/']")
    assert len(doc.xpath("//h1")) == 1


def assert_danish(response) -> None:
    text = response.content.decode()
    for english in ENGLISH:
        assert english not in text, english


def assert_ways_on(doc) -> None:
    """Links to the front page and the fora, and a labelled search box."""
    main = doc.xpath("//main")[0]
    assert main.xpath(".//a[@href='/']") and main.xpath(".//a[@href='/fora/']")
    [box] = main.xpath(".//form[@action='/soeg/']//input[@name='q']")
    assert main.xpath(f".//label[@for='{box.get('id')}']")[0].text_content().startswith("Søg")


@pytest.mark.django_db
@with_test_urls
@pytest.mark.parametrize("url", ["/findes-ikke-3e9a/", "/fora/ukendt-forum-3e9a/"])
def test_a_missing_page_is_a_danish_404_in_the_site_layout(client, url):
    """An address no route knows, and one a view refuses with Http404 (an unknown forum)."""
    response = client.get(url)
    assert response.status_code == 404
    doc = page(response)
    assert_site_layout(doc)
    assert doc.xpath("//h1")[0].text_content() == "Siden findes ikke"
    assert f"Der er ingen side på adressen {url}." in doc.xpath("//main")[0].text_content()
    assert_ways_on(doc)
    [login] = doc.xpath("//main//a[starts-with(@href, '/log-ind/')]")
    assert login.get("href") == f"/log-ind/?next={url}"
    assert doc.xpath("//title")[0].text_content() == "Siden findes ikke – Sekretariat"
    assert_danish(response)


@pytest.mark.django_db
@with_test_urls
def test_a_logged_in_user_is_not_asked_to_log_in_on_a_404(client):
    client.force_login(bf.user("helga-3e9a"))
    doc = page(client.get("/findes-ikke-3e9a/"))
    assert not doc.xpath("//main//a[starts-with(@href, '/log-ind/')]")
    assert "Log ud (helga-3e9a)" in doc.xpath("//header")[0].text_content()


@pytest.mark.django_db
@with_test_urls
def test_a_forbidden_page_asks_the_public_to_log_in_in_danish(client):
    response = client.get("/test-forbudt/")
    assert response.status_code == 403
    doc = page(response)
    assert_site_layout(doc)
    assert doc.xpath("//h1")[0].text_content() == "Du har ikke adgang til denne side"
    [login] = doc.xpath("//main//a[@class='button']")
    assert login.text_content() == "Log ind"
    assert login.get("href") == "/log-ind/?next=/test-forbudt/"
    assert_ways_on(doc)
    assert_danish(response)  # PermissionDenied's own (English, internal) message is not shown


@pytest.mark.django_db
@with_test_urls
def test_a_user_without_rights_is_told_who_they_are_logged_in_as(client):
    """A real 403 of the site: the secretariat's screens for a user who is no one's staff."""
    client.force_login(bf.user("ole-3e9a"))
    response = client.get(reverse("meetings:dashboard"))
    assert response.status_code == 403
    doc = page(response)
    assert_site_layout(doc)
    main = doc.xpath("//main")[0].text_content()
    assert "Du er logget ind som ole-3e9a, men siden er ikke åben for din bruger." in main
    assert "Spørg sekretariatet" in main
    assert not doc.xpath("//main//a[starts-with(@href, '/log-ind/')]")
    assert_danish(response)


@pytest.mark.django_db
@with_test_urls
def test_a_form_sent_without_its_security_key_gets_the_danish_csrf_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(bf.user("rut-3e9a"))
    response = client.post("/log-ud/")
    assert response.status_code == 403
    doc = page(response)
    assert_site_layout(doc)
    assert doc.xpath("//h1")[0].text_content() == "Formularen kunne ikke sendes"
    assert "Intet fra den er gemt." in doc.xpath("//main")[0].text_content()
    # Rendered with the request: the header knows who is logged in (and they stay logged in).
    assert "Log ud (rut-3e9a)" in doc.xpath("//header")[0].text_content()
    assert client.get(reverse("meetings:dashboard")).status_code == 403  # not sent to log in
    assert_danish(response)


@pytest.mark.django_db
@with_test_urls
def test_a_server_error_is_a_danish_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-fejl/")
    assert response.status_code == 500
    doc = page(response)
    assert doc.get("lang") == "da"
    assert doc.xpath("//link[@rel='stylesheet'][contains(@href, 'sekretariat/site.css')]")
    assert doc.xpath("//h1")[0].text_content() == "Der opstod en fejl"
    assert doc.xpath("//main//a[@href='/']")[0].text_content() == "Gå til forsiden"
    assert_danish(response)


@override_settings(DEBUG=False)
def test_the_500_page_needs_neither_the_database_nor_a_user():
    """Rendered by Django's own handler with no request context; this test has no database
    (pytest-django refuses any query), so a template that asked for one would fail here."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Der opstod en fejl" in text and "sekretariat/site.css" in text
    assert "Log ind" not in text and "Log ud" not in text
