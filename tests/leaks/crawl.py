"""Fetch every address a viewer can reach, through Django's test client, and find the marker
words in what comes back.

The addresses come two ways: from the URL configuration, filled in with every object the
generator made (bodies, meetings, items and attachments, also those deleted, the journal number
of every case), and from the same-site links of the HTML fetched (bounded). Every response is
read as text: HTML and JSON as they are, a PDF through pypdfium2 (its text and metadata), an
iCalendar feed unfolded, an attachment's bytes (and its text, when it is a PDF).

Search is fetched as the HTML page and its JSON twin: sweeps that list every item, attachment
and case document the viewer may find (following their pages), and one query per marker word.
The query is sent in upper case and the markers are matched in lower case, so the search box's
echo of the query never counts as a find; the index and the snippets keep the text's own case.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import unquote, urljoin, urlsplit

import pypdfium2
import weasyprint
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from sekretariat.bodies.models import Membership, Organisation, Person, Secretariat
from sekretariat.cases.models import Case
from sekretariat.publishing import pdf as pdf_module

from .generate import Built
from .markers import MARKER_LETTERS, MARKER_PREFIX, Secret, ViewerSpec
from .oracle import Oracle

MARKER_RE = re.compile(MARKER_PREFIX + "[" + MARKER_LETTERS + "]{8}")
_NOT_LETTERS = re.compile(r"[^A-Za-z]+")
# Never followed: the admin (its own access rules, and another team's), logging out (it would
# end the viewer's session), the login page, static files, the IV register (no meeting text).
SKIP_PREFIXES = ("/admin/", "/log-ud/", "/log-ind/", "/static/", "/aftaler/", "/media/")
SEARCH_PATH = "/soeg/"
SEARCH_SWEEP_KINDS = ("punkt", "bilag", "sag")
DENIED = (302, 403, 404, 405)


def markers_in(text: str) -> set[str]:
    """The marker words in `text`, also where a PDF's line break or hyphenation split one
    (everything but letters is dropped first; markers are lower case, so an upper-case echo of
    a query is not one)."""
    return set(MARKER_RE.findall(_NOT_LETTERS.sub("", text)))


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        parts = [page.get_textpage().get_text_range() for page in pdf]
        parts += [str(v) for v in pdf.get_metadata_dict().values()]
    finally:
        pdf.close()
    return "\n".join(parts)


# What a PDF stand-in starts with (see `PdfEngine`).
HTML_STAND_IN = b"%PDF-stand-in: the HTML of this PDF follows\n"


class PdfEngine:
    """WeasyPrint's `HTML`, as `publishing.pdf` uses it, for the length of a crawl.

    Rendering a meeting takes a third of a second to seconds; a crawl asks for the same PDF
    as many viewers. So: the same HTML is rendered once (the same HTML makes the same PDF),
    and after `real` distinct documents (None: no limit) the HTML itself is handed back,
    marked, and read as the PDF's text. Everything a PDF shows comes from that HTML (the
    template's own words aside), so no leak can hide there; the real renderings check the
    rest of the way, through pypdfium2's text."""

    def __init__(self, real: int | None):
        self.real = real
        self.rendered: dict[str, bytes] = {}
        self.stand_ins = 0

    def __call__(self, *, string: str, base_url: str | None = None):
        engine = self

        class _Document:
            def write_pdf(self, *args, **kwargs) -> bytes:
                if string in engine.rendered:
                    return engine.rendered[string]
                if engine.real is not None and len(engine.rendered) >= engine.real:
                    engine.stand_ins += 1
                    return HTML_STAND_IN + string.encode()
                data = weasyprint.HTML(string=string, base_url=base_url).write_pdf(*args, **kwargs)
                engine.rendered[string] = data
                return data

        return _Document()

    @contextlib.contextmanager
    def installed(self):
        with mock.patch.object(pdf_module, "HTML", self):
            yield self


