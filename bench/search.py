"""Speed and scale of search: index build time, index size and query latency per backend.

    .venv/bin/python bench/search.py --backend sqlite --items 100000
    .venv/bin/python bench/search.py --backend postgres --items 100000
    .venv/bin/python bench/search.py --backend sqlite --items 1000000 --data-dir /tmp/sb1m
    .venv/bin/python bench/search.py --backend sqlite --items 100000 --reuse   # queries only

A generated corpus (reproducible): 80 bodies of 25 organisations, meetings over 2005-2025 with
15 items each; every item has a summary, a recommendation and a presentation of Danish text
drawn from wordfreq's Danish list in proportion to frequency, mixed with the field's compounds,
abbreviations and journal numbers (about 2,000 characters an item), and a decision for most.
Domain rows are written in bulk (bulk_create); the index is then built with the real
`search_reindex()` (build time = analysis + writing the documents and the backend's index).

Latency: a fixed mix of 24 queries (words, compounds, phrases, exclusions, abbreviations, body/
year/kind/type/journal filters, newest-first) is run as the public through `selectors.search`
(facets and the page of hits with snippets, as the search page does) and, separately, the hit
query alone; then the same queries on the baseline index (FTS5 unicode61 / PostgreSQL 'danish').
"""

import argparse
import datetime
import os
import pathlib
import random
import resource
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "sundhedsaftale",
    "budget 2024",
    "IV-behandling",
    "forløbstakst",
    "direktørkreds kommissorium",
    '"fælles medicinkort"',
    "praksisplan -covid",
    "KKR",
    "sundhedsklynge samarbejde body:forum-7",
    "rekruttering year:2019",
    "takst year:2015-2018",
    "kind:beslutning udpegning",
    "type:referat godkendt",
    "journal:00.15 organisering",
    "ældreplejen rehabilitering",
    "sygeplejerske kommune region",
    "økonomi",
    "status",
    '"det indstilles at"',
    "hjemmepleje robot",
    "borgere",
    "klimaplan body:forum-3 year:2021",
    "SSU",
    "arbejdsmiljø",
]
HEADS = ["sundheds", "social", "kommunal", "regions", "økonomi", "praksis", "ældre", "børne",
         "beskæftigelses", "klima", "uddannelses", "hjemme"]  # fmt: skip
TAILS = ["aftalen", "udvalget", "forum", "takst", "planen", "gruppen", "klyngen", "plejen",
         "strategien", "indsatsen", "rådet", "kredsen", "forløb", "samarbejdet"]  # fmt: skip
FIXED = ["KKR", "SSU", "KD-Net", "PLO", "FMK", "IV-behandling", "MED-udvalget", "kl.",
         "Kommunekontaktrådet", "Sundhedsdirektørkredsen", "dagstakst", "forløbstakst",
         "fælles medicinkort", "det indstilles, at", "covid-19", "rehabilitering"]  # fmt: skip
TITLE_START = ["Godkendelse af", "Drøftelse af", "Orientering om", "Status på", "Udpegning til",
               "Budget for", "Evaluering af", "Opfølgning på"]  # fmt: skip


