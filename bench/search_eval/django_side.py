"""The part of the benchmark that runs inside the installation (its settings, its database).

    .venv/bin/python bench/search_eval/django_side.py dump-items OUT.json
    .venv/bin/python bench/search_eval/django_side.py search QUERIES.jsonl OUT.jsonl [--limit 10]

Run by `bench/search_eval.py` with the installation's environment (SEKRETARIAT_DATA_DIR or
DATABASE_URL). `dump-items` is a read-only ORM query of the items and their sections; `search`
runs the `sekretariat search QUERY --json --limit N` command in this one process (Django's
call_command, the same command and arguments as the console script, without starting Python
for every query) and writes each query's hits.
"""

import argparse
import io
import json
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")
    import django

    django.setup()


def dump_items(out: pathlib.Path) -> None:
    from django.utils import timezone

    from sekretariat.meetings.models import AgendaItem, ItemSection

    sections: dict[int, list[dict]] = {}
    for section in ItemSection.objects.select_related("section_type").order_by(
        "item_id", "section_type__position", "id"
    ):
        sections.setdefault(section.item_id, []).append(
            {
                "role": section.section_type.role,
                "name": section.section_type.name,
                "text": section.text,
            }
        )
    items = []
    for item in AgendaItem.objects.select_related("meeting__body").order_by(
        "meeting_id", "position"
    ):
        meeting = item.meeting
        items.append(
            {
                "id": item.pk,
                "meeting_id": meeting.pk,
                "body": meeting.body.name,
                "date": timezone.localtime(meeting.starts_at).date().isoformat(),
                "meeting_status": meeting.status,
                "number": item.number,
                "position": item.position,
                "title": item.title,
                "public_title": item.public_title,
                "access": item.access,
                "sections": sections.get(item.pk, []),
            }
        )
    out.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(items)} items -> {out}")


def run_search(queries: pathlib.Path, out: pathlib.Path, limit: int) -> None:
    from django.core.management import call_command

    lines = [json.loads(x) for x in queries.read_text(encoding="utf-8").splitlines() if x.strip()]
    with out.open("w", encoding="utf-8") as fh:
        for row in lines:
            buffer = io.StringIO()
            started = time.perf_counter()
            error = None
            try:
                call_command("search", row["query"], json=True, limit=limit, stdout=buffer)
                hits = json.loads(buffer.getvalue() or "[]")
            except Exception as exc:  # a query the command refuses counts as no hits
                hits, error = [], f"{type(exc).__name__}: {exc}"
            elapsed_ms = (time.perf_counter() - started) * 1000
            slim = [
                {
                    "kind": h.get("kind"),
                    "id": h.get("id"),
                    "title": h.get("title"),
                    "url": h.get("url"),
                }
                for h in hits
            ]
            fh.write(
                json.dumps(
                    {"qid": row["qid"], "hits": slim, "ms": round(elapsed_ms, 1), "error": error},
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(f"{len(lines)} queries -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    dump = sub.add_parser("dump-items")
    dump.add_argument("out", type=pathlib.Path)
    search = sub.add_parser("search")
    search.add_argument("queries", type=pathlib.Path)
    search.add_argument("out", type=pathlib.Path)
    search.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    _setup()
    if args.command == "dump-items":
        dump_items(args.out)
    else:
        run_search(args.queries, args.out, args.limit)


if __name__ == "__main__":
    main()
