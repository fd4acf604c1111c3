"""Behaviour snapshot of a Sekretariat tree: every page and PDF of the demo, every parse output.

Run it with a project's venv python (it needs nothing beyond the standard library itself; the
crawl runs under the captured tree's own python):

    PY=/tmp/baseline-tree/.venv/bin/python
    $PY devtools/behaviour_snapshot.py capture --tree /tmp/baseline-tree --out /tmp/snap-baseline
    $PY devtools/behaviour_snapshot.py capture --tree /work/main --out /tmp/snap-after
    $PY devtools/behaviour_snapshot.py compare /tmp/snap-baseline /tmp/snap-after

`capture` loads the demo into a fresh temporary SQLite data dir (`sekretariat migrate`,
`sekretariat demo_data`), crawls it with django.test.Client (GET only, breadth-first, same-site
links) as the anonymous public and as the demo users, runs a few searches per role, and runs
`sekretariat parse` over the shared seeds, the shared real documents and the parser's own
fixtures. `compare` prints a unified diff per differing file and a summary; it exits 1 if
anything differs.

What varies between two captures of the same tree is normalised at capture time: CSRF tokens,
PDF CreationDate/ModDate, DTSTAMP in calendars, any date-time printed in one of the observed
forms whose value lies inside the capture's own time window ("now": the demo's load time in a
settlement run and a calendar's LAST-MODIFIED, the request time in a PDF's "Dannet ..." and a
form's default), and the tree's own path. Office files (xlsx) are saved as hashes of their
members with the same normalisation. The demo compares only with a capture of the same day:
its meetings are placed around today's date.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zoneinfo
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

ROLES = ("public", "karen", "sekretariat", "fjordby-iv")
DEMO_PASSWORD = "demo-sekretariat"
SEARCH_QUERIES = ("budget", "IV", "sundhed", "referat", "lukket")
SHARED = Path("/work/shared")
MARKER = "SNAPSHOT"
SAME_SITE_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}
SKIP_PREFIXES = ("/admin/", "/static/")
SKIP_WORDS = ("logout", "log-ud")
# Where each role's crawl starts: the home page and the entry points of the staff areas, which
# not every role's navigation links to (what a role gets there is behaviour too).
START_PAGES = ("/", "/soeg/", "/sekretariat/", "/sekretariat/import/", "/aftaler/", "/log-ind/")
SEARCH_PAGE = "/soeg/"
SEARCH_JSON = "resultater.json"
MAX_SEARCH_DEPTH = 2

# --------------------------------------------------------------------------------------------
# Normalisation (applied to everything saved; keep it to what varies between two captures)
# --------------------------------------------------------------------------------------------

_CSRF_TAG = re.compile(r"<(?:input|meta)\b[^>]*csrf[^>]*>", re.I)
_CSRF_VALUE = re.compile(r'(\b(?:value|content)=)(["\'])[^"\']*\2', re.I)
_CSRF_JS = re.compile(r"""(csrf[\w-]*["']?\s*[:=]\s*["'])[A-Za-z0-9]{32,}(["'])""", re.I)
_DTSTAMP = re.compile(r"^DTSTAMP[;:].*$", re.M)
_PDF_DATE_KEYS = ("CreationDate", "ModDate")

# "Now" as the pages print it: when the demo was loaded (a settlement run's time, a calendar's
# LAST-MODIFIED) or when the response was made (a PDF's "Dannet ...", the default of a form's
# date-time field). A date-time in one of these forms is replaced by <NOW> only if it lies
# inside the capture's own time window, so no date of the demo's content is touched.
LOCAL = "Europe/Copenhagen"
WINDOW_ENV = "BEHAVIOUR_SNAPSHOT_STARTED"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("marts", "mar"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?P<sep>,?\s+(?:kl\.\s+)?)(?P<H>\d{1,2})[.:](?P<M>\d{2})\b"
_DATETIMES = (
    # 2. december 2026 07.37, 2. Dec 2026 07.36, 2. dec. 2026 kl. 07.37
    re.compile(r"\b(?P<d>\d{1,2})\.\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<y>\d{4})" + _TIME),
    # 02.12.2026 07.46
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})" + _TIME),
    # 2026-12-02T07:37, 2026-12-02T06:46:13Z, 2026-12-02 07:37:00.123+01:00
    re.compile(
        r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[T ](?P<H>\d{2}):(?P<M>\d{2})"
        r"(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?(?![\d:])"
    ),
    # 20261202T063645Z (iCalendar)
    re.compile(
        r"\b(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})T(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})"
        r"(?P<tz>Z)?\b"
    ),
)
_MARGIN = 120  # seconds either side of the window


def _instant(match: re.Match) -> float | None:
    parts = match.groupdict()
    month = parts.get("m")
    if month is None:
        month = _MONTHS.get(parts["month"].lower())
        if month is None:
            return None
    try:
        moment = datetime.datetime(
            int(parts["y"]),
            int(month),
            int(parts["d"]),
            int(parts["H"]),
            int(parts["M"]),
            int(parts.get("S") or 0),
        )
    except ValueError:
        return None
    tz = parts.get("tz")
    if tz == "Z":
        moment = moment.replace(tzinfo=datetime.UTC)
    elif tz:
        sign = 1 if tz[0] == "+" else -1
        hours, minutes = int(tz[1:3]), int(tz[-2:])
        offset = datetime.timedelta(hours=hours, minutes=minutes) * sign
        moment = moment.replace(tzinfo=datetime.timezone(offset))
    else:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(LOCAL))
    return moment.timestamp()


def normalise_now(text: str, started: float, until: float) -> str:
    def replace(match: re.Match) -> str:
        instant = _instant(match)
        if instant is None or not started - _MARGIN <= instant <= until + _MARGIN:
            return match.group(0)
        return "<NOW>"

    for pattern in _DATETIMES:
        text = pattern.sub(replace, text)
    return text


def capture_started() -> float | None:
    value = os.environ.get(WINDOW_ENV)
    return float(value) if value else None


def normalise_text(text: str, tree: str | None = None, *, now: bool = True) -> str:
    text = _CSRF_TAG.sub(lambda m: _CSRF_VALUE.sub(r"\1\2<CSRF>\2", m.group(0)), text)
    text = _CSRF_JS.sub(r"\1<CSRF>\2", text)
    text = _DTSTAMP.sub("DTSTAMP:<NOW>", text)
    started = capture_started()
    if now and started is not None:
        text = normalise_now(text, started, time.time())
    if tree:
        text = text.replace(tree.rstrip("/"), "<TREE>")
    return text


# --------------------------------------------------------------------------------------------
# Saving responses
# --------------------------------------------------------------------------------------------

_SAFE = "-_.,=+@~&"


def _segment(part: str) -> str:
    name = quote(unquote(part), safe=_SAFE)
    if name in ("", ".", ".."):
        name = name.replace(".", "%2E") or "%"
    if len(name) > 120:
        name = name[:100] + "~" + hashlib.sha1(name.encode()).hexdigest()[:12]
    return name


def url_to_relpath(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = [_segment(p) for p in path.strip("/").split("/") if p]
    if path.endswith("/") or not segments:
        segments.append("index")
    if parts.query:
        segments[-1] += "@" + _segment(parts.query)
    segments[-1] += suffix
    return "/".join(segments)


def pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        meta = pdf.get_metadata_dict(skip_empty=True)
        for key in _PDF_DATE_KEYS:
            if key in meta:
                meta[key] = "<DATE>"
        out = [f"pdf pages: {len(pdf)}"]
        out += [f"pdf meta {k}: {v}" for k, v in sorted(meta.items())]
        for number, page in enumerate(pdf, start=1):
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            out.append(f"\n===== page {number} =====")
            out.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        return "\n".join(out) + "\n"
    finally:
        pdf.close()


def binary_summary(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        # Office files are zips that carry the time they were written (in the zip entries and
        # in docProps/core.xml) and may print "now" in a sheet: hash the normalised members.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                lines = []
                digest = hashlib.sha256()
                for name in sorted(archive.namelist()):
                    body = archive.read(name)
                    if name.endswith((".xml", ".rels")):
                        text = normalise_text(body.decode("utf-8", errors="replace"))
                        body = text.encode("utf-8")
                    digest.update(name.encode() + b"\0" + body + b"\0")
                    lines.append(f"member {name}: sha256 {hashlib.sha256(body).hexdigest()}")
            head = f"sha256 (zip members, times normalised): {digest.hexdigest()}"
            return "\n".join([head, *lines]) + "\n"
        except zipfile.BadZipFile:
            pass
    return f"size: {len(data)}\nsha256: {hashlib.sha256(data).hexdigest()}\n"


TEXT_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/xhtml",
    "image/svg",
)


def render_body(content_type: str, data: bytes, tree: str) -> tuple[str, str]:
    """(suffix, text to save) for a response body."""
    main = content_type.split(";")[0].strip().lower()
    if main == "application/pdf" or data[:5] == b"%PDF-":
        try:
            return ".pdf.txt", normalise_text(pdf_text(data), tree)
        except Exception as exc:  # a broken PDF is behaviour too
            return ".pdf.txt", f"PDF NOT READABLE: {type(exc).__name__}: {exc}\n" + (
                binary_summary(data)
            )
    if main.startswith(TEXT_TYPES) or not data:
        charset = "utf-8"
        match = re.search(r"charset=([\w-]+)", content_type, re.I)
        if match:
            charset = match.group(1)
        text = data.decode(charset, errors="replace")
        suffix = ".html" if main == "text/html" else ".txt"
        return suffix, normalise_text(text, tree)
    return ".bin.txt", binary_summary(data)


# --------------------------------------------------------------------------------------------
# Crawl (runs under the tree's python with Django configured)
# --------------------------------------------------------------------------------------------


class LinkParser(HTMLParser):
    TAGS = {"a": "href", "link": "href", "iframe": "src", "img": "src", "area": "href"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        name = self.TAGS.get(tag)
        if name and attr.get(name):
            self.links.append(attr[name])
        if tag == "form":
            self._form = {
                "method": (attr.get("method") or "get").lower(),
                "action": attr.get("action") or "",
                "inputs": [],
            }
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._form["inputs"].append(attr)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def same_site(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.hostname not in SAME_SITE_HOSTS:
        return None
    url = parts.path or "/"
    if parts.query:
        url += "?" + parts.query
    return url


def skipped(url: str) -> bool:
    lower = url.lower()
    return url.startswith(SKIP_PREFIXES) or any(word in lower for word in SKIP_WORDS)


def search_form(client, search_page: str) -> tuple[str, str]:
    """(action, field) of the search page's GET form; ("/soeg/", "q") if none is found."""
    response = client.get(search_page)
    parser = LinkParser()
    parser.feed(response.content.decode("utf-8", errors="replace"))
    for form in parser.forms:
        if form["method"] != "get":
            continue
        names = [i.get("name") for i in form["inputs"] if i.get("type") == "search"]
        if names and names[0]:
            action = same_site(search_page, form["action"] or search_page) or search_page
            return action, names[0]
    return search_page, "q"


