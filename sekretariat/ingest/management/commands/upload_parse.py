"""`sekretariat upload_parse ID... | --pending [--force]`: read uploaded files now, here.

For the operator: an upload left 'received' (no worker ran, a server stopped mid-read) is read
in a sandboxed child process, exactly as the background reading does (`services.upload_parse`).
An upload that another process began reading less than the time limit ago is left to it,
unless `--force`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sekretariat.ingest import reading, selectors, services
from sekretariat.ingest.models import ImportedFile


class Command(BaseCommand):
    help = (
        "Læs uploadede filer, der venter (status 'modtaget – læses'), nu og her, i en "
        "afgrænset underproces."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="uploadens id")
        parser.add_argument(
            "--pending", action="store_true", help="alle uploads, der venter på at blive læst"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="læs også en upload, som en anden proces er begyndt at læse",
        )

    def handle(self, *args, **options):
        ids = list(options["ids"])
        if options["pending"] and options["force"]:
            ids += selectors.uploads_received()
        elif options["pending"]:
            stale_after = reading.read_stale_after()
            ids += selectors.uploads_waiting(stale_after=stale_after, fresh_too=True)
        if not ids:
            if options["pending"]:
                self.stdout.write("Ingen uploads venter.")
                return
            raise CommandError("Angiv id'er eller --pending.")
        unreadable = 0
        for upload_id in dict.fromkeys(ids):
            upload = services.upload_parse(upload_id, force=options["force"])
            if upload is None:
                self.stdout.write(
                    f"{upload_id}: intet at gøre (ikke modtaget, eller en anden proces læser den)"
                )
            elif upload.status == ImportedFile.Status.UNREADABLE:
                unreadable += 1
                self.stdout.write(f"{upload_id} {upload.file_name}: {upload.read_error}")
            else:
                self.stdout.write(
                    f"{upload_id} {upload.file_name}: {upload.get_status_display()} "
                    f"({len(upload.parsed.get('items') or [])} punkter)"
                )
        if unreadable:
            raise SystemExit(1)
