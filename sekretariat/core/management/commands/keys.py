"""`sekretariat keys --create`: write the installation's secret keys into the data dir.

Two random keys, each in its own file readable by its owner only: `secret.key` (Django's signing
key) and `pseudonym.key` (the key of the IV register's CPR pseudonyms). A file that exists is
never overwritten: a new pseudonym key would cut every later course off from the patient's
earlier ones (see the README, "Keys"). The environment variables win over the files.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

FILES = ("secret.key", "pseudonym.key")


def key_files_create(directory: Path) -> list[Path]:
    """Create the key files that are missing in ``directory``; the paths created."""
    created = []
    directory.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        path = directory / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_urlsafe(48) + "\n")
        created.append(path)
    return created


class Command(BaseCommand):
    help = "Opret installationens hemmelige nøgler (signering og CPR-pseudonymer) i datamappen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--create", action="store_true", help="write the missing key files (never overwrites)"
        )
        parser.add_argument("--dir", help="where to write them (default: the data dir)")

    def handle(self, *args, create: bool, dir: str | None, **options):
        directory = Path(dir) if dir else settings.DATA_DIR
        if not create:
            for name in FILES:
                state = "findes" if (directory / name).exists() else "mangler"
                self.stdout.write(f"{directory / name}: {state}")
            return
        try:
            created = key_files_create(directory)
        except OSError as err:
            raise CommandError(
                f"Nøglerne kunne ikke skrives i {directory}: {err.strerror}"
            ) from err
        for path in created:
            self.stdout.write(f"oprettet: {path}")
        if not created:
            self.stdout.write("nøglerne findes allerede; intet ændret")