def fetch(client, url: str):
    response = client.get(url)
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    response.close()
    return response, data


def crawl_role(role: str, out: Path, tree: str, max_urls: int) -> dict:
    from django.test import Client

    client = Client(raise_request_exception=False)
    if role != "public" and not client.login(username=role, password=DEMO_PASSWORD):
        raise SystemExit(f"login failed for {role!r}")
    role_dir = out / role
    role_dir.mkdir(parents=True)
    action, field = search_form(client, SEARCH_PAGE)
    search_paths = {urlsplit(action).path, urljoin(urlsplit(action).path, SEARCH_JSON)}
    queries = [urlencode({field: q}) for q in SEARCH_QUERIES]
    searches = [f"{action}?{q}" for q in queries]
    searches += [f"{urljoin(action, SEARCH_JSON)}?{q}" for q in queries]
    # Each URL carries its search depth: 0 for a page that is not a search, 1 for a search
    # reached from elsewhere, one more for a search linked from a search. Searches are followed
    # to depth 2 (a query, its facets and pages): their facet combinations never end.
    queue: deque[tuple[str, int]] = deque((url, 0) for url in START_PAGES)
    queue += [(url, 1) for url in searches]
    seen = {url for url, _depth in queue}
    index_lines = []
    used_paths: set[str] = set()
    counts = {"urls": 0, "html": 0, "pdf": 0, "text": 0, "binary": 0, "redirect": 0, "error": 0}
    while queue and counts["urls"] < max_urls:
        url, depth = queue.popleft()
        response, data = fetch(client, url)
        counts["urls"] += 1
        content_type = response.get("Content-Type", "")
        status = response.status_code
        header = [f"GET {url}", f"status: {status}", f"content-type: {content_type}"]
        for name in ("Location", "Content-Disposition"):
            if response.has_header(name):
                header.append(f"{name.lower()}: {response[name]}")
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            header.append(f"exception: {exc_info[0].__name__}: {exc_info[1]}")
        suffix, body = render_body(content_type, data, tree)
        path = urlsplit(url).path
        # dagsorden.pdf -> dagsorden.pdf.txt, /bilag/1/ -> bilag/1/index.pdf.txt
        rel = url_to_relpath(url, suffix.replace(".pdf", "") if path.endswith(".pdf") else suffix)
        if rel in used_paths:
            rel = url_to_relpath(url, "~" + hashlib.sha1(url.encode()).hexdigest()[:8] + suffix)
        used_paths.add(rel)
        target = role_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
        index_lines.append(f"{status} {content_type.split(';')[0]} {url} -> {rel}")

        kind = {".html": "html", ".pdf.txt": "pdf", ".txt": "text"}.get(suffix, "binary")
        counts[kind] += 1
        if 300 <= status < 400:
            counts["redirect"] += 1
        elif status >= 400:
            counts["error"] += 1
        links = []
        if suffix == ".html":
            parser = LinkParser()
            parser.feed(body)
            links = parser.links
        if response.has_header("Location"):
            links.append(response["Location"])
        for href in links:
            link = same_site(url, href)
            if not link or link in seen or skipped(link):
                continue
            link_depth = 0
            if urlsplit(link).path in search_paths:
                link_depth = depth + 1
                if link_depth > MAX_SEARCH_DEPTH:
                    continue
            seen.add(link)
            queue.append((link, link_depth))
    counts["not_fetched"] = len(queue)
    if queue:
        print(f"WARNING: {role}: cap of {max_urls} URLs reached, {len(queue)} not fetched")
    (role_dir / "_index.txt").write_text("\n".join(index_lines) + "\n", encoding="utf-8")
    return counts