class TextMaker:
    def __init__(self, seed: int = 7):
        import wordfreq

        self.random = random.Random(seed)
        words = wordfreq.top_n_list("da", 20000)
        weights = [wordfreq.word_frequency(w, "da") for w in words]
        self.words, self.cum = words, list(_accumulate(weights))

    def word(self) -> str:
        r = self.random.random()
        if r < 0.06:
            return self.random.choice(HEADS) + self.random.choice(TAILS)
        if r < 0.08:
            return self.random.choice(FIXED)
        return self.random.choices(self.words, cum_weights=self.cum)[0]

    def words_for(self, n: int) -> list[str]:
        """`n` words at once (one `choices` call: a million items' text in minutes)."""
        rnd = self.random
        out = rnd.choices(self.words, cum_weights=self.cum, k=n)
        for i in range(n):
            r = rnd.random()
            if r < 0.06:
                out[i] = rnd.choice(HEADS) + rnd.choice(TAILS)
            elif r < 0.08:
                out[i] = rnd.choice(FIXED)
        return out

    def text(self, chars: int) -> str:
        out, size = [], 0
        while size < chars:
            sentence = " ".join(self.words_for(self.random.randint(6, 16)))
            sentence = sentence[0].upper() + sentence[1:] + "."
            out.append(sentence)
            size += len(sentence) + 1
        return " ".join(out)

    def title(self) -> str:
        return f"{self.random.choice(TITLE_START)} {self.word()} {self.word()}".strip()


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def setup(
    backend: str, items: int, data_dir: str | None, reuse: bool, pg_name: str | None = None
) -> None:
    if backend == "postgres":
        import psycopg

        name = pg_name or f"sekretariat_bench_{items}"
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        if not reuse:
            with psycopg.connect(
                "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True
            ) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}"')
                c.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
        directory = data_dir or os.path.join(tempfile.gettempdir(), f"search-bench-{items}")
        os.makedirs(directory, exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                pathlib.Path(directory, f"sekretariat.sqlite3{suffix}").unlink(missing_ok=True)
        os.environ["SEKRETARIAT_DATA_DIR"] = directory
    from search_relevance import use_settings

    use_settings()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(items: int) -> float:
    from django.db import transaction
    from django.utils import timezone

    from sekretariat.bodies.models import Body, Organisation
    from sekretariat.meetings.models import AgendaItem, ItemSection, Meeting
    from sekretariat.meetings.services import section_template_ensure

    maker = TextMaker()
    rnd = maker.random
    started = time.perf_counter()
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Kommune {n}", kind="kommune") for n in range(25)]
    )
    bodies = Body.objects.bulk_create(
        [Body(name=f"Forum {n}", slug=f"forum-{n}", organisation=orgs[n % 25]) for n in range(80)]
    )
    types = {b.pk: {st.role: st for st in section_template_ensure(b)} for b in bodies}
    per_meeting = 15
    meetings_n = (items + per_meeting - 1) // per_meeting
    tz = timezone.get_current_timezone()
    statuses = ["referat_godkendt"] * 7 + ["afholdt", "dagsorden_offentliggjort", "planlagt"]
    done = 0
    for start in range(0, meetings_n, 500):
        with transaction.atomic():
            meetings = []
            for _ in range(start, min(start + 500, meetings_n)):
                body = rnd.choice(bodies)
                day = datetime.date(2005, 1, 1) + datetime.timedelta(days=rnd.randrange(7300))
                at = datetime.datetime.combine(day, datetime.time(9), tzinfo=tz)
                meetings.append(Meeting(body=body, starts_at=at, ends_at=at + datetime.timedelta(hours=2),
                                        status=rnd.choice(statuses)))  # fmt: skip
            meetings = Meeting.objects.bulk_create(meetings)
            new_items = []
            for m in meetings:
                for position in range(1, per_meeting + 1):
                    if done >= items:
                        break
                    done += 1
                    kind = rnd.choice(["beslutning", "droeftelse", "orientering"])
                    journal = f"{rnd.randrange(100):02d}.{rnd.randrange(40):02d}.{rnd.randrange(20):02d}-P{rnd.randrange(40):02d}-{rnd.randrange(9)}-{rnd.randrange(5, 25)}"
                    new_items.append(AgendaItem(meeting=m, position=position, number=str(position),
                                                title=maker.title(), kind=kind, journal_number=journal,
                                                access="lukket" if rnd.random() < 0.04 else "aaben"))  # fmt: skip
            new_items = AgendaItem.objects.bulk_create(new_items)
            sections = []
            by_meeting = {m.pk: m for m in meetings}
            for item in new_items:
                st = types[by_meeting[item.meeting_id].body_id]
                sections.append(
                    ItemSection(item=item, section_type=st["resume"], text=maker.text(300))
                )
                sections.append(
                    ItemSection(item=item, section_type=st["indstilling"], text=maker.text(200))
                )
                sections.append(
                    ItemSection(
                        item=item, section_type=st["sagsfremstilling"], text=maker.text(1400)
                    )
                )
                if rnd.random() < 0.7:
                    sections.append(
                        ItemSection(item=item, section_type=st["beslutning"], text=maker.text(120))
                    )
            ItemSection.objects.bulk_create(sections, batch_size=2000)
        print(f"\r  generated {done:,} items", end="", file=sys.stderr)
    print(file=sys.stderr)
    return time.perf_counter() - started


