"""The leak property (`tests/test_leaks.py`) with a large budget: many generated installations,
every page, PDF, feed, search result, case page and attachment address
fetched as every viewer, every marker word searched for.

Runs in a throwaway test database (SQLite in memory, or `test_<name>` on the PostgreSQL server
of DATABASE_URL), never in the installation's own.

    .venv/bin/python bench/leaks.py [--examples 300] [--seed 1] [--real-pdfs 4] [--shrink]

Prints the examples run, the pages fetched per role and surface, the time, and the leaks found
(each once, with the first address that showed it). With --shrink the first leak stops the run
and hypothesis shrinks the installation to a minimal one, printed as a plan.
Exit status 1 when a leak (or a refused address answered) was found.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SEKRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="sekretariat-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")
os.environ["SEKRETARIAT_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings as django_settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.leaks.crawl import Budget, crawl_all  # noqa: E402
from tests.leaks.generate import build, installations  # noqa: E402


def bench_budget(real_pdfs: int | None) -> Budget:
    """Every marker searched for, more pages and links followed than in CI."""
    return Budget(
        max_pages=2000,
        max_marker_searches=None,
        search_sweep_pages=10,
        follow_search_links=40,
        real_pdfs=real_pdfs,
    )


def role(viewer: str) -> str:
    return viewer.rstrip("0123456789")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-meetings", type=int, default=4)
    parser.add_argument("--max-edits", type=int, default=10)
    parser.add_argument(
        "--real-pdfs",
        type=int,
        default=4,
        help="distinct PDFs rendered for real per installation (-1: all; the others are read "
        "as the HTML they are made of)",
    )
    parser.add_argument("--shrink", action="store_true", help="stop at the first leak, shrink it")
    args = parser.parse_args()

    setup_test_environment()
    django_settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sekretariat-bench-media-"))
    django_settings.LANGUAGE_CODE = "da"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> int:
    pages: Counter = Counter()
    surfaces: Counter = Counter()
    found: dict[tuple, str] = {}
    counts = Counter()
    budget = bench_budget(None if args.real_pdfs < 0 else args.real_pdfs)
    started = time.perf_counter()

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink] if args.shrink else [Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(installations(max_meetings=args.max_meetings, max_edits=args.max_edits))
    def examine(plan):
        with transaction.atomic():
            built = build(plan)
            results = crawl_all(built, budget)
            transaction.set_rollback(True)
        counts["examples"] += 1
        counts["markers"] += len(built.ledger.secrets)
        counts["items"] += len(built.item_pks)
        counts["attachments"] += len(built.attachment_pks)
        problems = []
        for result in results:
            pages[role(result.viewer)] += result.pages
            surfaces.update(result.fetched)
            for leak in result.leaks:
                surface = leak.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "/"
                key = ("leak", role(leak.viewer), leak.kind, leak.where.split(" of ")[0], surface)
                found.setdefault(key, str(leak))
                problems.append(leak)
            for refusal in result.refusals:
                key = ("refusal", role(refusal.viewer), refusal.expected, refusal.url.split("/")[1])
                found.setdefault(key, str(refusal))
                problems.append(refusal)
        if problems:
            counts["examples with problems"] += 1
        if counts["examples"] % 10 == 0:
            print(
                f"  {counts['examples']} examples, {sum(pages.values())} pages, "
                f"{time.perf_counter() - started:.0f} s, {len(found)} distinct problems",
                flush=True,
            )
        if args.shrink:
            assert not problems, "\n".join([*map(str, problems[:20]), *built.steps])

    try:
        examine()
    except AssertionError as exc:
        print(exc)
    seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(
        f"examples: {counts['examples']} (items {counts['items']}, attachments "
        f"{counts['attachments']}, marker words {counts['markers']})"
    )
    print(f"time: {seconds:.1f} s ({seconds / max(counts['examples'], 1):.2f} s an example)")
    print("pages fetched per role: " + ", ".join(f"{k} {v}" for k, v in sorted(pages.items())))
    print(
        "pages fetched per surface: " + ", ".join(f"{k} {v}" for k, v in sorted(surfaces.items()))
    )
    print(f"examples with a leak or an answered refusal: {counts['examples with problems']}")
    print(f"distinct problems: {len(found)}")
    for key, first in sorted(found.items()):
        print(f"  {' / '.join(key)}\n    first: {first}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
