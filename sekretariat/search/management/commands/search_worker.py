"""`sekretariat search_worker`: keep the search index current (for production)."""

import time

from django.core.management.base import BaseCommand

from sekretariat.search import services


class Command(BaseCommand):
    help = "Index what changed, every few seconds, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="catch up once and stop")
        parser.add_argument(
            "--statistics-hours",
            type=float,
            default=6.0,
            help="hours between counts of the frequent terms (for ranking; 0: never)",
        )

    def handle(self, *args, **options):
        every = options["statistics_hours"] * 3600
        counted = None
        while True:
            while services.search_catch_up(limit=1000):
                pass
            if every and (counted is None or time.monotonic() - counted >= every):
                services.search_statistics_refresh()
                counted = time.monotonic()
            if options["once"]:
                return
            time.sleep(options["interval"])