def crawl_main(args) -> int:
    tree = str(Path(args.tree).resolve())
    sys.path.insert(0, tree)
    import django

    django.setup()
    import logging

    # 403s and the PDF stack's font notices would drown the progress lines; errors still show.
    for name in ("django.request", "django.security", "weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    out = Path(args.out)
    summary = {}
    for role in ROLES:
        started = time.monotonic()
        counts = crawl_role(role, out, tree, args.max_urls)
        summary[role] = counts
        elapsed = time.monotonic() - started
        print(f"crawl {role}: {counts} ({elapsed:.0f} s)", flush=True)
    (out / "_crawl.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


# --------------------------------------------------------------------------------------------
# Parse outputs
# --------------------------------------------------------------------------------------------


def parse_inputs(tree: Path) -> list[tuple[str, Path]]:
    """(group, file) for every document `sekretariat parse` is asked to read."""
    inputs: list[tuple[str, Path]] = []
    seeds = SHARED / "seeds"
    inputs += [("seeds", p) for p in sorted(seeds.iterdir()) if p.is_file()]
    real = SHARED / "real"
    for path in sorted(real.rglob("*")):
        rel = path.relative_to(real)
        if path.is_file() and rel.parts[0] != "truth" and path.name != "SOURCES.md":
            inputs.append(("real", path))
    fixtures = tree / "sekretariat/ingest/parsers/tests/fixtures"
    inputs += [("fixtures", p) for p in sorted(fixtures.iterdir()) if p.is_file()]
    return inputs


def run_parse(tree: Path, out: Path, env: dict) -> dict:
    exe = str(tree / ".venv/bin/sekretariat")
    inputs = parse_inputs(tree)
    counts = {"inputs": len(inputs), "json": 0, "failed": 0}
    # Several inputs share a stem (a .pdf and its .txt), and --out writes <stem>.json: run
    # batches of distinct stems, then each file without an output alone, to see its error.
    batches: list[list[tuple[str, Path]]] = []
    for entry in inputs:
        for batch in batches:
            if all(p.stem != entry[1].stem for _g, p in batch):
                batch.append(entry)
                break
        else:
            batches.append([entry])
    with tempfile.TemporaryDirectory(prefix="snapshot-parse-") as tmp:
        for number, batch in enumerate(batches):
            batch_dir = Path(tmp) / f"batch{number}"
            subprocess.run(
                [exe, "parse", *[str(p) for _g, p in batch], "--out", str(batch_dir)],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
            )
            for group, path in batch:
                produced = batch_dir / f"{path.stem}.json"
                target = out / "parse" / group / (path.name + ".json")
                target.parent.mkdir(parents=True, exist_ok=True)
                if produced.exists():
                    text = produced.read_text(encoding="utf-8")
                    target.write_text(normalise_text(text, str(tree), now=False), encoding="utf-8")
                    counts["json"] += 1
                    continue
                alone = Path(tmp) / f"alone-{group}-{path.name}"
                result = subprocess.run(
                    [exe, "parse", str(path), "--out", str(alone)],
                    cwd=tree,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                produced = alone / f"{path.stem}.json"
                if produced.exists():  # only failed beside another file
                    text = produced.read_text(encoding="utf-8")
                    target.write_text(normalise_text(text, str(tree), now=False), encoding="utf-8")
                    counts["json"] += 1
                    continue
                error = target.with_name(path.name + ".error.txt")
                message = f"exit status: {result.returncode}\n{result.stderr.strip()}\n"
                error.write_text(normalise_text(message, str(tree), now=False), encoding="utf-8")
                target.unlink(missing_ok=True)
                counts["failed"] += 1
    # The project's own golden files, as committed: a refactor must not need to change them.
    golden = tree / "sekretariat/ingest/parsers/tests/golden"
    for path in sorted(golden.iterdir()):
        if path.is_file():
            target = out / "parse" / "fixtures-golden-committed" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return counts


# --------------------------------------------------------------------------------------------
# capture / compare
# --------------------------------------------------------------------------------------------


def capture_main(args) -> int:
    tree = Path(args.tree).resolve()
    out = Path(args.out).resolve()
    exe = tree / ".venv/bin/sekretariat"
    python = tree / ".venv/bin/python"
    if not exe.exists():
        raise SystemExit(f"{exe} is missing: run `make setup-test` in {tree}")
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            raise SystemExit(f"{out} exists and is not a snapshot: refusing to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    data_dir = Path(tempfile.mkdtemp(prefix="sekretariat-snapshot-data-"))
    env = dict(os.environ)
    for name in ("DATABASE_URL", "SEKRETARIAT_DEBUG", "SEKRETARIAT_SECRET_KEY"):
        env.pop(name, None)
    env.update(
        SEKRETARIAT_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="sekretariat.config.settings",
        PYTHONHASHSEED="0",
    )
    env[WINDOW_ENV] = str(time.time())
    started = time.monotonic()
    try:
        for command in (["migrate", "--noinput"], ["demo_data"]):
            result = subprocess.run(
                [str(exe), *command], cwd=tree, env=env, capture_output=True, text=True
            )
            if result.returncode:
                sys.stderr.write(result.stdout + result.stderr)
                raise SystemExit(f"sekretariat {' '.join(command)} failed")
            if command[0] == "demo_data":
                (out / "demo_data.txt").write_text(result.stdout, encoding="utf-8")
        print(f"demo loaded in {time.monotonic() - started:.0f} s", flush=True)
        crawl = [str(python), str(Path(__file__).resolve()), "_crawl"]
        crawl += ["--tree", str(tree), "--out", str(out), "--max-urls", str(args.max_urls)]
        subprocess.run(crawl, cwd=tree, env=env, check=True)
        parse_counts = run_parse(tree, out, env)
        print(f"parse: {parse_counts}", flush=True)
    finally:
        if args.keep_data:
            print(f"data dir kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    crawl_counts = json.loads((out / "_crawl.json").read_text(encoding="utf-8"))
    summary = {"roles": crawl_counts, "parse": parse_counts}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (out / "_crawl.json").unlink()
    (out / MARKER).write_text("behaviour snapshot (devtools/behaviour_snapshot.py)\n")
    print(f"snapshot written to {out} in {time.monotonic() - started:.0f} s")
    return 0


def _files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}


def compare_main(args) -> int:
    left, right = Path(args.a), Path(args.b)
    a_files, b_files = _files(left), _files(right)
    only_a = sorted(set(a_files) - set(b_files))
    only_b = sorted(set(b_files) - set(a_files))
    differing = []
    for rel in sorted(set(a_files) & set(b_files)):
        a_text = a_files[rel].read_text(encoding="utf-8", errors="replace")
        b_text = b_files[rel].read_text(encoding="utf-8", errors="replace")
        if a_text == b_text:
            continue
        differing.append(rel)
        diff = difflib.unified_diff(
            a_text.splitlines(keepends=True),
            b_text.splitlines(keepends=True),
            fromfile=f"{left.name}/{rel}",
            tofile=f"{right.name}/{rel}",
            n=args.context,
        )
        sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in diff)
    for rel in only_a:
        print(f"only in {left}: {rel}")
    for rel in only_b:
        print(f"only in {right}: {rel}")
    common = len(set(a_files) & set(b_files))
    print(
        f"\n{common} files in both, {len(differing)} differ, "
        f"{len(only_a)} only in {left}, {len(only_b)} only in {right}"
    )
    return 1 if differing or only_a or only_b else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="snapshot a tree's behaviour")
    cap.add_argument("--tree", required=True, help="project tree with its own .venv")
    cap.add_argument("--out", required=True, help="snapshot directory (replaced)")
    cap.add_argument("--max-urls", type=int, default=6000, help="per role (default 6000)")
    cap.add_argument("--keep-data", action="store_true", help="keep the temporary data dir")
    cmp_ = sub.add_parser("compare", help="diff two snapshots; exit 1 if they differ")
    cmp_.add_argument("a")
    cmp_.add_argument("b")
    cmp_.add_argument("--context", type=int, default=3, help="diff context lines")
    crawl = sub.add_parser("_crawl", help=argparse.SUPPRESS)
    crawl.add_argument("--tree", required=True)
    crawl.add_argument("--out", required=True)
    crawl.add_argument("--max-urls", type=int, default=6000)
    args = parser.parse_args(argv)
    handler = {"capture": capture_main, "compare": compare_main, "_crawl": crawl_main}
    return handler[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
