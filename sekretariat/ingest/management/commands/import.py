"""`sekretariat import PATH...`: parse meeting documents and load them into the database.

Files and folders (recursively). Each file is one transaction; a bad file is reported with a
one-line reason and the run goes on. Exit code 0 when the run completed and at least one file did
not fail; 1 when no file was found or every file failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sekretariat.bodies.models import Body
from sekretariat.ingest.batch import ATTACHED, collect_files, import_run
from sekretariat.ingest.parsers import MAX_BYTES
from sekretariat.ingest.services import Outcome

LABELS = {
    Outcome.IMPORTED: pgettext_lazy("import outcome", "imported"),
    Outcome.UPDATED: pgettext_lazy("import outcome", "updated"),
    Outcome.UNCHANGED: pgettext_lazy("import outcome", "unchanged"),
    ATTACHED: pgettext_lazy("import outcome", "attachments"),
    Outcome.FAILED: pgettext_lazy("import outcome", "FAILED"),
}


class Command(BaseCommand):
    help = (
        "Indlæs dagsordener og referater (filer eller mapper) i databasen: fora, møder, punkter, "
        "afsnit, bilag og deltagere. Samme fil to gange ændrer intet."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="filer eller mapper (læses rekursivt)")
        parser.add_argument(
            "--body", help="forummets korte navn (slug); ellers findes det ved navn"
        )
        parser.add_argument(
            "--create-bodies",
            action="store_true",
            help="opret fora, der ikke findes (ellers afvises filen)",
        )
        parser.add_argument(
            "--max-mb",
            type=float,
            default=MAX_BYTES / 1024 / 1024,
            help="største fil, der læses (MB)",
        )
        parser.add_argument("--warnings", action="store_true", help="vis advarsler for hver fil")

    def handle(self, *args, **options):
        body = None
        if options.get("body"):
            body = Body.objects.filter(slug=options["body"]).first()
            if body is None:
                raise CommandError(_("No body has the short name '%s'.") % options["body"])
        if not collect_files(options["paths"]):
            raise CommandError(_("No files found."))
        kwargs = {
            "body": body,
            "create_bodies": options["create_bodies"],
            "max_bytes": int(options["max_mb"] * 1024 * 1024),
        }
        if self.stdout.isatty():
            summary = self._run_with_bar(options["paths"], kwargs)
        else:
            summary = import_run(options["paths"], progress=self._plain_line, **kwargs)
        self._report(summary, show_warnings=options["warnings"])
        if summary.all_failed:
            raise SystemExit(1)

    def _plain_line(self, phase, done, total, path) -> None:
        if phase == "load":
            self.stdout.write(f"[{done}/{total}] {path}")

    def _run_with_bar(self, paths, kwargs):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, transient=False) as bar:
            tasks = {
                "read": bar.add_task("Læser", total=None),
                "load": bar.add_task("Indlæser", total=None),
            }

            def progress(phase, done, total, path):
                bar.update(tasks[phase], completed=done, total=total)

            return import_run(paths, progress=progress, **kwargs)

    def _report(self, summary, *, show_warnings: bool) -> None:
        for result in summary.results:
            if result.failed:
                self.stderr.write(result.message)
            elif result.is_note:
                self.stdout.write(f"{result.source_name}: {result.message}")
            elif show_warnings:
                for warning in result.warnings:
                    self.stdout.write(f"{result.source_name}: {warning}")
        counts = ", ".join(f"{LABELS[o]}: {summary.count(o)}" for o in LABELS)
        warned = sum(1 for r in summary.results if r.warnings and not r.failed)
        line = _("%(count)d files – %(counts)s") % {"count": len(summary.results), "counts": counts}
        if warned:
            line += "; " + _("%(count)d with warnings") % {"count": warned}
            if not show_warnings:
                line += " " + _("(see --warnings)")
        self.stdout.write(line)