def response_text(response) -> str:
    """Everything a response says, as text: its headers (an attachment's file name is in
    Content-Disposition) and its body."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    kind = response.get("Content-Type", "")
    text = data.decode("utf-8", errors="replace")
    if data.startswith(HTML_STAND_IN):
        pass  # the HTML a PDF would have been made of: read as it is
    elif data.startswith(b"%PDF"):
        text += "\n" + pdf_text(data)
    if kind.startswith("text/calendar"):
        text = text.replace("\r\n ", "").replace("\r\n\t", "")
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return headers + "\n" + text


# --- the addresses of the URL configuration ---------------------------------------------------

# Routes not crawled, by the start of their address (the same as `SKIP_PREFIXES`).
URLCONF_SKIPPED = SKIP_PREFIXES
# Parameters taken by actions that only POST (a GET is refused with 405 whatever is filled
# in): not filled in, and so not crawled.
POST_ONLY_PARAMETERS = {"action", "direction"}
_PARAMETER_RE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def urlconf_routes(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, name) of every route of the URL configuration, e.g.
    ('moeder/<int:meeting_pk>/punkter/<int:pk>/', 'publishing:item')."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from urlconf_routes(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


def route_values(built: Built, oracle: Oracle) -> dict[tuple[str, str], list]:
    """What fills a route's parameter, by (the address word before it, its name): every object
    the installation made, also those since deleted."""
    years = sorted({m.starts_at.year for m in built.meetings})
    journals = sorted(
        set(built.journals) | set(Case.objects.values_list("journal_number", flat=True))
    )
    memberships = list(Membership.objects.values_list("pk", flat=True))
    return {
        ("fora", "slug"): [body.slug for body in built.bodies],
        ("moedeplan", "year"): years,
        ("moeder", "pk"): [m.pk for m in built.meetings],
        ("punkter", "pk"): list(built.item_pks),
        ("bilag", "pk"): list(built.attachment_pks),
        ("sager", "journal_number"): journals,
        ("medlemmer", "pk"): memberships,
        ("import", "pk"): [],  # uploads: the generator makes none
        # The secretariat's register (bodies.urls): its organisations, secretariats, people.
        ("organisationer", "pk"): list(Organisation.objects.values_list("pk", flat=True)),
        ("sekretariater", "pk"): list(Secretariat.objects.values_list("pk", flat=True)),
        ("personer", "pk"): list(Person.objects.values_list("pk", flat=True)),
    }


def urlconf_addresses(built: Built, oracle: Oracle) -> tuple[list[str], list[str]]:
    """Every address of the URL configuration filled with the installation's objects, and the
    routes whose parameters this crawler cannot fill (a new kind of address: teach it here)."""
    values = route_values(built, oracle)
    addresses, unfilled = [], []
    for route, name in urlconf_routes():
        path = "/" + route
        if path.startswith(URLCONF_SKIPPED) or "^" in route:
            continue
        parameters = list(_PARAMETER_RE.finditer(route))
        names = {p["name"] for p in parameters}
        if names & POST_ONLY_PARAMETERS:
            continue
        if names == {"meeting_pk", "pk"}:  # an item under its meeting
            pairs = [(item.meeting_pk, item.pk) for item in oracle.state.items.values()]
            addresses += [reverse(name, kwargs={"meeting_pk": m, "pk": pk}) for m, pk in pairs]
            continue
        filled: list[dict] = [{}]
        for parameter in parameters:
            before = route[: parameter.start()].rstrip("/").rsplit("/", 1)[-1]
            key = (before, parameter["name"])
            if key not in values:
                unfilled.append(f"{name}: {route}")
                filled = []
                break
            filled = [{**f, parameter["name"]: v} for f in filled for v in values[key]]
        for kwargs in filled:
            try:
                addresses.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return addresses, unfilled


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.found.append(value)


def same_site_links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    links = []
    for raw in parser.found:
        url = urljoin(base, raw)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path
        if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
            continue
        links.append(path + (f"?{parts.query}" if parts.query else ""))
    return links


@dataclass
class Leak:
    viewer: str
    url: str
    marker: str
    kind: str
    where: str

    def __str__(self) -> str:
        return f"{self.viewer} GET {self.url}: {self.marker} ({self.kind}: {self.where})"


@dataclass
class Refusal:
    """An address that had to be refused (404/403) but was answered, or the reverse."""

    viewer: str
    url: str
    status: int
    expected: str

    def __str__(self) -> str:
        return f"{self.viewer} GET {self.url}: {self.status}, expected {self.expected}"


@dataclass
class CrawlResult:
    viewer: str
    fetched: Counter = field(default_factory=Counter)  # by surface
    leaks: list[Leak] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    seen_markers: set[str] = field(default_factory=set)
    seconds: float = 0.0
    unfilled_routes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(self.fetched.values())


@dataclass
class Budget:
    """How much one viewer's crawl may fetch."""

    max_pages: int = 400
    # Markers searched for one by one (the forbidden first, then some of the visible);
    # None: every marker.
    max_marker_searches: int | None = None
    search_sweep_pages: int = 3
    follow_search_links: int = 10
    pdfs: bool = True
    # Distinct PDFs rendered for real in one installation (None: all; see `PdfEngine`).
    real_pdfs: int | None = None
    # The secretariat's screens of every item and every address of the URL configuration,
    # also for a viewer who is no one's staff (who is refused them all alike; the screens of
    # each body and meeting are fetched by everyone anyway).
    staff_screens_for_everyone: bool = True


