from django.core.management.base import BaseCommand

from sekretariat.demo import services


class Command(BaseCommand):
    help = "Indlæs demodata: et fiktivt fælleskommunalt sekretariat med fire fora og et års møder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Gør intet, hvis demodata allerede er indlæst."
        )

    def handle(self, *args, once: bool = False, **options):
        if services.demo_exists():
            if once:
                self.stdout.write("Demodata er allerede indlæst.")
                return
            self.stderr.write("Demodata er allerede indlæst; brug en tom database.")
            raise SystemExit(1)
        counts = services.demo_build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata indlæst: {counts['meetings']} møder, {counts['items']} punkter, "
                f"{counts['iv_courses']} IV-forløb. "
                f"Log ind som 'sekretariat', 'karen' (medlem), 'fjordby-iv' (kommune) eller 'admin' "
                f"med adgangskoden "
                f"'{services.DEMO_PASSWORD}'."
            )
        )
