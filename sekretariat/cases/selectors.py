"""Reads of cases: a case and its path through the fora."""

from django.db.models import QuerySet

from .models import Case


def case_get(*, journal_number: str) -> Case:
    return Case.objects.get(journal_number=journal_number)


def case_list() -> QuerySet[Case]:
    return Case.objects.order_by("journal_number")
