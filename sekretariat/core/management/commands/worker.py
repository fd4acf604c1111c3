"""`sekretariat worker`: handle the recorded events and the consumers' periodic work."""

import time

from django.core.management.base import BaseCommand

from sekretariat.core import dispatch


class Command(BaseCommand):
    help = (
        "Hand the recorded events to their consumers (the search index, ...) every few "
        "seconds, and do their periodic work, until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="catch up once and stop")
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="only the events, not the consumers' periodic work (e.g. term statistics)",
        )

    def handle(self, *args, **options):
        last_run: dict[tuple[str, int], float] = {}
        while True:
            dispatch.catch_up_all(long_work_allowed=True)
            if not options["no_periodic"]:
                run_periodic(last_run)
            if options["once"]:
                return
            time.sleep(options["interval"])


def run_periodic(last_run: dict[tuple[str, int], float]) -> None:
    """Each consumer's periodic work that is due (all of it the first time)."""
    now = time.monotonic()
    for consumer in dispatch.consumers():
        for index, (every, work) in enumerate(consumer.periodic):
            key = (consumer.name, index)
            if every > 0 and (key not in last_run or now - last_run[key] >= every):
                work()
                last_run[key] = now
