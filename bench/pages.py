"""Page load figures: median and p95 time of public pages, measured in-process.

Builds a throwaway SQLite database (or uses DATABASE_URL) with a meeting of 40 items, each with
four sections and some attachments, a quarter of them closed, then requests the pages many times
through Django's test client (full middleware, templates, queries; no network).

    .venv/bin/python bench/pages.py [--requests 200]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SEKRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="sekretariat-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")
os.environ["SEKRETARIAT_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sekretariat.bodies.models import Body, Organisation, Secretariat  # noqa: E402
from sekretariat.meetings import services  # noqa: E402
from sekretariat.meetings.tests.factories import aware  # noqa: E402

PARAGRAPH = (
    "Sekretariatet har gennemgået sagen og foreslår, at forummet drøfter de økonomiske rammer, "
    "tidsplanen og inddragelsen af kommunerne, før der tages endelig stilling. "
) * 6


def build() -> tuple[int, list[int]]:
    org = Organisation.objects.create(name="Benchkommune")
    sec = Secretariat.objects.create(name="Benchsekretariat", host_organisation=org)
    body = Body.objects.create(
        name="Benchforum", slug="benchforum", organisation=org, secretariat=sec
    )
    meeting = services.meeting_create(
        body=body, starts_at=aware(2026, 6, 1, 9), ends_at=aware(2026, 6, 1, 12)
    )
    types = {st.role: st.pk for st in services.section_template_ensure(body)}
    item_ids = []
    for i in range(40):
        item = services.agenda_item_add(
            meeting=meeting,
            title=f"Punkt {i + 1}: godkendelse af handleplan for område {i + 1}",
            access="lukket" if i % 4 == 3 else "aaben",
            presenter="Formanden",
            timeframe_minutes=15,
            journal_number=f"00.15.10-P35-{i + 1}-26",
            sections={
                types["resume"]: PARAGRAPH[:400],
                types["indstilling"]: "Det indstilles, at forummet godkender handleplanen.",
                types["sagsfremstilling"]: PARAGRAPH * 3,
            },
        )
        item_ids.append(item.pk)
        if i % 3 == 0:
            services.attachment_add(item=item, file=ContentFile(b"x" * 2000, name=f"bilag{i}.pdf"))
    services.agenda_publish(meeting=meeting)
    services.meeting_mark_held(meeting=meeting)
    for pk in item_ids:
        services.decision_record(item=meeting.agenda_items.get(pk=pk), text="Godkendt.")
    services.minutes_approve(meeting=meeting)
    return meeting.pk, item_ids


def measure(client: Client, url: str, n: int) -> dict:
    client.get(url)  # warm templates and caches
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "queries": len(ctx.captured_queries),
        "bytes": len(r.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    meeting_pk, item_ids = build()
    client = Client()
    pages = {
        "meeting page, 40 items (public)": f"/moeder/{meeting_pk}/",
        "item page (public)": f"/moeder/{meeting_pk}/punkter/{item_ids[0]}/",
        "body page": "/fora/benchforum/",
        "front page": "/",
        "calendar feed": "/fora/benchforum/kalender.ics",
    }
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    for name, url in pages.items():
        fig = measure(client, url, args.requests)
        print(
            f"{name:34s} median {fig['median_ms']:6.1f} ms  p95 {fig['p95_ms']:6.1f} ms  "
            f"{fig['queries']} queries  {fig['bytes'] // 1024} KiB"
        )
    t0 = time.perf_counter()
    r = client.get(f"/moeder/{meeting_pk}/referat.pdf")
    print(
        f"{'minutes PDF, 40 items (public)':34s} {1000 * (time.perf_counter() - t0):6.0f} ms  "
        f"{len(r.content) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
