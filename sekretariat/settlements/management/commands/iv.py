"""``sekretariat iv ...``: a thin wrapper around the pure engine's command line.

All arguments go unparsed to :func:`sekretariat.agreements.cli.main`, which owns the options,
the messages and the exit codes (0 settled, 2 bad input)."""

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError

from sekretariat.agreements import cli


class Command(BaseCommand):
    help = "IV-aftaler: afregning af forløb (sekretariat iv settle --help)."

    def run_from_argv(self, argv: list[str]) -> None:
        # argv is [program, "iv", *arguments]; Django's own option parsing is bypassed.
        # The CSV on stdout is UTF-8 with "\n" line endings whatever the locale or platform.
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8", newline="\n")
        sys.exit(cli.main(argv[2:], sys.stdout, sys.stderr))

    def add_arguments(self, parser) -> None:
        parser.add_argument("arguments", nargs=argparse.REMAINDER)

    def handle(self, *args, **options) -> None:
        # call_command("iv", "settle", "--year", "2022", ...) arrives here.
        code = cli.main(options["arguments"], self.stdout._out, self.stderr._out)
        if code:
            raise CommandError(f"sekretariat iv sluttede med kode {code}", returncode=code)
