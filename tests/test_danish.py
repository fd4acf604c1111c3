"""Danish everywhere a person reads: no page, PDF, spreadsheet or calendar of the demo shows an
English month name or an internal code.

The demo installation is built once (`demo.services.demo_build`), and every page a person reaches
by following links is fetched as the public and as each demo login (the secretariat, a member,
a municipality's IV nurse, the region's finance staff), with the agenda and minutes PDFs, the IV
statements (PDF and XLSX), the monitoring report's PDF, and each forum's calendar and feed of
decisions. What a person reads is taken from each: an HTML page's text and the attributes that are
shown or read aloud (not its classes, ids, names or option values), a PDF's text (pypdfium2, as
the leak crawler reads PDFs), every text cell of a workbook, a calendar's summaries and places, a
feed's titles and summaries.

The leak crawler (`tests/leaks/crawl.py`) lends its PDF reader and its PDF engine; its link
follower is not used, as it leaves out the IV screens (`/aftaler/`) on purpose.

The run's CSV (`settlements:run_csv`) is not read: it is a file for programs, in the columns of
``sekretariat iv settle`` (its page says so), and its English column names are its format.
"""

from __future__ import annotations

import datetime
import functools
import io
import logging
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest
from django.apps import apps
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from openpyxl import load_workbook

from sekretariat.agreements.registry import agreement_ids, get_agreement
from sekretariat.demo import services as demo
from sekretariat.meetings.models import Meeting
from sekretariat.settlements import documents
from sekretariat.settlements.models import Course
from tests.leaks.crawl import PdfEngine, pdf_text

# --- what must not be read ---------------------------------------------------------------------

