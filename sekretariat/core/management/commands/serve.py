"""`sekretariat serve`: the application behind gunicorn, one worker process per core.

Python runs one thread at a time per process, so a single process (waitress, before) used one
core however many requests waited; gunicorn forks worker processes that share the listening
socket, each with a few threads for requests that wait on the database. Static files are served
by WhiteNoise inside the application.

Outside debug it refuses to start while a deployment check of the installation's own fails (the
development signing key, a missing CPR pseudonymisation key): `sekretariat keys --create` writes
the keys, `sekretariat check --deploy` lists everything that is not ready for production.
"""

import os

from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def startup_problems() -> list[str]:
    """The installation's own deployment errors (ids ``sekretariat.E…``), as lines to show."""
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    return [
        f"{m.msg} {m.hint or ''}".strip()
        for m in found
        if m.level >= checks.ERROR and (m.id or "").startswith("sekretariat.")
    ]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class Command(BaseCommand):
    help = "Start webserveren (gunicorn, en proces pr. kerne) med statiske filer."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (default: one per core the process may use)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")

    def handle(self, *args, host: str, port: int, workers: int | None, threads: int, **options):
        from gunicorn.app.base import BaseApplication

        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        workers = workers or default_workers()
        problems = [] if settings.DEBUG else startup_problems()
        if problems:
            raise CommandError(
                "Serveren starter ikke uden for debug, før dette er rettet:\n- "
                + "\n- ".join(problems)
            )
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        from sekretariat.config.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", None)
                self.cfg.set("graceful_timeout", 10)
                # A large import or PDF may take longer than gunicorn's default 30 s.
                self.cfg.set("timeout", 300)
                self.cfg.set("proc_name", "sekretariat")

            def load(self):
                return application

        self.stdout.write(
            f"Sekretariat kører på http://{host}:{port}/ med {workers} processer (stop med Ctrl-C)"
        )
        self.stdout.flush()
        Server().run()
