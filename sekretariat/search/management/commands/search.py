"""`sekretariat search QUERY`: search from the command line, as the public by default."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sekretariat.bodies.selectors import PUBLIC, viewer_for
from sekretariat.search import selectors


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Search agendas, minutes, attachments, cases, bodies and people."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", help='words, "phrases", -excluded, body:, year:')
        parser.add_argument("--json", action="store_true", help="print a JSON list of hits")
        parser.add_argument("--limit", type=int, default=20, help="hits to print (max 100)")
        parser.add_argument("--body", action="append", default=[], help="only this body (name)")
        parser.add_argument("--from", dest="date_from", type=_date, help="from date YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=_date, help="to date YYYY-MM-DD")
        parser.add_argument("--newest", action="store_true", help="newest first")
        parser.add_argument(
            "--all-words",
            action="store_true",
            help="only hits with every word (by default, when too few have them all, the "
            "hits with most of them follow)",
        )
        parser.add_argument(
            "--as-user", help="search with this user's rights (default: as the public)"
        )

    def handle(self, *args, **options):
        viewer = PUBLIC
        if options["as_user"]:
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"No user {options['as_user']!r}")
            viewer = viewer_for(user)
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        results = selectors.search(
            " ".join(options["query"]),
            viewer,
            selectors.SearchFilters(
                body_names=tuple(options["body"]),
                date_from=options["date_from"],
                date_to=options["date_to"],
            ),
            per_page=min(options["limit"], selectors.MAX_PER_PAGE),
            order="newest" if options["newest"] else "relevance",
            with_facets=not options["json"],
            all_words=options["all_words"],
        )
        if options["json"]:
            hits = [hit.as_json() for hit in results.hits]
            self.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2))
            return
        for notice in results.notices:
            self.stderr.write(notice)
        if not results.hits:
            self.stdout.write(results.message)
            return
        self.stdout.write(f"{results.total} hits")
        for number, hit in enumerate(results.hits, 1):
            where = f" [{hit.section_name}]" if hit.section_name else ""
            date = hit.date.isoformat() if hit.date else ""
            self.stdout.write(f"{number:>3}. {hit.title}{where}")
            self.stdout.write(f"     {hit.kind} · {hit.body} · {date} · {hit.url}")
            if hit.missing:
                self.stdout.write(f"     {_('Lacks')}: {', '.join(hit.missing)}")
            snippet = str(hit.snippet).replace("<mark>", "[").replace("</mark>", "]")
            if snippet:
                self.stdout.write(f"     {_unescape(snippet)}")


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