def _surface(path: str) -> str:
    if path.startswith(SEARCH_PATH):
        return "search-json" if "resultater.json" in path else "search"
    if path.endswith(".pdf"):
        return "pdf"
    if path.endswith(".ics"):
        return "ical"
    if path.startswith("/bilag/"):
        return "attachment"
    if path.startswith("/sager/"):
        return "case"
    if path.startswith("/sekretariat/"):
        return "secretariat"
    return "page"


class Crawler:
    def __init__(self, built: Built, viewer: ViewerSpec, oracle: Oracle, budget: Budget):
        self.built, self.viewer, self.oracle, self.budget = built, viewer, oracle, budget
        self.forbidden: dict[str, Secret] = oracle.forbidden(viewer)
        self.client = Client()
        if viewer.user is not None:
            self.client.force_login(viewer.user)
        self.result = CrawlResult(viewer.name)
        self.queue: deque[str] = deque()
        self.queued: set[str] = set()
        self.search_links_followed = 0

    # -- fetching --

    def fetch(self, url: str):
        response = self.client.get(url)
        self.result.fetched[_surface(url)] += 1
        text = response_text(response)
        found = markers_in(text)
        if response.status_code >= 400:
            # An error page may repeat the address asked for (404: "there is no page at ...",
            # the login link's ?next=): what the requester typed is not a leak.
            found -= markers_in(unquote(url))
        self.result.seen_markers |= found
        for marker in sorted(found & self.forbidden.keys()):
            secret = self.forbidden[marker]
            self.result.leaks.append(
                Leak(self.viewer.name, url, marker, secret.kind.value, secret.where)
            )
        if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
            self.follow(url, text)
        return response, found

    def follow(self, base: str, html: str) -> None:
        from_search = base.startswith(SEARCH_PATH)
        for link in same_site_links(base, html):
            if link in self.queued:
                continue
            if link.startswith(SEARCH_PATH) or from_search:
                if self.search_links_followed >= self.budget.follow_search_links:
                    continue
                self.search_links_followed += 1
            if link.endswith(".pdf") and not self.budget.pdfs:
                continue
            self.enqueue(link)

    def enqueue(self, url: str) -> None:
        if url not in self.queued:
            self.queued.add(url)
            self.queue.append(url)

    def drain(self) -> None:
        while self.queue and self.result.pages < self.budget.max_pages:
            self.fetch(self.queue.popleft())

    # -- what must be refused, and what must be shown --

    def expect(self, url: str, allowed: bool, must_show: str = "") -> None:
        """Fetch `url` directly: refused when the rule forbids it; shown (with `must_show`, a
        marker) when the rule allows it."""
        self.queued.add(url)
        response, found = self.fetch(url)
        status = response.status_code
        if not allowed and status not in DENIED:
            self.result.refusals.append(Refusal(self.viewer.name, url, status, "403/404"))
        elif allowed and (status != 200 or (must_show and must_show not in found)):
            what = f"200 with {must_show}" if must_show else "200"
            self.result.refusals.append(Refusal(self.viewer.name, url, status, what))

    # -- the crawl --

    def run(self) -> CrawlResult:
        # Refusals are expected by the hundred: Django's request log would print each.
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.CRITICAL)
        try:
            return self._run()
        finally:
            request_log.setLevel(level)

    def _run(self) -> CrawlResult:
        started = time.perf_counter()
        built, oracle, viewer = self.built, self.oracle, self.viewer
        for url in ("/", "/fora/", SEARCH_PATH, "/sekretariat/", "/sekretariat/import/"):
            self.enqueue(url)
        years = {m.starts_at.year for m in built.meetings}
        for body in built.bodies:
            self.enqueue(reverse("publishing:body", kwargs={"slug": body.slug}))
            self.enqueue(reverse("publishing:body_calendar", kwargs={"slug": body.slug}))
            for year in sorted(years):
                self.enqueue(
                    reverse("publishing:body_year", kwargs={"slug": body.slug, "year": year})
                )
            for name in ("meetings:members", "meetings:terms", "meetings:meeting_create"):
                self.enqueue(reverse(name, kwargs={"slug": body.slug}))
        self.drain()
        items = oracle.state.items
        for meeting in built.meetings:
            pk = meeting.pk
            self.enqueue(reverse("publishing:meeting", kwargs={"pk": pk}))
            for name in ("meetings:agenda", "meetings:minutes", "meetings:attendance"):
                self.enqueue(reverse(name, kwargs={"pk": pk}))
            if self.budget.pdfs:
                self.expect(
                    reverse("publishing:agenda_pdf", kwargs={"pk": pk}),
                    oracle.agenda_visible(viewer, pk),
                )
                self.expect(
                    reverse("publishing:minutes_pdf", kwargs={"pk": pk}),
                    oracle.minutes_visible(viewer, pk),
                )
        ledger = built.ledger
        title_of = {
            s.item_pk: s.marker
            for s in ledger.secrets.values()
            if s.kind.value == "item_text" and s.where.endswith("title")
        }
        for item_pk in built.item_pks:
            state = items.get(item_pk)
            meeting_pk = state.meeting_pk if state else built.meetings[0].pk
            url = reverse("publishing:item", kwargs={"meeting_pk": meeting_pk, "pk": item_pk})
            allowed = oracle.item_visible(viewer, item_pk)
            self.expect(url, allowed, must_show=title_of.get(item_pk, "") if allowed else "")
            other = next((m.pk for m in built.meetings if m.pk != meeting_pk), None)
            if other is not None:
                wrong = reverse("publishing:item", kwargs={"meeting_pk": other, "pk": item_pk})
                self.expect(wrong, False)
            if viewer.is_staff or self.budget.staff_screens_for_everyone:
                self.enqueue(reverse("meetings:item_edit", kwargs={"pk": item_pk}))
                self.enqueue(reverse("meetings:correction", kwargs={"pk": item_pk}))
        for attachment_pk in built.attachment_pks:
            url = reverse("publishing:attachment", kwargs={"pk": attachment_pk})
            self.expect(url, oracle.attachment_visible(viewer, attachment_pk))
        journals = set(built.journals) | set(Case.objects.values_list("journal_number", flat=True))
        for journal in sorted(journals):
            try:
                url = reverse("publishing:case", kwargs={"journal_number": journal})
            except NoReverseMatch:
                continue
            self.expect(url, oracle.case_page_exists_for(viewer, journal))
        addresses, self.result.unfilled_routes = urlconf_addresses(built, oracle)
        everyone = viewer.is_staff or self.budget.staff_screens_for_everyone
        for url in addresses:
            if url.endswith(".pdf") and not self.budget.pdfs:
                continue
            if url.startswith("/sekretariat/") and not everyone:
                continue
            self.enqueue(url)
        self.drain()
        self.search()
        self.drain()
        self.result.seconds = time.perf_counter() - started
        return self.result

    def search(self) -> None:
        for kind in SEARCH_SWEEP_KINDS:
            for page in range(1, self.budget.search_sweep_pages + 1):
                self.queued.add(f"{SEARCH_PATH}?kind={kind}&page={page}")
                self.fetch(f"{SEARCH_PATH}?kind={kind}&page={page}")
                url = f"{SEARCH_PATH}resultater.json?kind={kind}&page={page}"
                self.queued.add(url)
                response, _found = self.fetch(url)
                if response.json().get("pages", 1) <= page:
                    break
        forbidden = sorted(self.forbidden)
        visible = sorted(set(self.built.ledger.secrets) - self.forbidden.keys())
        words = forbidden + visible
        if self.budget.max_marker_searches is not None:
            words = words[: self.budget.max_marker_searches]
        for word in words:
            for path in (SEARCH_PATH, f"{SEARCH_PATH}resultater.json"):
                url = f"{path}?q={word.upper()}"
                self.queued.add(url)
                self.fetch(url)


def crawl(built: Built, viewer: ViewerSpec, oracle: Oracle, budget: Budget | None = None):
    return Crawler(built, viewer, oracle, budget or Budget()).run()


def crawl_all(
    built: Built, budget: Budget | None = None, only: set[str] | None = None
) -> list[CrawlResult]:
    """Crawl as each distinct viewer (viewers that see the same are crawled once), or as the
    viewers named in `only`."""
    budget = budget or Budget()
    oracle = Oracle(built)
    results, keys = [], set()
    with PdfEngine(budget.real_pdfs).installed():
        for viewer in built.viewers:
            if viewer.key in keys or (only is not None and viewer.name not in only):
                continue
            keys.add(viewer.key)
            results.append(crawl(built, viewer, oracle, budget))
    return results
