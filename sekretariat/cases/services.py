"""Writes of cases: a journal number on an agenda item ties the item to its case; the admin
changes a case's title, status and description (`case_update`)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sekretariat.core import events
from sekretariat.core.errors import ApplicationError
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


CASE_FIELDS = ("title", "status", "description")


@transaction.atomic
def case_update(*, case: Case, data: Mapping[str, Any], actor=None) -> Case:
    """Change a case's title, status or description (the fields of `CASE_FIELDS` that `data`
    holds). Its journal number is what ties items to it and is not changed here."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    values = {name: data[name] for name in CASE_FIELDS if name in data}
    for name in ("title", "description"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "title" in values and not values["title"]:
        raise ApplicationError(_("A case needs a title."), field="title")
    if "status" in values and values["status"] not in Case.Status.values:
        raise ApplicationError(_("Choose one of the listed statuses."), field="status")
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    if not changed:
        return case
    for name in changed:
        setattr(case, name, values[name])
    case.save(update_fields=[*changed, "updated_at"])
    event_record(
        events.CaseChanged(case_id=case.pk), actor=actor, action="case_update", changed=changed
    )
    return case