# English month names that are never Danish (in any case): anywhere as a whole word.
ENGLISH_ONLY_MONTHS = ("January", "February", "March", "May", "June", "July", "October")
# Capitalised names and abbreviations: Danish writes its months in lower case ('23. september',
# '30. dec.'); capitalised as whole words they are English. 'Jan' and 'August' are also Danish
# first names, so they count only beside a number (a date: '3 Jan', 'August 2026').
ENGLISH_CAPITALISED = (
    "April",
    "September",
    "November",
    "December",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
ENGLISH_NAMES_IN_DATES = ("Jan", "August")

MONTH_RE = re.compile(r"\b(?:" + "|".join(ENGLISH_ONLY_MONTHS + ENGLISH_CAPITALISED) + r")\b")
MONTH_IN_DATE_RE = re.compile(
    r"(?:\d\.?\s*\b(?:{names})\b|\b(?:{names})\b\.?\s*\d)".format(
        names="|".join(ENGLISH_NAMES_IN_DATES)
    )
)
# A snake_case identifier ('course_id', 'amount_dkk', 'referat_godkendt').
SNAKE_RE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# A command-line option ('--price-factor').
OPTION_RE = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*\b")
# A SHA-256 digest shown as text.
SHA256_RE = re.compile(r"\b[0-9a-fA-F]{64}\b")
# Danish written without æ, ø, å: how the models store their choices ('vaeske', 'droeftelse').
TRANSLITERATED_RE = re.compile(r"ae|oe|aa")


def stored_codes() -> set[str]:
    """The values the models store for their choices, and the IV agreements' treatment type
    codes, that are not Danish words as written: those with an underscore or a transliterated
    æ, ø or å ('dagsorden_offentliggjort', 'naestformand', 'vaeske'). A value that is a Danish
    word ('beslutning', 'afholdt', 'kommune') may be read in a sentence, and is not listed."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("sekretariat."):
            continue
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "choices", None) or ():
                if isinstance(value, str):
                    values.add(value)
    for agreement_id in agreement_ids():
        values |= {t.code for t in get_agreement(agreement_id).treatment_types}
    return {v for v in values if "_" in v or TRANSLITERATED_RE.search(v)}


def findings_in(text: str, codes: frozenset[str] | set[str]) -> list[str]:
    """What in `text` a person should not have to read: English month names and internal codes,
    each with a little of the text around it."""
    found = []

    def hit(kind: str, match: re.Match) -> None:
        start, end = max(match.start() - 30, 0), match.end() + 30
        context = " ".join(text[start:end].split())
        found.append(f"{kind} {match.group(0)!r} in '…{context}…'")

    for match in MONTH_RE.finditer(text):
        hit("English month", match)
    for match in MONTH_IN_DATE_RE.finditer(text):
        hit("English month", match)
    for match in SNAKE_RE.finditer(text):
        hit("code", match)
    for match in OPTION_RE.finditer(text):
        hit("command-line option", match)
    for match in SHA256_RE.finditer(text):
        hit("SHA-256", match)
    if codes:
        for match in _codes_re(frozenset(codes)).finditer(text):
            if "_" not in match.group(0):  # snake_case is reported above
                hit("stored code", match)
    return found


@functools.cache
def _codes_re(codes: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, codes))) + r")\b")


# --- what a person reads of a response --------------------------------------------------------

# Attributes that are shown (title, placeholder, a button's value, the phone layout's table
# labels drawn from data-label) or read aloud (alt, aria-label).
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "data-label")
SHOWN_VALUE_TYPES = {"submit", "button", "reset", "text", "search", "number", "date", "email"}


def html_text(html: str | lxml.html.HtmlElement) -> str:
    """The text of a page, and the attributes that are shown or read aloud (a parsed page is
    changed: its scripts, styles and comments are dropped)."""
    doc = lxml.html.document_fromstring(html) if isinstance(html, str) else html
    for node in doc.xpath("//script|//style|//comment()|//template"):
        node.drop_tree()
    parts = [" ".join(doc.text_content().split())]
    for attribute in READ_ATTRIBUTES:
        parts += doc.xpath(f"//@{attribute}")
    for element in doc.xpath("//input[@value]"):
        if (element.get("type") or "text").lower() in SHOWN_VALUE_TYPES:
            parts.append(element.get("value"))
    return "\n".join(str(p) for p in parts)


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    parts = []
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts += [str(v) for v in row if v is not None and not isinstance(v, int | float)]
    return "\n".join(parts)


def ical_text(data: bytes) -> str:
    """The unfolded lines' values (a property's name, 'DTSTART', is the format's, not read)."""
    text = data.decode().replace("\r\n ", "").replace("\r\n\t", "")
    values = []
    for line in text.splitlines():
        name, _sep, value = line.partition(":")
        if name.split(";")[0] in {"SUMMARY", "LOCATION", "DESCRIPTION", "X-WR-CALNAME"}:
            values.append(value)
    return "\n".join(values)


def atom_text(data: bytes) -> str:
    """The titles, subtitle, authors and summaries (HTML, read as a page) of an Atom feed."""
    atom = "{http://www.w3.org/2005/Atom}"
    root = lxml.etree.fromstring(data)
    parts = []
    for name in ("title", "subtitle", "name"):
        parts += [e.text or "" for e in root.iter(f"{atom}{name}")]
    for summary in root.iter(f"{atom}summary"):
        parts.append(html_text(f"<div>{summary.text or ''}</div>"))
    return "\n".join(parts)


def readable_text(response, url: str) -> tuple[str, str, list[str]] | None:
    """(kind, text, links) of what a person reads of a response, with the same-site links of a
    page to follow; None for what is not read."""
    kind = response.get("Content-Type", "").split(";")[0]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "text/html":
        doc = lxml.html.document_fromstring(data.decode())
        links = _links(url, doc)
        return "page", html_text(doc), links
    readers = {
        "application/pdf": ("pdf", pdf_text),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", xlsx_text),
        "text/calendar": ("ical", ical_text),
        "application/atom+xml": ("feed", atom_text),
    }
    if kind not in readers:
        return None
    name, reader = readers[kind]
    return name, reader(data), []


# --- the crawl ----------------------------------------------------------------------------------

# Never fetched: the Django admin (not ours to translate), logging out, static and media files,
# the run's CSV (a file for programs, see above) and the search's JSON twin (read by the page's
# script, whose results are the same as the page's).
SKIP_PREFIXES = ("/admin/", "/log-ud/", "/static/", "/media/")
SKIP_ROUTES = {"settlements:run_csv", "search:json"}
# Pages of one kind fetched per viewer: enough to meet every template and its states (a
# meeting in each status, a course at each step), not all 4,000 IV courses.
PER_ROUTE = 30
# Fewer of the documents, each rendered by one template whatever the meeting or municipality
# (the start has a meeting's PDFs in each state), and the log-in page (once per '?next=').
PER_ROUTE_LIMITS = {
    "publishing:agenda_pdf": 6,
    "publishing:minutes_pdf": 6,
    "settlements:statement_pdf": 2,
    "settlements:statement_xlsx": 2,
    "login": 2,
}
START = ("/", "/fora/", "/soeg/", "/soeg/?q=referat", "/sekretariat/", "/aftaler/")


def start_urls() -> list[str]:
    """Where every crawl begins: the site's entrances, a meeting in each state with its PDFs,
    an IV course in each state and the course list filtered by each (a link-following crawl
    capped per route might meet only some states). What a viewer may not see answers 403 or
    404, and is passed over."""
    urls = list(START)
    for status in Meeting.Status.values:
        for meeting in Meeting.objects.filter(status=status).order_by("pk")[:1]:
            for name in ("publishing:meeting", "publishing:agenda_pdf", "publishing:minutes_pdf"):
                urls.append(reverse(name, kwargs={"pk": meeting.pk}))
    for status in Course.Status.values:
        urls.append(reverse("settlements:course_list") + f"?status={status}")
        for course in Course.objects.filter(status=status).order_by("pk")[:2]:
            urls.append(reverse("settlements:course_detail", kwargs={"pk": course.pk}))
    return urls


DEMO_VIEWERS = ("sekretariat", "karen", "fjordby-iv", "region-oekonomi")


@dataclass
class Crawl:
    viewer: str
    routes: Counter = field(default_factory=Counter)  # by route name
    findings: dict[str, list[str]] = field(default_factory=dict)


def _links(base: str, doc: lxml.html.HtmlElement) -> list[str]:
    """The same-site addresses a page links to, and the addresses of its GET forms."""
    links = []
    for raw in doc.xpath(
        "//a/@href|//link[@rel='alternate']/@href|//form[not(@method) or "
        "translate(@method,'GET','get')='get']/@action"
    ):
        parts = urlsplit(urljoin(base, raw))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(client: Client, viewer: str, codes: set[str], start: list[str]) -> Crawl:
    result = Crawl(viewer)
    queue: deque[str] = deque(start)
    seen: set[str] = set(start)
    per_route: Counter = Counter()
    while queue:
        url = queue.popleft()
        route = _route(url)
        if route is None or route in SKIP_ROUTES:
            continue
        if per_route[route] >= PER_ROUTE_LIMITS.get(route, PER_ROUTE):
            continue
        per_route[route] += 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        read = readable_text(response, url)
        if read is None:
            continue
        _kind, text, links = read
        result.routes[route] += 1
        found = findings_in(text, codes)
        if found:
            result.findings[url] = found
        for link in links:
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return result


def report(crawls: list[Crawl]) -> str:
    """One line per distinct finding (what was found, where first), with how often it was met."""
    first: dict[str, str] = {}
    count: Counter = Counter()
    for c in crawls:
        for url, found in c.findings.items():
            for finding in found:
                key = finding.split(" in ", 1)[0] + " @ " + (_route(url) or url)
                count[key] += 1
                first.setdefault(key, f"{c.viewer} GET {url}: {finding}")
    return "\n".join(f"{first[key]} (×{count[key]})" for key in sorted(first))


# --- the detector, on its own ---------------------------------------------------------------

SAMPLE_CODES = frozenset({"vaeske", "naestformand"})


@pytest.mark.parametrize(
    "text",
    [
        "Mødet er den 23. Sept 2026",
        "Afholdt 30. Dec 2022",
        "Opdateret 4 January 2025",
        "Møde 3. Jan. 2026",
        "den 1. August 2026",
        "Kolonner: course_id, amount_dkk",
        "Kør med --price-factor 1,02",
        "Kontrolsum " + "3f" * 32,
        "Type: vaeske",
        "Rolle: naestformand",
    ],
)
def test_the_detector_finds_english_months_and_codes(text):
    assert findings_in(text, SAMPLE_CODES), text


@pytest.mark.parametrize(
    "text",
    [
        "Mødet er den 23. september 2026 kl. 9.30",
        "Afholdt 30. dec. 2022",
        "Jan Holm og August Krogh deltog. Maj og juni er travle måneder.",
        "Type: IV-væske (isoton) · næstformand · Beslutning · afholdt",
        "Tankestreg – og bindestreg-ord, 1.234,50 kr., kalender.ics",
    ],
)
def test_the_detector_lets_danish_pass(text):
    assert findings_in(text, SAMPLE_CODES) == [], text


def test_the_stored_codes_include_the_transliterated_and_snake_case_values():
    codes = stored_codes()
    assert {"vaeske", "droeftelse", "naestformand", "referat_godkendt", "aaben"} <= codes
    assert not {"beslutning", "afholdt", "kommune"} & codes


def test_what_is_read_of_a_page_leaves_classes_and_option_values_out():
    html = (
        "<html><head><title>Møde</title><style>.x_y{}</style></head><body>"
        '<span class="status-referat_godkendt" title="Referat godkendt">Godkendt</span>'
        '<select name="kind"><option value="droeftelse">Drøftelse</option></select>'
        '<input type="hidden" name="step" value="i_behandling">'
        '<input type="submit" value="Gem --now"><img src="x.png" alt="course_id">'
        "<!-- vaeske --><script>var a_b = 1;</script></body></html>"
    )
    found = findings_in(html_text(html), stored_codes())
    assert sorted(f.split(" in ")[0] for f in found) == [
        "code 'course_id'",
        "command-line option '--now'",
    ]


# --- the demo ------------------------------------------------------------------------------------

# What each viewer's crawl must have read, or it proves nothing.
MUST_READ = {
    "offentligheden": {
        "publishing:home",
        "publishing:meeting",
        "publishing:item",
        "publishing:case",
        "publishing:agenda_pdf",
        "publishing:minutes_pdf",
        "publishing:body_calendar",
        "publishing:body_decisions_feed",
        "search:search",
    },
    "sekretariat": {
        "meetings:dashboard",
        "meetings:agenda",
        "meetings:minutes",
        "meetings:item_edit",
        "meetings:attendance",
        "meetings:members",
        "bodies:person_edit",
        "settlements:course_detail",
        "settlements:run_detail",
        "settlements:statement_pdf",
        "settlements:statement_xlsx",
        "settlements:report",
        "settlements:report_pdf",
    },
    "karen": {"publishing:meeting", "publishing:agenda_pdf", "publishing:minutes_pdf"},
    "fjordby-iv": {
        "settlements:course_list",
        "settlements:course_detail",
        "settlements:course_create",
        "settlements:statement_xlsx",
    },
    "region-oekonomi": {
        "settlements:run_detail",
        "settlements:statement_pdf",
        "settlements:statement_xlsx",
        "settlements:report_pdf",
    },
}


def logged_in(username: str) -> Client:
    """A client logged in through the log-in form, with the demo's password."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, username
    return client


@pytest.mark.django_db
def test_no_page_pdf_spreadsheet_or_calendar_of_the_demo_shows_english_or_codes():
    demo.demo_build(today=datetime.date(2026, 11, 22))
    codes = stored_codes()
    start = start_urls()
    clients = {"offentligheden": Client()} | {name: logged_in(name) for name in DEMO_VIEWERS}
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # refusals (403, 404) are expected on the way
    # The same HTML makes the same PDF: each agenda, minutes or statement is rendered once for
    # all the viewers who see it alike (the leak crawler's engine, also for the IV documents).
    engine = PdfEngine(real=None)
    try:
        with engine.installed(), mock.patch.object(documents, "HTML", engine):
            crawls = [crawl(client, name, codes, start) for name, client in clients.items()]
    finally:
        request_log.setLevel(level)
    for c in crawls:
        assert MUST_READ[c.viewer] <= set(c.routes), (c.viewer, dict(c.routes))
    assert report(crawls) == ""
