"""`sekretariat serve`: the application behind a production WSGI server (waitress)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start webserveren (waitress) med statiske filer."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        from sekretariat.config.wsgi import application

        self.stdout.write(f"Sekretariat kører på http://{host}:{port}/ (stop med Ctrl-C)")
        serve(application, host=host, port=port, threads=threads, ident="sekretariat")
