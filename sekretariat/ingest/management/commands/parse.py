"""`sekretariat parse FILE... [--out DIR]`: read meeting documents and print the parse format.

Never touches the database: it only calls the pure parser package.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sekretariat.ingest.parsers import ParseError, parse_path


class Command(BaseCommand):
    help = "Læs dagsordener og referater og skriv dem som JSON (formatet sekretariat.parse/1)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="PDF, DOCX, HTML, tekst eller eksportfil")
        parser.add_argument("--out", help="mappe: skriv <navn>.json for hver fil i stedet")

    def handle(self, *args, **options):
        files = [Path(f) for f in options["files"]]
        out_dir = Path(options["out"]) if options.get("out") else None
        if out_dir is None and len(files) > 1:
            raise CommandError("Flere filer kræver --out MAPPE.")
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
        failed = 0
        for path in files:
            try:
                doc = parse_path(path)
            except ParseError as err:
                failed += 1
                self.stderr.write(str(err))
                continue
            payload = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
            if out_dir is None:
                self.stdout.write(payload)
            else:
                (out_dir / f"{path.stem}.json").write_text(payload + "\n", encoding="utf-8")
        if failed:
            raise SystemExit(1)
