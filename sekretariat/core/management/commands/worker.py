"""`sekretariat worker`: handle the recorded events and the consumers' periodic work.

The periodic work is what each consumer of `config/consumers.py` lists: the search index's
term statistics every 6 hours, and the `uploads` consumer's reading of uploaded files every
round (each in a sandboxed child process, one after the other; see docs/architecture.md).
"""

import logging
import time

from django.core.management.base import BaseCommand

from sekretariat.core import dispatch

logger = logging.getLogger(__name__)


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
            help=(
                "only the events, not the consumers' periodic work (term statistics, "
                "reading uploaded files)"
            ),
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
    """Each consumer's periodic work that is due (all of it the first time). Work that fails
    is logged and tried again when it is next due; the worker goes on."""
    now = time.monotonic()
    for consumer in dispatch.consumers():
        for index, (every, work) in enumerate(consumer.periodic):
            key = (consumer.name, index)
            if every > 0 and (key not in last_run or now - last_run[key] >= every):
                last_run[key] = now
                try:
                    work()
                except Exception:  # noqa: BLE001 - logged with its trace; the round goes on
                    logger.exception("Periodic work of consumer %s failed.", consumer.name)
