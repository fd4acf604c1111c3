"""``sekretariat population_import FILE.csv``: import population per municipality and year.

The file's columns: municipality code, name, population, year (see ``settlements/population.py``).
Any problem refuses the whole file; each is printed with its line and column, nothing is written,
and the exit code is 2."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sekretariat.core.errors import ApplicationError
from sekretariat.settlements import services


class Command(BaseCommand):
    help = "Indlæs folketal pr. kommune og år fra en CSV-fil (kommunekode, navn, folketal, år)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FIL.csv")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                f"Kan ikke læse {path}: {exc.strerror or exc}.", returncode=2
            ) from None
        try:
            count = services.population_import(data=data)
        except ApplicationError as exc:
            for line in exc.message.splitlines():
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(
                f"{path.name} er ikke indlæst; intet er skrevet.", returncode=2
            ) from None
        self.stdout.write(f"{count} folketal indlæst fra {path.name}.")