DOMAIN_TABLES = [
    "bodies_organisation",
    "bodies_body",
    "meetings_sectiontype",
    "meetings_meeting",
    "meetings_agendaitem",
    "meetings_itemsection",
]


def copy_domain(source: str) -> float:
    """Copy the generated domain rows of a SQLite bench database into this PostgreSQL one
    (COPY; the same corpus on both backends, without generating it twice)."""
    import sqlite3

    from django.db import connection

    started = time.perf_counter()
    lite = sqlite3.connect(source)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(DOMAIN_TABLES)} RESTART IDENTITY CASCADE")
        for table in DOMAIN_TABLES:
            columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            cursor.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = %s",
                [table],
            )
            types = dict(cursor.fetchall())
            booleans = [i for i, c in enumerate(columns) if types.get(c) == "boolean"]
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {names} FROM {table}"):
                    if booleans:
                        row = list(row)
                        for i in booleans:
                            row[i] = None if row[i] is None else bool(row[i])
                    copy.write_row(row)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
            print(f"  copied {table}", file=sys.stderr)
    return time.perf_counter() - started


def time_phases(cls) -> dict[str, float]:
    """Time the rebuild's serial phases: the backend's methods, wrapped (bench only)."""
    phases: dict[str, float] = {}

    def timed(name, method):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    for name in ("clear", "begin_bulk", "end_bulk", "optimize", "refresh_statistics",
                 "beside_begin", "beside_swap"):  # fmt: skip
        if hasattr(cls, name):
            setattr(cls, name, timed(name, getattr(cls, name)))
    return phases


