"""Writes of cases: a journal number on an agenda item ties the item to its case."""

from django.db import transaction

from sekretariat.core import events
from sekretariat.core.services import event_record

from .models import Case


@transaction.atomic
def case_for_journal_number(*, journal_number: str, title: str, actor=None) -> Case | None:
    """The case filed under `journal_number`, created with `title` the first time it is used."""
    journal_number = journal_number.strip()
    if not journal_number:
        return None
    case, created = Case.objects.get_or_create(
        journal_number=journal_number, defaults={"title": title[:300]}
    )
    if created:
        event_record(events.CaseChanged(case_id=case.pk), actor=actor, action="case_open")
    return case


@transaction.atomic
def cases_for_journal_numbers(titles: dict[str, str], *, actor=None) -> dict[str, Case]:
    """The cases of many journal numbers at once ({journal number: title for a new case}):
    an import's items. Returns {journal number: case}."""
    wanted = {number.strip(): title for number, title in titles.items() if number.strip()}
    found = {c.journal_number: c for c in Case.objects.filter(journal_number__in=list(wanted))}
    for number, title in wanted.items():
        if number not in found:
            found[number] = case_for_journal_number(journal_number=number, title=title, actor=actor)
    return found
