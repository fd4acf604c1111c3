"""`sekretariat reindex`: rebuild the search index from scratch."""

import time

from django.core.management.base import BaseCommand

from sekretariat.search import services


class Command(BaseCommand):
    help = "Rebuild the search index from every meeting, item, attachment, case, body and person."

    def handle(self, *args, **options):
        started = time.perf_counter()
        total = services.search_reindex(
            progress=lambda n: (
                self.stderr.write(f"\r{n:,} documents", ending="")
                if options["verbosity"] > 1
                else None
            )
        )
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {total:,} documents in {seconds:.1f} s.")
