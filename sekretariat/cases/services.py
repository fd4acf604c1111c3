"""Writes of cases: a journal number on an agenda item ties the item to its case."""

from django.db import transaction

from .models import Case


@transaction.atomic
def case_for_journal_number(*, journal_number: str, title: str) -> Case | None:
    """The case filed under `journal_number`, created with `title` the first time it is used."""
    journal_number = journal_number.strip()
    if not journal_number:
        return None
    case, _created = Case.objects.get_or_create(
        journal_number=journal_number, defaults={"title": title[:300]}
    )
    return case