def server_cpu_seconds(connection) -> float:
    """CPU time of all PostgreSQL server processes so far, the ended ones included (the
    postmaster counts its children's time once it has reaped them): 0.0 on SQLite, or when the
    server is not on this machine."""
    if connection.vendor != "postgresql":
        return 0.0
    ticks = 0
    for entry in pathlib.Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or (entry / "comm").read_text().strip() != "postgres":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(field) for field in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_reference() -> float:
    """Seconds for a fixed pure-Python loop, best of three: the figures of one run compare with
    another's only on a machine as fast (a virtual machine's speed varies between sessions)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(5_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered), pick(0.95), pick(0.99)


def measure(run, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--data-dir", help="SQLite data directory (default: a temp dir per size)")
    parser.add_argument("--reuse", action="store_true", help="keep the database: queries only")
    parser.add_argument(
        "--reindex", action="store_true", help="keep the domain rows, rebuild the index, query"
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="write the domain rows and stop"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--per-query", action="store_true", help="also print each query's median (ms)"
    )
    parser.add_argument("--pg-name", help="PostgreSQL database (default: sekretariat_bench_N)")
    parser.add_argument(
        "--copy-domain-from",
        metavar="SQLITE",
        help="PostgreSQL: copy the domain rows from a SQLite bench database instead of "
        "generating them (the same corpus)",
    )
    args = parser.parse_args()
    keep = args.reuse or (args.reindex and not args.copy_domain_from)
    setup(args.backend, args.items, args.data_dir, keep, args.pg_name)

    from django.db import connection

    from sekretariat.bodies.selectors import PUBLIC
    from sekretariat.search import services
    from sekretariat.search.analysis import analyze_query
    from sekretariat.search.backends import BackendQuery, get_backend
    from sekretariat.search.models import SearchDocument
    from sekretariat.search.relevance import baselines
    from sekretariat.search.selectors import (
        SearchFilters,
        _conditions,
        _merge_query_filters,
        excluded_tokens,
        filter_tokens,
        search,
    )

    print(f"backend {args.backend}, {args.items:,} items")
    print(f"  machine reference: a 5-million-step Python loop in {machine_reference():.2f} s")
    if args.copy_domain_from and not args.reuse:
        seconds = copy_domain(args.copy_domain_from)
        print(f"  domain rows copied from {args.copy_domain_from}: {seconds:.1f} s")
    elif not args.reuse and not args.reindex:
        seconds = generate(args.items)
        print(f"  domain rows written in bulk: {seconds:.1f} s")
        if args.generate_only:
            return
    if not args.reuse:
        server = server_cpu_seconds(connection)
        own, children = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        phases = time_phases(type(get_backend()))
        started = time.perf_counter()
        loaded = [0.0]

        def progress(n: int) -> None:
            loaded[0] = time.perf_counter() - started
            print(f"\r  indexed {n:,} documents", end="", file=sys.stderr)

        docs = services.search_reindex(progress=progress)
        build = time.perf_counter() - started
        phases["documents written"] = loaded[0]
        phases["after the documents"] = build - loaded[0]
        print(file=sys.stderr)
        print(
            f"  index build: {docs:,} documents in {build:.1f} s = {args.items / build:,.0f} items/s"
        )

        def cpu(after, before) -> float:
            return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

        own_cpu = cpu(resource.getrusage(resource.RUSAGE_SELF), own)
        workers_cpu = cpu(resource.getrusage(resource.RUSAGE_CHILDREN), children)
        server_cpu = server_cpu_seconds(connection) - server
        print("  build phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()))
        print(
            f"  build CPU: this process {own_cpu:.1f} s, workers {workers_cpu:.1f} s"
            + (f", PostgreSQL server {server_cpu:.1f} s" if server else "")
        )
    backend = get_backend()
    size = backend.index_size_bytes()
    print(f"  index size (documents, stored text and terms, text index): {size / 2**20:,.0f} MiB")
    print(f"  documents: {SearchDocument.objects.count():,}")

    def page(query, backend_=None):
        search(query, PUBLIC, per_page=20, backend=backend_)

    def hits_only(query, backend_=None):
        parsed = analyze_query(query)
        filters = _merge_query_filters(parsed, SearchFilters())
        where, params = _conditions(PUBLIC, filters)
        tokens = filter_tokens(PUBLIC, filters)
        query = BackendQuery(parsed, tuple(where), tuple(params), limit=20, tokens=tokens,
                             not_tokens=excluded_tokens(PUBLIC))  # fmt: skip
        (backend_ or backend).hits(query)

    for run in (page, hits_only):  # warm the caches
        for q in QUERIES:
            run(q)
    rows = [("ours, search page (facets + hits + snippets)", measure(page, args.rounds)),
            ("ours, hit query only", measure(hits_only, args.rounds))]  # fmt: skip
    if not args.no_baseline:
        started = time.perf_counter()
        if args.backend == "postgres":
            baselines.DanishPostgresBackend.create(connection)
            base = baselines.DanishPostgresBackend(connection)
        else:
            baselines.PlainFts5Backend.create(connection)
            base = baselines.PlainFts5Backend(connection)
        print(f"  baseline index built in {time.perf_counter() - started:.1f} s")
        for q in QUERIES:
            page(q, base)
        rows.append(("baseline, search page", measure(lambda q: page(q, base), args.rounds)))
        rows.append(
            ("baseline, hit query only", measure(lambda q: hits_only(q, base), args.rounds))
        )
    print(f"  latency over {len(QUERIES)} queries x {args.rounds} rounds (ms):")
    for label, samples in rows:
        p50, p95, p99 = percentiles(samples)
        print(f"    {label:<46} p50 {p50:8.1f}  p95 {p95:8.1f}  p99 {p99:8.1f}")
    if args.per_query:
        print("  median per query (ms): " + ", ".join(label for label, _ in rows))
        for index, query in enumerate(QUERIES):
            medians = [statistics.median(samples[index :: len(QUERIES)]) for _, samples in rows]
            print(f"    {query:<40} " + " ".join(f"{m:8.1f}" for m in medians))


if __name__ == "__main__":
    main()
